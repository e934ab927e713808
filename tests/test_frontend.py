"""The two front ends agree, and one file's deep or broken code never ends the run.

The stdlib-`ast` front end must give the same facts, field for field and position for
position, as the libcst one on every fixture (the differential test); deep but reasonable
code (issue 16) is analysed, and what cannot be parsed safely is one diagnostic.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer import ir
from analyzer.frontend.deep import run_deep
from analyzer.frontend.discover import discover
from analyzer.frontend.extract import extract_cells, extract_source
from analyzer.frontend.parse import facts_from_doc, parse_docs
from analyzer.frontend.sources import load_source
from benchmarks.frontend_diff import compare_docs, first_difference

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def analyze_path(path: Path):
    from analyzer.analysis import analyze_project
    from analyzer.frontend.project import load_project

    return analyze_project(load_project([path], jobs=1, quiet=True))


def _fixture_docs():
    found = discover([FIXTURES], markdown=True)
    return [load_source(f.abspath, f.relpath) for f in found.files]


def test_both_front_ends_give_identical_facts_on_every_fixture():
    docs = _fixture_docs()
    assert len(docs) > 50
    assert compare_docs(docs) == []


TRICKY = '''\
"""Module doc."""
import a.b as c, d.e
from ..pkg import (x as y, z)
prompt = (
    f"Hello {name!r:>{width}} é"  # a comment (with a paren
    "tail"
)
both = "a" "b" if False else (f"{x}" f"{y}")
t = (1, 2,)
u = 1, (2)
del a, b
del (c, d)
s = x[1:2, ::3]
s2 = x[(1, 2)]
s3 = x[a, *b]
g = sum(i for i in range(3))
h = f((i for i in r), k=1, *a, **kw)
cmp = f() < g() < h()
d = {**m, "k": v, k2: v2}
lam = lambda q, *r, s=1, **t: (q, r)
w = [*a, *b] + {1, 2} - (-x) ** ~y
if a: pass
elif b: pass
else:
    if c:
        pass
match cmd:
    case [("go" | "run") as verb, *rest] if rest:
        pass
    case {"k": 1, **kw}:
        pass
    case Point(x=0, y=_) | None:
        pass
    case _:
        pass
async def f(a, /, b=2, *, c: int = 3):
    """Doc."""
    async with x as (p, q), y:
        yield await z
    async for i in aiter():
        yield from g()
class K(Base, *more, metaclass=M, **kw): "doc"
def one(): return 1
try:
    pass
except* ValueError as e:
    pass
x = 1_000 + 0x_ff + 1.5e3 + 2j + ...
s4 = x[1: ], x[: ], x[1:2: , 3], x[
    -n:  # the last n
]
def handle(event):
    match event:
        case Part(
            delta=Delta(chunk=c)
        ) | (
            Other()
        ):
            pass
'''


def test_both_front_ends_agree_on_tricky_syntax():
    for path in ("pkg/mod.py", "pkg/__init__.py"):
        a = extract_source(TRICKY, path=path, module="pkg.mod")
        b = extract_source(TRICKY, path=path, module="pkg.mod", frontend="cst")
        assert first_difference(a, b) is None
        assert not a.errors


def test_columns_are_characters_not_bytes():
    src = 'x = "é"; y = f(é_var)\n'
    a = extract_source(src)
    b = extract_source(src, frontend="cst")
    assert first_difference(a, b) is None
    call = a.scopes[0].body[1].value
    assert isinstance(call, ir.Call) and call.loc.col == 13


def test_cells_with_offsets_agree():
    cells = [(0, "import openai\nx = f'{a}é'\n", 3, 4), (2, "def g():\n    return x\n", 10, 0)]
    kw = dict(path="nb.md", module="nb", kind="md", cells=cells)
    assert first_difference(extract_cells(**kw), extract_cells(**kw, frontend="cst")) is None


# --------------------------------------------------------------------------- issue 16

HDR = "import openai\nclient = openai.OpenAI()\n"
CALL = "    return client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': y}])\n"


def _deep_sources() -> dict[str, str]:
    plus = " + ".join(['"a"'] * 175 + ["x"] * 175)
    elifs = "".join(f"    elif x == {i}:\n        y = {i}\n" for i in range(1, 400))
    return {
        "plus350.py": HDR + f"def ask(x):\n    y = {plus}\n" + CALL,
        "plus3000.py": HDR + "def ask(x):\n    y = " + " + ".join(["x"] * 3000) + "\n" + CALL,
        "attr350.py": HDR + "def ask(x):\n    y = x" + ".a" * 350 + "\n" + CALL,
        "lists150.py": HDR + "def ask(x):\n    y = " + "[" * 150 + "x" + "]" * 150 + "\n" + CALL,
        "calls150.py": HDR + "def ask(x):\n    y = " + "f(" * 150 + "x" + ")" * 150 + "\n" + CALL,
        "elif400.py": HDR + "def ask(x):\n    if x == 0:\n        y = 0\n" + elifs + CALL,
        # a module-level chain of 700: libcst's recursion error held a node whose printing
        # overflowed again (a traceback of up to 198 MB)
        "elif700_module.py": HDR
        + "x = 1\nif x == 0:\n    y = 0\n"
        + "".join(f"elif x == {i}:\n    y = {i}\n" for i in range(1, 700))
        + "\ndef ask(y):\n"
        + CALL,
    }


@pytest.mark.parametrize("name", sorted(_deep_sources()))
def test_deep_but_reasonable_code_is_analysed(tmp_path, name):
    (tmp_path / name).write_text(_deep_sources()[name])
    result = analyze_path(tmp_path)
    assert result.errors == ()
    assert [u for u in result.units if "ask" in str(u)]


def test_deep_code_pickles_and_is_identical_through_a_process_pool(tmp_path):
    sources = _deep_sources()
    for name, src in sources.items():
        (tmp_path / name).write_text(src)
    for i in range(16):  # enough files for the pool
        (tmp_path / f"small{i}.py").write_text(HDR)
    docs = [load_source(tmp_path / n, n) for n in sorted(p.name for p in tmp_path.iterdir())]
    one = parse_docs(docs, jobs=1)
    two = parse_docs(docs, jobs=2)
    assert run_deep(lambda: one == two)  # comparing deep trees recurses too
    assert all(not m.errors for m in one)


def test_too_deep_code_is_one_diagnostic_and_the_run_goes_on(tmp_path):
    (tmp_path / "parens.py").write_text("x = " + "(" * 1300 + "1" + ")" * 1300 + "\n")
    (tmp_path / "chain.py").write_text("x = a" + ".b" * 8000 + "\n")
    (tmp_path / "ok.py").write_text(HDR + "def ask(y):\n" + CALL)
    result = analyze_path(tmp_path)
    messages = {d.path: d.message for d in result.errors}
    assert "nested too deep to analyse at line 1" in messages["parens.py"]
    assert "nested too deep to analyse at line 1" in messages["chain.py"]
    assert "ok.py" not in messages
    assert [u for u in result.units if "ask" in str(u)]


def test_a_too_deep_cell_keeps_the_previous_cells_units(tmp_path):
    nb = {
        "cells": [
            {"cell_type": "code", "source": HDR + "def ask(y):\n" + CALL, "metadata": {}},
            {"cell_type": "code", "source": "y = x" + ".a" * 9000 + "\n", "metadata": {}},
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "nb.ipynb").write_text(json.dumps(nb))
    facts = facts_from_doc(load_source(tmp_path / "nb.ipynb", "nb.ipynb"))
    assert [d.cell for d in facts.errors] == [1]
    assert "nested too deep" in facts.errors[0].message
    assert facts.scope("ask", 0) is not None


def test_mixing_bytes_and_str_is_that_files_syntax_error():
    facts = extract_source('x = "a" b"b"\ny = 1\n')
    assert len(facts.errors) == 1
    assert facts.errors[0].message.startswith("syntax error at line 1")
    assert facts.errors[0].line == 1


def test_a_large_file_only_libcst_reads_runs_isolated_with_a_time_limit():
    slow = "x = " + "+".join(["1"] * 6000) + "\ndef f(:\n    pass\n"
    facts = extract_cells(
        path="slow.py", module="slow", kind="py", cells=[(None, slow, 0, 0)], time_limit=0.5
    )
    assert [d.message for d in facts.errors] == [
        "skipped: parsing took longer than 0.5 s (ARCHLINT_FILE_TIMEOUT)"
    ]


def test_a_large_file_with_a_syntax_error_keeps_the_rest():
    src = "".join(f"def f{i}(x):\n    return x + {i}\n" for i in range(300))
    src += "def broken(:\n    pass\n"
    facts = extract_source(src)
    assert facts.errors[0].message.startswith("syntax error at line 601")
    assert facts.scope("f299") is not None


def test_newer_syntax_falls_back_to_libcst(monkeypatch):
    import analyzer.frontend.cell_parse as extract

    def refuse(code, *a, **k):
        raise SyntaxError("pretend this interpreter is older")

    monkeypatch.setattr(extract.ast, "parse", refuse)
    facts = extract_source("def f():\n    return g()\n")
    assert not facts.errors and facts.scope("f") is not None
