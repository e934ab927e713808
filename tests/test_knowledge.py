"""Unit tests of the knowledge base API, its data and the fixture projects per entry."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from analyzer.knowledge import ENTRIES, LABEL_RE, load_knowledge, version_matches

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "sdk"
EXPECT = re.compile(r"#\s*expect-llm:\s*(\S+)")


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


# --------------------------------------------------------------------------- model calls

POSITIVE = [
    # (callee as the call graph produces it, api label, mode, kind)
    ("anthropic.Anthropic.messages.create", "anthropic.messages.create", "sync", "model"),
    ("anthropic.AsyncAnthropic.messages.create", "anthropic.messages.create", "async", "model"),
    ("anthropic.Anthropic.messages.stream", "anthropic.messages.stream", "stream", "model"),
    ("anthropic.AnthropicBedrock.messages.create", "anthropic.messages.create", "sync", "model"),
    (
        "anthropic.AsyncAnthropicVertex.messages.create",
        "anthropic.messages.create",
        "async",
        "model",
    ),
    ("anthropic.Anthropic.beta.messages.create", "anthropic.beta.messages.create", "sync", "model"),
    (
        "anthropic.Anthropic.beta.messages.tool_runner",
        "anthropic.beta.messages.tool_runner",
        "sync",
        "framework_run",
    ),
    ("openai.OpenAI.chat.completions.create", "openai.chat.completions.create", "sync", "model"),
    (
        "openai.AsyncOpenAI.chat.completions.create",
        "openai.chat.completions.create",
        "async",
        "model",
    ),
    (
        "openai.AzureOpenAI.chat.completions.create",
        "openai.chat.completions.create",
        "sync",
        "model",
    ),
    ("openai.OpenAI.chat.completions.parse", "openai.chat.completions.parse", "sync", "model"),
    ("openai.OpenAI.chat.completions.stream", "openai.chat.completions.stream", "stream", "model"),
    (
        "openai.OpenAI.beta.chat.completions.parse",
        "openai.beta.chat.completions.parse",
        "sync",
        "model",
    ),
    ("openai.OpenAI.responses.create", "openai.responses.create", "sync", "model"),
    ("openai.OpenAI.responses.stream", "openai.responses.stream", "stream", "model"),
    ("openai.OpenAI.responses.parse", "openai.responses.parse", "sync", "model"),
    ("openai.OpenAI.completions.create", "openai.completions.create", "sync", "model"),
    ("openai.ChatCompletion.create", "openai.ChatCompletion.create", "sync", "model"),
    ("openai.chat.completions.create", "openai.chat.completions.create", "sync", "model"),
    ("litellm.completion", "litellm.completion", "sync", "model"),
    ("litellm.acompletion", "litellm.acompletion", "async", "model"),
    ("litellm.batch_completion", "litellm.batch_completion", "sync", "model"),
    ("litellm.Router.completion", "litellm.completion", "sync", "model"),
    (
        "google.genai.Client.models.generate_content",
        "google_genai.models.generate_content",
        "sync",
        "model",
    ),
    (
        "google.genai.Client.models.generate_content_stream",
        "google_genai.models.generate_content_stream",
        "stream",
        "model",
    ),
    (
        "google.genai.Client.aio.models.generate_content",
        "google_genai.models.generate_content",
        "async",
        "model",
    ),
    (
        "google.genai.Models.generate_content",
        "google_genai.models.generate_content",
        "sync",
        "model",
    ),
    ("google.genai.Chat.send_message", "google_genai.chat.send_message", "sync", "model"),
    (
        "google.generativeai.GenerativeModel.generate_content",
        "google_generativeai.generate_content",
        "sync",
        "model",
    ),
    (
        "google.generativeai.ChatSession.send_message",
        "google_generativeai.chat.send_message",
        "sync",
        "model",
    ),
    ("mistralai.Mistral.chat.complete", "mistral.chat.complete", "sync", "model"),
    ("mistralai.Mistral.chat.stream", "mistral.chat.stream", "stream", "model"),
    ("mistralai.Mistral.chat.complete_async", "mistral.chat.complete_async", "async", "model"),
    ("cohere.Client.chat", "cohere.chat", "sync", "model"),
    ("cohere.ClientV2.chat_stream", "cohere.chat_stream", "stream", "model"),
    ("cohere.AsyncClientV2.chat", "cohere.chat", "async", "model"),
    ("ollama.chat", "ollama.chat", "sync", "model"),
    ("ollama.generate", "ollama.generate", "sync", "model"),
    ("ollama.Client.chat", "ollama.chat", "sync", "model"),
    ("ollama.AsyncClient.chat", "ollama.chat", "async", "model"),
    ("boto3.bedrock_runtime.invoke_model", "bedrock_runtime.invoke_model", "sync", "model"),
    (
        "boto3.bedrock_runtime.invoke_model_with_response_stream",
        "bedrock_runtime.invoke_model_with_response_stream",
        "stream",
        "model",
    ),
    ("boto3.bedrock_runtime.converse", "bedrock_runtime.converse", "sync", "model"),
    ("boto3.bedrock_runtime.converse_stream", "bedrock_runtime.converse_stream", "stream", "model"),
    ("langchain_openai.ChatOpenAI.invoke", "langchain.chat_model.invoke", "sync", "model"),
    ("langchain_anthropic.ChatAnthropic.ainvoke", "langchain.chat_model.ainvoke", "async", "model"),
    ("langchain_openai.ChatOpenAI.stream", "langchain.chat_model.stream", "stream", "model"),
    (
        "langchain_community.chat_models.ChatOllama.batch",
        "langchain.chat_model.batch",
        "sync",
        "model",
    ),
    (
        "langchain_core.runnables.RunnableSequence.invoke",
        "langchain.chain.invoke",
        "sync",
        "framework_run",
    ),
    (
        "langchain.agents.AgentExecutor.invoke",
        "langchain.agent_executor.invoke",
        "sync",
        "framework_run",
    ),
    (
        "langgraph.graph.state.CompiledStateGraph.invoke",
        "langgraph.graph.invoke",
        "sync",
        "framework_run",
    ),
    (
        "langgraph.graph.state.CompiledStateGraph.astream",
        "langgraph.graph.astream",
        "stream",
        "framework_run",
    ),
    ("agents.Runner.run", "openai_agents.Runner.run", "async", "framework_run"),
    ("agents.Runner.run_sync", "openai_agents.Runner.run_sync", "sync", "framework_run"),
    ("agents.Runner.run_streamed", "openai_agents.Runner.run_streamed", "stream", "framework_run"),
    ("pydantic_ai.Agent.run", "pydantic_ai.agent.run", "async", "framework_run"),
    ("pydantic_ai.Agent.run_sync", "pydantic_ai.agent.run_sync", "sync", "framework_run"),
    ("smolagents.CodeAgent.run", "smolagents.agent.run", "sync", "framework_run"),
    ("smolagents.InferenceClientModel.__call__", "smolagents.model", "sync", "model"),
    ("smolagents.OpenAIServerModel.generate", "smolagents.model.generate", "sync", "model"),
    ("crewai.Crew.kickoff", "crewai.crew.kickoff", "sync", "framework_run"),
    ("crewai.LLM.call", "crewai.llm.call", "sync", "model"),
    ("crewai.flow.flow.Flow.kickoff", "crewai.flow.kickoff", "sync", "framework_run"),
    ("llama_index.llms.openai.OpenAI.complete", "llama_index.llm.complete", "sync", "model"),
    ("llama_index.llms.anthropic.Anthropic.achat", "llama_index.llm.achat", "async", "model"),
    (
        "llama_index.core.query_engine.BaseQueryEngine.query",
        "llama_index.query_engine.query",
        "sync",
        "framework_run",
    ),
    ("llama_index.core.agent.ReActAgent.chat", "llama_index.agent.chat", "sync", "framework_run"),
    (
        "llama_index.core.agent.workflow.FunctionAgent.run",
        "llama_index.agent.run",
        "async",
        "framework_run",
    ),
    (
        "autogen_agentchat.teams.RoundRobinGroupChat.run",
        "autogen.team.run",
        "async",
        "framework_run",
    ),
    (
        "autogen_agentchat.agents.AssistantAgent.run_stream",
        "autogen.agent.run_stream",
        "stream",
        "framework_run",
    ),
    (
        "autogen_ext.models.openai.OpenAIChatCompletionClient.create",
        "autogen.model_client.create",
        "async",
        "model",
    ),
    (
        "autogen.ConversableAgent.initiate_chat",
        "autogen.agent.initiate_chat",
        "sync",
        "framework_run",
    ),
    (
        "autogen.UserProxyAgent.initiate_chat",
        "autogen.agent.initiate_chat",
        "sync",
        "framework_run",
    ),
    ("dspy.LM.__call__", "dspy.lm", "sync", "model"),
    ("dspy.Predict.__call__", "dspy.predict", "sync", "model"),
    ("dspy.ChainOfThought.__call__", "dspy.chain_of_thought", "sync", "model"),
    ("dspy.ReAct.__call__", "dspy.react", "sync", "framework_run"),
    (
        "instructor.Instructor.chat.completions.create",
        "instructor.chat.completions.create",
        "sync",
        "model",
    ),
    ("instructor.AsyncInstructor.messages.create", "instructor.messages.create", "async", "model"),
    ("instructor.Instructor.create_partial", "instructor.create_partial", "stream", "model"),
    ("browser_use.Agent.run", "browser_use.agent.run", "async", "framework_run"),
    ("claude_code_sdk.query", "claude_code_sdk.query", "stream", "framework_run"),
    ("claude_agent_sdk.query", "claude_code_sdk.query", "stream", "framework_run"),
    ("mirascope.llm.call", "mirascope.llm.call", "sync", "model"),
    ("analyzer.runtime.agent_loop", "archlint.agent_loop", "sync", "framework_run"),
    ("analyzer.runtime.patterns.chain.chain", "archlint.chain", "sync", "framework_run"),
    # --- SDK surface: wrappers, namespaces, Assistants, batches (issue 10)
    (
        "openai.OpenAI.chat.completions.with_raw_response.create",
        "openai.chat.completions.create",
        "sync",
        "model",
    ),
    (
        "openai.OpenAI.with_raw_response.chat.completions.create",
        "openai.chat.completions.create",
        "sync",
        "model",
    ),
    (
        "openai.AsyncOpenAI.chat.completions.with_streaming_response.create",
        "openai.chat.completions.create",
        "stream",
        "model",
    ),
    (
        "openai.OpenAI.beta.threads.runs.create_and_poll",
        "openai.beta.threads.runs.create_and_poll",
        "sync",
        "model",
    ),
    (
        "openai.AsyncOpenAI.beta.threads.runs.submit_tool_outputs_and_poll",
        "openai.beta.threads.runs.submit_tool_outputs_and_poll",
        "async",
        "model",
    ),
    (
        "openai.OpenAI.beta.threads.runs.stream",
        "openai.beta.threads.runs.stream",
        "stream",
        "model",
    ),
    (
        "openai.OpenAI.beta.threads.create_and_run",
        "openai.beta.threads.create_and_run",
        "sync",
        "model",
    ),
    (
        "anthropic.Anthropic.beta.messages.with_raw_response.create",
        "anthropic.beta.messages.create",
        "sync",
        "model",
    ),
    (
        "anthropic.Anthropic.with_raw_response.messages.create",
        "anthropic.messages.create",
        "sync",
        "model",
    ),
    (
        "anthropic.Anthropic.messages.batches.create",
        "anthropic.messages.batches.create",
        "sync",
        "model",
    ),
    (
        "anthropic.AsyncAnthropic.beta.messages.stream",
        "anthropic.beta.messages.stream",
        "stream",
        "model",
    ),
    (
        "anthropic.lib.vertex._client.AsyncAnthropicVertex.messages.create",
        "anthropic.messages.create",
        "async",
        "model",
    ),
    (
        "google.genai.Client.interactions.create",
        "google_genai.interactions.create",
        "sync",
        "model",
    ),
    ("google.genai.AsyncChat.send_message", "google_genai.chat.send_message", "async", "model"),
    (
        "vertexai.generative_models.GenerativeModel.generate_content",
        "vertexai.generative_model.generate_content",
        "sync",
        "model",
    ),
    (
        "vertexai.preview.generative_models.ChatSession.send_message",
        "vertexai.chat.send_message",
        "sync",
        "model",
    ),
    (
        "vertexai.language_models.TextGenerationModel.predict",
        "vertexai.text_model.predict",
        "sync",
        "model",
    ),
    ("mistralai.Mistral.chat.stream_async", "mistral.chat.stream_async", "stream", "model"),
    ("mistralai.MistralClient.chat", "mistral.chat", "sync", "model"),
    ("mistralai.MistralAsyncClient.chat", "mistral.chat", "async", "model"),
    ("cohere.AsyncClient.chat_stream", "cohere.chat_stream", "stream", "model"),
    ("groq.Groq.chat.completions.create", "groq.chat.completions.create", "sync", "model"),
    ("groq.AsyncGroq.chat.completions.create", "groq.chat.completions.create", "async", "model"),
    (
        "groq.Groq.chat.completions.with_raw_response.create",
        "groq.chat.completions.create",
        "sync",
        "model",
    ),
    (
        "together.Together.chat.completions.create",
        "together.chat.completions.create",
        "sync",
        "model",
    ),
    ("together.AsyncTogether.completions.create", "together.completions.create", "async", "model"),
    (
        "fireworks.client.Fireworks.chat.completions.create",
        "fireworks.chat.completions.create",
        "sync",
        "model",
    ),
    ("fireworks.LLM.chat.completions.create", "fireworks.chat.completions.create", "sync", "model"),
    ("fireworks.client.ChatCompletion.create", "fireworks.ChatCompletion.create", "sync", "model"),
    (
        "cerebras.cloud.sdk.Cerebras.chat.completions.create",
        "cerebras.chat.completions.create",
        "sync",
        "model",
    ),
    (
        "cerebras.cloud.sdk.AsyncCerebras.chat.completions.create",
        "cerebras.chat.completions.create",
        "async",
        "model",
    ),
    (
        "huggingface_hub.InferenceClient.chat_completion",
        "huggingface_hub.chat_completion",
        "sync",
        "model",
    ),
    (
        "huggingface_hub.InferenceClient.chat.completions.create",
        "huggingface_hub.chat.completions.create",
        "sync",
        "model",
    ),
    (
        "huggingface_hub.AsyncInferenceClient.text_generation",
        "huggingface_hub.text_generation",
        "async",
        "model",
    ),
    ("ollama.AsyncClient.generate", "ollama.generate", "async", "model"),
    ("litellm.Router.acompletion", "litellm.acompletion", "async", "model"),
    ("litellm.text_completion", "litellm.text_completion", "sync", "model"),
    ("aioboto3.bedrock_runtime.converse", "bedrock_runtime.converse", "async", "model"),
    (
        "azure.ai.inference.ChatCompletionsClient.complete",
        "azure_ai_inference.complete",
        "sync",
        "model",
    ),
    (
        "azure.ai.inference.aio.ChatCompletionsClient.complete",
        "azure_ai_inference.complete",
        "async",
        "model",
    ),
    ("transformers.TextGenerationPipeline.__call__", "transformers.pipeline", "sync", "model"),
    ("transformers.AutoModelForCausalLM.generate", "transformers.model.generate", "sync", "model"),
    ("llama_cpp.Llama.create_chat_completion", "llama_cpp.create_chat_completion", "sync", "model"),
    ("vllm.LLM.chat", "vllm.chat", "sync", "model"),
    ("vllm.AsyncLLMEngine.generate", "vllm.generate", "stream", "model"),
    ("dashscope.Generation.call", "dashscope.Generation.call", "sync", "model"),
    ("google.genai.Client.aio.live.connect", "google_genai.live.connect", "stream", "model"),
    ("zhipuai.ZhipuAI.chat.completions.create", "zhipuai.chat.completions.create", "sync", "model"),
    (
        "ai21.AsyncAI21Client.chat.completions.create",
        "ai21.chat.completions.create",
        "async",
        "model",
    ),
    ("xai_sdk.chat.Chat.sample", "xai.chat.sample", "sync", "model"),
    ("google.genai.Client.batches.create", "google_genai.batches.create", "sync", "model"),
    (
        "metagpt.roles.di.data_interpreter.DataInterpreter.run",
        "metagpt.role.run",
        "async",
        "framework_run",
    ),
    ("metagpt.actions.ActionNode.fill", "metagpt.action_node.fill", "async", "model"),
    ("camel.agents.TaskSpecifyAgent.run", "camel.agent.run", "sync", "framework_run"),
    (
        "agents.realtime.RealtimeRunner.run",
        "openai_agents.RealtimeRunner.run",
        "async",
        "framework_run",
    ),
    ("agents.Model.get_response", "openai_agents.model.get_response", "async", "model"),
    (
        "anthropic.Anthropic.beta.sessions.events.send",
        "anthropic.beta.sessions.events.send",
        "sync",
        "framework_run",
    ),
    (
        "vertexai.agent_engines.AgentEngine.stream_query",
        "vertexai.agent_engine.stream_query",
        "stream",
        "framework_run",
    ),
    (
        "google.adk.tools.AgentTool.run_async",
        "google_adk.agent_tool.run_async",
        "async",
        "framework_run",
    ),
    (
        "mistralai.Mistral.beta.conversations.run_async",
        "mistral.beta.conversations.run_async",
        "async",
        "framework_run",
    ),
    # --- frameworks (issue 10, item 3)
    ("agno.agent.Agent.run", "agno.agent.run", "sync", "framework_run"),
    ("agno.agent.agent.Agent.arun", "agno.agent.arun", "async", "framework_run"),
    ("agno.agent.Agent.print_response", "agno.agent.print_response", "sync", "framework_run"),
    ("agno.team.Team.run", "agno.team.run", "sync", "framework_run"),
    ("agno.workflow.Workflow.arun", "agno.workflow.arun", "async", "framework_run"),
    ("agno.models.openai.OpenAIChat.response", "agno.model.response", "sync", "model"),
    (
        "google.adk.runners.Runner.run_async",
        "google_adk.runner.run_async",
        "stream",
        "framework_run",
    ),
    ("google.adk.runners.InMemoryRunner.run", "google_adk.runner.run", "stream", "framework_run"),
    ("swarm.Swarm.run", "swarm.run", "sync", "framework_run"),
    ("swarm.core.Swarm.run_and_stream", "swarm.run_and_stream", "stream", "framework_run"),
    ("camel.agents.ChatAgent.step", "camel.agent.step", "sync", "framework_run"),
    ("camel.agents.chat_agent.ChatAgent.astep", "camel.agent.astep", "async", "framework_run"),
    ("camel.societies.RolePlaying.step", "camel.role_playing.step", "sync", "framework_run"),
    (
        "camel.societies.workforce.Workforce.process_task",
        "camel.workforce.process_task",
        "sync",
        "framework_run",
    ),
    ("metagpt.team.Team.run", "metagpt.team.run", "async", "framework_run"),
    ("metagpt.roles.Engineer.run", "metagpt.role.run", "async", "framework_run"),
    ("metagpt.actions.Action._aask", "metagpt.action._aask", "async", "model"),
    (
        "semantic_kernel.Kernel.invoke_prompt",
        "semantic_kernel.kernel.invoke_prompt",
        "async",
        "framework_run",
    ),
    (
        "semantic_kernel.connectors.ai.open_ai.OpenAIChatCompletion.get_chat_message_content",
        "semantic_kernel.chat_service.get_chat_message_content",
        "async",
        "model",
    ),
    (
        "semantic_kernel.agents.ChatCompletionAgent.get_response",
        "semantic_kernel.agent.get_response",
        "async",
        "framework_run",
    ),
    (
        "semantic_kernel.agents.SequentialOrchestration.invoke",
        "semantic_kernel.orchestration.invoke",
        "async",
        "framework_run",
    ),
    ("haystack.Pipeline.run", "haystack.pipeline.run", "sync", "framework_run"),
    (
        "haystack.components.generators.chat.OpenAIChatGenerator.run",
        "haystack.generator.run",
        "sync",
        "model",
    ),
    (
        "haystack_integrations.components.generators.ollama.OllamaChatGenerator.run_async",
        "haystack.generator.run_async",
        "async",
        "model",
    ),
    ("haystack.components.agents.Agent.run", "haystack.agent.run", "sync", "framework_run"),
    (
        "letta_client.Letta.agents.messages.create",
        "letta.agents.messages.create",
        "sync",
        "framework_run",
    ),
    (
        "letta_client.AsyncLetta.agents.messages.with_raw_response.create",
        "letta.agents.messages.create",
        "async",
        "framework_run",
    ),
    (
        "autogen_agentchat.agents.AssistantAgent.on_messages",
        "autogen.agent.on_messages",
        "async",
        "framework_run",
    ),
    (
        "autogen.AssistantAgent.initiate_chats",
        "autogen.agent.initiate_chats",
        "sync",
        "framework_run",
    ),
    ("dspy.Refine.__call__", "dspy.refine", "sync", "framework_run"),
    ("dspy.BestOfN.__call__", "dspy.refine", "sync", "framework_run"),
    ("dspy.CodeAct.__call__", "dspy.code_act", "sync", "framework_run"),
    ("dspy.Predict.batch", "dspy.predict.batch", "sync", "model"),
    ("dspy.clients.lm.LM.acall", "dspy.lm.acall", "async", "model"),
    ("mirascope.core.groq.call", "mirascope.core.groq.call", "sync", "model"),
    ("mirascope.core.google.google_call", "mirascope.core.google.call", "sync", "model"),
    ("browser_use.Agent.run_sync", "browser_use.agent.run_sync", "sync", "framework_run"),
    ("crewai.Crew.akickoff", "crewai.crew.akickoff", "async", "framework_run"),
    ("crewai.Task.execute_sync", "crewai.task.execute_sync", "sync", "framework_run"),
    ("crewai.Agent.execute_task", "crewai.agent.execute_task", "sync", "framework_run"),
    ("crewai.LLM.acall", "crewai.llm.acall", "async", "model"),
    ("swarm.repl.run_demo_loop", "swarm.repl.run_demo_loop", "sync", "framework_run"),
    ("langchain.chains.RetrievalQA.__call__", "langchain.chain", "sync", "framework_run"),
    ("langchain_classic.chains.LLMChain.invoke", "langchain.chain.invoke", "sync", "framework_run"),
    ("browser_use.ChatGroq.ainvoke", "browser_use.chat_model.ainvoke", "async", "model"),
]

# every langchain_* partner chat model class behaves as a chat model
LANGCHAIN_CHAT_MODELS = [
    "langchain_openai.ChatOpenAI",
    "langchain_openai.AzureChatOpenAI",
    "langchain_anthropic.ChatAnthropic",
    "langchain_google_genai.ChatGoogleGenerativeAI",
    "langchain_groq.ChatGroq",
    "langchain_ollama.ChatOllama",
    "langchain_mistralai.ChatMistralAI",
    "langchain_aws.ChatBedrock",
    "langchain_aws.ChatBedrockConverse",
    "langchain_google_vertexai.ChatVertexAI",
    "langchain_google_vertexai.model_garden.ChatAnthropicVertex",
    "langchain_fireworks.ChatFireworks",
    "langchain_together.ChatTogether",
    "langchain_huggingface.ChatHuggingFace",
    "langchain_litellm.ChatLiteLLM",
    "langchain_community.chat_models.ChatLiteLLM",
    "langchain_cohere.ChatCohere",
    "langchain_deepseek.ChatDeepSeek",
    "langchain_xai.ChatXAI",
    "langchain_perplexity.ChatPerplexity",
    "langchain_openai.chat_models.azure.AzureChatOpenAI",
]


@pytest.mark.parametrize("cls", LANGCHAIN_CHAT_MODELS)
@pytest.mark.parametrize(
    ("method", "mode"),
    [
        ("invoke", "sync"),
        ("ainvoke", "async"),
        ("stream", "stream"),
        ("astream", "stream"),
        ("batch", "sync"),
        ("abatch", "async"),
    ],
)
def test_langchain_partner_chat_models(kb, cls, method, mode):
    mc = kb.model_call(f"{cls}.{method}")
    assert mc is not None and mc.api == f"langchain.chat_model.{method}" and mc.mode == mode
    assert kb.result_type(f"{cls}.with_structured_output") is not None
    assert (
        kb.result_type(f"{cls}.bind_tools") == "langchain_core.language_models.ChatModelWithTools"
    )


@pytest.mark.parametrize(
    "cls",
    ["langchain_ollama.OllamaLLM", "langchain_openai.OpenAI", "langchain_aws.BedrockLLM"],
)
def test_langchain_text_llms(kb, cls):
    assert kb.model_call(f"{cls}.invoke").api == "langchain.llm.invoke"


@pytest.mark.parametrize(("callee", "api", "mode", "kind"), POSITIVE)
def test_model_call_positive(kb, callee, api, mode, kind):
    mc = kb.model_call(callee)
    assert mc is not None, callee
    assert (mc.api, mc.mode, mc.kind) == (api, mode, kind)


NEGATIVE = [
    "openai.OpenAI.embeddings.create",
    "openai.OpenAI.models.list",
    "openai.OpenAI.moderations.create",
    "anthropic.Anthropic.messages.count_tokens",
    "anthropic.Anthropic.models.list",
    "anthropic.Anthropic.messages.batches.retrieve",
    "anthropic.Anthropic.beta.messages.count_tokens",
    "openai.OpenAI.batches.create",
    "openai.OpenAI.images.generate",
    "openai.OpenAI.audio.speech.create",
    "openai.OpenAI.beta.threads.runs.retrieve",
    "openai.OpenAI.beta.threads.messages.create",
    "openai.OpenAI.beta.assistants.create",
    "google.genai.Client.interactions.get",
    "vertexai.init",
    "groq.Groq.audio.transcriptions.create",
    "together.Together.embeddings.create",
    "huggingface_hub.InferenceClient.feature_extraction",
    "cohere.Client.rerank",
    "litellm.image_generation",
    "langchain_ollama.OllamaEmbeddings.embed_query",
    "haystack.components.generators.DALLEImageGenerator.run",
    "litellm.embedding",
    "google.genai.Client.models.embed_content",
    "google.genai.Client.models.count_tokens",
    "google.generativeai.embed_content",
    "mistralai.Mistral.embeddings.create",
    "cohere.ClientV2.embed",
    "ollama.embed",
    "ollama.list",
    "boto3.s3.put_object",
]


@pytest.mark.parametrize("callee", NEGATIVE)
def test_not_model_calls(kb, callee):
    assert kb.model_call(callee) is None


def test_declared_look_alikes_are_known(kb):
    assert kb.is_known_non_model_call("openai.OpenAI.embeddings.create")
    assert kb.is_known_non_model_call("anthropic.AsyncAnthropic.messages.count_tokens")
    assert not kb.is_known_non_model_call("openai.OpenAI.chat.completions.create")


def test_tools_offered(kb):
    assert "tools" in kb.model_call("openai.OpenAI.chat.completions.create").tools_kw
    assert "tools" in kb.model_call("anthropic.Anthropic.messages.create").tools_kw
    assert kb.model_call("boto3.bedrock_runtime.converse").tools_kw == ("toolConfig",)
    assert kb.model_call("langchain_core.language_models.ChatModelWithTools.invoke").tools_bound
    assert not kb.model_call("langchain_openai.ChatOpenAI.invoke").tools_bound
    assert kb.model_call("agents.Runner.run").tools_bound


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("alt", "canon"),
    [
        ("anthropic._client.Anthropic", "anthropic.Anthropic"),
        ("anthropic.lib.bedrock._client.AnthropicBedrock", "anthropic.AnthropicBedrock"),
        ("openai._client.OpenAI.chat.completions.create", "openai.OpenAI.chat.completions.create"),
        ("openai.lib.azure.AzureOpenAI", "openai.AzureOpenAI"),
        ("langchain_openai.chat_models.base.ChatOpenAI", "langchain_openai.ChatOpenAI"),
        ("langchain_openai.chat_models.ChatOpenAI.invoke", "langchain_openai.ChatOpenAI.invoke"),
        ("langchain.chat_models.ChatOpenAI", "langchain_community.chat_models.ChatOpenAI"),
        (
            "langchain_community.chat_models.openai.ChatOpenAI",
            "langchain_community.chat_models.ChatOpenAI",
        ),
        ("langchain.chat_models.init_chat_model", "langchain.chat_models.init_chat_model"),
        ("google.genai.client.Client", "google.genai.Client"),
        ("langgraph.graph.state.StateGraph", "langgraph.graph.StateGraph"),
        ("agents.run.Runner.run", "agents.Runner.run"),
        ("langfuse.openai.OpenAI", "openai.OpenAI"),
        ("langfuse.decorators.observe", "langfuse.observe"),
        ("tenacity.stop.stop_after_attempt", "tenacity.stop_after_attempt"),
        ("boto3.session.Session", "boto3.Session"),
        ("claude_agent_sdk.ClaudeAgentOptions", "claude_code_sdk.ClaudeCodeOptions"),
        ("openai.OpenAI", "openai.OpenAI"),
    ],
)
def test_canonical(kb, alt, canon):
    assert kb.canonical(alt) == canon


def test_external_roots(kb):
    for root in (
        "openai",
        "anthropic",
        "langchain_openai",
        "langgraph",
        "agents",
        "boto3",
        "google",
    ):
        assert kb.is_external_root(root)
    assert not kb.is_external_root("myproject")
    assert kb.is_external_module("google.genai")
    assert not kb.is_external_module("google.cloud.storage")
    assert kb.is_external_module("analyzer.runtime")


# --------------------------------------------------------------------------- types


def test_result_type_constructors(kb):
    assert kb.result_type("openai.OpenAI") == "openai.OpenAI"
    assert kb.result_type("openai.AzureOpenAI") == "openai.OpenAI"
    assert kb.result_type("openai.AsyncOpenAI") == "openai.AsyncOpenAI"
    assert kb.result_type("openai.AsyncAzureOpenAI") == "openai.AsyncOpenAI"
    assert kb.result_type("anthropic._client.Anthropic") == "anthropic.Anthropic"
    assert kb.result_type("langchain_openai.ChatOpenAI") == "langchain_openai.ChatOpenAI"
    assert kb.result_type("myproject.Thing") is None


def test_result_type_boto3_factories(kb):
    rt = "boto3.bedrock_runtime"
    assert kb.result_type("boto3.client", [(None, "bedrock-runtime")]) == rt
    assert kb.result_type("boto3.client", [("service_name", "bedrock-runtime")]) == rt
    assert kb.result_type("boto3.Session.client", [(None, "bedrock-runtime")]) == rt
    assert kb.result_type("boto3.session.Session.client", [(None, "bedrock-runtime")]) == rt
    assert kb.result_type("boto3.client", [(None, "s3")]) is None
    assert kb.result_type("boto3.client", [(None, None)]) is None
    assert kb.result_type("aioboto3.Session.client", [(None, "bedrock-runtime")]) == (
        "aioboto3.bedrock_runtime"
    )
    assert kb.model_call(f"{rt}.converse") is not None


def test_result_type_generating_pipelines(kb):
    pipe = "transformers.TextGenerationPipeline"
    assert kb.result_type("transformers.pipeline", [(None, "text-generation")]) == pipe
    assert kb.result_type("transformers.pipeline", [("task", "summarization")]) == pipe
    assert kb.result_type("transformers.pipeline", [(None, "sentiment-analysis")]) is None
    assert kb.result_type("transformers.AutoModelForCausalLM.from_pretrained") == (
        "transformers.PreTrainedModel"
    )


def test_result_type_chain_factories(kb):
    seq = "langchain_core.runnables.RunnableSequence"
    assert kb.result_type("langchain.chains.create_retrieval_chain") == seq
    assert kb.result_type("langchain_classic.chains.create_retrieval_chain") == seq
    assert kb.result_type("langchain.chains.combine_documents.create_stuff_documents_chain") == seq
    assert kb.result_type("langchain.chains.RetrievalQA.from_chain_type") == (
        "langchain.chains.RetrievalQA"
    )
    assert kb.result_type("openai.OpenAI.with_options") == "openai.OpenAI"
    assert kb.result_type("google.genai.Client.aio.chats.create") == "google.genai.AsyncChat"
    assert kb.result_type("camel.models.ModelFactory.create") == "camel.models.BaseModelBackend"
    assert kb.result_type("vertexai.agent_engines.get") == "vertexai.agent_engines.AgentEngine"
    assert kb.result_type("vertexai.Client.agent_engines.get") == (
        "vertexai.agent_engines.AgentEngine"
    )
    assert (
        kb.result_type("vertexai.language_models.ChatModel.from_pretrained")
        == "vertexai.language_models.ChatModel"
    )


def test_result_type_methods(kb):
    chat = "langchain_openai.ChatOpenAI"
    assert (
        kb.result_type(f"{chat}.bind_tools") == "langchain_core.language_models.ChatModelWithTools"
    )
    assert kb.result_type(f"{chat}.with_structured_output") == chat
    assert kb.result_type(f"{chat}.with_retry") == chat
    assert kb.result_type("langchain.chat_models.init_chat_model") == (
        "langchain_core.language_models.BaseChatModel"
    )
    assert kb.result_type("langgraph.graph.StateGraph.compile") == (
        "langgraph.graph.state.CompiledStateGraph"
    )
    react = kb.result_type("langgraph.prebuilt.create_react_agent")
    assert kb.model_call(f"{react}.invoke").api == "langgraph.graph.invoke"
    assert kb.result_type("instructor.from_openai") == "instructor.Instructor"
    assert (
        kb.result_type("instructor.from_provider", [(None, "openai/gpt-4o")])
        == "instructor.Instructor"
    )
    assert (
        kb.result_type(
            "instructor.from_provider", [(None, "openai/gpt-4o"), ("async_client", True)]
        )
        == "instructor.AsyncInstructor"
    )
    assert kb.result_type("google.genai.Client.chats.create") == "google.genai.Chat"
    assert kb.result_type("google.generativeai.GenerativeModel.start_chat") == (
        "google.generativeai.ChatSession"
    )
    assert kb.result_type("logging.getLogger", [(None, "x")]) == "logging.Logger"


def test_attribute_type(kb):
    assert kb.attribute_type("google.genai.Client", "models") == "google.genai.Models"
    assert kb.attribute_type("google.genai.Client", "aio") == "google.genai.AsyncClient"
    assert kb.attribute_type("google.genai.AsyncClient", "models") == "google.genai.AsyncModels"
    assert kb.attribute_type("openai.OpenAI", "nonexistent") is None


def test_compose_lcel(kb):
    prompt = "langchain_core.prompts.ChatPromptTemplate"
    parser = "langchain_core.output_parsers.StrOutputParser"
    seq = kb.compose_type("|", prompt, "langchain_openai.ChatOpenAI")
    assert seq == "langchain_core.runnables.RunnableSequence"
    assert kb.compose_type("|", seq, parser) == seq
    assert kb.compose_type("|", None, "langchain_anthropic.ChatAnthropic") == seq
    plain = kb.compose_type("|", prompt, parser)
    assert plain == "langchain_core.runnables.Runnable"
    assert kb.model_call(f"{plain}.invoke") is None
    assert kb.compose_type("|", None, None) is None
    assert kb.compose_type("+", prompt, "langchain_openai.ChatOpenAI") is None


# --------------------------------------------------------------------------- bounds


def test_langgraph_recursion_limit_by_version(kb):
    c = kb.construct("langgraph.prebuilt.create_react_agent")
    assert c.agentic and c.kind == "agent"
    (b,) = c.bounds
    assert (b.param, b.where, b.container) == ("recursion_limit", "config", "config")
    assert b.default_for("0.2.60") == 25
    assert b.default_for("1.0.5") == 25
    assert b.default_for("1.0.6") == 10000
    assert b.default_for("1.1.3") == 10000
    assert b.default_for("1.1.4") == 10007
    assert b.default_for(None) == 10007
    assert b.nominal
    run = kb.construct("langgraph.graph.state.CompiledStateGraph.invoke")
    assert run.bounds[0].param == "recursion_limit"


@pytest.mark.parametrize(
    ("callee", "param", "default", "where"),
    [
        ("agents.Runner.run", "max_turns", 10, "run"),
        ("smolagents.CodeAgent", "max_steps", 20, "ctor"),
        ("smolagents.ToolCallingAgent", "max_steps", 20, "ctor"),
        ("pydantic_ai.Agent.run", "request_limit", 50, "config"),
        ("crewai.Agent", "max_iter", 25, "ctor"),
        ("langchain.agents.AgentExecutor", "max_iterations", 15, "ctor"),
        ("langchain.agents.create_agent", "recursion_limit", 9999, "config"),
        ("browser_use.Agent.run", "max_steps", 500, "run"),
        ("autogen_agentchat.teams.RoundRobinGroupChat", "max_turns", None, "ctor"),
        ("dspy.ReAct", "max_iters", 20, "ctor"),
        ("llama_index.core.agent.ReActAgent", "max_iterations", 10, "ctor"),
        ("claude_code_sdk.query", "max_turns", None, "config"),
        ("anthropic.Anthropic.beta.messages.tool_runner", "max_iterations", None, "run"),
        ("analyzer.runtime.agent_loop", "max_steps", 10, "run"),
        # frameworks read in their own source (versions in each entry's docstring)
        ("agno.agent.Agent", "tool_call_limit", None, "ctor"),
        ("agno.agent.agent.Agent", "tool_call_limit", None, "ctor"),
        ("agno.team.Team", "tool_call_limit", None, "ctor"),
        ("agno.team.Team", "max_iterations", 10, "ctor"),
        ("agno.workflow.Loop", "max_iterations", 3, "ctor"),
        ("google.adk.runners.Runner", "max_llm_calls", 500, "config"),
        ("google.adk.runners.InMemoryRunner", "max_llm_calls", 500, "config"),
        ("google.adk.runners.Runner.run_async", "max_llm_calls", 500, "config"),
        ("google.adk.agents.LoopAgent", "max_iterations", None, "ctor"),
        ("google.adk.agents.Agent", "max_llm_calls", 500, "config"),
        ("swarm.Swarm.run", "max_turns", None, "run"),
        ("camel.agents.ChatAgent", "max_iteration", None, "ctor"),
        ("metagpt.team.Team.run", "n_round", 3, "run"),
        ("metagpt.roles.Role", "max_react_loop", 1, "ctor"),
        ("semantic_kernel.agents.ChatCompletionAgent", "maximum_auto_invoke_attempts", 5, "config"),
        ("semantic_kernel.agents.AgentGroupChat", "maximum_iterations", 5, "config"),
        ("semantic_kernel.agents.RoundRobinGroupChatManager", "max_rounds", None, "ctor"),
        ("semantic_kernel.agents.StandardMagenticManager", "max_stall_count", 3, "ctor"),
        ("haystack.components.agents.Agent", "max_agent_steps", 100, "ctor"),
        ("haystack.Pipeline", "max_runs_per_component", 100, "ctor"),
        ("letta_client.Letta.agents.messages.create", "max_steps", 50, "run"),
        ("autogen_agentchat.agents.AssistantAgent", "max_tool_iterations", 1, "ctor"),
        ("autogen_agentchat.teams.SelectorGroupChat", "max_turns", None, "ctor"),
        ("autogen_agentchat.teams.Swarm", "max_turns", None, "ctor"),
        ("autogen_agentchat.teams.MagenticOneGroupChat", "max_turns", 20, "ctor"),
        ("autogen_agentchat.teams.MagenticOneGroupChat", "max_stalls", 3, "ctor"),
        ("autogen.ConversableAgent", "max_consecutive_auto_reply", 100, "ctor"),
        ("autogen.GroupChat", "max_round", 10, "ctor"),
        ("autogen.ConversableAgent.initiate_chat", "max_turns", None, "run"),
        ("autogen_agentchat.conditions.MaxMessageTermination", "max_messages", None, "ctor"),
        ("dspy.ReActV2", "max_iters", 20, "ctor"),
        ("dspy.CodeAct", "max_iters", 5, "ctor"),
        ("dspy.ProgramOfThought", "max_iters", 3, "ctor"),
        ("dspy.RLM", "max_llm_calls", 50, "ctor"),
        ("dspy.Refine", "N", None, "ctor"),
        ("dspy.BestOfN", "N", None, "ctor"),
        ("llama_index.core.agent.workflow.FunctionAgent", "max_iterations", 20, "run"),
        ("llama_index.core.agent.workflow.AgentWorkflow", "max_iterations", 20, "run"),
        ("llama_index.core.workflow.Workflow", "timeout", 45.0, "ctor"),
        ("browser_use.Agent.run_sync", "max_steps", 500, "run"),
    ],
)
def test_framework_bounds(kb, callee, param, default, where):
    c = kb.construct(callee)
    assert c is not None, callee
    b = next(b for b in c.bounds if b.param == param)
    assert (b.default, b.where) == (default, where)
    assert c.default_bound_note


def test_framework_patterns(kb):
    """Framework constructs that implement a workflow pattern say which one."""
    assert kb.construct("google.adk.agents.ParallelAgent").pattern == "parallelization_sectioning"
    assert kb.construct("google.adk.agents.SequentialAgent").pattern == "prompt_chaining"
    assert kb.construct("agno.workflow.Parallel").pattern == "parallelization_sectioning"
    assert kb.construct("agno.workflow.Router").pattern == "routing"
    assert kb.construct("camel.societies.workforce.Workforce").pattern == "orchestrator_workers"
    assert kb.construct("dspy.Refine").pattern == "evaluator_optimizer"
    assert kb.construct("dspy.BestOfN").pattern == "parallelization_voting"
    conc = kb.construct("semantic_kernel.agents.ConcurrentOrchestration")
    assert conc.pattern == "parallelization_sectioning"
    assert kb.construct("agno.team.Team").agentic
    assert kb.construct("swarm.Swarm.run").runs == ("agent", 0)
    assert kb.construct("letta_client.Letta.agents.messages.create").agentic
    assert kb.construct("dspy.ReAct").bounds[0].extra_calls == 1


def test_framework_retries_and_tracing(kb):
    assert kb.retry("agno.agent.Agent").default_limit == 0
    assert kb.retry("camel.agents.ChatAgent").default_limit == 3
    assert kb.retry("dspy.LM").limit_params == ("num_retries",)
    assert kb.retry("letta_client.Letta").default_limit == 2
    assert "max_retries" in kb.retry("mirascope.llm.retry").limit_params
    assert kb.tracing("agno.tracing.setup_tracing").kind == "instrument"
    assert not kb.framework_default_tracing("google_adk")


def test_construct_agentic_params(kb):
    agent = kb.construct("agents.Agent")
    assert {"tools", "handoffs"} <= set(agent.agentic_params)
    assert kb.construct("agents.Runner.run").runs == ("starting_agent", 0)
    assert kb.construct("agents.Runner.run").bounds[0].unbounded_values == (None,)
    assert kb.construct("smolagents.CodeAgent").agentic
    assert kb.construct("langchain.agents.AgentExecutor").bounds[1].param == "max_execution_time"
    entry = kb.construct("langgraph.func.entrypoint")
    assert entry.decorator and entry.decorates_into
    assert kb.construct("crewai.flow.flow.router").kind == "route"


def test_version_matches():
    assert version_matches("1.0.5", "<=1.0.5")
    assert not version_matches("1.0.6", "<=1.0.5")
    assert version_matches("1.1.0rc1", ">=1.0.6,<1.1.4")


# --------------------------------------------------------------------------- retries


def test_tenacity(kb):
    r = kb.retry("tenacity.retry")
    assert r.kind == "decorator" and r.stop_param == "stop"
    assert not r.bounded_by_default  # no stop= retries forever
    assert kb.retry("tenacity.Retrying").stop_param == "stop"
    stop = kb.retry("tenacity.stop_after_attempt")
    assert stop.kind == "stop" and stop.limit_pos == 0
    assert kb.retry("tenacity.stop_after_delay").limit_unit == "seconds"
    assert kb.retry("tenacity.stop_never").limit_params == ()


def test_backoff(kb):
    r = kb.retry("backoff.on_exception")
    assert set(r.limit_params) == {"max_tries", "max_time"}
    assert not r.bounded_by_default
    assert None in r.unbounded_values
    assert kb.retry("backoff.on_predicate") is not None


def test_sdk_and_framework_retries(kb):
    for client in ("openai.OpenAI", "openai.AsyncAzureOpenAI", "anthropic.Anthropic"):
        r = kb.retry(client)
        assert r.kind == "client" and r.default_limit == 2 and r.limit_params == ("max_retries",)
    assert kb.retry("langchain_openai.ChatOpenAI.with_retry").default_limit == 3
    assert kb.retry("mirascope.llm.retry").default_limit == 3
    assert kb.retry("agents.ModelRetrySettings").limit_params == ("max_retries",)


# --------------------------------------------------------------------------- tracing


@pytest.mark.parametrize(
    ("callee", "kind"),
    [
        ("logging.Logger.info", "log"),
        ("logging.info", "log"),
        ("logging.basicConfig", "config"),
        ("structlog.BoundLogger.info", "log"),
        ("loguru.logger.info", "log"),
        ("opentelemetry.trace.Tracer.start_as_current_span", "span"),
        ("opentelemetry.instrumentation.openai.OpenAIInstrumentor.instrument", "instrument"),
        ("opentelemetry.instrumentation.anthropic.AnthropicInstrumentor.instrument", "instrument"),
        ("openinference.instrumentation.langchain.LangChainInstrumentor.instrument", "instrument"),
        ("traceloop.sdk.Traceloop.init", "instrument"),
        ("logfire.configure", "config"),
        ("logfire.instrument_openai", "instrument"),
        ("logfire.span", "span"),
        ("logfire.instrument", "decorator"),
        ("agentops.init", "instrument"),
        ("agentops.sdk.decorators.operation", "decorator"),
        ("agentops.track_agent", "decorator"),
        ("langsmith.traceable", "decorator"),
        ("langsmith.run_helpers.traceable", "decorator"),
        ("langsmith.wrappers.wrap_openai", "wrapper"),
        ("langfuse.observe", "decorator"),
        ("langfuse.decorators.observe", "decorator"),
        ("langfuse.openai", "import"),
        ("weave.op", "decorator"),
        ("weave.init", "instrument"),
        ("mlflow.openai.autolog", "instrument"),
        ("mlflow.langchain.autolog", "instrument"),
        ("mlflow.trace", "decorator"),
        ("agents.set_tracing_disabled", "switch"),
        ("agents.RunConfig", "switch"),
    ],
)
def test_tracing_specs(kb, callee, kind):
    spec = kb.tracing(callee)
    assert spec is not None, callee
    assert spec.kind == kind


def test_tracing_details(kb):
    span = kb.tracing("opentelemetry.trace.Tracer.start_as_current_span")
    assert {"call", "context", "decorator"} <= set(span.forms)
    assert not kb.tracing("opentelemetry.trace.get_tracer").counts
    assert not kb.tracing("langsmith.Client").counts
    off = kb.tracing("agents.set_tracing_disabled")
    assert off.disables_when[0].holds(((None, True),))
    assert not off.disables_when[0].holds(((None, False),))
    assert kb.tracing("agents.RunConfig").disables_when[0].holds((("tracing_disabled", True),))
    assert kb.tracing("builtins.print") is None
    assert kb.passthrough_arg("langsmith.wrappers.wrap_openai") == 0


def test_default_tracing_and_env(kb):
    assert kb.framework_default_tracing("openai_agents")
    assert kb.framework_default_tracing("archlint_runtime")
    assert not kb.framework_default_tracing("langchain")
    assert not kb.framework_default_tracing("openai")
    assert not kb.env_switch("OPENAI_AGENTS_DISABLE_TRACING").enables
    assert kb.env_switch("LANGSMITH_TRACING").enables
    assert "langgraph" in kb.env_switch("LANGCHAIN_TRACING_V2").frameworks


# --------------------------------------------------------------------------- structure


def test_labels_follow_scheme(kb):
    for mc in kb.all_model_calls():
        assert LABEL_RE.match(mc.api), mc.api
        assert mc.api.startswith(mc.provider + "."), (mc.api, mc.provider)
        assert mc.kind in ("model", "framework_run")
        assert mc.mode in ("sync", "async", "stream")
        assert mc.framework


def test_entry_keys_unique():
    keys = [e.key for e in ENTRIES]
    assert len(keys) == len(set(keys))


def _expectations(path: Path) -> list[str]:
    return [m.group(1) for line in path.read_text().splitlines() if (m := EXPECT.search(line))]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.key)
def test_every_entry_has_a_fixture(kb, entry):
    folder = FIXTURES / entry.key
    assert folder.is_dir(), f"missing fixtures/sdk/{entry.key}/"
    labels = [x for f in sorted(folder.rglob("*.py")) for x in _expectations(f)]
    assert labels, f"no '# expect-llm:' line in fixtures/sdk/{entry.key}/"
    known = {mc.api for mc in kb.all_model_calls()}
    for label in labels:
        assert label == "none" or label in known, label
    for f in folder.rglob("*.py"):
        compile(f.read_text(), str(f), "exec")


def test_no_stray_fixture_dirs():
    keys = {e.key for e in ENTRIES}
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} <= keys


def test_picklable(kb):
    assert pickle.loads(pickle.dumps(kb.model_call("openai.OpenAI.chat.completions.create"))).api
    assert pickle.loads(pickle.dumps(kb.construct("langgraph.prebuilt.create_react_agent"))).bounds
    clone = pickle.loads(pickle.dumps(kb))
    assert clone.model_call("litellm.completion").api == "litellm.completion"


def test_lookups_are_fast(kb):
    import time

    names = [c for c, *_ in POSITIVE] + NEGATIVE + ["myproj.helpers.call", "numpy.array"] * 20
    fresh = load_knowledge()
    t0 = time.perf_counter()
    for _ in range(20):
        for n in names:
            fresh.model_call(n)
            fresh.result_type(n)
    assert time.perf_counter() - t0 < 2.0


# --------------------------------------------------------------------------- renaming

_MISSES = {
    line.split("#", 1)[0].strip()
    for line in (Path(__file__).parent / "known_misses.txt").read_text().splitlines()
}
SDK_DIRS = [
    pytest.param(
        p,
        id=p.name,
        marks=[pytest.mark.xfail(strict=True, reason="known miss")]
        if f"rename:sdk/{p.name}" in _MISSES
        else [],
    )
    for p in sorted(FIXTURES.iterdir())
    if p.is_dir()
]


@pytest.mark.parametrize("project", SDK_DIRS)
def test_sdk_recognition_survives_renaming(project: Path, tmp_path: Path):
    """Model calls are recognised from the SDK's API, not from the names the project
    chose: renaming every identifier and file a fixture defines finds the same calls
    (same lines, same labels) and classifies the same units the same way."""
    from tests.helpers import analyze_dir, unit_view
    from tests.renamer import rename_project

    rename_project(project, tmp_path)
    before, after = analyze_dir(str(project)), analyze_dir(str(tmp_path))
    assert not after.errors, after.errors

    def calls(result) -> list[tuple[int, str]]:
        return sorted((c.line, c.api) for u in result.units for c in u.llm_calls if not c.via)

    def views(result) -> list[tuple]:
        return sorted(
            tuple(sorted((k, str(v)) for k, v in unit_view(u).items())) for u in result.units
        )

    assert calls(after) == calls(before)
    assert views(after) == views(before)
