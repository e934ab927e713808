"""The plain-data vocabulary of the knowledge base.

Everything here is a frozen dataclass of plain values (str, int, float, bool, None and
tuples of those), so specs pickle across worker processes and compare by value. Entry
modules (`analyzer.knowledge.entries.*`) build their tables out of these classes only;
the `KnowledgeBase` indexes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

#: A result type meaning "the same type as the receiver" (`llm.with_retry()` is still `llm`).
SELF = "<self>"

# --------------------------------------------------------------------------- arguments


@dataclass(frozen=True, slots=True)
class ArgIs:
    """A condition on one literal argument: positional `pos` or keyword `kw` equals `value`."""

    value: object
    pos: int | None = 0
    kw: str | None = None

    def holds(self, args: tuple[tuple[str | None, object], ...]) -> bool:
        positional = [v for k, v in args if k is None]
        if self.kw is not None:
            for k, v in args:
                if k == self.kw:
                    return v == self.value
        if self.pos is not None and self.pos < len(positional):
            return positional[self.pos] == self.value
        return False


# --------------------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class ResultRule:
    """Calling `callee` produces a value of `type` (when every `when` condition holds).

    `type` may be `SELF` (the receiver's type). Rules for one callee are tried in order; a
    rule with no conditions is the fallback.
    """

    callee: str
    type: str
    when: tuple[ArgIs, ...] = ()


@dataclass(frozen=True, slots=True)
class TypeDecl:
    """A type the analyzer can hold a value of.

    `same_as`: instances behave exactly like that type (AzureOpenAI -> OpenAI); the
    constructor's result is then `same_as`. `bases`: where methods not declared on this
    type are looked up. `is_async`: model calls on this type are coroutines.
    """

    name: str
    same_as: str | None = None
    bases: tuple[str, ...] = ()
    is_async: bool = False


@dataclass(frozen=True, slots=True)
class Family:
    """An open-ended set of classes (`pattern`, a glob: `*` within one dotted segment, `**`
    across segments) that all behave like the declared type `type`."""

    pattern: str
    type: str


@dataclass(frozen=True, slots=True)
class Compose:
    """A binary operator on framework values (LCEL `|`).

    If either operand's type has a model call for `probe`, the result is `model_result`;
    else if either operand is a `operand_base`, the result is `plain_result`.
    """

    op: str
    operand_base: str
    probe: str
    model_result: str
    plain_result: str


# --------------------------------------------------------------------------- model calls


@dataclass(frozen=True, slots=True)
class ModelCall:
    """Calling `callee` sends a request to a language model (kind "model") or runs a
    framework construct that does (kind "framework_run": agents, graphs, crews, chains).

    `api` is the short label shown to users (scheme in `analyzer.knowledge`). Tools offered
    to the model travel in the keyword(s) `tools_kw` (or positional `tools_pos`), or are
    bound to the receiver already (`tools_bound`: `llm.bind_tools(...)`, an agent object).
    `stream_kw`: a keyword that, when true, turns the call into a stream. `decorator`: the
    callee is a decorator and calling the decorated function is the model call.
    """

    callee: str
    api: str
    provider: str = ""
    framework: str = ""
    kind: str = "model"
    is_async: bool = False
    streaming: bool = False
    tools_kw: tuple[str, ...] = ()
    tools_pos: int | None = None
    tools_bound: bool = False
    stream_kw: str | None = None
    structured_kw: str | None = None
    decorator: bool = False
    note: str = ""
    fanout: bool = False  # runs its constructor's branches concurrently (RunnableParallel)

    @property
    def mode(self) -> str:
        """ "stream" | "async" | "sync" (a streaming call may also be async: see is_async)."""
        if self.streaming:
            return "stream"
        return "async" if self.is_async else "sync"


def model(path: str, api: str | None = None, **kw: object) -> ModelCall:
    """A model-call template whose `callee` is a method path relative to a receiver type."""
    return ModelCall(callee=path, api=api or "", **kw)  # type: ignore[arg-type]


def on(
    provider: str,
    sync: tuple[str, ...],
    asyncs: tuple[str, ...],
    templates: tuple[ModelCall, ...],
    role: str = "",
) -> tuple[ModelCall, ...]:
    """Expand templates over receiver types: `<type>.<path>` for each, async on `asyncs`.

    The label is `<provider>.<role>.<path>` (role omitted for clients) unless a template
    gives its own `api`.
    """
    out: list[ModelCall] = []
    prefix = f"{provider}.{role}." if role else f"{provider}."
    for types, is_async in ((sync, False), (asyncs, True)):
        for t in types:
            for m in templates:
                out.append(
                    replace(
                        m,
                        callee=f"{t}.{m.callee}",
                        api=m.api or prefix + m.callee,
                        provider=m.provider or provider,
                        is_async=m.is_async or is_async,
                    )
                )
    return tuple(out)


# --------------------------------------------------------------------------- constructs


@dataclass(frozen=True, slots=True)
class Bound:
    """A parameter that bounds a model-owned loop.

    `where`: "ctor" (an argument of the constructor), "run" (of the run call) or "config"
    (a key of the mapping/options object passed as `container`, e.g. LangGraph's
    `config={"recursion_limit": n}` or pydantic-ai's `usage_limits=UsageLimits(...)`).
    `default` applies when the argument is absent (None = no limit); `by_version` refines
    it per installed version of `package` (specs like "<=1.0.5", ">=1.0.6,<1.1.4").
    `unbounded_values`: literal values that switch the bound off.
    """

    param: str
    default: int | float | str | None
    where: str = "ctor"
    unit: str = "iterations"
    pos: int | None = None
    container: str | None = None
    unbounded_values: tuple[object, ...] = ()
    by_version: tuple[tuple[str, int | float | str | None], ...] = ()
    package: str = ""
    on_hit: str = ""
    extra_calls: int = 0  # model calls made after the limit is hit (smolagents' fallback answer)
    enforced: bool = False  # a finite default the library always applies (cannot be turned off)
    # False for a limit whose hit does not end the loop (agno tool_call_limit answers
    # further tool calls with an error and asks the model again): no stop condition
    ends_loop: bool = True
    # the limit applies only when one of these (argument, values) holds on the
    # constructor (agno Team max_iterations: mode=tasks only)
    only_when: tuple[tuple[str, tuple[object, ...]], ...] = ()

    def default_for(self, version: str | None) -> int | float | str | None:
        """The default for an installed `version` (the latest default when unknown)."""
        if version is None:
            return self.default
        for spec, value in self.by_version:
            if version_matches(version, spec):
                return value
        return self.default

    @property
    def nominal(self) -> bool:
        """A default so large it bounds only on paper (>= 1000), or none at all."""
        d = self.default
        return d is None or (isinstance(d, (int, float)) and d >= 1000)


@dataclass(frozen=True, slots=True)
class Construct:
    """An agent/graph/crew/team/runner constructor or framework run entry point.

    `agentic_params`: arguments that, when given and non-empty, make it a model-owned loop
    (tools, handoffs). `agentic`: a loop owned by the model whatever the arguments
    (create_react_agent, CodeAgent). `runs`: the parameter (and position) holding the
    construct being run (`Runner.run(starting_agent, ...)`). `decorator`: used as a
    decorator (`@entrypoint`, `@step`, `@start`); `decorates_into`: the type a decorated
    function becomes (`@entrypoint` -> a Pregel graph whose `.invoke` is a framework run).
    """

    callee: str
    kind: str
    framework: str = ""
    agentic_params: tuple[str, ...] = ()
    agentic: bool = False
    # agentic params that hand the conversation to another agent (openai-agents
    # `handoffs`): handing off only to agents with no tools and no handoffs is routing
    handoff_params: tuple[str, ...] = ()
    # only when one of these (argument, accepted values) holds are handoff_params handoffs
    # (agno Team members are handed the request only in mode=route / respond_directly)
    handoff_when: tuple[tuple[str, tuple[object, ...]], ...] = ()
    # a function given in these params hands off when it returns an agent of the same
    # construct (swarm: a tool whose result is an `Agent` switches the active agent)
    handoff_by_return: tuple[str, ...] = ()
    # arguments holding project functions a run of this construct calls (tools,
    # guardrails); empty means its agentic params other than handoffs
    calls_params: tuple[str, ...] = ()
    # of those, the ones the framework runs concurrently with the model's first turn
    # (openai-agents input guardrails, `run_in_parallel=True` by default)
    parallel_params: tuple[str, ...] = ()
    # the argument holding the construct this one runs (an ADK Runner runs `agent=`):
    # the run takes that construct's pattern, tools and bounds when it can be read
    delegates: str = ""
    # a workflow built from child constructs: the argument holding them ("*" for the
    # positional ones) and how they run, "sequence" or "parallel"
    children: str = ""
    children_mode: str = ""
    bounds: tuple[Bound, ...] = ()
    default_bound_note: str = ""
    runs: tuple[str, int | None] | None = None
    decorator: bool = False
    decorates_into: str | None = None
    note: str = ""
    # the workflow pattern running this construct implements (RouterQueryEngine: routing)
    pattern: str = ""
    # model calls one run makes: `fixed_calls`, or one per item of the list argument
    # `count_arg` (name, position), or bound x `calls_per_round` + `extra_calls`
    fixed_calls: int | None = None
    count_arg: tuple[str, int] | None = None
    calls_per_round: int = 1
    extra_calls: int = 0


# --------------------------------------------------------------------------- retries


@dataclass(frozen=True, slots=True)
class RetrySpec:
    """A retry construct or retry-limiting object.

    kind: "decorator" (tenacity.retry, backoff.on_exception), "loop" (tenacity.Retrying),
    "stop" (a stop condition object: stop_after_attempt), "client" (an SDK client's
    max_retries), "method" (Runnable.with_retry), "settings", "call" (a per-call argument).
    A construct is bounded when one of `limit_params` (or positional `limit_pos`) is given
    with a value not in `unbounded_values`, or when `stop_param` holds a bounded stop; with
    nothing given it retries `default_limit` times (None = forever).
    """

    callee: str
    library: str
    kind: str
    limit_params: tuple[str, ...] = ()
    limit_pos: int | None = None
    stop_param: str | None = None
    default_limit: int | float | None = None
    limit_unit: str = "attempts"
    unbounded_values: tuple[object, ...] = ()
    forms: tuple[str, ...] = ("call",)
    note: str = ""

    @property
    def bounded_by_default(self) -> bool:
        return self.default_limit is not None


# --------------------------------------------------------------------------- tracing


@dataclass(frozen=True, slots=True)
class TracingSpec:
    """A construct that makes LLM calls and tool dispatches observable (or switches that off).

    kind: "log" (a log call), "config" (logging/tracer configuration), "span" (a span),
    "decorator", "instrument" (patches SDKs process-wide), "wrapper" (wraps one client),
    "import" (a drop-in module whose import instruments), "callback" (a framework tracer
    handler), "switch" (turns a framework's built-in tracing on/off), "client" (an API
    client that alone traces nothing: `counts` False).
    scope: "local" covers the code around/inside it, "global" the whole process once run.
    forms: how it is used: "call", "context" (with-statement), "decorator", "import".
    A switch disables when `disables_when` holds and enables when `enables_when` holds.
    """

    callee: str
    library: str
    kind: str
    scope: str = "local"
    forms: tuple[str, ...] = ("call",)
    counts: bool = True
    disables_when: tuple[ArgIs, ...] = ()
    enables_when: tuple[ArgIs, ...] = ()
    framework: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class EnvSwitch:
    """An environment variable that turns a framework's tracing on (`enables`) or off."""

    var: str
    library: str
    enables: bool
    truthy: tuple[str, ...] = ("true", "1", "yes")
    frameworks: tuple[str, ...] = ()


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True, slots=True)
class Entry:
    """Everything known about one SDK or framework. `key` names its fixture directory.

    `roots`: top-level import names (globs allowed: `langchain_*`). `modules`: dotted
    module prefixes that are this entry's (for roots shared with others, like `google`).
    `aliases`: (alternative prefix, canonical prefix) pairs; `alias_patterns`: (regex,
    replacement) pairs for open-ended re-export paths.
    """

    key: str
    title: str
    roots: tuple[str, ...]
    modules: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    alias_patterns: tuple[tuple[str, str], ...] = ()
    types: tuple[TypeDecl, ...] = ()
    families: tuple[Family, ...] = ()
    attributes: tuple[tuple[str, str, str], ...] = ()
    results: tuple[ResultRule, ...] = ()
    compose: tuple[Compose, ...] = ()
    model_calls: tuple[ModelCall, ...] = ()
    not_model_calls: tuple[str, ...] = ()
    constructs: tuple[Construct, ...] = ()
    retries: tuple[RetrySpec, ...] = ()
    tracing: tuple[TracingSpec, ...] = ()
    env: tuple[EnvSwitch, ...] = ()
    default_tracing: bool = False
    passthrough: tuple[tuple[str, int], ...] = ()
    packages: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- versions


def _vtuple(v: str) -> tuple[int, ...]:
    out: list[int] = []
    for part in v.strip().split("."):
        digits = ""
        for ch in part:
            if not ch.isdigit():
                break
            digits += ch
        out.append(int(digits or 0))
        if len(digits) < len(part):
            break
    while len(out) < 3:
        out.append(0)
    return tuple(out)


def version_matches(version: str, spec: str) -> bool:
    """True when `version` satisfies every comma-separated clause of `spec` (`<=1.0.5`)."""
    v = _vtuple(version)
    for clause in spec.split(","):
        clause = clause.strip()
        for op in ("<=", ">=", "==", "!=", "<", ">"):
            if clause.startswith(op):
                w = _vtuple(clause[len(op) :])
                ok = {
                    "<=": v <= w,
                    ">=": v >= w,
                    "==": v == w,
                    "!=": v != w,
                    "<": v < w,
                    ">": v > w,
                }[op]
                if not ok:
                    return False
                break
        else:
            if clause and v != _vtuple(clause):
                return False
    return True
