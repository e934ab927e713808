"""All knowledge-base entries, one module per SDK or framework.

Adding a framework: write `entries/<key>.py` defining `ENTRY = Entry(key="<key>", ...)`,
add it to `ENTRIES` below and add `fixtures/sdk/<key>/`.
"""

from analyzer.knowledge.entries import (
    anthropic,
    archlint_runtime,
    autogen,
    backoff,
    bedrock,
    browser_use,
    claude_code_sdk,
    cohere,
    crewai,
    dspy,
    google_genai,
    google_generativeai,
    instructor,
    langchain,
    langfuse,
    langgraph,
    langsmith,
    litellm,
    llama_index,
    logfire,
    logging,
    mirascope,
    mistral,
    mlflow,
    ollama,
    openai,
    openai_agents,
    opentelemetry,
    pydantic_ai,
    smolagents,
    tenacity,
    weave,
)
from analyzer.knowledge.spec import Entry

ENTRIES: tuple[Entry, ...] = tuple(
    m.ENTRY
    for m in (
        # model SDKs
        anthropic,
        openai,
        litellm,
        google_genai,
        google_generativeai,
        mistral,
        cohere,
        ollama,
        bedrock,
        # frameworks
        langchain,
        langgraph,
        openai_agents,
        pydantic_ai,
        smolagents,
        crewai,
        llama_index,
        autogen,
        dspy,
        instructor,
        browser_use,
        claude_code_sdk,
        mirascope,
        archlint_runtime,
        # retries
        tenacity,
        backoff,
        # tracing
        logging,
        opentelemetry,
        logfire,
        langsmith,
        langfuse,
        weave,
        mlflow,
    )
)
