"""Portfolio scans: analyse many repositories, one task each, and roll them up.

Each task gets a `RepoTask` (paths and options, plain data) and returns a plain dict (the
`archlint analyze` JSON of the repository plus which units each system reaches), so the
same function runs in this process, in a process pool or on a Dask cluster, and the report
never depends on where or in which order the tasks ran. Everything after the tasks is pure:
`build_portfolio` turns the results into the portfolio (its shape is
`analyzer/schema/portfolio.schema.json`), and the renderers print it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from analyzer.results import PATTERNS

SCHEMA_VERSION = 1
OWNERS = ("model", "developer", "none")
SEVERITIES = ("error", "warning", "info")

# Risk of one system: every finding in what it reaches counts by severity, and each trait
# that lets one run go on (or fail) without limit adds once. Documented in the README.
SEVERITY_WEIGHTS = {"error": 10, "warning": 3, "info": 1}
MISSING_STOP_WEIGHT = 20
UNBOUNDED_RETRY_WEIGHT = 15
MODEL_OWNED_WEIGHT = 8
UNBOUNDED_CALLS_WEIGHT = 4


@dataclass(frozen=True)
class RepoTask:
    """What one worker needs to analyse one repository: only strings and flags."""

    path: str  # as the report names it (POSIX, as the user gave it)
    abspath: str  # where the worker reads it
    markdown: bool = False
    config_path: str | None = None
    cache_dir: str | None = None


# ------------------------------------------------------------------------- input


def display_path(raw: str) -> str:
    """The name a repository has in the report: the path as given, POSIX, no trailing '/'."""
    return PurePath(raw).as_posix()


def read_path_list(text: str) -> list[str]:
    """Repository paths from a `--from` file: one a line; blank lines and `#` lines skipped."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def make_tasks(
    paths: Iterable[str],
    *,
    markdown: bool = False,
    config_path: str | None = None,
    cache_dir: str | None = None,
) -> list[RepoTask]:
    """One task per distinct repository, sorted by its report path (so output is stable)."""
    by_name: dict[str, str] = {}
    for raw in paths:
        by_name.setdefault(display_path(raw), os.path.abspath(raw))
    return [
        RepoTask(name, by_name[name], markdown, config_path, cache_dir) for name in sorted(by_name)
    ]


# --------------------------------------------------------------- one repository


def _failed(task: RepoTask, message: str) -> dict[str, Any]:
    return {"path": task.path, "status": "error", "error": message}


def _system_reach(result) -> dict[str, list[str]]:
    """{system ref: refs of every unit it reaches, itself included}: what its risk covers.
    (The analysis keeps each system's reach in `extra`, cached with the result, so a warm
    scan does not rebuild the classifier for it.)"""
    reach = result.extra.get("system_reach")
    if reach is None:  # a result from elsewhere: ask its classifier
        classifier = result.extra.get("classifier")
        facts = getattr(classifier, "unit_facts", {}) if classifier is not None else {}
        reach = {u.node_id: classifier.reach(u.node_id) for u in result.units if u.node_id in facts}
    by_node = {u.node_id: u for u in result.units}
    out: dict[str, list[str]] = {}
    for u in result.units:
        if not u.is_system:
            continue
        refs = {u.ref}
        if u.node_id in reach:
            refs |= {by_node[n].ref for n in reach[u.node_id] if n in by_node}
        out[u.ref] = sorted(refs)
    return out


def _unreadable(root: Path) -> str | None:
    """Why the repository cannot be read at all, or None: then it is one error, not an
    empty analysis with a diagnostic."""
    if not root.exists():
        return "no such file or folder"
    try:
        if root.is_dir():
            with os.scandir(root):
                pass
        else:
            with root.open("rb"):
                pass
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return None


def analyse_repository(task: RepoTask) -> dict[str, Any]:
    """Analyse one repository as `archlint analyze` would; any failure becomes an entry.

    Runs on a worker, which may analyse another repository next: the collector gets this
    one's objects back once it is done (`analyzer.frontend.gcpause`)."""
    from analyzer.frontend.gcpause import release_frozen

    try:
        return _analyse_repository(task)
    finally:
        release_frozen()


