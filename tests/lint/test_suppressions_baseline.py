"""Suppression comments, user rule packs, and baselines."""

from __future__ import annotations

import json

from tests.lint.conftest import RETRY


def _findings(archlint, root, *extra):
    r = archlint("check", root, "--format", "json", *extra)
    return [(f["rule"], f["path"], f["line"]) for f in json.loads(r.output)["findings"]]


def test_suppression_on_the_line_and_the_line_above(project, archlint):
    same = RETRY.replace(
        "@retry(wait=wait_exponential())",
        "@retry(wait=wait_exponential())  # archlint: ignore[AL102]",
    )
    above = RETRY.replace(
        "@retry(wait=wait_exponential())",
        "# archlint: ignore[unbounded-retry]\n@retry(wait=wait_exponential())",
    )
    for code in (same, above):
        root = project({"app.py": code})
        assert not [f for f in _findings(archlint, root) if f[0] == "unbounded-retry"]


def test_suppression_of_another_rule_does_not_hide(project, archlint):
    code = RETRY.replace(
        "@retry(wait=wait_exponential())",
        "@retry(wait=wait_exponential())  # archlint: ignore[AL103]",
    )
    root = project({"app.py": code})
    assert ("unbounded-retry", "app.py", 7) in _findings(archlint, root)


def test_file_level_suppression(project, archlint):
    root = project({"app.py": "# archlint: ignore-file[AL1]\n" + RETRY})
    assert _findings(archlint, root) == []
    root = project({"app.py": "# archlint: ignore-file[unbounded-retry]\n" + RETRY})
    assert [f[0] for f in _findings(archlint, root)] == ["absent-trace-logging"]


def test_unknown_suppression_is_reported(project, archlint):
    code = RETRY.replace(
        "@retry(wait=wait_exponential())",
        "@retry(wait=wait_exponential())  # archlint: ignore[unbounded-retries]",
    )
    root = project({"app.py": code})
    got = _findings(archlint, root)
    assert ("unknown-suppression", "app.py", 7) in got
    assert ("unbounded-retry", "app.py", 7) in got  # the misspelt name suppressed nothing


def test_user_rule_pack_from_cli_and_config(project, archlint, tmp_path):
    pack = tmp_path / "mypack"
    pack.mkdir()
    (pack / "no_litellm.py").write_text(
        """\
from analyzer.lint.engine import Example, Rule


class EveryUnit(Rule):
    name = "org-every-unit"
    code = "AL950"
    severity = "warning"
    summary = "Every unit is reported"
    docs = "## What it does\\nx\\n## Why it matters\\nx\\n## Example\\nx\\n## Use instead\\nx\\n"

    def check(self, ctx):
        for u in ctx.units:
            yield self.finding(u, u.line, "unit " + u.qualname)
""",
        encoding="utf-8",
    )
    root = project({"app.py": RETRY})
    got = _findings(archlint, root, "--rules", pack)
    assert ("org-every-unit", "app.py", 8) in got
    assert "AL950" in archlint("rules", "--rules", pack).output
    cfg_root = project(
        {
            "app.py": RETRY,
            "pyproject.toml": f'[tool.archlint]\nrule-packs = ["{pack.as_posix()}"]\n',
        }
    )
    assert ("org-every-unit", "app.py", 8) in _findings(archlint, cfg_root)


def test_baseline_adopts_legacy_findings(project, archlint, tmp_path):
    root = project({"app.py": RETRY})
    base = tmp_path / "baseline.json"
    r = archlint("check", root, "--write-baseline", base)
    assert r.exit_code == 0
    assert archlint("check", root, "--baseline", base).exit_code == 0
    # code moves: the same findings on other lines are still covered
    (root / "app.py").write_text("\n\n\n" + RETRY, encoding="utf-8")
    r = archlint("check", root, "--baseline", base)
    assert r.exit_code == 0, r.output
    assert "covered by the baseline" in r.output


def test_baseline_counts_duplicates(tmp_path):
    from analyzer.lint.baseline import apply_baseline, build_baseline, read_baseline, write_baseline
    from analyzer.results import Finding

    def f(line):
        return Finding(
            "unbounded-retry", "AL102", "error", "a.py", line, 0, f"x (line {line})", "a.py::f"
        )

    path = tmp_path / "b.json"
    write_baseline(path, [f(3), f(9)])
    assert build_baseline([f(3), f(9)])["findings"][0]["count"] == 2
    new, covered = apply_baseline([f(4), f(10), f(20)], read_baseline(path))
    assert covered == 2 and new == [f(20)]


def test_new_finding_fails_despite_baseline(project, archlint, tmp_path):
    root = project({"app.py": RETRY})
    base = tmp_path / "baseline.json"
    archlint("check", root, "--write-baseline", base)
    (root / "more.py").write_text(RETRY, encoding="utf-8")
    r = archlint("check", root, "--baseline", base, "--format", "json")
    assert r.exit_code == 1
    assert {f["path"] for f in json.loads(r.output)["findings"]} == {"more.py"}


def test_bad_baseline_is_a_usage_error(project, archlint, tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text("{}", encoding="utf-8")
    assert archlint("check", project({"app.py": RETRY}), "--baseline", bad).exit_code == 2
