"""`archlint check`: exit codes, selection, config, output formats."""

from __future__ import annotations

import json

from tests.lint.conftest import CLEAN, RETRY, UNTRACED


def test_clean_project_exits_0(project, archlint):
    root = project({"app.py": CLEAN})
    r = archlint("check", root)
    assert r.exit_code == 0, r.output
    assert "All checks passed!" in r.output


def test_findings_exit_1_with_code_frame_and_summary(project, archlint):
    root = project({"app.py": RETRY})
    r = archlint("check", root)
    assert r.exit_code == 1
    assert "app.py:7:1: AL102 [unbounded-retry]" in r.output
    assert "7 | @retry(wait=wait_exponential())" in r.output
    assert "  | ^ AL102" in r.output
    assert "Found 2 findings (1 error, 1 warning)." in r.output


def test_exit_zero(project, archlint):
    root = project({"app.py": RETRY})
    assert archlint("check", root, "--exit-zero").exit_code == 0


def test_fail_on_error_ignores_warnings(project, archlint):
    root = project({"app.py": UNTRACED})
    assert archlint("check", root).exit_code == 1  # absent-trace-logging is a warning
    assert archlint("check", root, "--fail-on", "error").exit_code == 0


def test_fail_on_from_config(project, archlint):
    root = project({"app.py": UNTRACED, "pyproject.toml": '[tool.archlint]\nfail-on = "error"\n'})
    assert archlint("check", root).exit_code == 0


def test_usage_errors_exit_2(project, archlint, tmp_path):
    root = project({"app.py": CLEAN})
    assert archlint("check", root, "--select", "no-such-rule").exit_code == 2
    assert archlint("check", tmp_path / "missing").exit_code == 2
    bad = project({"app.py": CLEAN, "pyproject.toml": "[tool.archlint]\nselect = 3\n"})
    assert archlint("check", bad).exit_code == 2


def test_internal_error_exits_2(project, archlint, monkeypatch):
    import analyzer.commands.lint as lint

    def boom(project):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(lint, "_analyze", boom)
    r = archlint("check", project({"app.py": CLEAN}))
    assert r.exit_code == 2
    assert "internal error" in r.output


def _rules_in(r) -> set[str]:
    return {f["rule"] for f in json.loads(r.output)["findings"]}


def test_select_ignore_by_name_code_and_prefix(project, archlint):
    root = project({"app.py": RETRY})
    both = {"unbounded-retry", "absent-trace-logging"}
    assert _rules_in(archlint("check", root, "--format", "json")) == both
    assert _rules_in(archlint("check", root, "--format", "json", "--select", "AL102")) == {
        "unbounded-retry"
    }
    assert _rules_in(
        archlint("check", root, "--format", "json", "--select", "absent-trace-logging")
    ) == {"absent-trace-logging"}
    assert _rules_in(archlint("check", root, "--format", "json", "--ignore", "AL1")) == set()
    # the more specific selector wins over a prefix
    r = archlint("check", root, "--format", "json", "--ignore", "AL1", "--extend-select", "AL103")
    assert _rules_in(r) == {"absent-trace-logging"}
    r = archlint("check", root, "--format", "json", "--select", "AL102", "--extend-select", "AL103")
    assert _rules_in(r) == both


def test_select_and_ignore_from_config(project, archlint):
    root = project(
        {"app.py": RETRY, "pyproject.toml": '[tool.archlint]\nignore = ["unbounded-retry"]\n'}
    )
    assert _rules_in(archlint("check", root, "--format", "json")) == {"absent-trace-logging"}
    root2 = project({"app.py": RETRY, "pyproject.toml": '[tool.archlint]\nselect = ["AL102"]\n'})
    assert _rules_in(archlint("check", root2, "--format", "json")) == {"unbounded-retry"}
    # --select on the command line replaces the file's select
    r = archlint("check", root2, "--format", "json", "--select", "AL103")
    assert _rules_in(r) == {"absent-trace-logging"}


def test_per_file_ignores(project, archlint):
    cfg = '[tool.archlint]\n[tool.archlint.per-file-ignores]\n"legacy/*" = ["AL102", "absent-trace-logging"]\n'
    root = project({"legacy/old.py": RETRY, "new.py": RETRY, "pyproject.toml": cfg})
    data = json.loads(archlint("check", root, "--format", "json").output)
    paths = {(f["path"], f["rule"]) for f in data["findings"]}
    assert ("new.py", "unbounded-retry") in paths
    assert not any(p.startswith("legacy/") for p, _ in paths)


def test_exclude_from_config(project, archlint):
    root = project(
        {
            "gen/x.py": RETRY,
            "app.py": CLEAN,
            "pyproject.toml": '[tool.archlint]\nextend-exclude = ["gen"]\n',
        }
    )
    assert archlint("check", root).exit_code == 0


def test_rule_options_from_config_change_severity(project, archlint):
    cfg = '[tool.archlint.rules.absent-trace-logging]\nseverity = "info"\n'
    root = project({"app.py": UNTRACED, "pyproject.toml": "[tool.archlint]\n" + cfg})
    r = archlint("check", root)
    assert r.exit_code == 0  # info is below the default fail-on (warning)
    assert "Found 1 finding (0 errors, 0 warnings, 1 info)." in r.output


def test_json_is_the_design_contract(project, archlint):
    root = project({"app.py": RETRY})
    data = json.loads(archlint("check", root, "--format", "json").output)
    assert data["schema_version"] == 1
    assert {"tool", "units", "findings", "errors"} <= set(data)
    f = next(f for f in data["findings"] if f["rule"] == "unbounded-retry")
    assert f == {
        "rule": "unbounded-retry",
        "code": "AL102",
        "severity": "error",
        "path": "app.py",
        "line": 7,
        "col": 0,
        "message": f["message"],
        "unit": "app.py::ask",
    }


