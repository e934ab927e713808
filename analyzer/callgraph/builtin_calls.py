"""Calls into code the project does not define that still act on the project's values.

The builtins the analysis models: `getattr`/`setattr` with literal or computed names,
`super`, the constructors and iterators of containers (`list`, `dict`, `zip`,
`enumerate`, `next`, `min`...). And the callbacks builtin or outside code runs: project
functions handed to `map`, `sorted(key=)`, executors, task runners, threads or `partial`
are called, with the `via` that says how.
"""

from __future__ import annotations

from collections.abc import Iterable

from analyzer import ir
from analyzer.callgraph import values as V
from analyzer.callgraph.core import EMPTY, Frame

# External callables that run a function argument, by their last name: what to call it with.
EXECUTOR = {"submit", "map", "imap", "imap_unordered", "starmap", "apply_async", "map_async"}
EXECUTOR |= {"run_in_executor", "to_thread", "run_sync", "apply"}
TASK = {"create_task", "ensure_future", "gather", "call_soon", "call_later", "call_soon_threadsafe"}
TASK |= {"run_coroutine_threadsafe", "wait", "as_completed", "start_soon", "run", "shield"}
THREAD = {"Thread", "Process", "Timer"}
PARTIAL = {"partial", "partialmethod"}
CALLING_BUILTINS = frozenset({"map", "filter", "sorted", "min", "max", "iter", "reduce"})
NON_CALLING_EXT = (
    "functools.wraps",
    "functools.update_wrapper",
    "inspect.",
    "typing.",
    "typing_extensions.",
    "weakref.",
    "copy.",
    "pickle.",
    "logging.",
)


