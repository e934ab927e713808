"""Model-output data flow inside one scope.

A value is *model output* when it comes from a model call or from a call into a unit, or
is derived from one: through assignment, attribute and subscript access (`resp.content[0]`),
iteration (`for block in resp.content`), method calls on it (`text.strip()`), parsing
helpers that take it as an argument (`json.loads(text)`, `re.search(p, text)`,
`Plan.model_validate_json(text)`), f-strings, comprehensions and containers it is added
to (`messages.append(resp)`). The analysis is flow-insensitive and iterated to a fixpoint,
which is what a loop body needs anyway: a value produced in one iteration is read in the
next.
"""

from __future__ import annotations

from collections.abc import Callable

from analyzer import ir

# Methods that put an argument into their receiver.
_MUTATORS = frozenset(
    {"append", "extend", "insert", "update", "add", "put", "put_nowait", "appendleft", "setdefault"}
)


def target_names(e: ir.Expr) -> list[str]:
    """Names bound by an assignment target (`a`, `self.a`, `a, (b, *c)`, `a[i]` binds `a`)."""
    if isinstance(e, ir.Name):
        return [e.id]
    if isinstance(e, ir.Attr):
        d = ir.dotted(e)
        return [d] if d else []
    if isinstance(e, ir.Seq):
        out: list[str] = []
        for x in e.elts:
            out += target_names(x)
        return out
    if isinstance(e, ir.Starred):
        return target_names(e.value)
    if isinstance(e, ir.Subscript):
        return target_names(e.value)
    return []