def test_output_file_and_statistics(project, archlint, tmp_path):
    root = project({"app.py": RETRY, "b.py": RETRY.replace("ask", "ask2")})
    out = tmp_path / "report.txt"
    r = archlint("check", root, "--statistics", "-o", out)
    assert r.exit_code == 1
    text = out.read_text()
    assert "2\tAL102\tunbounded-retry\terror" in text
    assert "Found 4 findings" in text


def test_github_format(project, archlint, monkeypatch):
    root = project({"src/app.py": RETRY})
    monkeypatch.chdir(root)
    r = archlint("check", "src", "--format", "github")
    lines = r.output.splitlines()
    # relative to the working directory (the repository root in CI), not to `src`
    assert any(
        line.startswith("::error file=src/app.py,line=7,col=1,title=AL102 [unbounded-retry]::")
        for line in lines
    ), r.output
    assert any(line.startswith("::warning ") for line in lines)


def test_sarif_paths_are_relative_to_the_working_directory(project, archlint, monkeypatch):
    root = project({"src/app.py": RETRY})
    monkeypatch.chdir(root)
    r = archlint("check", "src", "--format", "sarif")
    run = json.loads(r.output)["runs"][0]
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for res in run["results"]
        for loc in res["locations"]
    }
    assert uris == {"src/app.py"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.resolve().as_uri() + "/"


def test_unreadable_input_is_a_finding_and_fails(project, archlint):
    root = project({"broken.py": "def f(:\n    pass\n"})
    r = archlint("check", root)
    assert r.exit_code == 1
    assert "AL001 [input-error]" in r.output
    assert "All checks passed" not in r.output
    assert archlint("check", root, "--ignore", "input-error").exit_code == 0
    data = json.loads(archlint("check", root, "--format", "json").output)
    assert [f["rule"] for f in data["findings"]] == ["input-error"]


def test_empty_input_warns(tmp_path, archlint):
    (tmp_path / "empty").mkdir()
    r = archlint("check", tmp_path / "empty")
    assert r.exit_code == 0
    assert "no Python files found" in r.output


def test_llm_imports_without_recognised_calls_warn(project, archlint):
    code = "import litellm\n\nMODEL = litellm\n\n\ndef go(fn):\n    return fn()\n"
    root = project({"llm.py": code})
    r = archlint("check", root)
    assert "no model call was recognised" in r.output and "llm.py" in r.output


def test_every_rule_reports_a_column_past_the_indent(project, archlint):
    code = (
        "import json\nimport openai\n\nclient = openai.OpenAI()\n"
        "TOOLS = {'add': lambda a, b: a + b}\n\n\ndef agent(messages):\n"
        "    while True:\n"
        "        r = client.chat.completions.create(model='m', messages=messages, tools=[])\n"
        "        msg = r.choices[0].message\n        if not msg.tool_calls:\n"
        "            return msg.content\n        for call in msg.tool_calls:\n"
        "            args = json.loads(call.function.arguments)\n"
        "            messages.append(TOOLS[call.function.name](**args))\n"
    )
    root = project({"app.py": code})
    data = json.loads(archlint("check", root, "--format", "json").output)
    (loop,) = [f for f in data["findings"] if f["code"] == "AL101"]
    assert (loop["line"], loop["col"]) == (9, 4)


def test_rules_and_rule_commands(archlint):
    r = archlint("rules")
    assert r.exit_code == 0
    assert "AL101  missing-stop-condition" in r.output
    data = json.loads(archlint("rules", "--format", "json").output)
    assert {"code", "name", "severity", "summary"} <= set(data[0])
    assert {d["code"] for d in data} >= {"AL101", "AL102", "AL103", "AL900"}
    r = archlint("rule", "AL102")
    assert r.exit_code == 0 and "# unbounded-retry (AL102)" in r.output
    assert "## Use instead" in archlint("rule", "unbounded-fan-out").output
    assert archlint("rule", "nope").exit_code == 2


def test_a_project_importing_its_own_package_is_not_warned_about(project, archlint):
    # the knowledge base knows browser_use as an LLM framework; analysed from its own
    # repository, its modules importing each other are not "LLM imports"
    files = {
        "browser_use/__init__.py": "from browser_use.agent import Agent\n",
        "browser_use/agent.py": "class Agent:\n    pass\n",
    }
    r = archlint("check", project(files))
    assert "import an LLM package" not in r.output and "no model call" not in r.output


def test_notebook_findings_use_the_one_location_format(tmp_path, archlint, monkeypatch):
    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": ["import json\n", "import openai\n", "client = openai.OpenAI()\n"],
        },
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": [
                "messages = []\n",
                "while True:\n",
                "    r = client.chat.completions.create(model='m', messages=messages, tools=[])\n",
                "    msg = r.choices[0].message\n",
                "    if not msg.tool_calls:\n",
                "        break\n",
                "    for call in msg.tool_calls:\n",
                "        messages.append(globals()[call.function.name](**json.loads(call.function.arguments)))\n",
            ],
        },
    ]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "x.ipynb").write_text(json.dumps(nb))
    monkeypatch.chdir(tmp_path)
    text = archlint("check", ".").output
    assert "x.ipynb[cell 1]:2:1: AL101" in text, text
    github = archlint("check", ".", "--format", "github").output
    assert "::x.ipynb[cell 1]:2:1: " in github
    for out in (text, github, archlint("analyze", ".").output):
        assert "[cell 1]:" in out and " [cell " not in out and ":1::" not in out
