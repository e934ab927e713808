"""Static values the bounds depend on: integer constants and the length of iterables.

Only what is certain is resolved: literals, names assigned exactly once to a literal in
the scope or at module level, parameter defaults, and the arguments the project's own
call sites pass. Anything else is "unknown", with the source text of what it depends on.
"""

from __future__ import annotations

from collections.abc import Callable

from analyzer import ir

Count = tuple[int | None, str]  # (value or None, what it depends on when None)


def expr_text(e: ir.Expr | None, limit: int = 40) -> str:
    """Short source-like text for messages."""
    if e is None:
        return "?"
    d = ir.dotted(e)
    if d is not None:
        return d
    if isinstance(e, ir.Const):
        return repr(e.value)[:limit]
    if isinstance(e, ir.Call):
        inner = ", ".join(expr_text(a.value, 12) for a in e.args[:2])
        return f"{expr_text(e.func, 20)}({inner})"[:limit]
    if isinstance(e, ir.Subscript):
        return f"{expr_text(e.value, 20)}[{expr_text(e.index, 12)}]"
    if isinstance(e, ir.FString):
        return "f-string"
    if isinstance(e, ir.BinOp):
        return f"{expr_text(e.left, 24)} {e.op} {expr_text(e.right, 24)}"[:limit]
    if isinstance(e, ir.UnaryOp):
        return f"{e.op}{' ' if e.op == 'not' else ''}{expr_text(e.operand, 20)}"[:limit]
    if isinstance(e, ir.Seq):
        inner = ", ".join(expr_text(x, 12) for x in e.elts[:3])
        more = ", …" if len(e.elts) > 3 else ""
        return {"list": f"[{inner}{more}]", "set": f"{{{inner}{more}}}"}.get(
            e.kind, f"({inner}{more})"
        )[:limit]
    if isinstance(e, ir.Comp):
        gen = e.generators[0] if e.generators else None
        over = f" for … in {expr_text(gen.iter, 16)}" if gen is not None else ""
        brackets = {"list": "[]", "set": "{}", "dict": "{}"}.get(e.kind, "()")
        return f"{brackets[0]}…{over}{brackets[1]}"[:limit]
    if isinstance(e, ir.Await):
        return f"await {expr_text(e.value, 30)}"[:limit]
    if isinstance(e, ir.Dict):
        return "{…}"
    return "an expression"  # never an internal node name in a user-facing message


def _single_assignments(body: tuple[ir.Stmt, ...]) -> dict[str, ir.Expr | None]:
    """name -> its value when assigned exactly once (None when assigned more often)."""
    out: dict[str, ir.Expr | None] = {}
    for s in ir.walk_stmts(body):
        if isinstance(s, ir.Assign):
            for t in s.targets:
                if isinstance(t, ir.Name):
                    out[t.id] = s.value if (t.id not in out and s.op is None) else None
        elif isinstance(s, ir.For) and isinstance(s.target, ir.Name):
            out[s.target.id] = None
    return out


