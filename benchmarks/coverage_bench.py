"""Coverage of model calls on real code: which files that call an LLM package get no call found.

    python benchmarks/coverage_bench.py [--extract] [--root /tmp/cov] [--mirrors /work/.mirror]
        [--pin REV] [--only NAME ...] [--timeout 180] [--json OUT] [--from-json OUT]
        [--classified benchmarks/coverage.md] [--scan-only]

For every repository in `REPOS` (a public repository fetched as a bare git mirror under
`--mirrors`, extracted with `--extract` into `--root/NAME`, only the folders analysed):

1. a cheap stdlib-`ast` scan lists the files (`.py`, notebooks' code cells) that import an
   LLM package (the knowledge base's model-SDK and framework import roots, read from
   `analyzer.knowledge`, plus `EXTRA_ROOTS`: OpenAI-compatible SDKs and the frameworks
   issue 10 asks for) AND call into it: a call whose receiver chain starts from a name
   imported from such a package, or from a variable assigned from such a call (or from an
   attribute, `|` composition, `with ... as` of one, or a parameter annotated with one of
   its types); calling a class (a capitalised last name: `OpenAI()`, `genai.Client()`) is
   constructing, not calling into the package, and does not count;
2. `archlint analyze TARGET --format json -j 1` runs once per target folder;
3. a file with calls is *covered* when some unit's `llm_calls` entry has its `path`.

The text output (deterministic: no timings) gives per repository the files with calls, the
covered ones, the percentage and the units found, then every uncovered file with the
package calls the scan saw in it, to read when finding why archlint missed them. With
`--classified`, the miss table of a previous write-up (benchmarks/coverage.md) gives each
uncovered file's cause: files read and found to make no model call ("n-*") leave the
adjusted denominator, and uncovered files not in the table are marked "new". Results and
the miss analysis are in benchmarks/coverage.md.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# ----------------------------------------------------------------------------- repositories


@dataclass(frozen=True)
class Repo:
    """A fetched repository: `name` under --root, `github` owner/name, the target folders
    (relative to the repository root, "." for all) each analysed by one archlint run."""

    name: str
    github: str
    targets: tuple[str, ...] = (".",)

    @property
    def mirror(self) -> str:
        return self.github.replace("/", "+")


REPOS: tuple[Repo, ...] = (
    Repo("openai-agents-python", "openai/openai-agents-python", ("examples",)),
    Repo("anthropic-quickstarts", "anthropics/anthropic-quickstarts"),
    Repo("adk-samples", "google/adk-samples", ("python/agents",)),
    Repo("aider", "Aider-AI/aider", ("aider",)),
    Repo("groq-api-cookbook", "groq/groq-api-cookbook"),
    Repo("mistral-cookbook", "mistralai/cookbook"),
    Repo("gemini-cookbook", "google-gemini/cookbook"),
    Repo("mem0", "mem0ai/mem0", ("mem0", "examples")),
    Repo(
        "agno",
        "agno-agi/agno",
        (
            "cookbook/00_quickstart",
            "cookbook/02_agents",
            "cookbook/03_teams",
            "cookbook/04_workflows",
        ),
    ),
    Repo("autogen", "microsoft/autogen", ("python/samples",)),
    Repo("dspy", "stanfordnlp/dspy", ("dspy",)),
    Repo("browser-use", "browser-use/browser-use", ("browser_use", "examples")),
    Repo("camel", "camel-ai/camel", ("examples",)),
    Repo("e2b-cookbook", "e2b-dev/e2b-cookbook"),
    Repo("TaskWeaver", "microsoft/TaskWeaver", ("taskweaver",)),
    Repo("khoj", "khoj-ai/khoj", ("src/khoj",)),
    Repo(
        "semantic-kernel",
        "microsoft/semantic-kernel",
        ("python/samples/getting_started_with_agents",),
    ),
    Repo("MetaGPT", "FoundationAgents/MetaGPT", ("examples",)),
    Repo("ChatDev", "OpenBMB/ChatDev"),
    Repo("SuperAGI", "TransformerOptimus/SuperAGI", ("superagi",)),
)

# ----------------------------------------------------------------------------- LLM packages

#: Import roots (dotted prefixes) that are LLM packages besides the knowledge base's own:
#: OpenAI-compatible and provider SDKs, and the frameworks issue 10 asks the knowledge base
#: to learn (so that their apps are counted before and after it does).
EXTRA_ROOTS = (
    "groq",
    "together",
    "fireworks",
    "cerebras",
    "huggingface_hub",
    "mistralai",
    "cohere",
    "ollama",
    "vertexai",
    "google.genai",
    "google.generativeai",
    "google.adk",
    "agno",
    "swarm",
    "camel",
    "metagpt",
    "semantic_kernel",
    "haystack",
    "letta",
    "letta_client",
)

#: boto3 is an LLM package only in files that open a `bedrock-runtime` client.
BEDROCK_ROOT = "boto3"
BEDROCK_MARK = re.compile(r"bedrock-runtime")

#: Knowledge-base entries that are not third-party LLM packages.
NOT_PACKAGES = ("archlint_runtime",)


def llm_roots() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(dotted prefixes, glob patterns) of LLM import paths: the knowledge base's entries
    that declare model calls (their `modules` when a root is shared, else their `roots`),
    plus `EXTRA_ROOTS`."""
    from analyzer.knowledge.entries import ENTRIES

    prefixes: set[str] = set(EXTRA_ROOTS)
    globs: set[str] = set()
    for e in ENTRIES:
        if not e.model_calls or e.key in NOT_PACKAGES:
            continue
        for r in e.modules or e.roots:
            (globs if "*" in r else prefixes).add(r)
    return tuple(sorted(prefixes)), tuple(sorted(globs))