def _analyse_repository(task: RepoTask) -> dict[str, Any]:
    """Analyse one repository as `archlint analyze` would; any failure becomes an entry.

    Runs on a worker: it takes and returns plain data only, and never raises.
    """
    try:
        root = Path(task.abspath)
        problem = _unreadable(root)
        if problem is not None:
            return _failed(task, problem)
        from analyzer.analysis import analyze_project
        from analyzer.frontend.project import load_project
        from analyzer.lint.config import load_config
        from analyzer.report.json_report import result_to_dict

        config = load_config(
            root if root.is_dir() else root.parent,
            Path(task.config_path) if task.config_path else None,
        )
        project = load_project(
            [root],
            markdown=task.markdown,
            jobs=1,  # the repository is the unit of parallelism
            config=config,
            cache_dir=Path(task.cache_dir) if task.cache_dir else None,
        )
        result = analyze_project(project)
        return {
            "path": task.path,
            "status": "ok",
            "error": None,
            "files": len(project.modules),
            "analysis": result_to_dict(result),
            "reach": _system_reach(result),
        }
    except Exception as exc:  # one bad repository must not stop the scan
        return _failed(task, f"{type(exc).__name__}: {exc}")


# ------------------------------------------------------------------ executors


class ExecutorError(RuntimeError):
    """The executor asked for cannot be set up (Dask missing, scheduler unreachable)."""


@contextlib.contextmanager
def open_executor(
    *, scheduler: str | None = None, dask: bool = False, jobs: int = 1
) -> Iterator[Executor | None]:
    """The executor a scan runs on: a Dask cluster at `scheduler`, a local Dask cluster
    (`dask`), a process pool (`jobs` > 1), or None for this process."""
    if scheduler or dask:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ExecutorError("Dask is not installed: pip install 'dask[distributed]'") from exc
        try:
            if scheduler:
                client = Client(scheduler)
            else:
                cluster = LocalCluster(
                    n_workers=jobs, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
                )
                client = Client(cluster)
        except (OSError, ValueError) as exc:
            where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
            raise ExecutorError(f"cannot start on {where}: {exc}") from exc
        try:
            # pure=False: a repository may change between scans; never reuse a result
            yield client.get_executor(pure=False)
        finally:
            client.close()
            if not scheduler:
                cluster.close()
        return
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield pool
        return
    yield None


