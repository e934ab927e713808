"""routellm (LMSYS RouteLLM): an OpenAI-shaped client that routes each request.

`Controller(routers=["mf"], strong_model=..., weak_model=...)`, then
`client.chat.completions.create(model="router-<router>-<threshold>", messages=...)`.
Read in routellm 0.2.0 (PyPI), `routellm/controller.py`: `self.chat` is a namespace whose
`completions.create` is `Controller.completion` (`acreate` is `acompletion`). `completion`
parses the router and threshold from the model name, runs the router on the prompt
(`_get_routed_model_for_completion`: a trained classifier such as matrix factorisation
scores the strong model's win rate and picks the strong model when it reaches the
threshold, the weak one otherwise; no model is asked) and sends one
`litellm.completion(...)` to the chosen model. So one call is routing between two models,
decided per request: one model call, no loop.
"""

from analyzer.knowledge.spec import Construct, Entry, TypeDecl, model, on

_C = "routellm.controller.Controller"
_PATHS = ("chat.completions.create", "completion")
_ASYNC_PATHS = ("chat.completions.acreate", "acompletion")

ENTRY = Entry(
    key="routellm",
    title="RouteLLM",
    roots=("routellm",),
    packages=("routellm",),
    types=(TypeDecl(_C),),
    model_calls=on(
        "routellm",
        (_C,),
        (),
        tuple(model(p, kind="framework_run") for p in _PATHS)
        + tuple(model(p, kind="framework_run", is_async=True) for p in _ASYNC_PATHS),
    ),
    constructs=tuple(
        Construct(f"{_C}.{p}", kind="workflow", pattern="routing", fixed_calls=1)
        for p in _PATHS + _ASYNC_PATHS
    ),
    notes=(
        "Source: routellm 0.2.0, routellm/controller.py (Controller.completion, "
        "_get_routed_model_for_completion).",
    ),
)
