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


def test_claims_about_completion_cost_correctness_autonomy_are_checked_against_code():
    code, data = run(str(HERE / "claims.md"), "--code", str(HERE / "contradicted_code"))
    assert code == 1
    by_id = {f["id"]: f for f in data["findings"] if f["kind"] == "contradiction"}
    # "guaranteed to finish every task" next to an unbounded loop is a contradiction
    assert by_id["claim-completion"]["line"] == 3
    assert any(r["line"] == 16 for r in by_id["claim-completion"]["code"])
    assert by_id["claim-bounded"]["line"] == 4  # "costs a fixed amount"
    assert by_id["claim-correctness"]["line"] == 5  # "self-corrects", "until … right"
    vague = {(f["line"], f["id"]) for f in data["findings"] if f["kind"] == "vague"}
    assert {(5, "self-healing"), (5, "keeps-trying")} <= vague
    # a claim the code bears out is reported with its evidence, not as a finding
    (autonomy,) = [c for c in data["claims"] if c["claim"] == "autonomy"]
    assert autonomy["verdict"] == "supported" and autonomy["code"]
    assert "(line " not in json.dumps(data["findings"])


def test_word_forms_match_one_claim():
    import re

    from analyzer.report.proposal_phrases import CLAIMS, VAGUE

    def claims_in(text: str) -> set[str]:
        return {c.claim for c in CLAIMS if re.search(c.pattern, text, re.I)}

    for text in ("It self-corrects.", "A self-correcting loop.", "Self-correction built in."):
        assert "correctness" in claims_in(text), text
        assert any(v.id == "self-healing" and re.search(v.pattern, text, re.I) for v in VAGUE)
    for text in ("guaranteed to finish every task", "It always completes.", "ensures completion"):
        assert "completion" in claims_in(text), text
    for text in ("costs a fixed amount", "a fixed cost per run", "predictable pricing"):
        assert "bounded" in claims_in(text), text
    for text in ("runs without human oversight", "acts autonomously", "decides on its own"):
        assert "autonomy" in claims_in(text), text
    for text in ("fully traceable", "every decision is recorded", "a complete audit trail"):
        assert "audited" in claims_in(text), text
    assert claims_in("One model call classifies the ticket.") == set()


def test_a_supported_claim_shows_its_evidence_in_text():
    result = CliRunner().invoke(main, ["proposal", str(HERE / "honest.md")])
    assert result.exit_code == 0
    assert "claims the code supports:" in result.output