class BuiltinCallsMixin:
    """Models builtin calls and the callbacks builtin and outside code runs."""

    def callbacks(
        self,
        fr: Frame,
        callees: Iterable[tuple],
        pos: list[frozenset],
        kws: dict[str, frozenset],
        star: frozenset | None,
        site: tuple,
    ) -> frozenset:
        """Project functions handed to external or builtin code are called by the caller.

        Builtins call their function arguments only when they are known to (`map`,
        `sorted(key=)`...); external code is assumed to, as PyCG does, except the few
        standard helpers that only inspect or wrap a function (`functools.wraps`).
        """
        callers = [
            v
            for v in callees
            if (v[0] == "bi" and v[1] in CALLING_BUILTINS)
            or (v[0] == "ext" and v[2] != "rmember" and not v[1].startswith(NON_CALLING_EXT))
        ]
        if not callers:
            return EMPTY
        lasts = {v[1].rsplit(".", 1)[-1] for v in callers}
        bi_names = {v[1] for v in callers if v[0] == "bi"}
        if lasts & PARTIAL:
            via = "partial"
        elif lasts & THREAD:
            via = "thread"
        elif (lasts - bi_names) & EXECUTOR:
            via = "executor"
        elif lasts & TASK:
            via = "task"
        else:
            via = "callback"
        results: set = set()
        args_all = list(pos) + [kws[k] for k in sorted(kws)]
        if star:
            args_all.append(star)
        for i, vals in enumerate(args_all):
            cbs = [v for v in vals if V.is_callable(v)]
            if not cbs:
                continue
            rest = list(pos[i + 1 :]) if i < len(pos) else []
            if lasts & {"map", "imap", "imap_unordered", "filter", "starmap"}:
                rest = [self.elements(fr, r, False) for r in rest]
            elif i >= len(pos):
                rest = []
                if lasts & THREAD and "args" in kws:
                    for o in kws["args"]:
                        if o[0] == "obj":
                            for j in range(8):
                                got = self.state.get(("f", o, f"#int:{j}"))
                                if not got:
                                    break
                                rest.append(got)
            if lasts & PARTIAL:
                continue_kws = {k: v for k, v in kws.items()}
            else:
                continue_kws = {}
            for cb in sorted(cbs, key=V.sort_key):
                results |= self.call_value(fr, cb, rest, continue_kws, None, None, site, via, None)
        return frozenset(results)

    def builtin(
        self,
        fr: Frame,
        name: str,
        pos: list[frozenset],
        kws: dict[str, frozenset],
        star: frozenset | None,
        site: tuple,
        call: ir.Call | None,
    ) -> frozenset:
        if name == "getattr" and len(pos) >= 2:
            out: set = set(pos[2]) if len(pos) > 2 else set()
            names = pos[1]
            consts = [n for n in names if n[0] == "const" and n[1] == "str"]
            for o in pos[0]:
                if names and len(consts) == len(names):
                    for n in consts:
                        out |= self.get_attr(fr, o, n[2])
                elif o[0] == "ext" and o[2] in ("path", "inst"):
                    # any attribute of an outside value: what a forwarding `__getattr__`
                    # returns, resolved at each access (`delegated_attr`)
                    out.add(("ext", o[1], f"any{o[2]}"))
                else:
                    prefix = (
                        _prefix(call.args[1].value)
                        if call is not None and len(call.args) > 1
                        else ""
                    )
                    out |= self.dynamic_attrs(fr, o, prefix)
            return frozenset(out)
        if name == "setattr" and len(pos) >= 3:
            for n in pos[1]:
                if n[0] == "const" and n[1] == "str":
                    for o in pos[0]:
                        self.set_attr(o, n[2], pos[2])
            return EMPTY
        if name == "super":
            if pos and len(pos) >= 2:
                out = set()
                for c in pos[0]:
                    if c[0] == "cls":
                        for r in pos[1]:
                            out.add(("super", c[1], r))
                return frozenset(out)
            if fr.cls is not None and fr.self_param is not None:
                recvs = fr.env.get(fr.self_param, EMPTY)
                return frozenset(("super", fr.cls, r) for r in recvs if r[0] in ("inst", "cls"))
            return EMPTY
        if name in ("list", "tuple", "set", "frozenset", "sorted", "reversed", "iter", "filter"):
            src = pos[-1] if pos else EMPTY
            if name == "iter" and pos:
                return pos[0]
            if name == "filter":
                src = pos[1] if len(pos) > 1 else EMPTY
            o = ("obj", f"{site[0]}:{site[1]}:{name}", "list" if name != "tuple" else "tuple")
            self.state.add(("f", o, "#*"), self.elements(fr, src, False))
            self.state.add(("fk", o), {("k", "#*")})
            return frozenset([o])
        if name == "next" and pos:
            return self.elements(fr, pos[0], False) | (pos[1] if len(pos) > 1 else EMPTY)
        if name == "dict":
            o = ("obj", f"{site[0]}:{site[1]}:dict", "dict")
            for src in pos[:1]:
                for m in src:
                    if m[0] == "obj":
                        self.copy_items(m, o)
            for k, vals in kws.items():
                self.write_item(o, frozenset([V.const(k)]), vals)
            return frozenset([o])
        if name in ("enumerate", "zip"):
            o = ("obj", f"{site[0]}:{site[1]}:{name}", "list")
            t = ("obj", f"{site[0]}:{site[1]}:{name}:item", "tuple")
            srcs = pos[:1] if name == "enumerate" else pos
            for i, src in enumerate(srcs):
                j = i + 1 if name == "enumerate" else i
                self.state.add(("f", t, f"#int:{j}"), self.elements(fr, src, False))
                self.state.add(("fk", t), {("k", f"#int:{j}")})
            self.state.add(("f", o, "#*"), {t})
            self.state.add(("fk", o), {("k", "#*")})
            return frozenset([o])
        if name in ("globals", "locals", "vars") and not pos:
            return frozenset([("globals", fr.facts.path)]) if name == "globals" else EMPTY
        if name == "type" and len(pos) == 1:
            return frozenset(("cls", v[1]) for v in pos[0] if v[0] == "inst")
        if name in ("staticmethod", "classmethod", "property") and pos:
            return pos[0]
        if name == "map":
            return EMPTY
        if name in ("min", "max") and pos:
            return self.elements(fr, pos[0], False) if len(pos) == 1 else frozenset().union(*pos)
        return EMPTY


def _prefix(e: ir.Expr) -> str:
    """The literal start of a computed attribute name: `"handle_" + x`, `f"on_{x}"`."""
    if isinstance(e, ir.BinOp) and e.op == "+" and isinstance(e.left, ir.Const):
        return str(e.left.value) if isinstance(e.left.value, str) else ""
    if isinstance(e, ir.FString):
        text = e.text
        i = 0
        while i < len(text) and text[i] in "fFrRbBuU":
            i += 1
        body = text[i:].lstrip("\"'")
        return body.split("{", 1)[0]
    return ""
