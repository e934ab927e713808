"""The demo entry point and the JSONL sink."""

from __future__ import annotations

import io
import json

import pytest

from analyzer.runtime import JsonlSink, ScriptedModel, Tracer, chain
from analyzer.runtime.demo import DEMO_PATTERNS, run_demo


@pytest.mark.parametrize("pattern", DEMO_PATTERNS)
def test_every_demo_runs_and_prints_its_trace(pattern):
    text = run_demo(pattern)
    lines = text.splitlines()
    assert any(line.startswith("run ") for line in lines)
    assert lines[-1].startswith(("result: stop_reason=", "stopped: "))


def test_demo_names_match_the_issue():
    assert DEMO_PATTERNS == (
        "chain",
        "route",
        "parallel",
        "vote",
        "orchestrate",
        "evaluate",
        "agent",
    )
    with pytest.raises(ValueError, match="choose from"):
        run_demo("swarm")


def test_jsonl_sink_gets_every_event_including_the_failure(retry):
    buffer = io.StringIO()
    tracer = Tracer([JsonlSink(buffer)], otel=None)
    with pytest.raises(RuntimeError):
        chain(
            ScriptedModel(["a", RuntimeError("model crashed")]),
            ["{input}", "{input}"],
            "x",
            tracer=tracer,
            retry=retry,
        )
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert records == [e.to_dict() for e in tracer.events]
    assert [r["kind"] for r in records] == ["model", "step", "model", "step", "run"]
    assert records[-1]["stop_reason"] == "error"
    assert "model crashed" in records[-1]["error"]
    assert {r["pattern"] for r in records} == {"prompt_chaining"}


def test_jsonl_sink_to_a_path(tmp_path, retry):
    path = tmp_path / "trace.jsonl"
    sink = JsonlSink(path)
    chain(ScriptedModel(["a"]), ["{input}"], "x", tracer=Tracer([sink], otel=None), retry=retry)
    sink.close()
    kinds = [json.loads(line)["kind"] for line in path.read_text().splitlines()]
    assert kinds == ["model", "step", "run"]


def kinds(text: str) -> list[str]:
    return sorted(line.split()[0] for line in text.splitlines())


@pytest.mark.parametrize("pattern", DEMO_PATTERNS)
def test_every_async_demo_leaves_the_same_trace_as_the_sync_one(pattern):
    sync, awaited = run_demo(pattern), run_demo(pattern, use_async=True)
    assert kinds(awaited) == kinds(sync)
    assert awaited.splitlines()[-1] == sync.splitlines()[-1]


def test_cli_demo_async():
    from click.testing import CliRunner

    from analyzer.cli import main

    result = CliRunner().invoke(main, ["demo", "agent", "--async"])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("output='It is 18°C in Paris.'")
    assert "tool=forecast  error=unknown tool 'forecast'" in result.output
