"""instructor: clients wrapped by from_openai/from_anthropic/patch/from_provider."""

from analyzer.knowledge.spec import ArgIs, Entry, ResultRule, TypeDecl, model, on

_I = "instructor.Instructor"
_AI = "instructor.AsyncInstructor"
_FACTORIES = (
    "from_openai",
    "from_anthropic",
    "from_litellm",
    "from_gemini",
    "from_genai",
    "from_mistral",
    "from_cohere",
    "from_bedrock",
    "from_vertexai",
    "from_groq",
    "from_fireworks",
    "from_cerebras",
    "from_writer",
    "patch",
)
_S = "response_model"

ENTRY = Entry(
    key="instructor",
    title="instructor",
    roots=("instructor",),
    packages=("instructor",),
    aliases=(
        ("instructor.client_anthropic", "instructor"),
        ("instructor.client_bedrock", "instructor"),
        ("instructor.client_cohere", "instructor"),
        ("instructor.client_mistral", "instructor"),
        ("instructor.client", "instructor"),
        ("instructor.auto_client", "instructor"),
        ("instructor.patch.patch", "instructor.patch"),
    ),
    types=(TypeDecl(_I), TypeDecl(_AI, is_async=True)),
    results=tuple(ResultRule(f"instructor.{f}", _I) for f in _FACTORIES)
    + (
        ResultRule("instructor.apatch", _AI),
        ResultRule("instructor.from_provider", _AI, (ArgIs(True, pos=None, kw="async_client"),)),
        ResultRule("instructor.from_provider", _I),
    ),
    model_calls=on(
        "instructor",
        (_I,),
        (_AI,),
        tuple(
            model(
                f"{prefix}{method}",
                structured_kw=_S,
                tools_kw=("tools",),
                streaming=method in ("create_iterable", "create_partial"),
            )
            for prefix in ("", "chat.completions.", "messages.")
            for method in ("create", "create_with_completion", "create_iterable", "create_partial")
        ),
    ),
    notes=(
        "Sync vs async is decided by from_provider(async_client=True) or apatch; from_openai"
        "(AsyncOpenAI()) cannot be told apart from literal arguments and is typed sync.",
        "max_retries on create re-asks the model with the validation error: a pattern loop, not a retry.",
    ),
)