class PackageMatcher:
    def __init__(self) -> None:
        self.prefixes, globs = llm_roots()
        self._glob = re.compile(
            "|".join(re.escape(g).replace(r"\*", "[A-Za-z0-9_]*") for g in globs) or r"(?!)"
        )

    def is_llm(self, dotted: str, bedrock: bool) -> bool:
        top = dotted.split(".")[0]
        if top == BEDROCK_ROOT:
            return bedrock
        if self._glob.fullmatch(top):
            return True
        return any(dotted == p or dotted.startswith(p + ".") for p in self.prefixes)


# ----------------------------------------------------------------------------- the scan


def _blank_magics(src: str) -> str:
    out = []
    for line in src.splitlines():
        s = line.lstrip()
        out.append(
            "" if s.startswith(("%", "!")) or (s.endswith("?") and s[:-1].isidentifier()) else line
        )
    return "\n".join(out)


def read_cells(path: Path) -> list[tuple[int | None, str]]:
    """(cell index or None, source) pairs: one for a .py file, code cells for a notebook."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".ipynb":
        return [(None, text)]
    try:
        nb = json.loads(text)
    except ValueError:
        return []
    cells = []
    for i, c in enumerate(nb.get("cells", []) if isinstance(nb, dict) else []):
        if c.get("cell_type") != "code":
            continue
        src = c.get("source", "")
        src = "".join(src) if isinstance(src, list) else str(src)
        cells.append((i, _blank_magics(src)))
    return cells


def _chain(node: ast.AST) -> list[str] | None:
    """The dotted receiver chain of an expression, from its root name (`a.b().c` ->
    ['a', 'b', 'c']); None when the chain does not start from a name (or `self.x`)."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, (ast.Subscript, ast.Await)):
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return parts[::-1]
        else:
            return None


def _tainted_prefix(chain: list[str], tainted: dict[str, str]) -> str | None:
    """The tainted name (`client`, `self.client`) the chain starts from, if any."""
    if len(chain) >= 2 and chain[0] in ("self", "cls"):
        key = f"{chain[0]}.{chain[1]}"
        if key in tainted:
            return key
    return chain[0] if chain[0] in tainted else None


