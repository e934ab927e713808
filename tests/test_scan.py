"""`archlint scan`: a portfolio of repositories, identical on every executor and to
analysing each repository alone; a broken repository is an entry, never a crash."""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import Executor, Future
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer import __version__
from analyzer.cli import main
from analyzer.portfolio import (
    analyse_repository,
    build_portfolio,
    make_tasks,
    read_path_list,
    render_portfolio_json,
    render_portfolio_markdown,
    run_tasks,
    system_risk,
)
from tests.helpers import FIXTURES

SCHEMA = Path(__file__).resolve().parent.parent / "analyzer" / "schema" / "portfolio.schema.json"

RETRY_REPO = """\
import logging
import anthropic
from tenacity import retry, wait_exponential

log = logging.getLogger(__name__)
client = anthropic.Anthropic(max_retries=0)


@retry(wait=wait_exponential())
def ask(prompt):
    log.info("asking")
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": prompt}])


def main():
    return ask("hello")
"""


@pytest.fixture(scope="module")
def org(tmp_path_factory) -> Path:
    """An organisation of small repositories: fixture copies, one with an unbounded retry
    and a file that does not parse, and one with no model calls."""
    root = tmp_path_factory.mktemp("org")
    for name, fixture in (
        ("agent-raw", "patterns/agent_loop/raw_openai"),
        ("agent-bounded", "patterns/agent_loop/raw_anthropic"),
        ("router", "patterns/routing/raw_anthropic"),
    ):
        shutil.copytree(FIXTURES / fixture, root / name, ignore=shutil.ignore_patterns("*.json"))
    (root / "retrying").mkdir()
    (root / "retrying" / "app.py").write_text(RETRY_REPO, encoding="utf-8")
    (root / "retrying" / "broken.py").write_text("def f(:\n    pass\n", encoding="utf-8")
    (root / "plain").mkdir()
    (root / "plain" / "util.py").write_text("def add(a, b):\n    return a + b\n")
    return root


REPOS = ("retrying", "agent-raw", "router", "plain", "agent-bounded")


SYSTEM_KEYS = (
    "path", "qualname", "cell", "line", "pattern", "contains", "sequence_owner",
    "stop_condition", "retries", "trace_logging", "llm_call_bound",
)  # fmt: skip


def system_view(unit: dict) -> dict:
    """What the portfolio keeps of an `analyze` unit."""
    out = {k: unit[k] for k in SYSTEM_KEYS}
    for trait in ("stop_condition", "retries", "trace_logging"):
        out[trait] = unit[trait]["status"]
    return out


def _order(s: dict) -> tuple:
    return (s["path"], s["cell"] if s["cell"] is not None else -1, s["line"], s["qualname"])


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def repo_paths(org: Path, names=REPOS) -> list[str]:
    return [str(org / n) for n in names]


@pytest.fixture(scope="module")
def serial_json(org: Path) -> str:
    code, out, _ = run_cli("scan", *repo_paths(org), "-j", "1", "-q")
    assert code == 0
    return out


def test_report_matches_the_schema_and_is_sorted_by_repository(serial_json: str):
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(serial_json)
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    paths = [r["path"] for r in data["repositories"]]
    assert paths == sorted(paths) and len(paths) == len(REPOS)
    assert data["totals"]["repositories"] == len(REPOS) and data["totals"]["failed"] == 0
    scores = [s["risk"]["score"] for s in data["systems"]]
    assert scores == sorted(scores, reverse=True)


def test_each_repository_is_what_analyze_and_check_say_alone(org: Path, serial_json: str):
    data = json.loads(serial_json)
    by_repo = {r["path"]: r for r in data["repositories"]}
    for name in REPOS:
        path = str(org / name)
        code, out, _ = run_cli("analyze", path, "--format", "json", "-j", "1")
        assert code == 0
        alone = json.loads(out)
        entry = by_repo[Path(path).as_posix()]
        assert entry["status"] == "ok"
        assert entry["findings"] == alone["findings"]
        assert entry["errors"] == alone["errors"]
        assert entry["units"] == len(alone["units"])
        alone_systems = [system_view(u) for u in alone["units"] if u["is_system"]]
        mine = [
            {k: s[k] for k in SYSTEM_KEYS}
            for s in data["systems"]
            if s["repository"] == entry["path"]
        ]
        assert sorted(mine, key=_order) == sorted(alone_systems, key=_order)
        assert mine or name == "plain"
        code, out, _ = run_cli("check", path, "--format", "json", "-j", "1")
        assert json.loads(out)["findings"] == entry["findings"]
        assert code == (1 if entry["findings"] else 0)


def test_the_portfolio_counts_what_it_found(serial_json: str):
    data = json.loads(serial_json)
    repos = {r["path"].rsplit("/", 1)[1]: r for r in data["repositories"]}
    assert repos["agent-raw"]["systems_by_pattern"]["agent_loop"] == 1
    assert repos["agent-raw"]["sequence_owners"]["model"] == 1
    assert repos["agent-raw"]["findings_by_rule"]["missing-stop-condition"] == 1
    assert repos["retrying"]["findings_by_rule"].get("unbounded-retry", 0) >= 1
    assert [e["path"] for e in repos["retrying"]["errors"]] == ["broken.py"]
    assert repos["plain"]["systems"] == 0 and repos["plain"]["files"] == 1
    totals = data["totals"]
    assert totals["systems"] == sum(r["systems"] for r in data["repositories"])
    assert totals["systems"] == sum(totals["systems_by_pattern"].values())
    assert sum(totals["findings_by_rule"].values()) == sum(
        len(r["findings"]) for r in data["repositories"]
    )


