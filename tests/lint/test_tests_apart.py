"""Units in test files are reported apart: no system, no finding, unless `include-tests`."""

from __future__ import annotations

import json

from analyzer.frontend.testfiles import is_test_path
from tests.lint.conftest import RETRY

AGENT = """\
import anthropic

client = anthropic.Anthropic(max_retries=0)


def run(task):
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": task}])
"""

TEST = """\
from tenacity import retry
from agent import run


@retry
def test_run():
    assert run("hi")
"""


def test_test_file_names():
    for path in ("tests/test_a.py", "pkg/tests/helpers.py", "test_a.py", "a_test.py"):
        assert is_test_path(path), path
    assert is_test_path("conftest.py") and is_test_path("sub/conftest.py")
    for path in ("agent.py", "testing_utils.py", "latest.py", "contest.py", "attest/a.py"):
        assert not is_test_path(path), path


def _analyze(archlint, root):
    return json.loads(archlint("analyze", root, "--format", "json").output)


def test_tests_make_no_system_and_no_finding(project, archlint):
    root = project({"agent.py": AGENT, "tests/test_agent.py": TEST})
    data = _analyze(archlint, root)
    by_name = {u["qualname"]: u for u in data["units"]}
    # the real entry point is a system again although a test calls it
    assert by_name["run"]["is_system"] is True and by_name["run"]["is_test"] is False
    assert by_name["test_run"]["is_test"] is True and by_name["test_run"]["is_system"] is False
    assert not [f for f in data["findings"] if f["path"].startswith("tests/")]
    text = archlint("analyze", root).output
    assert "Units in test files" in text


def test_include_tests_switch(project, archlint):
    cfg = "[tool.archlint]\ninclude-tests = true\n"
    root = project({"agent.py": AGENT, "tests/test_agent.py": TEST, "pyproject.toml": cfg})
    data = _analyze(archlint, root)
    by_name = {u["qualname"]: u for u in data["units"]}
    assert by_name["test_run"]["is_system"] is True and by_name["test_run"]["is_test"] is True
    assert by_name["run"]["is_system"] is False
    assert [f for f in data["findings"] if f["path"].startswith("tests/")]


def test_a_test_file_named_alone_is_still_checked(project, archlint):
    root = project({"test_retry.py": RETRY})
    r = archlint("check", root / "test_retry.py")
    assert r.exit_code == 1 and "AL102" in r.output


def test_check_says_tests_were_left_out(project, archlint):
    root = project({"agent.py": AGENT, "tests/test_agent.py": TEST})
    r = archlint("check", root)
    assert "unit(s) in test files were not checked" in r.output
