"""One way to write a place in the code, used by every report: `path:line[:col]`, with the
notebook cell or Markdown block between the path and the line: `x.ipynb[cell 7]:12`.

Lines count within the cell for notebooks (as the analysis reports them), so the cell is
part of the place; the file is always named, so a line never refers to an unnamed file.
"""

from __future__ import annotations

from analyzer.results import Unit


def location(
    path: str, line: int | None = None, cell: int | None = None, col: int | None = None
) -> str:
    """`path[cell N]:line:col`; the parts not known are left out. `col` is 1-based."""
    out = path + (f"[cell {cell}]" if cell is not None else "")
    if line:
        out += f":{line}"
        if col:
            out += f":{col}"
    return out


def unit_place(u: Unit) -> str:
    """Where a unit starts."""
    return location(u.path, u.line, u.cell)


def unit_label(u: Unit) -> str:
    """How reports name a unit: its qualified name and where it starts."""
    return f"{u.qualname} ({unit_place(u)})"
