"""Retries: a unit's retry facts from retry calls and decorators, SDK clients' own retries,
and backoff decorators used bare.
"""

from __future__ import annotations

from dataclasses import replace

from analyzer import ir
from analyzer.classify.bound import loop_bounded
from analyzer.classify.decide import is_rerequest
from analyzer.classify.flags import RetryFact, loop_retry_fact, retry_fact
from analyzer.classify.names import imported_name, short_name


class RetriesMixin:
    """The `Classifier`'s retry facts."""

    def _retry_calls(self, facts, exprs, *, wraps_unit: bool) -> list[RetryFact]:
        out: list[RetryFact] = []
        for e in exprs:
            for x in ir.walk_expr(e):
                if not isinstance(x, ir.Call):
                    continue
                for ext in self.idx.externals(facts.path, x.cid):
                    spec = self.kb.retry(ext)
                    if spec is None or spec.kind in ("stop", "stop_any", "stop_all"):
                        continue
                    fact = retry_fact(
                        x, spec, lambda c: self.idx.externals(facts.path, c.cid), self.kb
                    )
                    if fact is not None:
                        out.append(
                            replace(fact, wraps_unit=wraps_unit and spec.kind == "decorator")
                        )
                    break
        return out

    def _client_retries(self, facts: ir.ModuleFacts) -> list[RetryFact]:
        """Clients built with an explicit `max_retries` anywhere in a module (module level
        or in `__init__`) retry every model call made through that module's clients."""
        if facts.path not in self._client_retry_cache:
            found = []
            for scope in facts.scopes:
                for f in self._retry_calls(facts, list(ir.scope_calls(scope)), wraps_unit=False):
                    found.append(f)
            self._client_retry_cache[facts.path] = [
                f for f in found if "max_retries" in f.evidence or "num_retries" in f.evidence
            ]
        return self._client_retry_cache[facts.path]

    def _bare_retry_decorators(self, facts, scope) -> list[RetryFact]:
        """`@retry` without parentheses: tenacity's defaults, which retry forever."""
        out = []
        for d in scope.decorators:
            if isinstance(d, ir.Call):
                continue
            name = imported_name(facts, d)
            spec = self.kb.retry(name) if name else None
            if spec is not None and spec.kind == "decorator":
                limit = spec.default_limit
                status = "unbounded" if limit is None else "bounded"
                why = "retries forever" if limit is None else f"stops after {limit:g}"
                out.append(
                    RetryFact(
                        d.loc.line,
                        status,
                        f"@{short_name(name)} without arguments {why} (line {d.loc.line})",
                        wraps_unit=True,
                    )
                )
        return out

    def _retries(self, node, facts, scope, root, resolver) -> list[RetryFact]:
        out = self._retry_calls(facts, list(scope.decorators), wraps_unit=True)
        out += self._bare_retry_decorators(facts, scope)
        out += self._retry_calls(facts, list(ir.scope_calls(scope)), wraps_unit=False)
        if root is not None and any(s.kind == "model" for s in root.sites()):
            out += [f for f in self._client_retries(facts) if f not in out]
        for loop in root.loops() if root is not None else []:
            if loop.interactive:
                continue  # a failed turn waits for new input: nothing is sent again
            if is_rerequest(loop) or (
                loop.retry_try and not any(e.tainted for e in loop.exits) and not loop.test_tainted
            ):
                bounded, evidence, _, _ = loop_bounded(loop, resolver)
                out.append(loop_retry_fact(loop, bounded, evidence))
        return out
