"""Smaller model SDKs seen in apps, mostly OpenAI-shaped (API shapes as documented by each
vendor; unverified against a given version):

- zhipuai (GLM): `ZhipuAI().chat.completions.create(model="glm-4", messages=...)`;
- ai21: `AI21Client().chat.completions.create(...)`, `AsyncAI21Client`;
- perplexity: `Perplexity().chat.completions.create(...)`, `AsyncPerplexity`;
  `search.create` is a web search, no model call;
- xai_sdk (Grok): `Client().chat.create(model=...)` builds a local chat (no request);
  `chat.sample()` / `chat.stream()` / `chat.parse(...)` ask the model.
"""

from analyzer.knowledge.spec import Entry, ResultRule, TypeDecl, model, on

_CHAT = (model("chat.completions.create", tools_kw=("tools",), stream_kw="stream"),)
_XAI = "xai_sdk.Client"
_XCHAT = "xai_sdk.chat.Chat"

ENTRY = Entry(
    key="more_sdks",
    title="Other model SDKs (zhipuai, ai21, perplexity, xai_sdk)",
    roots=("zhipuai", "ai21", "perplexity", "xai_sdk"),
    packages=("zhipuai", "ai21", "perplexityai", "xai-sdk"),
    aliases=(
        ("xai_sdk.sync.client.Client", _XAI),
        ("xai_sdk.aio.client.Client", "xai_sdk.AsyncClient"),
        ("xai_sdk.aio.Client", "xai_sdk.AsyncClient"),
    ),
    types=(
        TypeDecl("zhipuai.ZhipuAI"),
        TypeDecl("ai21.AI21Client"),
        TypeDecl("ai21.AsyncAI21Client", is_async=True),
        TypeDecl("perplexity.Perplexity"),
        TypeDecl("perplexity.AsyncPerplexity", is_async=True),
        TypeDecl(_XAI),
        TypeDecl("xai_sdk.AsyncClient"),
        TypeDecl(_XCHAT),
        TypeDecl("xai_sdk.chat.AsyncChat", is_async=True),
    ),
    results=(
        ResultRule(f"{_XAI}.chat.create", _XCHAT),
        ResultRule("xai_sdk.AsyncClient.chat.create", "xai_sdk.chat.AsyncChat"),
    ),
    model_calls=on("zhipuai", ("zhipuai.ZhipuAI",), (), _CHAT)
    + on("ai21", ("ai21.AI21Client",), ("ai21.AsyncAI21Client",), _CHAT)
    + on("perplexity", ("perplexity.Perplexity",), ("perplexity.AsyncPerplexity",), _CHAT)
    + on(
        "xai",
        (_XCHAT,),
        ("xai_sdk.chat.AsyncChat",),
        (
            model("sample"),
            model("stream", streaming=True),
            model("parse", structured_kw="shape"),
        ),
        role="chat",
    ),
    not_model_calls=(
        "perplexity.Perplexity.search.create",
        "zhipuai.ZhipuAI.embeddings.create",
        f"{_XCHAT}.append",
    ),
    notes=(
        "Labels: zhipuai.chat.completions.create, ai21.chat.completions.create, "
        "perplexity.chat.completions.create, xai.chat.sample.",
    ),
)
