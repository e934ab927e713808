"""`archlint analyze`: the JSON contract, determinism, and bad input that never crashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import main
from tests.helpers import FIXTURES, expected_projects

SCHEMA = Path(__file__).resolve().parent.parent / "analyzer" / "schema" / "analyze.schema.json"


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_help_lists_the_commands():
    code, out = run_cli("--help")
    assert code == 0
    for command in ("analyze", "graph", "demo"):
        assert command in out


@pytest.mark.parametrize(
    "project",
    expected_projects("patterns", "twins"),
    ids=lambda p: p.relative_to(FIXTURES).as_posix(),
)
def test_json_output_validates_against_the_schema(project: Path):
    jsonschema = pytest.importorskip("jsonschema")
    code, out = run_cli("analyze", str(project), "--format", "json", "-j", "1")
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert data["units"], "every fixture reaches at least one model call"


def test_all_fixtures_at_once_are_byte_identical_across_runs_and_job_counts():
    code1, first = run_cli("analyze", str(FIXTURES), "--format", "json", "-j", "1")
    code2, second = run_cli("analyze", str(FIXTURES), "--format", "json", "-j", "2")
    code3, third = run_cli("analyze", str(FIXTURES), "--format", "json", "-j", "2")
    assert code1 == code2 == code3 == 0
    assert first == second == third


def test_text_format_summarises_systems():
    project = FIXTURES / "patterns" / "agent_loop" / "raw_anthropic"
    code, out = run_cli("analyze", str(project))
    assert code == 0
    assert "SupportBot.run" in out and "agent_loop" in out


GOOD = """\
import anthropic

client = anthropic.Anthropic()


def ask(prompt):
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": prompt}])
"""


def make_bad_inputs(root: Path) -> int:
    """A folder of every kind of bad input plus one good file; returns the bad-input count."""
    (root / "good.py").write_text(GOOD)
    (root / "syntax.py").write_text("def broken(:\n    pass\n")
    (root / "notebook.ipynb").write_text("{ this is not json")
    (root / "binary.py").write_bytes(b"\x00\x01\x02\xff\xfe" * 100)
    (root / "latin1.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nNAME = '\xe9t\xe9'\n"
    )  # valid: must not be an error
    (root / "empty.py").write_text("")  # valid: must not be an error
    (root / "huge.py").write_text("x = 1\n" * 900_000)  # ~5 MB
    loop = root / "loop"
    loop.mkdir()
    (loop / "again").symlink_to(loop, target_is_directory=True)
    return 4  # syntax, notebook, binary, huge


def test_bad_inputs_become_errors_and_the_good_file_is_still_analysed(tmp_path: Path):
    bad = make_bad_inputs(tmp_path)
    code, out = run_cli("analyze", str(tmp_path), "--format", "json", "-j", "1")
    assert code == 0
    data = json.loads(out)
    paths = sorted(e["path"] for e in data["errors"])
    assert paths == sorted(["syntax.py", "notebook.ipynb", "binary.py", "huge.py"])
    assert len(data["errors"]) == bad
    syntax = next(e for e in data["errors"] if e["path"] == "syntax.py")
    assert syntax["line"] == 1
    assert [(u["path"], u["qualname"]) for u in data["units"]] == [("good.py", "ask")]
    assert data["units"][0]["llm_calls"] == [
        {"path": "good.py", "cell": None, "line": 7, "api": "anthropic.messages.create"}
    ]


def test_facts_cache_gives_the_same_output(tmp_path: Path, monkeypatch):
    project = FIXTURES / "patterns" / "routing" / "raw_anthropic"
    code, plain = run_cli("analyze", str(project), "--format", "json", "-j", "1")
    monkeypatch.setenv("ARCHLINT_CACHE_DIR", str(tmp_path / "cache"))
    _, cold = run_cli("analyze", str(project), "--format", "json", "-j", "1")
    assert list((tmp_path / "cache").rglob("*.pickle")), "facts were cached"
    _, warm = run_cli("analyze", str(project), "--format", "json", "-j", "1")
    assert code == 0 and plain == cold == warm


def test_demo_accepts_the_readme_pattern_names_and_lists_them():
    from analyzer.commands.demo_names import PATTERN_DEMOS
    from analyzer.results import PATTERNS

    code, out = run_cli("demo", "--help")
    assert code == 0
    for name in PATTERNS[:-1]:  # every pattern the runtime implements (not single_call)
        assert name in out, name
        assert PATTERN_DEMOS[name] in out
    code, long = run_cli("demo", "agent_loop")
    assert code == 0 and "agent_loop" in long
    assert run_cli("demo", "agent") == (code, long)
    assert run_cli("demo", "evaluator-optimizer")[0] == 0
    code, out = run_cli("demo", "nope")
    assert code == 2 and "agent_loop (agent)" in out
