"""The indexed knowledge base: fast lookups over the entries' plain data.

Lookups take canonical or alternative qualified names. Each name is canonicalised
(aliases), split into a receiver type and a method path (the longest prefix that is a
declared type or a member of a family), attribute hops are folded (`Client.models` ->
`Models`), and the method is looked up on the type and then on its bases. Exact dict
lookups do all the work; family globs are one precompiled regex tried only when a prefix
is not a declared type. Results are memoised per instance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from analyzer.knowledge.spec import (
    SELF,
    Construct,
    Entry,
    EnvSwitch,
    ModelCall,
    ResultRule,
    RetrySpec,
    TracingSpec,
)


def glob_to_regex(pattern: str) -> str:
    """`*` matches within one dotted segment, `**` across segments."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^.]*")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


class _Table:
    """A spec table: exact keys first, then glob keys (one precompiled regex) as fallback."""

    def __init__(self) -> None:
        self.exact: dict[str, object] = {}
        self.globs: list[tuple[str, object]] = []
        self._rx: re.Pattern[str] | None = None

    def add(self, key: str, value: object) -> None:
        if "*" in key:
            self.globs.append((key, value))
        else:
            self.exact[key] = value

    def freeze(self) -> None:
        if self.globs:
            self._rx = re.compile(
                "|".join(f"(?P<g{i}>{glob_to_regex(k)})" for i, (k, _) in enumerate(self.globs))
            )

    def get(self, key: str) -> object | None:
        hit = self.exact.get(key)
        if hit is None and self._rx is not None:
            m = self._rx.fullmatch(key)
            if m is not None and m.lastgroup is not None:
                hit = self.globs[int(m.lastgroup[1:])][1]
        return hit

    def values(self) -> list[object]:
        return [*self.exact.values(), *(v for _, v in self.globs)]


