"""`archlint proposal` on our three proposals: the expected findings, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from analyzer.cli import main

HERE = Path(__file__).resolve().parents[2] / "fixtures" / "proposals"


def run(*args: str):
    result = CliRunner().invoke(main, ["proposal", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def test_honest_proposal_has_no_findings():
    code, data = run(str(HERE / "honest.md"))
    assert code == 0
    assert data["findings"] == []
    assert data["systems_in_doc"]  # its Python block was analysed


def test_vague_proposal_flags_every_phrase_with_line_and_alternative():
    code, data = run(str(HERE / "vague.md"))
    assert code == 1
    found = {(f["line"], f["id"]) for f in data["findings"]}
    assert found == {
        (3, "ai-agent"),
        (4, "agentic"),
        (4, "figures-out"),
        (5, "automated"),
        (5, "deterministic"),
        (6, "keeps-trying"),
        (6, "self-healing"),
        (7, "autonomous"),
        (7, "take-actions"),
        (8, "manager-llm"),
        (8, "right-model"),
        (8, "in-parallel"),
    }
    assert all(f["instead"] and f["why"] for f in data["findings"])


def test_contradicted_proposal_cites_sentence_and_code():
    code, data = run(str(HERE / "contradicted.md"), "--code", str(HERE / "contradicted_code"))
    assert code == 1
    by_id = {f["id"]: f for f in data["findings"] if f["kind"] == "contradiction"}
    assert set(by_id) == {"claim-workflow", "claim-bounded", "claim-audited"}
    assert by_id["claim-workflow"]["line"] == 3
    assert by_id["claim-bounded"]["line"] == 4
    assert by_id["claim-audited"]["line"] == 5
    for f in by_id.values():
        assert f["sentence"]
        assert f["code"] and all(r["path"] == "research.py" for r in f["code"])
    assert any(r["line"] == 16 for r in by_id["claim-bounded"]["code"])  # the while True


def test_text_output_names_lines_and_alternatives():
    result = CliRunner().invoke(main, ["proposal", str(HERE / "vague.md")])
    assert "vague.md:3:" in result.output and "say instead:" in result.output
    result = CliRunner().invoke(main, ["proposal", str(HERE / "vague.md"), "--exit-zero"])
    assert result.exit_code == 0
