"""archlint's speed against the parse floors, in one run (issue 12).

Prints, for one repository: a bare libcst parse and a stdlib `ast` parse of every file (the
floors), then `archlint analyze` cold (no cache), cold filling the cache, and warm (cache
full, nothing changed), each with its peak RSS. Every measurement is its own process.

    python benchmarks/perf_bench.py [REPO] [-j N] [--repeat K]

REPO defaults to langgraph, unpacked from the local mirror
(/work/.mirror/langchain-ai+langgraph/repo) into a temporary folder. The machine's load
is printed too: timings on a shared machine are only comparable within one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIRROR = Path("/work/.mirror/langchain-ai+langgraph/repo")

FLOOR = """
import sys, warnings
from pathlib import Path
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[3])
from analyzer.frontend.discover import discover
from analyzer.frontend.sources import load_source
files = discover([Path(sys.argv[2])]).files
sources = [c.code for f in files for c in load_source(f.abspath, f.relpath).cells]
if sys.argv[1] == "libcst":
    import libcst
    for s in sources:
        try:
            libcst.parse_module(s)
        except Exception:
            pass
else:
    import ast
    for s in sources:
        try:
            ast.parse(s)
        except Exception:
            pass
"""


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one child process."""
    start = time.perf_counter()
    cwd = (env or {}).get("PYTHONPATH")  # `python -m` imports from the working directory
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{cmd} exited {code}: {err[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def best(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    runs = [run(cmd, env) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def unpack_langgraph(dest: Path) -> Path:
    if not MIRROR.exists():
        raise SystemExit(f"no mirror at {MIRROR}: pass a repository folder")
    target = dest / "langgraph"
    target.mkdir()
    archive = subprocess.run(
        ["git", f"--git-dir={MIRROR}", "archive", "HEAD"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def snapshot(dest: Path) -> Path:
    """A copy of archlint's code to run: the cache keys results by the code's hash, and a
    checkout being edited while the benchmark runs would make every run cold."""
    code = dest / "code"
    for name in ("analyzer", "rules"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
    return code


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repo", nargs="?", type=Path)
    ap.add_argument("-j", "--jobs", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="archlint-bench-") as tmp:
        tmpdir = Path(tmp)
        repo = args.repo or unpack_langgraph(tmpdir)
        code = snapshot(tmpdir)
        py = sys.executable
        load = os.getloadavg()[0]
        rows = []
        libcst_t, libcst_m = best([py, "-c", FLOOR, "libcst", str(repo), str(code)], args.repeat)
        rows.append(("bare libcst parse", libcst_t, libcst_m))
        t, m = best([py, "-c", FLOOR, "ast", str(repo), str(code)], args.repeat)
        rows.append(("stdlib ast parse", t, m))
        analyze = [py, "-m", "analyzer", "analyze", str(repo), "--format", "json"]
        analyze += ["-j", str(args.jobs)]
        env = {k: v for k, v in os.environ.items() if k != "ARCHLINT_CACHE_DIR"}
        env["PYTHONPATH"] = str(code)
        cold_t, cold_m = best(analyze, args.repeat, env)
        rows.append((f"archlint analyze cold (-j {args.jobs})", cold_t, cold_m))
        cache = tmpdir / "cache"
        fill_t, fill_m = run(analyze, {**env, "ARCHLINT_CACHE_DIR": str(cache)})
        rows.append(("archlint analyze cold, filling the cache", fill_t, fill_m))
        warm_t, warm_m = best(analyze, args.repeat, {**env, "ARCHLINT_CACHE_DIR": str(cache)})
        rows.append(("archlint analyze warm", warm_t, warm_m))
        shutil.rmtree(cache, ignore_errors=True)
    print(f"repository: {repo.name if args.repo else 'langgraph (mirror HEAD)'}")
    print(f"load average at start: {load:.2f} on {os.cpu_count()} cores")
    print(f"{'measure':44} {'seconds':>8} {'peak RSS MB':>12}")
    for name, t, m in rows:
        print(f"{name:44} {t:8.2f} {m:12.0f}")
    print(f"cold / bare libcst parse: {cold_t / libcst_t:.2f} (target <= 1.5)")
    print(f"warm / cold: {warm_t / cold_t:.3f} (target <= 0.1)")
    print(f"peak RSS: {max(cold_m, warm_m, fill_m):.0f} MB (target <= 1024)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