class KnowledgeBase:
    """What archlint knows about SDKs and frameworks; built from `Entry` data."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._by_key = {e.key: e for e in self.entries}
        self._roots: set[str] = set()
        root_globs: list[str] = []
        self._modules: list[str] = []
        self._aliases: dict[str, str] = {}
        alias_patterns: list[tuple[str, str]] = []
        self._types: dict[str, str] = {}
        self._bases: dict[str, tuple[str, ...]] = {}
        self._async_types: set[str] = set()
        families: list[tuple[str, str]] = []
        self._attrs: dict[tuple[str, str], str] = {}
        self._results: dict[str, list[ResultRule]] = {}
        self._compose = []
        self._calls = _Table()
        self._not_calls = _Table()
        self._constructs = _Table()
        self._retries = _Table()
        self._tracing = _Table()
        self._env: dict[str, EnvSwitch] = {}
        self._default_tracing: dict[str, bool] = {}
        self._entry_of: dict[str, str] = {}
        self._passthrough: dict[str, int] = {}
        self._split_roots: set[str] = set()

        for e in self.entries:
            self._default_tracing[e.key] = e.default_tracing
            for r in e.roots:
                if "*" in r:
                    root_globs.append(r)
                else:
                    self._roots.add(r)
            self._modules += list(e.modules or e.roots)
            self._aliases.update(dict(e.aliases))
            alias_patterns += list(e.alias_patterns)
            for t in e.types:
                self._types[t.name] = t.same_as or t.name
                if t.bases:
                    self._bases[t.name] = t.bases
                if t.is_async:
                    self._async_types.add(t.name)
                self._entry_of[t.name] = e.key
            families += [(f.pattern, f.type) for f in e.families]
            for t, a, r in e.attributes:
                self._attrs[(t, a)] = r
            for rr in e.results:
                self._results.setdefault(rr.callee, []).append(rr)
            self._compose += list(e.compose)
            for m in e.model_calls:
                self._calls.add(
                    m.callee,
                    (
                        m
                        if m.framework
                        else replace(m, framework=e.key, provider=m.provider or e.key)
                    ),
                )
            for n in e.not_model_calls:
                self._not_calls.add(n, True)
            for c in e.constructs:
                self._constructs.add(c.callee, c if c.framework else _with_fw(c, e.key))
            for r in e.retries:
                self._retries.add(r.callee, r)
            for s in e.tracing:
                self._tracing.add(s.callee, s if s.framework else _with_fw(s, e.key))
            self._passthrough.update(dict(e.passthrough))
            for v in e.env:
                self._env[v.var] = v

        for t in (self._calls, self._not_calls, self._constructs, self._retries, self._tracing):
            t.freeze()
        for e in self.entries:
            self._split_roots.update(m.split(".")[0] for m in e.modules if "*" not in m)
        self._split_roots.update(self._roots)
        self._split_roots.update(n.split(".")[0] for n in self._types)
        self._root_re = re.compile("|".join(glob_to_regex(g) for g in root_globs) or r"(?!)")
        self._alias_res = [(re.compile(p), r) for p, r in alias_patterns]
        self._family_types = [t for _, t in families]
        self._family_re = (
            re.compile(
                "|".join(f"(?P<f{i}>{glob_to_regex(p)})" for i, (p, _) in enumerate(families))
            )
            if families
            else None
        )
        self._memo: dict[tuple[str, str], object] = {}
        self._owners: list[tuple[int, Entry, re.Pattern[str]]] | None = None
        self._entry_for: dict[str, Entry | None] = {}

    # ------------------------------------------------------------------ names

    def canonical(self, qualname: str) -> str:
        """Map an alternative import path to the canonical one (longest alias prefix wins)."""
        key = ("c", qualname)
        hit = self._memo.get(key)
        if hit is not None:
            return hit  # type: ignore[return-value]
        q = qualname
        for _ in range(4):
            before = q
            parts = q.split(".")
            for i in range(len(parts), 0, -1):
                target = self._aliases.get(".".join(parts[:i]))
                if target is not None:
                    q = ".".join([target, *parts[i:]]) if i < len(parts) else target
                    break
            for rx, repl in self._alias_res:
                q = rx.sub(repl, q, count=1) if rx.match(q) else q
            if q == before:
                break
        self._memo[key] = q
        return q

    def is_external_root(self, top_level_module: str) -> bool:
        """A known SDK/framework import root (`openai`, `langchain_openai`, `google`...)."""
        return top_level_module in self._roots or bool(self._root_re.fullmatch(top_level_module))

    def is_external_module(self, module: str) -> bool:
        """A dotted module that belongs to a known entry (`google.genai`, not `google.cloud`)."""
        m = self.canonical(module)
        return any(m == p or m.startswith(p + ".") for p in self._modules) or (
            "." not in m and self.is_external_root(m) and m != "google"
        )

    def entry(self, key: str) -> Entry | None:
        return self._by_key.get(key)

    # ------------------------------------------------------------------ types

    def _family(self, name: str) -> str | None:
        if self._family_re is None:
            return None
        m = self._family_re.fullmatch(name)
        if m is None or m.lastgroup is None:
            return None
        return self._family_types[int(m.lastgroup[1:])]

    def _type_of(self, name: str) -> str | None:
        t = self._types.get(name)
        return t if t is not None else self._family(name)

    def _mro(self, t: str) -> list[str]:
        out, todo = [], [t]
        while todo:
            cur = todo.pop(0)
            if cur in out:
                continue
            out.append(cur)
            todo += list(self._bases.get(cur, ()))
        return out

    def _split(self, qualname: str) -> tuple[str | None, tuple[str, ...], str]:
        """(receiver type or None, remaining path, canonical name)."""
        key = ("s", qualname)
        hit = self._memo.get(key)
        if hit is not None:
            return hit  # type: ignore[return-value]
        q = self.canonical(qualname)
        parts = q.split(".")
        out: tuple[str | None, tuple[str, ...], str] = (None, tuple(parts), q)
        if parts[0] in self._split_roots or self._root_re.fullmatch(parts[0]):
            for i in range(len(parts), 0, -1):
                t = self._type_of(".".join(parts[:i]))
                if t is None:
                    continue
                rest = parts[i:]
                while rest:
                    nxt = self._attr_hop(t, rest[0])
                    if nxt is None:
                        break
                    t, rest = nxt, rest[1:]
                out = (t, tuple(rest), q)
                break
        self._memo[key] = out
        return out

    def _attr_hop(self, t: str, attr: str) -> str | None:
        for b in self._mro(t):
            r = self._attrs.get((b, attr))
            if r is not None:
                return r
        return None

    def _keys(self, qualname: str) -> list[str]:
        """Lookup keys for a callee, most specific first (the type, then its bases)."""
        t, rest, q = self._split(qualname)
        if t is None:
            return [q]
        if not rest:
            return [t, q] if t != q else [t]
        tail = ".".join(rest)
        return [f"{b}.{tail}" for b in self._mro(t)] + ([q] if q.count(".") else [])

    def _lookup(self, table: _Table, kind: str, qualname: str):
        key = (kind, qualname)
        if key in self._memo:
            return self._memo[key]
        found = table.get(qualname)
        for k in () if found is not None else self._keys(qualname):
            found = table.get(k)
            if found is not None:
                break
        self._memo[key] = found
        return found

    def type_of(self, qualname: str) -> str | None:
        """The declared type (or family type) a class or attribute path denotes, if known."""
        t, rest, _ = self._split(qualname)
        return t if t is not None and not rest else None

    def is_async_type(self, type_: str) -> bool:
        t = self.type_of(type_)
        return t is not None and any(b in self._async_types for b in self._mro(t))

    def result_type(
        self, callee: str, args: Sequence[tuple[str | None, object]] = ()
    ) -> str | None:
        """The type of the value produced by calling external `callee` (None if unknown).

        `args` are (keyword or None, literal value or None) pairs in call order.
        """
        a = tuple(args)
        q = self.canonical(callee)
        for k in self._keys(callee):
            for rule in self._results.get(k, ()):
                if all(c.holds(a) for c in rule.when):
                    if rule.type == SELF:
                        return q.rsplit(".", 1)[0] if "." in q else None
                    return rule.type
        t, rest, _ = self._split(callee)
        if t is not None and not rest:
            # A constructor: the declared equivalent type, else the class itself.
            return self._types.get(q, q)
        return None

    def attribute_type(self, type_: str, attr: str) -> str | None:
        """The type of `value.attr` for a value of `type_` (`Client.models` -> `Models`)."""
        t = self.type_of(type_)
        return None if t is None else self._attr_hop(t, attr)

    def compose_type(self, op: str, left: str | None, right: str | None) -> str | None:
        """The type of `left <op> right` (LCEL: `prompt | llm | parser`)."""
        for rule in self._compose:
            if rule.op != op:
                continue
            sides = [s for s in (left, right) if s is not None]
            if any(self.model_call(f"{s}.{rule.probe}") is not None for s in sides):
                return rule.model_result
            if any(self.isa(s, rule.operand_base) for s in sides):
                return rule.plain_result
        return None

    def isa(self, type_: str, base: str) -> bool:
        t = self.type_of(type_)
        return t is not None and base in self._mro(t)

    # ------------------------------------------------------------------ specs

    def model_call(self, callee: str) -> ModelCall | None:
        """The spec when calling `callee` sends a request to a model (or runs a framework)."""
        return self._lookup(self._calls, "m", callee)

    def is_known_non_model_call(self, callee: str) -> bool:
        """Declared as looking like an LLM call but not one (embeddings, list models...)."""
        return self._lookup(self._not_calls, "n", callee) is True

    def construct(self, callee: str) -> Construct | None:
        return self._lookup(self._constructs, "k", callee)

    def retry(self, callee: str) -> RetrySpec | None:
        return self._lookup(self._retries, "r", callee)

    def tracing(self, callee: str) -> TracingSpec | None:
        """Tracing spec for a call, decorator, context manager or imported module name."""
        return self._lookup(self._tracing, "t", callee)

    def passthrough_arg(self, callee: str) -> int | None:
        """For wrappers (`wrap_openai(client)`): the index of the argument whose type the
        result keeps; the analyzer gives the call's value that argument's type."""
        for k in self._keys(callee):
            if k in self._passthrough:
                return self._passthrough[k]
        return None

    def env_switch(self, var: str) -> EnvSwitch | None:
        return self._env.get(var)

    def framework_default_tracing(self, framework: str) -> bool:
        """True when the framework traces every run unless switched off (openai-agents)."""
        return self._default_tracing.get(framework, False)

    def entry_for(self, qualname: str) -> Entry | None:
        """The entry that owns a qualified name (by module prefix)."""
        q = self.canonical(qualname)
        if q in self._entry_for:
            return self._entry_for[q]
        if self._owners is None:  # each entry's module patterns, compiled once
            self._owners = [
                (len(m), e, re.compile(rf"{glob_to_regex(m)}(\.|$)"))
                for e in self.entries
                for m in e.modules or e.roots
            ]
        best: tuple[int, Entry] | None = None
        for size, e, rx in self._owners:
            if rx.match(q) and (best is None or size > best[0]):
                best = (size, e)
        found = None if best is None else best[1]
        self._entry_for[q] = found
        return found

    # all declared specs, for tests and docs
    def all_model_calls(self) -> tuple[ModelCall, ...]:
        return tuple(self._calls.values())  # type: ignore[arg-type]

    def all_constructs(self) -> tuple[Construct, ...]:
        return tuple(self._constructs.values())  # type: ignore[arg-type]


def _with_fw(spec, key: str):
    return replace(spec, framework=key)