def test_local_cluster_gives_the_same_bytes(org: Path, serial_json: str):
    distributed = pytest.importorskip("distributed")
    tasks = make_tasks(repo_paths(org))
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=False,  # in-process transport: no sockets at all
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        results = run_tasks(tasks, client.get_executor())
    assert render_portfolio_json(build_portfolio(results, __version__)) == serial_json


def test_scheduler_address_with_worker_processes_gives_the_same_bytes(org: Path, serial_json: str):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
    ) as cluster:
        code, out, _ = run_cli(
            "scan", *repo_paths(org), "--scheduler", cluster.scheduler_address, "-q"
        )
    assert code == 0
    assert out == serial_json


def test_process_pool_and_input_order_give_the_same_bytes(org: Path, serial_json: str):
    reordered = repo_paths(org, tuple(reversed(REPOS))) + [str(org / "router")]
    code, out, _ = run_cli("scan", *reordered, "-j", "2", "-q")
    assert code == 0 and out == serial_json


def test_a_failing_repository_is_an_entry_not_a_crash(org: Path, monkeypatch):
    code, out, err = run_cli("scan", str(org / "router"), str(org / "gone"), "-q")
    assert code == 0
    data = json.loads(out)
    gone = next(r for r in data["repositories"] if r["path"].endswith("/gone"))
    assert gone["status"] == "error" and "no such file" in gone["error"]
    assert gone["systems"] == 0 and gone["findings"] == []
    assert data["totals"]["failed"] == 1 and data["totals"]["repositories"] == 2
    assert "1 of 2 repositories could not be analysed" in err
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))

    real_scandir = os.scandir
    locked = str(org / "router")

    def scandir(path="."):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    with monkeypatch.context() as m:
        m.setattr(os, "scandir", scandir)
        result = analyse_repository(make_tasks([locked])[0])
    assert result == {
        "path": Path(locked).as_posix(),
        "status": "error",
        "error": "cannot read: Permission denied",
    }

    import analyzer.analysis

    def boom(project, **kwargs):
        raise RuntimeError("analysis exploded")

    monkeypatch.setattr(analyzer.analysis, "analyze_project", boom)
    result = analyse_repository(make_tasks([str(org / "router")])[0])
    assert result["status"] == "error" and "analysis exploded" in result["error"]


class _LosingExecutor(Executor):
    """An executor whose worker dies on every task."""

    def submit(self, fn, /, *args, **kwargs):
        fut: Future = Future()
        fut.set_exception(OSError("worker lost"))
        return fut


def test_a_task_the_executor_loses_is_an_entry(org: Path):
    tasks = make_tasks(repo_paths(org, ("router", "plain")))
    results = run_tasks(tasks, _LosingExecutor())
    assert [r["status"] for r in results] == ["error", "error"]
    assert all("worker lost" in r["error"] for r in results)
    portfolio = build_portfolio(results, __version__)
    assert portfolio["totals"]["failed"] == 2
    assert "error: worker failed" in render_portfolio_markdown(portfolio)


def test_from_file_reads_one_path_a_line(org: Path, serial_json: str, tmp_path: Path):
    listing = tmp_path / "repos.txt"
    lines = ["# the organisation", "", *repo_paths(org, REPOS[:3]), "  "]
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run_cli("scan", "--from", str(listing), *repo_paths(org, REPOS[3:]), "-q")
    assert code == 0 and out == serial_json
    assert read_path_list("a\n# b\n\n  c  \n") == ["a", "c"]


def test_no_repositories_is_a_usage_error():
    code, _, err = run_cli("scan")
    assert code == 2 and "--from" in err


def test_markdown_ranks_the_riskiest_system_first(org: Path, tmp_path: Path):
    out_file = tmp_path / "portfolio.md"
    code, _, _ = run_cli(
        "scan", *repo_paths(org), "--format", "markdown", "-o", str(out_file), "-q"
    )
    assert code == 0
    text = out_file.read_text(encoding="utf-8")
    table = text.split("## Riskiest systems", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]
    scores = [int(row.split(" | ")[5]) for row in rows]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    assert "agent-raw" in rows[0] and "run_agent" in rows[0]
    assert "missing stop" not in rows[0] and "no stop condition" in rows[0]
    for heading in ("Systems by pattern", "Sequence owners", "Findings by rule", "Repositories"):
        assert f"## {heading}" in text


def test_risk_weighs_findings_loops_retries_and_owner():
    unit = {
        "stop_condition": {"status": "missing"},
        "retries": {"status": "unbounded"},
        "sequence_owner": "model",
        "llm_call_bound": None,
    }
    calm = {
        "stop_condition": {"status": "present"},
        "retries": {"status": "bounded"},
        "sequence_owner": "developer",
        "llm_call_bound": 3,
    }
    worst = system_risk(unit, [unit], [{"severity": "error"}, {"severity": "warning"}])
    assert worst["score"] == 10 + 3 + 20 + 15 + 8 + 4 and len(worst["reasons"]) == 6
    assert system_risk(calm, [calm], []) == {"score": 0, "reasons": []}
    # a model-owned callee makes its system model-driven too
    assert system_risk(calm, [calm, unit], [])["score"] == 20 + 8


def test_an_unreachable_scheduler_is_a_usage_error(org: Path):
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code, _, err = run_cli("scan", str(org / "plain"), "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "cannot start on the Dask scheduler at tcp://127.0.0.1:1" in err


def test_a_worker_on_another_version_is_an_error_entry(org: Path):
    result = analyse_repository(make_tasks([str(org / "router")])[0])
    assert result["status"] == "ok"
    result["analysis"]["tool"]["version"] = "0.0.0-other"
    entry = build_portfolio([result], __version__)["repositories"][0]
    assert entry["status"] == "error" and "0.0.0-other" in entry["error"]