class Taint:
    """Which names in a scope hold model output, and a test for any expression."""

    def __init__(
        self,
        scope: ir.Scope,
        is_source: Callable[[ir.Call], bool],
        seeded: frozenset[str] = frozenset(),
        is_check: Callable[[ir.Call], bool] | None = None,
        skip: frozenset[int] = frozenset(),
    ) -> None:
        self.scope = scope
        self.seeded = seeded
        self.skip = skip  # ids of statements left out (see `without`)
        self.is_source = is_source
        self.is_check = is_check or (lambda _call: False)
        self.names: set[str] = set(seeded)
        # names holding the verdict of the developer's own code on model output
        # (`ok, err = run_sql(sql)`): a loop that stops on them is evaluated, not agentic
        self.checked: set[str] = set()
        # names holding one model answer per item of the developer's own data (results of
        # `gather(*[f(x) for x in xs])`, `[f(x) for x in xs]`): the model did not choose
        # how many there are
        self.developer_sized: set[str] = set()
        # a comprehension's targets are its own names (Python 3 gives it a scope): the
        # Name nodes that read them, by node identity, with their own taint
        self.comp_local: dict[int, bool] = {}
        self._fixpoint(scope)

    def without(self, stmts) -> Taint:
        """The same analysis with `stmts` left out: what values held before those
        statements ran (a for loop's collection is read once, before its body runs)."""
        skip = self.skip | {id(s) for s in stmts}
        return Taint(self.scope, self.is_source, self.seeded, self.is_check, skip)

    def sized_by_developer(self, e: ir.Expr | None) -> bool:
        """Iterating `e` yields as many items as the developer's data, not the model's."""
        if e is None:
            return False
        if isinstance(e, ir.Name):
            return e.id in self.developer_sized
        if isinstance(e, ir.Call) and ir.dotted(e.func) in ("enumerate", "zip", "list", "sorted"):
            args = [a.value for a in e.args if a.kw is None]
            return bool(args) and all(self.sized_by_developer(a) or not self.expr(a) for a in args)
        return self._one_per_item(e)

    def _one_per_item(self, e: ir.Expr) -> bool:
        """A comprehension, gather or map over data that is not model output."""
        if isinstance(e, ir.Await):
            return self._one_per_item(e.value)
        if isinstance(e, ir.Comp):
            return all(not self.expr(g.iter) for g in e.generators)
        if isinstance(e, ir.Call):
            name = (ir.dotted(e.func) or "").rsplit(".", 1)[-1]
            if name == "list" and e.args:
                return self._one_per_item(e.args[0].value)
            if name in ("gather", "wait"):
                return bool(e.args) and all(
                    a.kw == "*" and self._one_per_item(a.value) for a in e.args
                )
            if name in ("map", "imap", "starmap") and len(e.args) >= 2:
                return not self.expr(e.args[1].value)
        return False

    def only_checked(self, e: ir.Expr) -> bool:
        """`e` depends on model output only through developer checks of it."""
        tainted = [x.id for x in ir.walk_expr(e) if isinstance(x, ir.Name) and x.id in self.names]
        return bool(tainted) and all(n in self.checked for n in tainted)

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def expr(self, e: ir.Expr | None) -> bool:
        """Does evaluating `e` yield (or depend on) model output?"""
        if e is None:
            return False
        if isinstance(e, ir.Name):
            local = self.comp_local.get(id(e))
            return local if local is not None else e.id in self.names
        if isinstance(e, ir.Attr):
            if isinstance(e.value, ir.Name) and id(e.value) in self.comp_local:
                return self.comp_local[id(e.value)]
            d = ir.dotted(e)
            if d is not None and d in self.names:
                return True
            return self.expr(e.value)
        if isinstance(e, ir.Call):
            if self.is_source(e):
                return True
            if isinstance(e.func, ir.Attr) and self.expr(e.func.value):
                return True
            if isinstance(e.func, ir.Subscript) and self.expr(e.func.index):
                return True
            return any(self.expr(a.value) for a in e.args)
        if isinstance(e, ir.Lambda):
            return False
        if isinstance(e, ir.Comp):
            # `[f(x) for x in model_list]`: its targets are bound from the iterable during
            # the fixpoint; only what the comprehension produces counts
            return self.expr(e.elt) or (e.key is not None and self.expr(e.key))
        return any(self.expr(c) for c in ir.iter_child_exprs(e))

    def _bind(self, targets, value_tainted: bool) -> bool:
        if not value_tainted:
            return False
        changed = False
        for t in targets:
            for n in target_names(t):
                if n not in self.names:
                    self.names.add(n)
                    changed = True
        return changed

    def _exprs_pass(self, e: ir.Expr) -> bool:
        changed = False
        for sub in ir.walk_expr(e):
            if isinstance(sub, ir.NamedExpr):
                changed |= self._bind((sub.target,), self.expr(sub.value))
            elif isinstance(sub, ir.Comp):
                changed |= self._bind_comp(sub)
            elif (
                isinstance(sub, ir.Call)
                and isinstance(sub.func, ir.Attr)
                and sub.func.attr in _MUTATORS
                and any(self.expr(a.value) for a in sub.args)
            ):
                changed |= self._bind((sub.func.value,), True)
        return changed

    def _bind_comp(self, comp: ir.Comp) -> bool:
        """Bind a comprehension's targets inside it only: `[ask(m) for m in models]` does
        not see a `m` the function binds elsewhere from model output, nor taint it."""
        changed = False
        for i, g in enumerate(comp.generators):
            tainted = self.expr(g.iter)
            names = set(target_names(g.target))
            inside = [comp.elt, *([comp.key] if comp.key is not None else []), *g.ifs]
            inside += [x for later in comp.generators[i + 1 :] for x in (later.iter, *later.ifs)]
            inside += [g.target]
            for e in inside:
                for x in ir.walk_expr(e):
                    if isinstance(x, ir.Name) and x.id in names:
                        if self.comp_local.get(id(x)) is not True and (
                            id(x) not in self.comp_local or tainted
                        ):
                            changed |= self.comp_local.get(id(x)) != tainted
                            self.comp_local[id(x)] = tainted
        return changed

    def _fixpoint(self, scope: ir.Scope) -> None:
        stmts = [s for s in ir.walk_stmts(scope.body) if id(s) not in self.skip]
        for _ in range(12):
            changed = False
            for s in stmts:
                if isinstance(s, ir.Assign) and s.value is not None:
                    value_t = self.expr(s.value)
                    if (
                        value_t
                        and isinstance(s.value, ir.Call)
                        and not self.is_source(s.value)
                        and self.is_check(s.value)
                    ):
                        for t in s.targets:
                            self.checked.update(target_names(t))
                    if value_t and self._one_per_item(s.value):
                        for t in s.targets:
                            if isinstance(t, ir.Name):
                                self.developer_sized.add(t.id)
                    if s.op is not None:
                        value_t = value_t or any(self.expr(t) for t in s.targets)
                    changed |= self._bind(s.targets, value_t)
                elif isinstance(s, ir.For):
                    changed |= self._bind((s.target,), self.expr(s.iter))
                elif isinstance(s, ir.With):
                    for it in s.items:
                        if it.target is not None:
                            changed |= self._bind((it.target,), self.expr(it.context))
                elif isinstance(s, ir.Try):
                    pass
                for e in ir.stmt_exprs(s):
                    changed |= self._exprs_pass(e)
            if not changed:
                break
