"""Run archlint over every file of real repositories and count what went wrong (issue 16).

    python benchmarks/corpus_run.py /tmp/corpus/owner+name ... [--json out.json]

Each repository goes through the real command line (`python -m analyzer analyze REPO
--format json`) with every file in scope: Markdown on, no excludes, `.gitignore` not
respected (so vendored, generated and ignored files are read too). Reported per
repository: files read, units, exit code, seconds, crashes (killed by a signal, or an exit
code other than 0/1), internal errors (in stderr or in an `errors` entry), whether stderr
held a traceback, every `errors` entry by kind (message without its specifics), and with
`--jobs 1 2` whether the output is byte-identical at each job count.

Fetched code is only read, never imported or run, and never committed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVERY_FILE = "exclude = []\nrespect-gitignore = false\nmarkdown = true\n"


def error_kind(message: str) -> str:
    """An `errors` message without line numbers, bytes, names and counts."""
    head = message if message.startswith("skipped") else message.split(":", 1)[0]
    head = re.sub(r"0x[0-9a-f]+|\d+(\.\d+)?", "N", head)
    return re.sub(r"'[^']*'", "'…'", head)[:70]


def git_commit(path: Path) -> str | None:
    """The commit of a fetched snapshot, when the folder name is OWNER+NAME."""
    mirror = Path("/work/.mirror") / path.name / "repo"
    if not mirror.is_dir():
        return None
    proc = subprocess.run(
        ["git", "--git-dir", str(mirror), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    return proc.stdout.strip() or None


def count_files(path: Path) -> Counter:
    kinds: Counter = Counter()
    for p in path.rglob("*"):
        suffix = p.suffix.lower()
        if suffix in (".py", ".ipynb", ".md", ".markdown") and p.is_file():
            kinds[suffix.lstrip(".")] += 1
    return kinds


def run_once(path: Path, config: Path, jobs: int, timeout: float) -> dict:
    cmd = [sys.executable, "-m", "analyzer", "analyze", str(path), "--format", "json"]
    cmd += ["--config", str(config), "-j", str(jobs)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"exit": "timeout", "seconds": timeout, "stdout": b"", "stderr": ""}
    return {
        "exit": proc.returncode,
        "seconds": round(time.perf_counter() - t0, 1),
        "stdout": proc.stdout,
        "stderr": proc.stderr.decode("utf-8", "replace"),
    }


def analyse_repo(path: Path, jobs: list[int], timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "archlint.toml"
        config.write_text(EVERY_FILE)
        runs = [run_once(path, config, j, timeout) for j in jobs]
    first = runs[0]
    report: dict[str, object] = {
        "repository": path.name.replace("+", "/"),
        "commit": git_commit(path),
        "files": dict(count_files(path)),
        "exit": first["exit"],
        "seconds": first["seconds"],
    }
    crashed = first["exit"] not in (0, 1)
    report["crash"] = crashed
    report["traceback"] = "Traceback (most recent call last)" in first["stderr"]
    report["stderr_tail"] = first["stderr"].strip().splitlines()[-3:]
    data: dict = {}
    if not crashed:
        try:
            data = json.loads(first["stdout"].decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            report["invalid_output"] = f"{type(exc).__name__}: {exc}"
    errors = data.get("errors", [])
    internal = [e for e in errors if "internal error" in e.get("message", "")]
    internal_stderr = "internal error" in first["stderr"]
    report["internal_errors"] = len(internal) + int(internal_stderr)
    report["internal_error_samples"] = internal[:5]
    report["units"] = len(data.get("units", []))
    report["errors"] = len(errors)
    report["errors_by_kind"] = dict(Counter(error_kind(e["message"]) for e in errors).most_common())
    report["error_samples"] = {}
    for e in errors:
        kind = error_kind(e["message"])
        samples = report["error_samples"].setdefault(kind, [])  # type: ignore[union-attr]
        if len(samples) < 3:
            samples.append(f"{e['path']}: {e['message'][:160]}")
    if len(runs) > 1:
        report["identical_across_jobs"] = all(r["stdout"] == first["stdout"] for r in runs[1:])
        report["seconds_by_jobs"] = {str(j): r["seconds"] for j, r in zip(jobs, runs, strict=True)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repos", nargs="+", type=Path, help="extracted repository folders")
    parser.add_argument("--jobs", nargs="+", type=int, default=[1], help="e.g. --jobs 1 2")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    parser.add_argument("--json", type=Path, help="also write the reports here")
    args = parser.parse_args()
    reports = []
    for repo in args.repos:
        rep = analyse_repo(repo.resolve(), args.jobs, args.timeout)
        reports.append(rep)
        files = sum(rep["files"].values())  # type: ignore[union-attr]
        print(
            f"{rep['repository']}: {files} files, {rep['units']} units, exit {rep['exit']}, "
            f"{rep['seconds']} s, crash {rep['crash']}, internal errors "
            f"{rep['internal_errors']}, errors {rep['errors']} {rep['errors_by_kind']}"
            + (
                f", identical across -j {rep['identical_across_jobs']}"
                if len(args.jobs) > 1
                else ""
            ),
            file=sys.stderr,
            flush=True,
        )
    text = json.dumps(reports, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
