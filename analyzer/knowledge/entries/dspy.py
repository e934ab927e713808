"""DSPy: dspy.LM, modules called as functions (Predict, ChainOfThought, ReAct, ...),
Refine/BestOfN, Parallel.

Read in dspy 3.3.1 (stanfordnlp/dspy @ 4ed377ee):
- `dspy/predict/react.py`: `ReAct(signature, tools, max_iters: int = 20)` (its docstring
  says 10; the signature's 20 is what runs); `react_v2.py` ReActV2 `max_iters=20`.
- `dspy/predict/code_act.py`: `CodeAct(..., max_iters: int = 5)`;
  `program_of_thought.py`: `max_iters: int = 3`; `rlm.py`: `RLM(..., max_iters=20,
  max_llm_calls=50)`.
- `dspy/predict/refine.py` `Refine(module, N, reward_fn, threshold, fail_count=None)` and
  `best_of_n.py` `BestOfN(module, N, reward_fn, threshold)`: N runs of the module, N
  required (no default); Refine feeds the reward's feedback into the next attempt.
- `dspy/primitives/module.py`: `Module.__call__` / `acall` run `forward`; `batch(...)`.
- `dspy/clients/lm.py`: `LM(model, ..., num_retries: int = 3)`; `LM.__call__`/`acall`
  (via litellm).
"""

from analyzer.knowledge.spec import Bound, Construct, Entry, RetrySpec, TypeDecl, model, on

_PRED = "dspy.Predict"


def _module(type_: str, role: str, agentic: bool = False) -> tuple:
    kw = {"kind": "framework_run", "tools_bound": True} if agentic else {}
    return on(
        "dspy",
        (type_,),
        (),
        (
            model("__call__", api=f"dspy.{role}", **kw),
            model("acall", is_async=True, **kw),
            model("forward", **kw),
            model("aforward", is_async=True, **kw),
            model("batch", **kw),
        ),
        role=role,
    )


