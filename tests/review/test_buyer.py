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


def test_classify_ranks_systems_and_summarises_beyond_the_top(tmp_path):
    from tests.review.bigproject import write_big_project

    root = write_big_project(tmp_path / "big", systems=40)
    runner = CliRunner()
    r = runner.invoke(main, ["classify", str(root), "--top", "5", "-j", "1"])
    assert r.exit_code == 0, r.output
    text = r.output
    assert "40 systems, riskiest first: the 5 riskiest are described in full" in text
    assert text.count("Questions for the vendor") == 5
    full, rest = text.split("The other systems", 1)
    # the riskiest (agent loops with no stop condition) come first
    assert "run_customer_support_agent" in full.split("Questions for the vendor")[0]
    assert len([ln for ln in rest.splitlines() if ln.startswith("  ")]) == 35
    assert len(text.splitlines()) < 120
    data = json.loads(runner.invoke(main, ["classify", str(root), "--format", "json"]).output)
    assert len(data["systems"]) == 40 and all("where" in v for v in data["systems"])
