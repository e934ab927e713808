"""What every part of the call-graph engine shares: its options, the flow-insensitive
`State` (with who read what, for the worklist), the `Frame` of one run of a scope body, the
record of one edge, and the location helpers that key values by where they were made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from analyzer import ir
from analyzer.callgraph import values as V

EMPTY = V.EMPTY


@dataclass
class Options:
    max_rounds: int = 40  # fixpoint rounds over dirty scopes
    max_values: int = 64  # values kept per set
    loop_depth: int = 3  # loops nested deeper than this run their body once


class State:
    """Flow-insensitive sets shared by all scopes, with who-read-what for the worklist."""

    def __init__(self, cap: int) -> None:
        self.data: dict[tuple, frozenset] = {}
        self.deps: dict[tuple, set[str]] = {}
        self.dirty: set[str] = set()
        self.current: str | None = None
        self.cap = cap
        self.base_version = 0

    def get(self, key: tuple) -> frozenset:
        if self.current is not None:
            deps = self.deps.get(key)
            if deps is None:
                self.deps[key] = {self.current}
            else:
                deps.add(self.current)
        return self.data.get(key, EMPTY)

    def peek(self, key: tuple) -> frozenset:
        return self.data.get(key, EMPTY)

    def add(self, key: tuple, vals: Iterable) -> bool:
        old = self.data.get(key, EMPTY)
        vals = vals if isinstance(vals, frozenset) else frozenset(vals)
        if not vals or vals <= old:
            return False
        new = vals - old
        if len(old) + len(new) > self.cap:
            room = self.cap - len(old)
            if room <= 0:
                return False
            new = frozenset(sorted(new, key=V.sort_key)[:room])
        self.data[key] = old | new
        deps = self.deps.get(key)
        if deps:
            self.dirty |= deps
        if key[0] == "base":
            self.base_version += 1
        return True


@dataclass
class Frame:
    """One run of one scope body."""

    node: str
    facts: ir.ModuleFacts
    scope: ir.Scope
    skey: str  # where this scope's names are summarised
    env: dict[str, frozenset] = field(default_factory=dict)
    dyn: dict[str, ir.Expr] = field(default_factory=dict)  # names bound by runtime lookup
    fid: str | None = None  # function/lambda node id
    cls: str | None = None  # class node id when this is a method
    self_param: str | None = None
    depth: int = 0
    via: str | None = None  # override for calls evaluated as task/executor arguments


@dataclass
class EdgeInfo:
    sites: set = field(default_factory=set)
    vias: set = field(default_factory=set)
    dynamic: bool = False
    forward: bool = False  # a forwarding wrapper's call of the function it wraps


def _loc(e: ir.Expr | None) -> ir.Loc | None:
    return getattr(e, "loc", None)


def _locstr(e: ir.Expr) -> str:
    loc = getattr(e, "loc", ir.NOLOC)
    return f"{loc.line}:{loc.col}"