def _local_shadow(top: str, names: list[str], sub: list[str], dirs: list[Path]) -> bool:
    """True when `from top[.sub] import names` resolves to a local module of the project:
    a `top` package or module next to the file (or in a folder above it, up to the repo)
    that has the submodule path, or defines one of the names (else Python's import would
    fail there, so the installed package is meant)."""
    for d in dirs:
        pkg, mod = d / top, d / f"{top}.py"
        if not (pkg.is_dir() or mod.is_file()):
            continue
        if sub:
            base = pkg.joinpath(*sub)
            if base.is_dir() or base.with_suffix(".py").is_file():
                return True
            continue
        if not names:
            return True
        for n in names:
            if (pkg / n).is_dir() or (pkg / f"{n}.py").is_file():
                return True
        for f in (pkg / "__init__.py", mod):
            if f.is_file():
                text = f.read_text(encoding="utf-8", errors="replace")
                for n in names:
                    if re.search(
                        rf"^\s*((async\s+)?def|class)\s+{re.escape(n)}\b|^{re.escape(n)}\s*[:=]|"
                        rf"\bimport\b[^\n]*\b{re.escape(n)}\b",
                        text,
                        re.M,
                    ):
                        return True
    return False


@dataclass
class FileScan:
    path: str
    imports: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)  # "line: dotted callee" (cell:line)


def scan_file(path: Path, rel: str, repo_root: Path, pm: PackageMatcher) -> FileScan | None:
    """The LLM-package calls in one file; None when it imports no LLM package."""
    cells = read_cells(path)
    bedrock = any(BEDROCK_MARK.search(src) for _, src in cells)
    trees: list[tuple[int | None, ast.AST]] = []
    for cell, src in cells:
        try:
            trees.append((cell, ast.parse(src)))
        except (SyntaxError, ValueError):
            continue
    dirs = []
    d = path.parent
    while True:
        dirs.append(d)
        if d == repo_root or d == d.parent:
            break
        d = d.parent

    tainted: dict[str, str] = {}  # local name -> package path it comes from
    imports: set[str] = set()
    for _, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if pm.is_llm(a.name, bedrock) and not _local_shadow(
                        a.name.split(".")[0], [], a.name.split(".")[1:], dirs
                    ):
                        imports.add(a.name)
                        tainted[a.asname or a.name.split(".")[0]] = a.name
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                parts = node.module.split(".")
                for a in node.names:
                    full = f"{node.module}.{a.name}"
                    if not (pm.is_llm(full, bedrock) or pm.is_llm(node.module, bedrock)):
                        continue
                    if _local_shadow(parts[0], [a.name], parts[1:], dirs):
                        continue
                    imports.add(node.module)
                    if a.name != "*":
                        tainted[a.asname or a.name] = full
    if not imports:
        return None

    def taint_source(value: ast.AST) -> str | None:
        if isinstance(value, ast.BinOp):
            return taint_source(value.left) or taint_source(value.right)
        if isinstance(value, ast.Await):
            return taint_source(value.value)
        if isinstance(value, ast.BoolOp):
            return next(filter(None, map(taint_source, value.values)), None)
        if isinstance(value, ast.IfExp):
            return taint_source(value.body) or taint_source(value.orelse)
        if not isinstance(value, (ast.Call, ast.Attribute, ast.Subscript)):
            return None
        ch = _chain(value)
        if ch is None:
            return None
        t = _tainted_prefix(ch, tainted)
        return None if t is None else tainted[t]

    def target_key(t: ast.AST) -> str | None:
        if isinstance(t, ast.Name):
            return t.id
        if (
            isinstance(t, ast.Attribute)
            and isinstance(t.value, ast.Name)
            and t.value.id in ("self", "cls")
        ):
            return f"{t.value.id}.{t.attr}"
        return None

    changed = True
    while changed:  # flow-insensitive fixpoint over assignments
        changed = False
        for _, tree in trees:
            for node in ast.walk(tree):
                pairs: list[tuple[ast.AST, ast.AST]] = []
                if isinstance(node, ast.Assign):
                    pairs = [(t, node.value) for t in node.targets]
                elif (
                    isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value
                ) or isinstance(node, ast.NamedExpr):
                    pairs = [(node.target, node.value)]
                elif isinstance(node, (ast.With, ast.AsyncWith)):
                    pairs = [
                        (i.optional_vars, i.context_expr) for i in node.items if i.optional_vars
                    ]
                elif isinstance(node, ast.arg) and node.annotation is not None:
                    # a parameter annotated with a package type (`client: Anthropic`)
                    for sub in ast.walk(node.annotation):
                        ch = _chain(sub) if isinstance(sub, (ast.Name, ast.Attribute)) else None
                        t = None if ch is None else _tainted_prefix(ch, tainted)
                        if t is not None and node.arg not in tainted:
                            tainted[node.arg] = tainted[t]
                            changed = True
                            break
                for t, v in pairs:
                    k = target_key(t)
                    if k is None or k in tainted:
                        continue
                    src = taint_source(v)
                    if src is not None:
                        tainted[k] = src
                        changed = True

    calls: set[tuple[int, int, str]] = set()
    for cell, tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            ch = _chain(node.func)
            if ch is None:
                continue
            t = _tainted_prefix(ch, tainted)
            if t is None:
                continue
            if ch[-1][:1].isupper():
                continue  # a constructor (`OpenAI()`, `genai.Client()`): not a call yet
            calls.add((-1 if cell is None else cell, node.lineno, ".".join(ch)))
    if not calls:
        return FileScan(rel, sorted(imports), [])
    return FileScan(
        rel,
        sorted(imports),
        [
            f"{ln}: {c}" if cell < 0 else f"cell {cell} line {ln}: {c}"
            for cell, ln, c in sorted(calls)
        ],
    )


SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", "build", "dist", ".tox"}


def iter_files(folder: Path):
    for p in sorted(folder.rglob("*")):
        if p.suffix not in (".py", ".ipynb") or not p.is_file():
            continue
        if any(part in SKIP_DIRS for part in p.relative_to(folder).parts):
            continue
        yield p


# ----------------------------------------------------------------------------- archlint


#: How archlint is run: the `archlint` on PATH (the checkout, as it is), or a pinned commit
#: of this repository extracted by `pin_archlint` (set by --pin).
ARCHLINT: dict = {"cmd": None, "env": None, "label": "archlint on PATH (working tree)"}


def pin_archlint(rev: str) -> str:
    """Extract commit `rev` of this repository into /tmp and run archlint from there, so a
    measurement is of a known commit and not of files others are editing."""
    repo = Path(__file__).resolve().parent.parent
    sha = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", rev], capture_output=True, text=True, check=True
    ).stdout.strip()
    dest = Path(f"/tmp/archlint-{sha[:12]}")
    if not (dest / "analyzer").is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(repo), "archive", sha], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    sys.path.insert(0, str(dest))  # the scan reads the same commit's knowledge base
    env = dict(os.environ, PYTHONPATH=str(dest))
    ARCHLINT.update(
        cmd=[sys.executable, "-m", "analyzer"], env=env, label=f"archlint at commit {sha}"
    )
    return sha


def run_archlint(target: Path, timeout: int) -> tuple[dict | None, str, float]:
    """(report, error text, seconds) of `archlint analyze target --format json -j 1`."""
    cmd = ARCHLINT["cmd"] or [shutil.which("archlint") or "archlint"]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(
            [*cmd, "analyze", str(target), "--format", "json", "-j", "1"],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=ARCHLINT["env"],
            cwd="/tmp",
        )
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout} s", time.perf_counter() - t0
    dt = time.perf_counter() - t0
    try:
        return json.loads(p.stdout), "", dt
    except ValueError:
        tail = (p.stderr or p.stdout).strip().splitlines()[-1:] or [f"exit {p.returncode}"]
        return None, f"no JSON (exit {p.returncode}): {tail[0][:200]}", dt


# ----------------------------------------------------------------------------- benchmark


#: Files extracted from a mirror: what archlint reads, and what decides what it skips.
EXTRACT = re.compile(r"(\.py|\.ipynb|(^|/)\.gitignore|(^|/)pyproject\.toml)$")


