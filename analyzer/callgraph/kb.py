"""A thin, failure-proof view of the knowledge base for the call graph.

`analyzer.knowledge` is optional here: when it is absent, fails to load, or answers None,
the call graph falls back to naming external values by their qualified path (calling `X`
yields an `X`, attributes extend the name).
"""

from __future__ import annotations

from typing import Any


class Knowledge:
    """Answers the four questions the call graph asks, never raising."""

    def __init__(self, kb: Any | None = None) -> None:
        if kb is None:
            try:
                from analyzer.knowledge import load_knowledge  # type: ignore[import-not-found]

                kb = load_knowledge()
            except Exception:  # absent or broken: degrade to path naming
                kb = None
        self.kb = kb
        self._canonical: dict[str, str] = {}

    def canonical(self, qualname: str) -> str:
        hit = self._canonical.get(qualname)
        if hit is not None:
            return hit
        out = qualname
        if self.kb is not None:
            try:
                got = self.kb.canonical(qualname)
                if isinstance(got, str) and got:
                    out = got
            except Exception:
                pass
        self._canonical[qualname] = out
        return out

    def result_type(self, callee: str, args: Any) -> str | None:
        return self._ask("result_type", callee, args)

    def attribute_type(self, type_: str, attr: str) -> str | None:
        return self._ask("attribute_type", type_, attr)

    def compose_type(self, op: str, left: str, right: str) -> str | None:
        return self._ask("compose_type", op, left, right)

    def passthrough_arg(self, callee: str) -> int | None:
        """Wrappers whose result keeps an argument's type (`wrap_openai(client)`)."""
        if self.kb is None:
            return None
        try:
            got = self.kb.passthrough_arg(callee)
        except Exception:
            return None
        return got if isinstance(got, int) else None

    def _ask(self, method: str, *args: Any) -> str | None:
        if self.kb is None:
            return None
        try:
            got = getattr(self.kb, method)(*args)
        except Exception:
            return None
        return got if isinstance(got, str) and got else None
