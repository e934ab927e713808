"""`archlint check`'s terminal output, shaped like ruff's: one header line per finding,
the source line with a caret under the column, then a one-line summary.

Source lines are read from disk relative to the analysis root (notebook findings from the
cell they name), so the renderer needs the root; without it, frames are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from analyzer import ir
from analyzer.report.where import location
from analyzer.results import Finding


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(findings: Sequence[Finding]) -> str:
    """`Found N findings (E errors, W warnings).` or `All checks passed!`."""
    if not findings:
        return "All checks passed!"
    by = Counter(f.severity for f in findings)
    parts = [_plural(by.get("error", 0), "error"), _plural(by.get("warning", 0), "warning")]
    if by.get("info"):
        parts.append(f"{by['info']} info")
    return f"Found {_plural(len(findings), 'finding')} ({', '.join(parts)})."


@lru_cache(maxsize=256)
def _source_lines(root: str, path: str, cell: int | None) -> tuple[str, ...]:
    abspath = Path(root) / path
    try:
        if cell is None:
            text = abspath.read_text(encoding="utf-8-sig", errors="replace")
            return tuple(text.splitlines())
        from analyzer.frontend.sources import load_source

        doc = load_source(abspath, path)
        for c in doc.cells:
            if c.index == cell:
                return tuple(c.code.splitlines())
    except OSError:
        pass
    return ()


def header(f: Finding) -> str:
    return f"{location(f.path, f.line, f.cell, f.col + 1)}: {f.code} [{f.rule}] {f.message}"


def code_frame(f: Finding, root: Path | str | None) -> list[str]:
    """The finding's source line with a caret under its column (ruff's frame, one line)."""
    if root is None:
        return []
    lines = _source_lines(str(root), f.path, f.cell)
    if not 1 <= f.line <= len(lines):
        return []
    text = lines[f.line - 1].expandtabs(4).rstrip()
    width = len(str(f.line))
    pad = " " * width
    col = min(max(f.col, 0), max(len(text) - 1, 0))
    if f.col == 0:  # point at the first non-blank character of the line
        col = len(text) - len(text.lstrip())
    return [
        f"{pad} |",
        f"{f.line} | {text}",
        f"{pad} | {' ' * col}^ {f.code}",
        f"{pad} |",
    ]


def statistics(findings: Sequence[Finding]) -> list[str]:
    """One line per rule: count, code, name and severity, most frequent first (ruff's
    `--statistics`)."""
    counts = Counter((f.code, f.rule, f.severity) for f in findings)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    if not rows:
        return []
    width = max(len(str(n)) for _, n in rows)
    return [f"{n:>{width}}\t{code}\t{rule}\t{sev}" for (code, rule, sev), n in rows]


def render_findings_text(
    findings: Sequence[Finding],
    *,
    root: Path | str | None = None,
    errors: Sequence[ir.Diagnostic] = (),
    show_statistics: bool = False,
    frames: bool = True,
    notes: Sequence[str] = (),
) -> str:
    out: list[str] = []
    if show_statistics:
        out += statistics(findings)
    else:
        for f in findings:
            out.append(header(f))
            if frames:
                out += code_frame(f, root)
                out.append("")
    for e in errors:
        out.append(f"{location(e.path, e.line, e.cell)}: input error: {e.message}")
    out += list(notes)
    out.append(summary_line(findings))
    return "\n".join(out) + "\n"