def run_tasks(
    tasks: Sequence[RepoTask],
    executor: Executor | None = None,
    *,
    on_done: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Every task's result, in task order whatever order they finish in; a task the
    executor itself loses (a dead worker, a pickling error) becomes an error entry.

    With an executor every task goes to it, even one: on a remote cluster the paths name
    the workers' files, which this machine may not have."""
    results: list[dict[str, Any] | None] = [None] * len(tasks)
    if executor is None:
        for i, task in enumerate(tasks):
            results[i] = analyse_repository(task)
            if on_done:
                on_done(i + 1, len(tasks))
        return [r for r in results if r is not None]
    futures: dict[Future, int] = {}
    for i, task in enumerate(tasks):
        try:
            futures[executor.submit(analyse_repository, task)] = i
        except Exception as exc:
            results[i] = _failed(task, f"could not be scheduled: {type(exc).__name__}: {exc}")
    done = len(tasks) - len(futures)
    for fut in as_completed(futures):
        i = futures[fut]
        try:
            results[i] = fut.result()
        except Exception as exc:
            results[i] = _failed(tasks[i], f"worker failed: {type(exc).__name__}: {exc}")
        done += 1
        if on_done:
            on_done(done, len(tasks))
    return [r for r in results if r is not None]


# ------------------------------------------------------------------ roll-up


def _counts(keys: Sequence[str], values: Iterable[str]) -> dict[str, int]:
    """Counts for a fixed key list (every key present, in that order)."""
    c = Counter(values)
    return {k: c.get(k, 0) for k in keys}


def _by_rule(findings: Iterable[dict]) -> dict[str, int]:
    return dict(sorted(Counter(f["rule"] for f in findings).items()))


def _ref(unit: dict) -> str:
    """The `unit` name findings use: `path::qualname`, `path:cell::qualname` for cells."""
    if unit.get("cell") is None:
        return f"{unit['path']}::{unit['qualname']}"
    return f"{unit['path']}:{unit['cell']}::{unit['qualname']}"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def system_risk(system: dict, reached: Sequence[dict], findings: Sequence[dict]) -> dict:
    """Score and reasons for one system from its unit, the units it reaches and their
    findings: severity of findings, unbounded loops and retries, a model-owned sequence."""
    score = 0
    reasons: list[str] = []
    sev = Counter(f["severity"] for f in findings)
    for level in SEVERITIES:
        if sev[level]:
            score += SEVERITY_WEIGHTS[level] * sev[level]
            reasons.append(_plural(sev[level], f"{level} finding"))
    if any(u["stop_condition"]["status"] == "missing" for u in reached):
        score += MISSING_STOP_WEIGHT
        reasons.append("a model-driven loop with no stop condition")
    if system["retries"]["status"] == "unbounded":
        score += UNBOUNDED_RETRY_WEIGHT
        reasons.append("unbounded retries")
    if any(u["sequence_owner"] == "model" for u in reached):
        score += MODEL_OWNED_WEIGHT
        reasons.append("the model owns the sequence")
    if system["llm_call_bound"] is None:
        score += UNBOUNDED_CALLS_WEIGHT
        reasons.append("no bound on model calls per run")
    return {"score": score, "reasons": reasons}


def _systems_of(repo: str, result: dict) -> list[dict]:
    """The portfolio entry of every system of one analysed repository."""
    analysis = result["analysis"]
    units = {_ref(u): u for u in analysis["units"]}
    out = []
    for ref, reach in sorted(result["reach"].items()):
        u = units[ref]
        covered = set(reach)
        reached = [units[r] for r in reach if r in units]
        findings = [f for f in analysis["findings"] if f["unit"] in covered]
        out.append(
            {
                "repository": repo,
                "path": u["path"],
                "qualname": u["qualname"],
                "cell": u["cell"],
                "line": u["line"],
                "pattern": u["pattern"],
                "contains": list(u["contains"]),
                "sequence_owner": u["sequence_owner"],
                "stop_condition": u["stop_condition"]["status"],
                "retries": u["retries"]["status"],
                "trace_logging": u["trace_logging"]["status"],
                "llm_call_bound": u["llm_call_bound"],
                "findings_by_severity": _counts(SEVERITIES, (f["severity"] for f in findings)),
                "rules": sorted({f["rule"] for f in findings}),
                "risk": system_risk(u, reached, findings),
            }
        )
    return out


def _repository_entry(result: dict, systems: list[dict]) -> dict:
    ok = result["status"] == "ok"
    analysis = result.get("analysis") or {"units": [], "findings": [], "errors": []}
    findings = analysis["findings"]
    return {
        "path": result["path"],
        "status": result["status"],
        "error": result.get("error"),
        "files": result.get("files", 0) if ok else 0,
        "units": len(analysis["units"]),
        "systems": len(systems),
        "systems_by_pattern": _counts(PATTERNS, (s["pattern"] for s in systems)),
        "sequence_owners": _counts(OWNERS, (s["sequence_owner"] for s in systems)),
        "findings_by_rule": _by_rule(findings),
        "findings_by_severity": _counts(SEVERITIES, (f["severity"] for f in findings)),
        "findings": findings,
        "errors": analysis["errors"],
    }


def _same_version(result: dict, version: str) -> dict:
    """A result from a worker running another archlint version is an error: mixing
    versions would silently break "identical to `archlint analyze`"."""
    if result["status"] != "ok":
        return result
    theirs = result["analysis"]["tool"]["version"]
    if theirs == version:
        return result
    return {
        "path": result["path"],
        "status": "error",
        "error": f"analysed by archlint {theirs} on the worker, not {version}",
    }


def _risk_order(s: dict) -> tuple:
    cell = s["cell"] if s["cell"] is not None else -1
    return (-s["risk"]["score"], s["repository"], s["path"], cell, s["line"], s["qualname"])


def build_portfolio(results: Sequence[dict], version: str) -> dict:
    """The portfolio report of task results: repositories sorted by path, every system
    ranked riskiest first, totals over all repositories. Pure and deterministic."""
    repos = []
    systems: list[dict] = []
    for result in sorted(results, key=lambda r: r["path"]):
        result = _same_version(result, version)
        mine = _systems_of(result["path"], result) if result["status"] == "ok" else []
        repos.append(_repository_entry(result, mine))
        systems += mine
    systems.sort(key=_risk_order)
    findings = [f for r in repos for f in r["findings"]]
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "portfolio",
        "tool": {"name": "archlint", "version": version},
        "totals": {
            "repositories": len(repos),
            "failed": sum(r["status"] != "ok" for r in repos),
            "files": sum(r["files"] for r in repos),
            "units": sum(r["units"] for r in repos),
            "systems": len(systems),
            "systems_by_pattern": _counts(PATTERNS, (s["pattern"] for s in systems)),
            "sequence_owners": _counts(OWNERS, (s["sequence_owner"] for s in systems)),
            "findings_by_rule": _by_rule(findings),
            "findings_by_severity": _counts(SEVERITIES, (f["severity"] for f in findings)),
        },
        "repositories": repos,
        "systems": systems,
    }


