"""Dispatch and model-chosen structure: tool dispatch keyed by model output (also through a
helper's parameter), branches that dispatch on it, picks made by the model, and iterations
sized by model output or streams.
"""

from __future__ import annotations

from analyzer import ir
from analyzer.classify.nodes import Dispatch, Node
from analyzer.classify.predicates import _callable_from_model, _called_names, _getattr_call


class DispatchMixin:
    """The `ShapeBuilder`'s dispatch and model-sized structure."""

    def _maybe_branch_dispatch(self, branch: Node, test: ir.Expr, bodies) -> None:
        """Inside a loop, branching on model output to call different functions is tool
        dispatch written out by hand (`if call.name == "search": search(**args)`)."""
        if not self.loops or not branch.tainted_test:
            return
        called = [_called_names(b) for b in bodies]
        non_empty = [c for c in called if c]
        if len(non_empty) >= 2 and len({frozenset(c) for c in non_empty}) >= 2:
            if any(
                isinstance(x, ir.Const) and isinstance(x.value, str) for x in ir.walk_expr(test)
            ):
                self.loops[-1].dispatch.append(
                    Dispatch(test.loc.line, True, "branches on a model-given name to call a tool")
                )

    def _model_sized(self, e: ir.Expr | None) -> bool:
        """The model decided how many items iterating `e` yields (a parsed plan, tool calls).
        Iterating a model call itself, or the stream it returned, reads the chunks of one
        answer: no collection of subtasks."""
        if e is None or not self.taint.expr(e) or self.taint.sized_by_developer(e):
            return False
        return not self._is_stream(e)

    def _is_stream(self, e: ir.Expr) -> bool:
        if isinstance(e, ir.Await):
            e = e.value
        if isinstance(e, ir.Name):
            e = self.assigned.get(e.id)
        if not isinstance(e, ir.Call):
            return False
        site = self.site_of(e)
        return site is not None and site.kind == "model"

    def _picks_by_model(self, e: ir.Expr) -> bool:
        """`routes[label]` or `routes.get(label)`: a developer's table indexed by model output."""
        if isinstance(e, ir.Subscript):
            return self.taint.expr(e.index) and not self.taint.expr(e.value)
        if isinstance(e, ir.Call) and isinstance(e.func, ir.Attr) and e.func.attr == "get":
            key = e.arg(0)
            return key is not None and self.taint.expr(key) and not self.taint.expr(e.func.value)
        return False

    def note_dispatch(self, c: ir.Call, targets: list, reaches_model: bool = True) -> None:
        """Record a call whose target was chosen by a runtime value, by whom, and whether
        what it picks makes model calls (a handler or prompt) or not (a plain tool)."""
        reason = ""
        key_tainted = False
        dynamic = [t for t in targets if getattr(t, "dynamic", False)]
        if dynamic:
            key = getattr(dynamic[0], "key", None)
            key_tainted = self.taint.expr(key) if key is not None else False
            reason = "calls a function looked up by a runtime key"
            self._note_param_key(key)
        elif _callable_from_model(c.func, self.taint):
            key_tainted = True
            reason = "calls a function chosen from model output"
        elif _getattr_call(c.func) is not None:
            key = _getattr_call(c.func)
            key_tainted = self.taint.expr(key)
            reason = "calls getattr(obj, name) with a runtime name"
            self._note_param_key(key)
        else:
            for p in self.dispatch_params(c):
                arg = c.arg(p if isinstance(p, int) else -1, p if isinstance(p, str) else None)
                if arg is not None and self.taint.expr(arg):
                    key_tainted = True
                    reason = "passes a model-given name to a function that dispatches on it"
                    break
                if isinstance(arg, ir.Name) and arg.id in self.param_names:
                    self.dispatch_on_params.add(arg.id)
        if reason and self.loops:
            self.loops[-1].dispatch.append(Dispatch(c.loc.line, key_tainted, reason))
        elif reason:
            self.top_dispatch.append(Dispatch(c.loc.line, key_tainted, reason, reaches_model))

    def _note_param_key(self, key: ir.Expr | None) -> None:
        if key is None:
            return
        for x in ir.walk_expr(key):
            if isinstance(x, ir.Name) and x.id in self.param_names:
                self.dispatch_on_params.add(x.id)