ENTRY = Entry(
    key="dspy",
    title="DSPy",
    roots=("dspy",),
    packages=("dspy", "dspy-ai"),
    aliases=(
        ("dspy.clients.lm.LM", "dspy.LM"),
        ("dspy.clients.LM", "dspy.LM"),
        ("dspy.predict.predict.Predict", _PRED),
        ("dspy.predict.chain_of_thought.ChainOfThought", "dspy.ChainOfThought"),
        ("dspy.predict.react.ReAct", "dspy.ReAct"),
        ("dspy.predict.refine.Refine", "dspy.Refine"),
        ("dspy.predict.best_of_n.BestOfN", "dspy.BestOfN"),
        ("dspy.predict.code_act.CodeAct", "dspy.CodeAct"),
        ("dspy.predict.program_of_thought.ProgramOfThought", "dspy.ProgramOfThought"),
        ("dspy.predict.parallel.Parallel", "dspy.Parallel"),
        ("dspy.OpenAI", "dspy.LM"),  # dspy < 2.5 client classes (dsp.GPT3 etc.)
    ),
    types=(
        TypeDecl("dspy.LM"),
        TypeDecl(_PRED),
        TypeDecl("dspy.ChainOfThought"),
        TypeDecl("dspy.ReAct"),
        TypeDecl("dspy.ReActV2"),
        TypeDecl("dspy.CodeAct"),
        TypeDecl("dspy.ProgramOfThought"),
        TypeDecl("dspy.RLM"),
        TypeDecl("dspy.Refine"),
        TypeDecl("dspy.BestOfN"),
        TypeDecl("dspy.MultiChainComparison"),
        TypeDecl("dspy.Parallel"),
    ),
    model_calls=on(
        "dspy",
        ("dspy.LM",),
        (),
        (
            model("__call__", api="dspy.lm"),
            model("acall", is_async=True),
            model("forward"),
            model("aforward", is_async=True),
        ),
        role="lm",
    )
    + _module(_PRED, "predict")
    + _module("dspy.ChainOfThought", "chain_of_thought")
    + _module("dspy.MultiChainComparison", "multi_chain_comparison")
    + _module("dspy.ReAct", "react", agentic=True)
    + _module("dspy.ReActV2", "react", agentic=True)
    + _module("dspy.CodeAct", "code_act", agentic=True)
    + on(
        "dspy",
        ("dspy.ProgramOfThought", "dspy.RLM"),
        (),
        (
            model("__call__", api="dspy.program_of_thought", kind="framework_run"),
            model("acall", kind="framework_run", is_async=True),
        ),
        role="program_of_thought",
    )
    + on(
        "dspy",
        ("dspy.Refine", "dspy.BestOfN"),
        (),
        (
            model("__call__", api="dspy.refine", kind="framework_run"),
            model("acall", kind="framework_run", is_async=True),
            model("forward", kind="framework_run"),
        ),
        role="refine",
    )
    + on(
        "dspy",
        ("dspy.Parallel",),
        (),
        (model("__call__", api="dspy.parallel", kind="framework_run", fanout=True),),
        role="parallel",
    ),
    constructs=(
        Construct(
            "dspy.ReAct",
            kind="agent",
            agentic=True,
            agentic_params=("tools",),
            # + 1: the final `extract` ChainOfThought call after the loop
            bounds=(Bound("max_iters", 20, unit="iterations", extra_calls=1),),
            default_bound_note="dspy.ReAct max_iters defaults to 20 (dspy 3.3.1 react.py)",
        ),
        Construct(
            "dspy.ReActV2",
            kind="agent",
            agentic=True,
            agentic_params=("tools",),
            bounds=(Bound("max_iters", 20, unit="iterations"),),
            default_bound_note="dspy.ReActV2 max_iters defaults to 20 (dspy 3.3.1 react_v2.py)",
        ),
        Construct(
            "dspy.CodeAct",
            kind="agent",
            agentic=True,
            agentic_params=("tools",),
            bounds=(Bound("max_iters", 5, unit="iterations"),),
            default_bound_note="dspy.CodeAct max_iters defaults to 5 (dspy 3.3.1 code_act.py)",
        ),
        Construct(
            "dspy.ProgramOfThought",
            kind="agent",
            bounds=(Bound("max_iters", 3, unit="iterations"),),
            default_bound_note="ProgramOfThought max_iters=3 (dspy 3.3.1 program_of_thought.py)",
        ),
        Construct(
            "dspy.RLM",
            kind="agent",
            agentic=True,
            bounds=(
                Bound("max_iters", 20, unit="iterations"),
                Bound("max_llm_calls", 50, unit="sub-LLM calls"),
            ),
            default_bound_note="dspy.RLM max_iters=20, max_llm_calls=50 (dspy 3.3.1 rlm.py)",
        ),
        Construct(
            "dspy.Refine",
            kind="workflow",
            pattern="evaluator_optimizer",
            bounds=(Bound("N", None, pos=1, unit="attempts"),),
            default_bound_note="Refine(module, N, reward_fn, threshold): N has no default",
        ),
        Construct(
            "dspy.BestOfN",
            kind="workflow",
            pattern="parallelization_voting",
            bounds=(Bound("N", None, pos=1, unit="attempts"),),
            default_bound_note="BestOfN(module, N, reward_fn, threshold): N has no default",
        ),
    ),
    retries=(
        RetrySpec(
            "dspy.LM",
            library="dspy",
            kind="client",
            limit_params=("num_retries",),
            default_limit=3,
            limit_unit="retries",
            note="dspy.LM num_retries=3 (dspy 3.3.1 clients/lm.py), passed to litellm",
        ),
    ),
    notes=(
        "Source: dspy 3.3.1, stanfordnlp/dspy@4ed377ee, dspy/predict/*.py, dspy/clients/lm.py.",
        "Calling a module instance (`predict(question=...)`) is `<type>.__call__`.",
        "A project's own dspy.Module subclass is project code: its forward's Predict/"
        "ChainOfThought calls are the model calls.",
    ),
)
