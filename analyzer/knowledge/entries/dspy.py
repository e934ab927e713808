"""DSPy: dspy.LM, Predict/ChainOfThought modules, ReAct (max_iters=20)."""

from analyzer.knowledge.spec import Bound, Construct, Entry, TypeDecl, model, on

_PRED = "dspy.Predict"

ENTRY = Entry(
    key="dspy",
    title="DSPy",
    roots=("dspy",),
    packages=("dspy", "dspy-ai"),
    aliases=(
        ("dspy.clients.lm.LM", "dspy.LM"),
        ("dspy.predict.predict.Predict", _PRED),
        ("dspy.predict.chain_of_thought.ChainOfThought", "dspy.ChainOfThought"),
        ("dspy.predict.react.ReAct", "dspy.ReAct"),
    ),
    types=(
        TypeDecl("dspy.LM"),
        TypeDecl(_PRED),
        TypeDecl("dspy.ChainOfThought"),
        TypeDecl("dspy.ReAct"),
        TypeDecl("dspy.ProgramOfThought"),
    ),
    model_calls=on(
        "dspy",
        ("dspy.LM",),
        (),
        (model("__call__", api="dspy.lm"), model("acall", is_async=True)),
        role="lm",
    )
    + on(
        "dspy",
        (_PRED,),
        (),
        (model("__call__", api="dspy.predict"), model("acall", is_async=True)),
        role="predict",
    )
    + on(
        "dspy",
        ("dspy.ChainOfThought",),
        (),
        (model("__call__", api="dspy.chain_of_thought"), model("acall", is_async=True)),
        role="chain_of_thought",
    )
    + on(
        "dspy",
        ("dspy.ReAct",),
        (),
        (
            model("__call__", api="dspy.react", kind="framework_run", tools_bound=True),
            model("acall", kind="framework_run", tools_bound=True, is_async=True),
        ),
        role="react",
    )
    + on(
        "dspy",
        ("dspy.ProgramOfThought",),
        (),
        (model("__call__", api="dspy.program_of_thought", kind="framework_run"),),
        role="program_of_thought",
    ),
    constructs=(
        Construct(
            "dspy.ReAct",
            kind="agent",
            agentic=True,
            agentic_params=("tools",),
            bounds=(Bound("max_iters", 20, unit="iterations"),),
            default_bound_note="dspy.ReAct max_iters defaults to 20",
        ),
        Construct(
            "dspy.ProgramOfThought",
            kind="agent",
            bounds=(Bound("max_iters", 3, unit="iterations"),),
            default_bound_note="ProgramOfThought max_iters=3 (unverified)",
        ),
    ),
    notes=("Calling a module instance (`predict(question=...)`) is `<type>.__call__`.",),
)
