"""archlint's speed against the parse floors, in one run (issue 12).

Prints, for one repository: a bare libcst parse and a stdlib `ast` parse of every file (the
floors), then `archlint analyze` cold (no cache), cold filling the cache, and warm (cache
full, nothing changed), each with its peak RSS. Every measurement is its own process.
With `--corpus`, the same again for the six-repository corpus of
`/work/shared/PERFORMANCE.md` (3,871 files, 1.51 M lines at the mirrors' HEAD) as
`archlint scan` runs it: each repository its own project, `--corpus-jobs` (default 2)
repositories at a time. (The six are unrelated projects: one `analyze` over a folder of all
six would resolve calls across them for nothing.)

    python benchmarks/perf_bench.py [REPO] [-j N] [--repeat K] [--corpus]

REPO defaults to langgraph, unpacked from the local mirror
(/work/.mirror/langchain-ai+langgraph/repo) into a temporary folder; corpus repositories
come from the mirrors under /work/.mirror the same way (a missing one is named and the run
stops). The machine's load is printed with each block: timings on a shared machine are
only comparable within one run.
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
MIRRORS = Path("/work/.mirror")
MIRROR = MIRRORS / "langchain-ai+langgraph" / "repo"
# The six repositories PERFORMANCE.md's corpus figures are for (owner+name as mirrored).
CORPUS = (
    "huggingface+smolagents",
    "langchain-ai+langgraph",
    "pydantic+pydantic-ai",
    "openai+openai-agents-python",
    "crewAIInc+crewAI",
    "mem0ai+mem0",
)

FLOOR = """
import sys, warnings
from pathlib import Path
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[3])
from analyzer.frontend.discover import discover
from analyzer.frontend.sources import load_source
files = discover([Path(sys.argv[2])]).files
sources = [c.code for f in files for c in load_source(f.abspath, f.relpath).cells]
print(len(files), sum(s.count("\\n") + 1 for s in sources), file=sys.stderr)
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


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str, float]:
    """(wall seconds, peak RSS in MB, stderr, CPU seconds) of one child process."""
    start = time.perf_counter()
    cwd = (env or {}).get("PYTHONPATH")  # `python -m` imports from the working directory
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd
    )
    err_bytes = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = err_bytes.decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{cmd} exited {code}: {err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, err, usage.ru_utime + usage.ru_stime


def best(
    cmd: list[str], repeat: int, env: dict[str, str] | None = None
) -> tuple[float, float, float]:
    """(least wall seconds, most peak RSS MB, least CPU seconds) over `repeat` runs."""
    runs = [run(cmd, env) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs), min(r[3] for r in runs)


def unpack(mirror: Path, target: Path) -> Path:
    """A mirror's HEAD extracted into `target` (`git archive | tar -x`). A snapshot missing
    some blobs (large files left out) cannot be archived: then every blob it has is written
    one by one, and the missing ones are counted on stderr."""
    git = mirror / ".git" if (mirror / ".git").is_dir() else mirror
    target.mkdir(parents=True)
    archive = subprocess.run(["git", f"--git-dir={git}", "archive", "HEAD"], capture_output=True)
    if archive.returncode == 0:
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
        return target
    tree = subprocess.run(
        ["git", f"--git-dir={git}", "ls-tree", "-r", "-z", "HEAD"],
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    blobs = []
    for entry in tree:
        meta, _, path = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[1] == b"blob" and fields[0] != b"120000":
            blobs.append((fields[2], path.decode("utf-8", "surrogateescape")))
    cat = subprocess.Popen(
        ["git", f"--git-dir={git}", "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert cat.stdin is not None and cat.stdout is not None
    missing = 0
    for sha, path in blobs:
        cat.stdin.write(sha + b"\n")
        cat.stdin.flush()
        header = cat.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            missing += 1
            continue
        data = cat.stdout.read(int(header[2]))
        cat.stdout.read(1)  # the newline after the content
        out = target / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    cat.stdin.close()
    cat.wait()
    print(f"{mirror.parent.name}: {missing} blobs missing from the snapshot", file=sys.stderr)
    return target


def unpack_langgraph(dest: Path) -> Path:
    if not MIRROR.exists():
        raise SystemExit(f"no mirror at {MIRROR}: pass a repository folder")
    return unpack(MIRROR, dest / "langgraph")


def unpack_corpus(dest: Path) -> Path:
    missing = [n for n in CORPUS if not (MIRRORS / n / "repo").exists()]
    if missing:
        raise SystemExit(f"corpus mirrors missing under {MIRRORS}: {', '.join(missing)}")
    root = dest / "corpus"
    for name in CORPUS:
        unpack(MIRRORS / name / "repo", root / name)
    return root


def snapshot(dest: Path) -> Path:
    """A copy of archlint's code to run: the cache keys results by the code's hash, and a
    checkout being edited while the benchmark runs would make every run cold."""
    code = dest / "code"
    for name in ("analyzer", "rules"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
    return code


def measure(
    label: str,
    repo: Path,
    code: Path,
    tmpdir: Path,
    jobs: int,
    repeat: int,
    libcst: bool,
    scan: bool = False,
) -> None:
    """Floors, then cold, cold filling the cache, and warm; printed as one block. CPU
    seconds (user + system, all threads of the process) are printed beside wall seconds:
    on a loaded machine they move less."""
    py = sys.executable
    load = os.getloadavg()[0]
    rows = []
    libcst_row = None
    if libcst:
        libcst_row = best([py, "-c", FLOOR, "libcst", str(repo), str(code)], repeat)
        rows.append(("bare libcst parse (1 process)", *libcst_row))
    ast_t, ast_m, err, ast_c = run([py, "-c", FLOOR, "ast", str(repo), str(code)])
    files, lines = (err.split() + ["?", "?"])[:2]
    rows.append(("stdlib ast parse (1 process)", ast_t, ast_m, ast_c))
    if scan:  # every repository under `repo` its own project, `jobs` at a time
        repos = sorted(str(p) for p in repo.iterdir() if p.is_dir())
        analyze = [py, "-m", "analyzer", "scan", *repos, "--format", "json", "-q"]
    else:
        analyze = [py, "-m", "analyzer", "analyze", str(repo), "--format", "json", "-q"]
    analyze += ["-j", str(jobs)]
    env = {k: v for k, v in os.environ.items() if k != "ARCHLINT_CACHE_DIR"}
    env["PYTHONPATH"] = str(code)
    cold = best(analyze, repeat, env)
    verb = "scan" if scan else "analyze"
    rows.append((f"archlint {verb} cold (-j {jobs})", *cold))
    cache = tmpdir / "cache"
    fill_t, fill_m, _, fill_c = run(analyze, {**env, "ARCHLINT_CACHE_DIR": str(cache)})
    rows.append((f"archlint {verb} cold, filling the cache", fill_t, fill_m, fill_c))
    warm = best(analyze, repeat, {**env, "ARCHLINT_CACHE_DIR": str(cache)})
    rows.append((f"archlint {verb} warm", *warm))
    shutil.rmtree(cache, ignore_errors=True)
    end_load = os.getloadavg()[0]
    print(f"repository: {label} ({files} files, {lines} lines)")
    print(f"load average: {load:.2f} at start, {end_load:.2f} at end, on {os.cpu_count()} cores")
    print(f"{'measure':44} {'seconds':>8} {'CPU s':>8} {'peak RSS MB':>12}")
    for name, t, m, c in rows:
        print(f"{name:44} {t:8.2f} {c:8.2f} {m:12.0f}")
    if libcst_row:
        print(
            f"cold / bare libcst parse: {cold[0] / libcst_row[0]:.2f} wall, "
            f"{cold[2] / libcst_row[2]:.2f} CPU (langgraph target <= 1.5)"
        )
    print(f"warm / cold: {warm[0] / cold[0]:.3f} (target <= 0.1)")
    print(f"peak RSS: {max(cold[1], warm[1], fill_m):.0f} MB (target <= 1024)")
    print(flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repo", nargs="?", type=Path)
    ap.add_argument("-j", "--jobs", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--corpus", action="store_true", help="also the six-repository corpus")
    ap.add_argument("--corpus-only", action="store_true", help="only the corpus")
    ap.add_argument("--corpus-jobs", type=int, default=2)
    ap.add_argument(
        "--corpus-libcst",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure the corpus's libcst floor (about 150 s in one process)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="archlint-bench-") as tmp:
        tmpdir = Path(tmp)
        code = snapshot(tmpdir)
        if not args.corpus_only:
            repo = args.repo or unpack_langgraph(tmpdir)
            label = repo.name if args.repo else "langgraph (mirror HEAD)"
            measure(label, repo, code, tmpdir, args.jobs, args.repeat, True)
        if args.corpus or args.corpus_only:
            corpus = unpack_corpus(tmpdir)
            label = "corpus: " + ", ".join(n.split("+")[1] for n in CORPUS)
            measure(
                label,
                corpus,
                code,
                tmpdir,
                args.corpus_jobs,
                args.repeat,
                args.corpus_libcst,
                scan=True,
            )
            print("corpus targets: cold <= 90 s, warm <= 10 s on 2 processes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
