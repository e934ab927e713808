"""Re-run the precision audit's `archlint check` over the audited repositories.

The audit (`benchmarks/precision_audit.md`) read every error-severity finding and a seeded
sample of the others against the code. This script repeats the runs so the counts can be
compared after the analyzer changes:

    python benchmarks/precision_audit.py /tmp/audit/src            # one folder per repo
    python benchmarks/precision_audit.py /tmp/audit/src --save /tmp/audit/rerun

REPOS_DIR holds one folder per repository, named as in `TARGETS` (extract each snapshot
with `git --git-dir=/work/.mirror/OWNER+NAME/repo archive HEAD | tar -x -C REPOS_DIR/NAME`).
Fetched code is never part of this project. Each repository is checked alone with `-j 1`
(the machine is shared); test files are left out by archlint's default
(`include-tests = false`). `--save DIR` keeps each JSON output for reading findings;
`--sample N` prints the seeded sample of non-error findings that the audit read.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import subprocess
import sys
import time
from pathlib import Path

# name -> (folder analysed, relative to the repository root; commit audited)
TARGETS: dict[str, tuple[str, str]] = {
    "e2b-cookbook": (".", "a6f55123624996d45f9015d6b39779335105a901"),
    "TaskWeaver": (".", "d44ddef23f90059fb17999d3095db4240e98f955"),
    "SuperAGI": (".", "c3c1982e7bd6a11cfed53c5a193ea502f924b1b6"),
    "ChatDev": (".", "b23950d03575e31c958d7f57af521fb782db8750"),
    "khoj": ("src/khoj", "ae229ca894c0b80ad84664afcfdde523b5e87057"),
    "mem0": ("mem0", "8d5b7865bd0521e75fe9ab1b260eeccc83f8a378"),
    "camel": ("examples", "13dc7a7dda66d943949e5448d55e70d5a9481cfe"),
    "crewAI": ("lib/crewai/src", "f4731f5025f861c78e3af0487cc80bf5e7c64782"),
    "semantic-kernel": ("python/samples", "b39d95a34435f4c1d55dd00c86120ce118d847e1"),
}

ERROR_RULES = (
    "missing-stop-condition",
    "unbounded-retry",
    "model-output-to-exec",
    "unrestricted-tool-dispatch",
)


def run_check(folder: Path) -> dict:
    """`archlint check FOLDER --format json --exit-zero -j 1`, parsed."""
    proc = subprocess.run(
        ["archlint", "check", str(folder), "--format", "json", "--exit-zero", "-j", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"archlint check {folder} exited {proc.returncode}: {proc.stderr[-2000:]}"
        )
    return json.loads(proc.stdout)


def sample_others(findings: list[dict], per_rule: int, seed: int = 0) -> list[dict]:
    """The seeded sample of non-error findings: up to `per_rule` of each rule."""
    rng = random.Random(seed)
    by_rule: dict[str, list[dict]] = collections.defaultdict(list)
    for f in findings:
        if f["severity"] != "error":
            by_rule[f["rule"]].append(f)
    picked: list[dict] = []
    for rule in sorted(by_rule):
        group = sorted(by_rule[rule], key=lambda f: (f["repo"], f["path"], f["line"]))
        picked += rng.sample(group, min(per_rule, len(group)))
    return picked


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repos_dir", type=Path, help="folder holding one folder per repository")
    ap.add_argument("--save", type=Path, help="write each repository's JSON output here")
    ap.add_argument("--only", nargs="*", help="repository names to run (default: all)")
    ap.add_argument(
        "--sample", type=int, default=0, help="print N sampled non-error findings per rule"
    )
    args = ap.parse_args(argv)

    totals: collections.Counter[str] = collections.Counter()
    every: list[dict] = []
    names = args.only or list(TARGETS)
    for name in names:
        sub, commit = TARGETS[name]
        folder = args.repos_dir / name / sub
        if not folder.is_dir():
            print(f"{name}: missing {folder}", file=sys.stderr)
            continue
        started = time.monotonic()
        out = run_check(folder)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{name}.json").write_text(json.dumps(out, indent=1))
        counts = collections.Counter(f["rule"] for f in out["findings"])
        totals.update(counts)
        every += [dict(f, repo=name) for f in out["findings"]]
        systems = sum(1 for u in out["units"] if u.get("is_system"))
        n_err = sum(1 for f in out["findings"] if f["severity"] == "error")
        print(
            f"{name} ({sub} @ {commit[:10]}): {len(out['units'])} units, {systems} systems, "
            f"{len(out['findings'])} findings ({n_err} error) in {time.monotonic() - started:.0f} s"
        )
        for rule, n in sorted(counts.items()):
            print(f"    {rule:28} {n}")
    print("total")
    for rule, n in sorted(totals.items()):
        mark = " (error)" if rule in ERROR_RULES else ""
        print(f"    {rule:28} {n}{mark}")
    print(f"    {'all':28} {sum(totals.values())}")
    if args.sample:
        print(f"sample (random.Random(0), up to {args.sample} per non-error rule)")
        for f in sample_others(every, args.sample):
            cell = f" (cell {f['cell']})" if f.get("cell") is not None else ""
            where = f"{f['repo']}/{f['path']}:{f['line']}{cell}"
            print(f"    {f['rule']:24} {where}  {f['unit'].split('::')[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
