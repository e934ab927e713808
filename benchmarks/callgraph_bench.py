"""Time the call-graph build on a large real project.

    python benchmarks/callgraph_bench.py [SOURCE] [--sub DIR] [--repeat N] [--jobs J]

SOURCE is a directory, or a bare git repository (such as the mirrors under /work/.mirror),
which is extracted with `git archive` into a temporary directory first. Parsing (facts) is
timed separately from the call graph, which is what this benchmark is about.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = "/work/.mirror/langchain-ai+langgraph/repo"


def _materialise(source: Path, tmp: Path) -> Path:
    if (source / "HEAD").is_file() and (source / "objects").is_dir():  # a bare repository
        archive = subprocess.run(
            ["git", f"--git-dir={source}", "archive", "HEAD"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        return tmp
    return source


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", nargs="?", default=DEFAULT)
    ap.add_argument("--sub", default="", help="analyse only this folder of the source")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=4)
    args = ap.parse_args(argv)

    from analyzer.callgraph import build_call_graph
    from analyzer.frontend.project import load_project

    with tempfile.TemporaryDirectory() as tmp:
        root = _materialise(Path(args.source), Path(tmp))
        target = root / args.sub if args.sub else root
        t0 = time.perf_counter()
        project = load_project([target], jobs=args.jobs)
        load_s = time.perf_counter() - t0
        times = []
        cg = None
        for _ in range(args.repeat):
            t1 = time.perf_counter()
            cg = build_call_graph(project)
            times.append(time.perf_counter() - t1)
        assert cg is not None
        lines = sum(
            max((s.loc.end_line for s in m.scopes if s.kind == "module"), default=0)
            for m in project.modules
        )
        dynamic = sum(1 for *_, d in cg.graph.edges(data=True) if d.get("dynamic"))
        report = {
            "source": str(args.source),
            "sub": args.sub,
            "files": len(project.modules),
            "lines": lines,
            "load_seconds": round(load_s, 2),
            "graph_seconds_median": round(statistics.median(times), 2),
            "graph_seconds_all": [round(t, 2) for t in times],
            "nodes": cg.graph.number_of_nodes(),
            "edges": cg.graph.number_of_edges(),
            "dynamic_edges": dynamic,
        }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
