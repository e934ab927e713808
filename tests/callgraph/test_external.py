"""External libraries: SDK calls named by their qualified API, with or without the KB."""

from __future__ import annotations

from tests.callgraph.conftest import build, calls_from, find_call


class Boom:
    """A knowledge base that fails on every question: the graph must not care."""

    def __getattr__(self, name):
        def fail(*a, **k):
            raise RuntimeError("kb down")

        return fail


def test_openai_client_on_self_and_module():
    cg = build(
        "from openai import OpenAI\nimport anthropic\n"
        "client = OpenAI()\n"
        "class Bot:\n"
        "    def __init__(self):\n        self.llm = anthropic.Anthropic()\n"
        "    def ask(self):\n        return self.llm.messages.create(model='m')\n"
        "def chat():\n    return client.chat.completions.create(model='m')\n"
    )
    assert calls_from(cg, "main.Bot.ask") == {"anthropic.Anthropic.messages.create"}
    assert calls_from(cg, "main.chat") == {"openai.OpenAI.chat.completions.create"}
    call = find_call(cg, "main.py", "client.chat.completions.create")
    (t,) = cg.targets("main.py", call.cid)
    assert (t.kind, t.name) == ("external", "openai.OpenAI.chat.completions.create")


def test_async_with_client_and_value_types():
    cg = build(
        "from anthropic import AsyncAnthropic\n"
        "async def go():\n"
        "    async with AsyncAnthropic() as c:\n"
        "        r = await c.messages.create(model='m')\n"
        "    return r\n"
    )
    assert calls_from(cg, "main.go") == {
        "anthropic.AsyncAnthropic",
        "anthropic.AsyncAnthropic.messages.create",
    }
    assert cg.value_types("main.py::go", "c") == {"anthropic.AsyncAnthropic"}
    assert cg.value_types("main.py::go", "r") == {"anthropic.AsyncAnthropic.messages.create"}


def test_knowledge_base_types_results():
    cg = build(
        "import boto3\n"
        "def go():\n"
        "    rt = boto3.client('bedrock-runtime')\n"
        "    return rt.converse(modelId='x')\n",
        kb=None,  # conftest passes a blank KB; use the real one below
    )
    from analyzer.callgraph import build_call_graph
    from tests.callgraph.conftest import FakeProject

    real = build_call_graph(FakeProject(None, cg.modules))
    got = calls_from(real, "main.go")
    assert "boto3.client" in got
    assert any(g.endswith(".converse") for g in got)


def test_failing_knowledge_base_degrades():
    cg = build("from openai import OpenAI\nOpenAI().models.list()\n", kb=Boom())
    assert calls_from(cg, "main") == {"openai.OpenAI", "openai.OpenAI.models.list"}


def test_self_attr_types():
    cg = build(
        "from openai import OpenAI\n"
        "class S:\n"
        "    def __init__(self):\n        self.client: OpenAI = make()\n"
        "    def run(self):\n        pass\n"
        "def make():\n    ...\n"
    )
    assert cg.value_types("main.py::S.run", "self.client") == {"openai.OpenAI"}
