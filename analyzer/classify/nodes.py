"""The shape tree: `Node`s holding model-reaching call sites (`Site`), loop exits (`Exit`) and
tool dispatch (`Dispatch`), and the SDK response fields that say why a model stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer import ir

# Response fields with which SDKs say why the model stopped (an SDK's API, not a project name).
STOP_FIELDS = frozenset({"stop_reason", "finish_reason", "tool_calls", "function_call"})


@dataclass
class Site:
    call: ir.Call
    kind: str  # "model" | "unit"
    api: str = ""
    model_kind: str = ""  # "model" | "framework_run"
    callee: str = ""  # the canonical external name, for model sites
    units: tuple[str, ...] = ()
    args_tainted: bool = False
    tools_offered: bool = False
    in_fanout: bool = False
    fanout_via_callback: bool = False
    selected_by_model: int = 0  # line where model output picked the prompt/handler it uses
    is_async: bool = False  # calling it makes a coroutine that runs when awaited or gathered
    fanout: bool = False  # a framework run of concurrent branches (RunnableParallel)
    ctor: ir.Call | None = None  # for framework runs: the call that built what is run
    path: str = ""  # the file of the call
    ctor_path: str = ""  # the file of `ctor` when another module built it (else `path`)
    ctor_tools: bool = False  # tools were attached to that object by decorators
    hands_off: bool = False  # the agent run can hand the conversation to other agents

    @property
    def line(self) -> int:
        return self.call.loc.line

    @property
    def ctor_file(self) -> str:
        """The file whose call ids `ctor` uses."""
        return self.ctor_path or self.path


@dataclass
class Exit:
    kind: str  # "break" | "return" | "raise"
    line: int
    tainted: bool  # guarded by a condition on model output
    counter: bool  # guarded by a comparison of a counter or a clock
    stop_field: bool  # the guard reads an SDK stop field (stop_reason, tool_calls, ...)
    in_try_body: bool = False
    in_handler: bool = False
    guards: tuple[ir.Expr, ...] = ()  # the conditions under which the exit is taken
    checked: bool = False  # decided by the developer's own check of model output


@dataclass
class Dispatch:
    line: int
    key_tainted: bool
    reason: str
    reaches_model: bool = True  # what it picks makes model calls (not a plain tool)


@dataclass
class Node:
    kind: str  # "seq" | "site" | "loop" | "branch" | "fan" | "try"
    loc: ir.Loc = ir.NOLOC
    children: list[Node] = field(default_factory=list)
    site: Site | None = None
    # loops
    loop_kind: str = ""  # "for" | "while" | "comp"
    iterable: ir.Expr | None = None
    loop_target: ir.Expr | None = None
    tainted_iter: bool = False
    infinite: bool = False
    exits: list[Exit] = field(default_factory=list)
    dispatch: list[Dispatch] = field(default_factory=list)
    counters: set[str] = field(default_factory=set)
    while_test: ir.Expr | None = None
    test_tainted: bool = False
    test_counter: bool = False
    stop_field_read: bool = False
    optional_limit: bool = False  # a counter limit that is None on some path
    changed: set[str] = field(default_factory=set)  # names rebound or mutated in the body
    retry_try: bool = False  # a try around a site whose handler goes round again
    interactive: bool = False  # each round waits for a person (`input()`): judged per turn
    # branches
    tainted_test: bool = False
    has_default: bool = False
    arm_calls: int = 0
    # fan-out
    fan_api: str = ""

    def loops(self) -> list[Node]:
        """Every loop node in this tree (this node included), outermost first."""
        out: list[Node] = []
        stack = [self]
        while stack:
            n = stack.pop()
            if n.kind == "loop":
                out.append(n)
            stack.extend(reversed(n.children))
        return out

    def sites(self) -> list[Site]:
        out: list[Site] = []
        stack = [self]
        while stack:
            n = stack.pop()
            if n.site is not None:
                out.append(n.site)
            stack.extend(reversed(n.children))
        return out


def _prune(seq: Node) -> Node | None:
    if not seq.children:
        return None
    if len(seq.children) == 1 and seq.kind == "seq":
        return seq.children[0]
    return seq


def _is_counter_truthiness(test: ir.Expr, loop: Node) -> bool:
    """`while remaining:` where `remaining -= 1` in the body."""
    names = {ir.dotted(x) for x in ir.walk_expr(test) if isinstance(x, (ir.Name, ir.Attr))}
    return bool(names & loop.counters) and not any(
        isinstance(x, ir.Compare) for x in ir.walk_expr(test)
    )


def is_attempt_loop(loop: Node) -> bool:
    """A loop that can only repeat the same work (`while`, `for _ in range(n)`), not one
    over data, where an except that carries on skips an item rather than retrying it."""
    if loop.loop_kind == "while":
        return True
    it = loop.iterable
    if isinstance(it, ir.Call):
        name = (ir.dotted(it.func) or "").rsplit(".", 1)[-1]
        return name in ("range", "count", "repeat", "Retrying", "AsyncRetrying")
    return False