# ------------------------------------------------------------------ rendering


def render_portfolio_json(portfolio: dict) -> str:
    return json.dumps(portfolio, indent=2, ensure_ascii=False) + "\n"


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _nonzero(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items() if v) or "—"


def _system_name(s: dict) -> str:
    where = s["path"] if s["cell"] is None else f"{s['path']} cell {s['cell']}"
    return f"`{_cell(s['qualname'])}` ({_cell(where)}:{s['line']})"


def render_portfolio_markdown(portfolio: dict, *, top: int = 20) -> str:
    """The portfolio as Markdown: totals, the `top` riskiest systems, then the roll-ups."""
    t = portfolio["totals"]
    sev = t["findings_by_severity"]
    lines = [
        "# archlint portfolio",
        "",
        f"{_plural(t['repositories'], 'repository', 'repositories')}"
        f" ({t['failed']} failed), {_plural(t['files'], 'file')}, "
        f"{_plural(t['systems'], 'system')}, "
        f"{_plural(sum(sev.values()), 'finding')} "
        f"({sev['error']} error, {sev['warning']} warning, {sev['info']} info).",
        "",
        "## Riskiest systems",
        "",
    ]
    ranked = portfolio["systems"][:top]
    if ranked:
        lines += [
            "| # | repository | system | pattern | owner | risk | why |",
            "|---|---|---|---|---|---|---|",
        ]
        for i, s in enumerate(ranked, 1):
            why = "; ".join(s["risk"]["reasons"]) or "—"
            lines.append(
                f"| {i} | `{_cell(s['repository'])}` | {_system_name(s)} | {s['pattern']} | "
                f"{s['sequence_owner']} | {s['risk']['score']} | {_cell(why)} |"
            )
        if len(portfolio["systems"]) > top:
            lines += ["", f"{len(portfolio['systems']) - top} more in the JSON report."]
    else:
        lines.append("No systems found.")
    lines += ["", "## Systems by pattern", "", "| pattern | systems |", "|---|---|"]
    lines += [f"| {p} | {n} |" for p, n in t["systems_by_pattern"].items()]
    lines += ["", "## Sequence owners", "", "| owner | systems |", "|---|---|"]
    lines += [f"| {o} | {n} |" for o, n in t["sequence_owners"].items()]
    lines += ["", "## Findings by rule", ""]
    if t["findings_by_rule"]:
        lines += ["| rule | findings | repositories |", "|---|---|---|"]
        for rule, n in t["findings_by_rule"].items():
            k = sum(rule in r["findings_by_rule"] for r in portfolio["repositories"])
            lines.append(f"| `{rule}` | {n} | {k} |")
    else:
        lines.append("No findings.")
    lines += [
        "",
        "## Repositories",
        "",
        "| repository | files | systems | patterns | owners | findings |",
        "|---|---|---|---|---|---|",
    ]
    for r in portfolio["repositories"]:
        if r["status"] != "ok":
            lines.append(f"| `{_cell(r['path'])}` | error: {_cell(r['error'])} | | | | |")
            continue
        lines.append(
            f"| `{_cell(r['path'])}` | {r['files']} | {r['systems']} | "
            f"{_nonzero(r['systems_by_pattern'])} | {_nonzero(r['sequence_owners'])} | "
            f"{_nonzero(r['findings_by_severity'])} |"
        )
    unreadable = [(r["path"], e) for r in portfolio["repositories"] for e in r["errors"]]
    if unreadable:
        lines += ["", "## Files not analysed", ""]
        lines += [
            f"- `{_cell(repo)}`: `{_cell(e['path'])}`: {_cell(e['message'])}"
            for repo, e in unreadable
        ]
    return "\n".join(lines) + "\n"