def extract(repo: Repo, mirrors: Path, root: Path) -> str:
    """Extract the target folders' Python files, notebooks, `.gitignore`s and
    `pyproject.toml`s from the repository's mirror (blobs the snapshot lacks, 4 MiB and
    more, are skipped); returns the commit."""
    git = ["git", f"--git-dir={mirrors / repo.mirror / 'repo'}"]
    commit = subprocess.run(
        [*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    dest = root / repo.name
    if not dest.exists():
        paths = [] if repo.targets == (".",) else list(repo.targets)
        listing = subprocess.run(
            [*git, "ls-tree", "-r", "-z", "HEAD", "--", *paths], capture_output=True, check=True
        ).stdout.decode("utf-8", "surrogateescape")
        wanted = []
        for row in filter(None, listing.split("\0")):
            meta, name = row.split("\t", 1)
            mode, kind, sha = meta.split()
            if kind == "blob" and mode != "120000" and EXTRACT.search(name):
                wanted.append((sha, name))
        batch = subprocess.run(
            [*git, "cat-file", "--batch"],
            input="".join(f"{sha}\n" for sha, _ in wanted).encode(),
            capture_output=True,
            check=True,
        ).stdout
        pos = 0
        for _sha, name in wanted:
            end = batch.index(b"\n", pos)
            header = batch[pos:end].split()
            pos = end + 1
            if header[-1] == b"missing":
                continue
            size = int(header[2])
            out = dest / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(batch[pos : pos + size])
            pos += size + 1
        dest.mkdir(parents=True, exist_ok=True)
    (dest / ".commit").write_text(commit + "\n")
    return commit


def bench_repo(
    repo: Repo, root: Path, timeout: int, pm: PackageMatcher, analyse: bool = True
) -> dict:
    base = root / repo.name
    commit_file = base / ".commit"
    out: dict = {
        "repo": repo.name,
        "github": repo.github,
        "commit": commit_file.read_text().strip() if commit_file.is_file() else "",
        "targets": list(repo.targets),
        "files_scanned": 0,
        "files_importing": 0,
        "files_with_calls": [],
        "covered": [],
        "uncovered": {},
        "units": 0,
        "llm_calls": 0,
        "errors": [],
        "seconds": 0.0,
    }
    with_calls: dict[str, list[str]] = {}
    covered: set[str] = set()
    for tgt in repo.targets:
        folder = (base / tgt).resolve()
        if not folder.exists():
            out["errors"].append(f"{tgt}: missing")
            continue
        prefix = "" if tgt == "." else tgt.rstrip("/") + "/"
        for f in iter_files(folder):
            out["files_scanned"] += 1
            rel = prefix + f.relative_to(folder).as_posix()
            s = scan_file(f, rel, base.resolve(), pm)
            if s is None:
                continue
            out["files_importing"] += 1
            if s.calls:
                with_calls[rel] = s.calls
        if not analyse:
            continue
        print(f"[{repo.name}] archlint analyze {tgt} ...", file=sys.stderr, flush=True)
        report, err, dt = run_archlint(folder, timeout)
        out["seconds"] += dt
        print(f"[{repo.name}]   {dt:.0f} s {err}", file=sys.stderr, flush=True)
        if report is None:
            out["errors"].append(f"{tgt}: {err}")
            continue
        out["units"] += len(report.get("units", []))
        for u in report.get("units", []):
            for c in u.get("llm_calls", []):
                out["llm_calls"] += 1
                covered.add(prefix + (c.get("path") or u["path"]))
    out["files_with_calls"] = sorted(with_calls)
    out["covered"] = sorted(p for p in with_calls if p in covered)
    out["uncovered"] = {p: with_calls[p] for p in sorted(with_calls) if p not in covered}
    return out


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "n/a"


#: A row of the miss table in coverage.md: | repository | `file` | cause | note |
CLASSIFIED_ROW = re.compile(r"^\|\s*([^|`]+?)\s*\|\s*`([^`]+)`\s*\|\s*([a-z-]+)\s*\|")


def read_classified(path: Path) -> dict[str, str]:
    """{"repo:file": cause} from the miss table of a previous write-up (coverage.md).
    Causes starting with "n-" mean the file was read and makes no model call (the scan's
    over-approximation); they leave the adjusted denominator."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = CLASSIFIED_ROW.match(line)
        if m:
            out[f"{m.group(1)}:{m.group(2)}"] = m.group(3)
    return out


def render_text(results: list[dict], classified: dict[str, str], max_calls: int = 4) -> str:
    head = (
        f"{'repository':<22} {'commit':<12} {'with calls':>10} {'covered':>8} {'%':>8} {'units':>6}"
    )
    if classified:
        head += f" {'no call':>8} {'adj. %':>8}"
    lines = [head]
    tw = tc = tn = 0
    for r in results:
        w, c = len(r["files_with_calls"]), len(r["covered"])
        n = sum(
            1 for p in r["uncovered"] if classified.get(f"{r['repo']}:{p}", "").startswith("n-")
        )
        tw, tc, tn = tw + w, tc + c, tn + n
        row = (
            f"{r['repo']:<22} {r['commit'][:12]:<12} {w:>10} {c:>8} {pct(c, w):>8} {r['units']:>6}"
        )
        if classified:
            row += f" {n:>8} {pct(c, w - n):>8}"
        lines.append(row + (f"  ({'; '.join(r['errors'])})" if r["errors"] else ""))
    total = f"{'overall':<22} {'':<12} {tw:>10} {tc:>8} {pct(tc, tw):>8} {'':>6}"
    lines.append(total + (f" {tn:>8} {pct(tc, tw - tn):>8}" if classified else ""))
    zero = [
        r["repo"] for r in results if r["files_with_calls"] and not r["units"] and not r["errors"]
    ]
    lines.append("")
    lines.append("repositories with calls and 0 units: " + (", ".join(zero) or "none"))
    for r in results:
        if not r["uncovered"]:
            continue
        lines.append("")
        lines.append(f"## {r['repo']}: {len(r['uncovered'])} uncovered")
        for p, calls in r["uncovered"].items():
            more = f" (+{len(calls) - max_calls})" if len(calls) > max_calls else ""
            cause = classified.get(f"{r['repo']}:{p}", "new" if classified else "")
            lines.append(f"  {p}" + (f"  [{cause}]" if cause else ""))
            lines.append("      " + " | ".join(calls[:max_calls]) + more)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default="/tmp/cov", help="folder holding one folder per repository")
    ap.add_argument("--mirrors", default="/work/.mirror", help="bare git mirrors OWNER+NAME/repo")
    ap.add_argument("--extract", action="store_true", help="extract missing repositories first")
    ap.add_argument("--only", nargs="*", default=[], help="only these repositories (names)")
    ap.add_argument("--timeout", type=int, default=180, help="seconds per archlint run")
    ap.add_argument("--json", type=Path, help="also write the full results as JSON")
    ap.add_argument(
        "--pin", metavar="REV", help="run archlint from this commit of the checkout (e.g. HEAD)"
    )
    ap.add_argument(
        "--classified",
        type=Path,
        help="a previous write-up (benchmarks/coverage.md) whose miss table gives each "
        "uncovered file's cause; adds the adjusted percentage and marks new misses",
    )
    ap.add_argument("--from-json", type=Path, help="re-render the results of a --json run")
    ap.add_argument("--scan-only", action="store_true", help="list files with calls, no archlint")
    args = ap.parse_args(argv)

    root = Path(args.root)
    if args.pin:
        pin_archlint(args.pin)
    classified = read_classified(args.classified) if args.classified else {}
    if args.from_json:
        results = json.loads(args.from_json.read_text())
        sys.stdout.write(render_text(results, classified))
        return 0
    repos = [r for r in REPOS if not args.only or r.name in args.only]
    pm = PackageMatcher()
    results = []
    for repo in repos:
        if args.extract:
            try:
                extract(repo, Path(args.mirrors), root)
            except (subprocess.CalledProcessError, OSError) as e:
                print(f"[{repo.name}] not extracted: {e}", file=sys.stderr)
                continue
        if not (root / repo.name).is_dir():
            print(f"[{repo.name}] missing under {root}", file=sys.stderr)
            continue
        r = bench_repo(repo, root, args.timeout, pm, analyse=not args.scan_only)
        r["archlint"] = ARCHLINT["label"]
        results.append(r)
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    sys.stdout.write(f"{ARCHLINT['label']}\n\n" + render_text(results, classified))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())
