"""The long fuzz run of issue 16: at least 10,000 damaged or generated inputs through the
pipeline, none of which may fail the run or disturb another file's results.

    python benchmarks/fuzz_long.py --inputs 10000            # figures in benchmarks/README.md

It reuses the generators and the soundness check of `tests/test_fuzz.py` (mutated
fixtures, generated modules, broken notebooks, odd file names; in rotation). Inputs are
analysed `--batch` at a time, each in its own folder next to a sentinel file. Work runs in
child processes of `--chunk` inputs, so a hard crash (a segfault in a native parser)
is counted and the run goes on with the next batch. The summary gives inputs, time,
failures of the check (an internal error, a lost sentinel unit, an exception), crashes,
timeouts, and every `errors` entry by kind.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KINDS = ("mutated fixture", "generated module", "broken notebook", "odd file name")


def make_input(index: int, seed: int) -> tuple[bytes, bytes, str]:
    """(file name, bytes, kind) of input number `index`: the kinds take turns."""
    from tests import test_fuzz as fz

    rnd = random.Random(seed * 1_000_003 + index)
    kind = KINDS[index % len(KINDS)]
    sources = fz.fixture_sources()
    py = [d for s, d in sources if s == ".py"]
    if kind == "mutated fixture":
        suffix, data = rnd.choice(sources)
        return (
            b"target" + suffix.encode(),
            fz.mutate(data, rnd.getrandbits(32), rnd.randint(1, 4)),
            kind,
        )
    if kind == "generated module":
        data = fz.generate_module(rnd.getrandbits(32), rnd.randint(5, 80), rnd.randint(0, 3))
        return b"generated.py", data, kind
    if kind == "broken notebook":
        return b"nb.ipynb", fz.notebook_from(rnd.choice(py), rnd.getrandbits(32)), kind
    name = rnd.choice(fz.ODD_NAMES)
    data = rnd.choice(py)
    if name.endswith(b".ipynb"):
        data = fz.notebook_from(data, rnd.getrandbits(32))
    elif name.endswith(b".md"):
        data = b"# t\n\n```python\n" + data + b"\n```\n"
    return name, data, kind


def error_kind(message: str) -> str:
    """An `errors` message without its specifics (line numbers, bytes, names)."""
    head = message.split(":", 1)[0] if not message.startswith("skipped") else message
    head = re.sub(r"0x[0-9a-f]+|\d+(\.\d+)?", "N", head)
    return re.sub(r"'[^']*'", "'…'", head)[:70]


def worker(start: int, count: int, batch: int, seed: int) -> None:
    """Run inputs [start, start+count) in batches; one JSON line per batch on stdout."""
    sys.path.insert(0, str(REPO))
    from tests import test_fuzz as fz

    fz.sentinel_baseline()
    for first in range(start, start + count, batch):
        idx = list(range(first, min(first + batch, start + count)))
        print(json.dumps({"start": first}), flush=True)
        made = [make_input(i, seed) for i in idx]
        t0 = time.perf_counter()
        record: dict[str, object] = {"first": first, "inputs": len(idx)}
        try:
            result = fz.check_batch([(name, data) for name, data, _ in made])
            record["errors"] = Counter(error_kind(e["message"]) for e in result["errors"])
            record["status"] = "ok"
        except Exception as exc:  # a failed check: record it, go on
            record["status"] = "fail"
            record["failure"] = f"{type(exc).__name__}: {str(exc)[:300]}"
            record["trace"] = innermost_frames(exc)
            record["input_kinds"] = [k for _, _, k in made]
        record["seconds"] = time.perf_counter() - t0
        print(json.dumps(record), flush=True)


def innermost_frames(exc: BaseException, count: int = 8) -> list[str]:
    """Where an exception was raised (the innermost frames), and for a deep recursion the
    frames that repeat most, which say which function recursed."""
    frames = traceback.extract_tb(exc.__traceback__)
    inner = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames[-count:]]
    if len(frames) > 100:
        common = Counter(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames)
        inner += [f"repeats {n}x: {where}" for where, n in common.most_common(3)]
    return inner


def run_chunk(start: int, count: int, args) -> list[dict]:
    """A child process for one chunk; a crash or timeout becomes a record too."""
    cmd = [sys.executable, __file__, "--worker", str(start), str(count)]
    cmd += ["--batch", str(args.batch), "--seed", str(args.seed)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, cwd=REPO)
        out, code, err = proc.stdout, proc.returncode, proc.stderr
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        code, err = "timeout", ""
    records, started = [], None
    for line in out.splitlines():
        data = json.loads(line)
        if "start" in data and len(data) == 1:
            started = data["start"]
        else:
            records.append(data)
            started = None
    if code != 0:
        status = "timeout" if code == "timeout" else "crash"
        first = started if started is not None else start
        tail = err.strip().splitlines()[-3:]
        records.append(
            {"first": first, "inputs": 0, "status": status, "code": code, "stderr": tail}
        )
        done = first + args.batch
        if done < start + count:  # go on after the batch that died
            records += run_chunk(done, start + count - done, args)
    return records


def summarise(records: list[dict], seconds: float, args) -> dict:
    status = Counter(r["status"] for r in records)
    inputs = sum(r.get("inputs", 0) for r in records)
    errors: Counter = Counter()
    for r in records:
        errors.update(r.get("errors", {}))
    return {
        "inputs": inputs,
        "batches": len(records),
        "seconds": round(seconds, 1),
        "inputs_per_second": round(inputs / seconds, 1) if seconds else None,
        "ok_batches": status.get("ok", 0),
        "failed_batches": status.get("fail", 0),
        "crashes": status.get("crash", 0),
        "timeouts": status.get("timeout", 0),
        "internal_errors": sum(n for k, n in errors.items() if "internal error" in k),
        "errors_by_kind": dict(errors.most_common()),
        "failures": [r for r in records if r["status"] != "ok"][:10],
        "seed": args.seed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=10, help="inputs analysed together")
    parser.add_argument("--chunk", type=int, default=500, help="inputs per child process")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per chunk")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    parser.add_argument("--worker", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], args.batch, args.seed)
        return
    t0 = time.perf_counter()
    records: list[dict] = []
    for start in range(0, args.inputs, args.chunk):
        records += run_chunk(start, min(args.chunk, args.inputs - start), args)
        done = sum(r.get("inputs", 0) for r in records)
        print(f"{done} inputs, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    summary = summarise(records, time.perf_counter() - t0, args)
    text = json.dumps(summary, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
