"""What archlint knows about LLM SDKs and frameworks, as data in one place.

`load_knowledge()` returns a `KnowledgeBase` built from the entries in
`analyzer.knowledge.entries` (one module per SDK/framework). Adding a framework is adding
an entry there (plus a fixture project in `fixtures/sdk/<key>/`), never code elsewhere.

Names. Every lookup takes a qualified name as the call graph produces it: a module
function (`litellm.completion`), a class (`openai.OpenAI`), or `<type>.<attribute path>`
for a call on an instance (`openai.OpenAI.chat.completions.create`). Alternative import
paths are canonicalised first (`anthropic._client.Anthropic` -> `anthropic.Anthropic`,
`langchain_openai.chat_models.base.ChatOpenAI` -> `langchain_openai.ChatOpenAI`).
Calling an instance itself is `<type>.__call__` (`dspy.Predict.__call__`). Some types are
pseudo types that name a state, not a class (`langchain_core.language_models.
ChatModelWithTools`, `langgraph.prebuilt.CompiledReactAgent`); the entries say which.

API labels (`ModelCall.api`, shown to users as `llm_calls[].api`):

    <provider>.<path>

- `provider` is the entry's provider key: lowercase snake case (anthropic, openai,
  litellm, google_genai, google_generativeai, mistral, cohere, ollama, bedrock_runtime,
  langchain, langgraph, openai_agents, pydantic_ai, smolagents, crewai, llama_index,
  autogen, dspy, instructor, browser_use, claude_code_sdk, mirascope, archlint).
- for a call through an SDK client, `path` is the attribute path after the client object,
  as the user writes it: `anthropic.messages.create`, `openai.chat.completions.create`,
  `openai.beta.chat.completions.parse`, `openai.responses.create`,
  `google_genai.models.generate_content`, `bedrock_runtime.converse`. Sync, async, Azure,
  Bedrock and Vertex clients share the label; `ModelCall.mode` tells them apart.
- for a module-level function or class-level call, `path` is the dotted path after the
  import root: `litellm.completion`, `openai.ChatCompletion.create` (v0), `ollama.chat`,
  `openai_agents.Runner.run`, `claude_code_sdk.query`.
- for a method of a framework object that is not a client, `path` is `<role>.<method>`
  with the object's role in snake case: `langchain.chat_model.invoke`,
  `langchain.chain.invoke` (LCEL), `langgraph.graph.invoke`, `crewai.crew.kickoff`,
  `pydantic_ai.agent.run`, `smolagents.agent.run`, `llama_index.query_engine.query`,
  `google_genai.chat.send_message`; calling the object itself is `<provider>.<role>`
  (`dspy.predict`, `smolagents.model`).
Every label matches `LABEL_RE`.

What counts as an LLM call: a request that makes a language model generate (chat,
completion, responses, structured output, a framework run that does so), including a batch
whose requests are written in the call (anthropic `messages.batches.create`, google-genai
inline batch jobs). Embeddings, token counting, model listing, moderation, images, audio,
files, and batches whose requests sit in an uploaded file (openai `batches.create`, which
may hold embeddings) are not; entries list such look-alikes in `not_model_calls`.

Bounds, retries and tracing are described by `Construct`/`Bound`, `RetrySpec` and
`TracingSpec` (see `analyzer.knowledge.spec`).
"""

from __future__ import annotations

import re

from analyzer.knowledge.base import KnowledgeBase
from analyzer.knowledge.entries import ENTRIES
from analyzer.knowledge.spec import (
    SELF,
    ArgIs,
    Bound,
    Construct,
    Entry,
    EnvSwitch,
    ModelCall,
    RetrySpec,
    TracingSpec,
    version_matches,
)

#: The documented api-label scheme.
LABEL_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")

__all__ = [
    "ENTRIES",
    "LABEL_RE",
    "SELF",
    "ArgIs",
    "Bound",
    "Construct",
    "Entry",
    "EnvSwitch",
    "KnowledgeBase",
    "ModelCall",
    "RetrySpec",
    "TracingSpec",
    "load_knowledge",
    "version_matches",
]


def load_knowledge() -> KnowledgeBase:
    """Build the knowledge base from every entry (a few milliseconds; callers cache it)."""
    return KnowledgeBase(ENTRIES)
