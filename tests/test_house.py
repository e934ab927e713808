"""The house rules that keep `analyzer/` readable in one sitting per module (issue 14)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ANALYZER = Path(__file__).resolve().parents[1] / "analyzer"
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 400
# Modules that are data tables (facts written down, not logic) may run longer.
DATA_TABLES: frozenset[str] = frozenset()


def _modules() -> list[Path]:
    return sorted(p for p in ANALYZER.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_over_600_lines():
    long = []
    for path in _modules():
        rel = path.relative_to(ANALYZER).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES and rel not in DATA_TABLES:
            long.append(f"{rel}: {lines} lines")
    assert not long, "split these by concern:\n" + "\n".join(long)


def test_no_class_over_400_lines():
    long = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_CLASS_LINES:
                    long.append(f"{path.relative_to(ANALYZER)}: {node.name} {size} lines")
    assert not long, "split these by concern:\n" + "\n".join(long)


def test_the_ir_walkers_are_reached_through_ir_whichever_module_loads_first():
    code = (
        "import analyzer.ir_walk as w\n"
        "from analyzer import ir\n"
        "from analyzer.ir import walk_stmts\n"
        "assert ir.walk_expr is w.walk_expr and walk_stmts is w.walk_stmts\n"
        "assert ir.dotted(ir.Attr(ir.Name('a', ir.NOLOC), 'b', ir.NOLOC)) == 'a.b'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
