"""MetaGPT: Team of Roles (n_round), Role.run, Action.run and the LLM's aask.

Read in MetaGPT 1.0.0 (FoundationAgents/MetaGPT @ 1dfce070):
- `metagpt/team.py`: `Team.run(self, n_round=3, idea="", send_to="", auto_archive=True)`
  loops `while n_round > 0` over the environment's roles; `investment: float = 10.0`
  sets `cost_manager.max_budget` (exceeding it raises NoMoneyException); `run_project`
  only publishes the idea.
- `metagpt/roles/role.py`: `max_react_loop: int = 1` (react mode: the model picks the next
  action, at most max_react_loop times); `Role.run` is async.
- `metagpt/actions/action.py`: `Action.run` (async) and `_aask`; `provider/base_llm.py`
  `BaseLLM.aask`.
"""

from analyzer.knowledge.spec import (
    Bound,
    Construct,
    Entry,
    Family,
    ResultRule,
    TypeDecl,
    model,
    on,
)

_TEAM = "metagpt.team.Team"
_ROLE = "metagpt.roles.Role"
_ACTION = "metagpt.actions.Action"
_LLM = "metagpt.provider.base_llm.BaseLLM"
#: ActionNode.fill asks the LLM to fill a structured node (metagpt/actions/action_node.py)
_NODE = "metagpt.actions.ActionNode"
#: metagpt/environment/base_env.py: Environment.run(k=1) lets every role react k times
_ENV = "metagpt.environment.Environment"

ENTRY = Entry(
    key="metagpt",
    title="MetaGPT",
    roots=("metagpt",),
    packages=("metagpt",),
    # metagpt.roles.di.data_interpreter.DataInterpreter -> metagpt.roles.DataInterpreter
    alias_patterns=(
        (r"^metagpt\.roles\.(?:[a-z_]\w*\.)+([A-Z]\w*)(?=\.|$)", r"metagpt.roles.\1"),
        (r"^metagpt\.actions\.(?:[a-z_]\w*\.)+([A-Z]\w*)(?=\.|$)", r"metagpt.actions.\1"),
        (
            r"^metagpt\.environment\.(?:[a-z_]\w*\.)+([A-Z]\w*)(?=\.|$)",
            r"metagpt.environment.\1",
        ),
    ),
    aliases=(
        ("metagpt.roles.role.Role", _ROLE),
        ("metagpt.actions.action.Action", _ACTION),
        ("metagpt.llm.LLM", _LLM),
        ("metagpt.software_company", "metagpt.team"),
    ),
    types=(
        TypeDecl(_TEAM),
        TypeDecl(_ROLE),
        TypeDecl(_ACTION),
        TypeDecl(_LLM),
        TypeDecl(_NODE),
        TypeDecl(_ENV),
    ),
    families=(
        Family("metagpt.roles.*", _ROLE),
        Family("metagpt.actions.*", _ACTION),
        Family("metagpt.provider.*.*LLM", _LLM),
        Family("metagpt.environment.*Env", _ENV),
    ),
    results=(
        ResultRule(f"{_NODE}.from_pydantic", _NODE),
        ResultRule(f"{_ENV}.get_role", _ROLE),
    ),
    model_calls=on(
        "metagpt",
        (),
        (_TEAM,),
        (model("run", kind="framework_run", tools_bound=True),),
        role="team",
    )
    + on(
        "metagpt",
        (),
        (_ROLE,),
        (model("run", kind="framework_run"),),
        role="role",
    )
    + on(
        "metagpt",
        (),
        (_ACTION,),
        (model("run", kind="framework_run"), model("_aask")),
        role="action",
    )
    + on(
        "metagpt",
        (),
        (_LLM,),
        (model("aask"), model("acompletion_text"), model("aask_batch")),
        role="llm",
    )
    + on(
        "metagpt",
        (),
        (_NODE,),
        (model("fill"), model("simple_fill"), model("review"), model("revise")),
        role="action_node",
    )
    + on(
        "metagpt",
        (),
        (_ENV,),
        (model("run", kind="framework_run", tools_bound=True),),
        role="environment",
    ),
    constructs=(
        Construct(
            _TEAM,
            kind="team",
            agentic=True,
            bounds=(
                Bound("n_round", 3, where="run", unit="rounds"),
                Bound("investment", 10.0, where="ctor", unit="USD", on_hit="NoMoneyException"),
            ),
            default_bound_note="MetaGPT Team.run n_round=3 (metagpt/team.py)",
        ),
        Construct(
            f"{_TEAM}.run",
            kind="run",
            bounds=(Bound("n_round", 3, where="run", unit="rounds"),),
            default_bound_note="MetaGPT Team.run n_round=3 (metagpt/team.py)",
        ),
        Construct(
            _ROLE,
            kind="agent",
            agentic_params=("actions",),
            bounds=(Bound("max_react_loop", 1, unit="iterations"),),
            default_bound_note="MetaGPT Role max_react_loop=1 (metagpt/roles/role.py)",
        ),
    ),
    notes=(
        "Source: MetaGPT 1.0.0, FoundationAgents/MetaGPT@1dfce070, metagpt/team.py, metagpt/roles/role.py.",
        "Team.run(n_round=3) is a loop over roles reacting to each other's messages.",
        "Labels: metagpt.team.run, metagpt.role.run, metagpt.action.run, metagpt.llm.aask.",
    ),
)
