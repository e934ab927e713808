"""`archlint classify`: the buyer's page per system, in text, Markdown and JSON."""

from __future__ import annotations

import json

from click.testing import CliRunner

from analyzer.cli import main
from tests.review.test_reports import FIXTURES


def classify(rel: str, fmt: str) -> str:
    result = CliRunner().invoke(main, ["classify", str(FIXTURES / rel), "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.output


def test_agent_loop_without_bound_is_unpredictable_with_vendor_questions():
    data = json.loads(classify("twins/agent_without_bound", "json"))
    (view,) = data["systems"]
    assert view["kind"] == "agent loop"
    assert view["predictable"] is False
    text = " ".join(view["questions"])
    for topic in ("Scope of tools", "Credentials", "Stop conditions", "Traces"):
        assert topic in text


def test_workflow_is_predictable_and_says_so_in_text_and_markdown():
    text = classify("patterns/prompt_chaining/raw_anthropic", "text")
    assert "workflow" in text and "Predictable: at most" in text
    md = classify("patterns/prompt_chaining/raw_anthropic", "markdown")
    assert md.startswith("# What this software is") and "### Questions for the vendor" in md