class Resolver:
    """Resolves constants and iterable lengths within one scope of one module."""

    def __init__(
        self,
        facts: ir.ModuleFacts,
        scope: ir.Scope,
        call_site_args: Callable[[str], list[tuple[ir.Expr, Resolver]]] | None = None,
    ) -> None:
        self.facts = facts
        self.scope = scope
        self.local = _single_assignments(scope.body) if scope.kind != "module" else {}
        # module-level names: every top-level cell of a notebook shares one namespace
        tops = [s for s in facts.scopes if s.kind == "module"]
        body = tuple(st for s in tops for st in s.body)
        self.module = _single_assignments(body)
        self.params = {p.name: p for p in scope.params}
        self.call_site_args = call_site_args

    def value_of(self, name: str, depth: int = 0) -> ir.Expr | None:
        if depth > 4:
            return None
        for table in (self.local, self.module):
            if name in table:
                v = table[name]
                if isinstance(v, ir.Name):
                    return self.value_of(v.id, depth + 1) or v
                return v
        return None

    def const_int(self, e: ir.Expr | None, depth: int = 0) -> int | None:
        if e is None or depth > 5:
            return None
        if isinstance(e, ir.Const) and isinstance(e.value, int) and not isinstance(e.value, bool):
            return e.value
        if isinstance(e, ir.UnaryOp) and e.op == "-":
            v = self.const_int(e.operand, depth + 1)
            return None if v is None else -v
        if isinstance(e, ir.BinOp) and e.op in ("+", "-", "*", "//"):
            a, b = self.const_int(e.left, depth + 1), self.const_int(e.right, depth + 1)
            if a is None or b is None:
                return None
            if e.op == "//":
                return a // b if b else None
            return {"+": a + b, "-": a - b, "*": a * b}[e.op]
        if isinstance(e, ir.Name):
            if e.id in self.params and e.id not in self.local:
                return self._param_int(e.id)
            return self.const_int(self.value_of(e.id), depth + 1)
        if isinstance(e, ir.Attr) and isinstance(e.value, ir.Name) and e.value.id == "self":
            return None
        return None

    def _param_int(self, name: str) -> int | None:
        values = self.call_site_args(name) if self.call_site_args else []
        ints = [res.const_int(v, 4) for v, res in values]
        p = self.params[name]
        if p.default is not None:
            ints.append(self.const_int(p.default, 5))
        if ints and all(i is not None for i in ints):
            return max(ints)  # type: ignore[type-var]
        return None

    def length(self, e: ir.Expr | None, depth: int = 0) -> Count:
        """How many items iterating `e` yields, when static."""
        if e is None:
            return None, "?"
        if depth > 5:
            return None, f"len({expr_text(e)})"
        if isinstance(e, ir.Await):
            return self.length(e.value, depth + 1)
        if isinstance(e, ir.Comp) and len(e.generators) == 1 and not e.generators[0].ifs:
            # one item per item of what it iterates
            return self.length(e.generators[0].iter, depth + 1)
        if isinstance(e, ir.Call) and (ir.dotted(e.func) or "").rsplit(".", 1)[-1] == "gather":
            starred = [a.value for a in e.args if a.kw == "*"]
            if len(starred) == 1 and len(e.args) == 1:
                return self.length(starred[0], depth + 1)
            if not starred:
                return len(e.args), f"{len(e.args)} awaitables"
        if isinstance(e, ir.Seq):
            if any(isinstance(x, ir.Starred) for x in e.elts):
                return None, f"len({expr_text(e)})"
            return len(e.elts), f"{len(e.elts)} items"
        if isinstance(e, ir.Dict):
            return len(e.keys), f"{len(e.keys)} entries"
        if isinstance(e, ir.Const) and isinstance(e.value, str):
            return len(e.value), "characters of a literal"
        if isinstance(e, ir.Call):
            fname = ir.dotted(e.func) or ""
            if fname == "range":
                ints = [self.const_int(a.value) for a in e.args if a.kw is None]
                if ints and all(i is not None for i in ints):
                    start, stop, step = 0, 0, 1
                    if len(ints) == 1:
                        stop = ints[0]  # type: ignore[assignment]
                    else:
                        start, stop = ints[0], ints[1]  # type: ignore[assignment]
                        step = ints[2] if len(ints) > 2 and ints[2] else 1  # type: ignore[assignment]
                    n = len(range(start, stop, step))
                    return n, f"range of {n}"
                arg = e.args[-1].value if e.args else None
                return None, f"range({expr_text(arg)})"
            if fname in ("enumerate", "list", "tuple", "sorted", "reversed", "set") and e.args:
                return self.length(e.args[0].value, depth + 1)
            if fname == "zip" and e.args:
                lengths = [self.length(a.value, depth + 1) for a in e.args if a.kw is None]
                known = [n for n, _ in lengths if n is not None]
                if known:
                    return min(known), "zip of literals"
                return lengths[0] if lengths else (None, "zip")
            if isinstance(e.func, ir.Attr) and e.func.attr in ("items", "keys", "values"):
                return self.length(e.func.value, depth + 1)
            return None, f"len({expr_text(e)})"
        if isinstance(e, ir.Subscript) and isinstance(e.index, ir.Slice):
            upper = self.const_int(e.index.upper)
            lower = self.const_int(e.index.lower) if e.index.lower is not None else 0
            if upper is not None and upper >= 0 and lower is not None and lower >= 0:
                n, _ = self.length(e.value, depth + 1)
                cap = max(upper - lower, 0)
                n = cap if n is None else min(n, cap)
                return n, f"at most {cap} items (slice)"
            return None, f"len({expr_text(e)})"
        if isinstance(e, ir.BinOp) and e.op == "*":
            for seq, times in ((e.left, e.right), (e.right, e.left)):
                k = self.const_int(times)
                if k is not None:
                    n, why = self.length(seq, depth + 1)
                    if n is not None:
                        return n * k, f"{n * k} items"
            return None, f"len({expr_text(e)})"
        if isinstance(e, ir.Name):
            if e.id in self.params and e.id not in self.local:
                return self._param_length(e.id)
            v = self.value_of(e.id)
            if v is not None and not isinstance(v, ir.Name):
                n, why = self.length(v, depth + 1)
                return (n, why) if n is not None else (None, f"len({e.id})")
            return None, f"len({e.id})"
        return None, f"len({expr_text(e)})"

    def _param_length(self, name: str) -> Count:
        values = self.call_site_args(name) if self.call_site_args else []
        if values:
            lengths = [res.length(v, 4)[0] for v, res in values]
            if all(n is not None for n in lengths):
                n = max(lengths)  # type: ignore[type-var]
                return n, f"len({name}) = {n} at its call sites"
        return None, f"len({name})"
