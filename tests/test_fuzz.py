"""Property-based fuzzing of the whole pipeline (issue 16): one bad file never fails a run.

Inputs are generated modules of realistic size and mutations of our own fixtures
(truncation, deleted and duplicated lines, random and invalid UTF-8 bytes, BOM, CRLF, NUL,
tabs, very long lines, moderately deep nesting, broken notebooks and Markdown fences, odd
file names). Each example is analysed next to a sentinel file, in process (the API the
CLI calls), and must: raise nothing, render valid UTF-8 JSON, report no internal error,
and leave the sentinel's units and errors exactly as they are without the fuzzed file.
A few examples also go through the real command line (exit 0 or 1, no traceback,
identical output at -j 1 and -j 2).

CI runs a bounded, derandomised number of examples (well under 30 s); the long run is
`benchmarks/fuzz_long.py`, which reuses the generators and the check below.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SENTINEL = FIXTURES / "patterns" / "agent_loop" / "raw_anthropic" / "app.py"
SENTINEL_NAME = "sentinel_app.py"


# --------------------------------------------------------------------------- corpus


@lru_cache(maxsize=1)
def fixture_sources() -> tuple[tuple[str, bytes], ...]:
    """(suffix, bytes) of every fixture file we can mutate: Python and Markdown."""
    out = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".md"):
            out.append((path.suffix, path.read_bytes()))
    return tuple(out)


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _join(lines: list[bytes]) -> bytes:
    return b"\n".join(lines)


# Mutations: (bytes, Random) -> bytes. Each is one kind of damage seen in real trees.


def truncate(data: bytes, rnd: random.Random) -> bytes:
    return data[: rnd.randint(0, len(data))]


def delete_lines(data: bytes, rnd: random.Random) -> bytes:
    lines = _lines(data)
    start = rnd.randrange(len(lines))
    return _join(lines[:start] + lines[start + rnd.randint(1, 5) :])


def duplicate_line(data: bytes, rnd: random.Random) -> bytes:
    lines = _lines(data)
    i = rnd.randrange(len(lines))
    return _join(lines[:i] + [lines[i]] * rnd.randint(2, 4) + lines[i + 1 :])


def random_bytes(data: bytes, rnd: random.Random) -> bytes:
    at = rnd.randint(0, len(data))
    return data[:at] + bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16))) + data[at:]


def invalid_utf8(data: bytes, rnd: random.Random) -> bytes:
    at = rnd.randint(0, len(data))
    return data[:at] + rnd.choice([b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\xe2\x82"]) + data[at:]


def bom(data: bytes, rnd: random.Random) -> bytes:
    return b"\xef\xbb\xbf" + data


def crlf(data: bytes, rnd: random.Random) -> bytes:
    return data.replace(b"\n", rnd.choice([b"\r\n", b"\r"]))


def nul(data: bytes, rnd: random.Random) -> bytes:
    at = rnd.randint(0, len(data))
    return data[:at] + b"\x00" + data[at:]


def tabs(data: bytes, rnd: random.Random) -> bytes:
    lines = _lines(data)
    for i in rnd.sample(range(len(lines)), min(len(lines), rnd.randint(1, 10))):
        lines[i] = lines[i].replace(b"    ", b"\t", rnd.randint(1, 3))
    return _join(lines)


def long_line(data: bytes, rnd: random.Random) -> bytes:
    kind = rnd.choice(
        [
            b" " * 20_000,
            b"x = '" + b"a" * 100_000 + b"'",
            b"prompt = " + b" + ".join(b"'p%d'" % i for i in range(300)),
            b"y = " + b".".join([b"a"] * 300),
            b"# " + b"#" * 50_000,
            b"z, " * 2_000 + b"= %time f()",
        ]
    )
    lines = _lines(data)
    lines.insert(rnd.randint(0, len(lines)), kind)
    return _join(lines)


def nesting(data: bytes, rnd: random.Random) -> bytes:
    """Moderately deep nesting (within what Python itself accepts)."""
    depth = rnd.randint(5, 60)
    kind = rnd.choice(["paren", "list", "call", "block", "dict"])
    if kind == "paren":
        text = "v = " + "(" * depth + "1" + ")" * depth
    elif kind == "list":
        text = "v = " + "[" * depth + "]" * depth
    elif kind == "call":
        text = "v = " + "f(" * depth + "x" + ")" * depth
    elif kind == "dict":
        text = "v = " + "{'k': " * depth + "1" + "}" * depth
    else:
        depth = min(depth, 40)
        text = "\n".join(" " * i + "if x:" for i in range(depth)) + "\n" + " " * depth + "y()"
    lines = _lines(data)
    lines.insert(rnd.randint(0, len(lines)), text.encode())
    return _join(lines)


def break_fence(data: bytes, rnd: random.Random) -> bytes:
    """Markdown: drop or add a fence line, or give one an odd info string."""
    lines = _lines(data)
    fences = [i for i, line in enumerate(lines) if line.lstrip().startswith((b"```", b"~~~"))]
    choice = rnd.randrange(3)
    if fences and choice == 0:
        del lines[rnd.choice(fences)]
    elif fences and choice == 1:
        i = rnd.choice(fences)
        lines[i] = lines[i] + rnd.choice([b"python {.x}", b"py`", b"pycon", b"{python}", b"~"])
    else:
        lines.insert(rnd.randint(0, len(lines)), rnd.choice([b"```python", b"~~~~", b"  ```py"]))
    return _join(lines)


MUTATIONS = (
    truncate,
    delete_lines,
    duplicate_line,
    random_bytes,
    invalid_utf8,
    bom,
    crlf,
    nul,
    tabs,
    long_line,
    nesting,
    break_fence,
)


def mutate(data: bytes, seed: int, count: int) -> bytes:
    rnd = random.Random(seed)
    for _ in range(count):
        data = rnd.choice(MUTATIONS)(data, rnd)
    return data


# --------------------------------------------------------------------------- notebooks


def notebook_from(code: bytes, seed: int) -> bytes:
    """A notebook whose cells are the code's chunks, with magics, then maybe broken."""
    rnd = random.Random(seed)
    text = code.decode("utf-8", "replace")
    lines = text.split("\n")
    cells: list[object] = []
    i = 0
    while i < len(lines):
        n = rnd.randint(1, 15)
        chunk = lines[i : i + n]
        i += n
        if rnd.random() < 0.2:
            chunk.insert(
                0, rnd.choice(["%matplotlib inline", "!pip install x", "%%time", "a = !ls"])
            )
        source: object = "\n".join(chunk)
        if rnd.random() < 0.5:
            source = [line + "\n" for line in chunk]
        cells.append({"cell_type": rnd.choice(["code"] * 4 + ["markdown"]), "source": source})
    damage = rnd.randrange(8)
    if damage == 0 and cells:
        cells[rnd.randrange(len(cells))] = rnd.choice([None, 3, "x", []])
    elif damage == 1 and cells:
        cells[rnd.randrange(len(cells))] = {
            "cell_type": "code",
            "source": rnd.choice([None, 5, [1]]),
        }
    elif damage == 7 and cells:  # JSON escapes that are not text (lone surrogates)
        cells[rnd.randrange(len(cells))] = {
            "cell_type": "code",
            "source": "x = '\ud800'\nf\udcff()",
        }
    meta: dict[str, object] = {}
    if damage == 2:
        meta = {"kernelspec": {"language": rnd.choice(["R", "python", 3, "xonsh"])}}
    doc: dict[str, object] = {"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": cells}
    if damage == 3:
        doc = {"nbformat": 3, "worksheets": [{"cells": cells}]}
    raw = json.dumps(doc, indent=1).encode()
    if damage == 4:
        raw = raw[: rnd.randint(0, len(raw))]
    elif damage == 5:
        raw = mutate(raw, seed, rnd.randint(1, 3))
    elif damage == 6:
        raw = b"[" * 5000 + b"]" * 5000
    return raw


# --------------------------------------------------------------------------- generated modules

_IMPORTS = [
    "import anthropic",
    "import openai",
    "from openai import OpenAI",
    "import litellm",
    "import logging",
    "from tenacity import retry, stop_after_attempt",
    "import backoff",
    "import asyncio",
    "from langgraph.graph import StateGraph",
]
_STATEMENTS = [
    "client = anthropic.Anthropic()",
    "oa = OpenAI()",
    "log = logging.getLogger(__name__)",
    "MAX_TURNS = {n}",
    "TOOLS = [{{'name': 't{n}', 'input_schema': {{}}}}]",
    "HANDLERS = {{'t{n}': f{n}}}",
]
_BODIES = [
    "return client.messages.create(model='m', max_tokens={n}, messages=[{{'role': 'user', 'content': p}}])",
    "r = oa.chat.completions.create(model='m', messages=[])\n    return r.choices[0].message.content",
    "return litellm.completion(model='m', messages=[{{'role': 'user', 'content': p}}])",
    "for i in range({n}):\n        r = f{m}(p)\n        if 'done' in r:\n            return r\n    return None",
    "while True:\n        r = client.messages.create(model='m', max_tokens=5, messages=[], tools=TOOLS)\n        if r.stop_reason != 'tool_use':\n            return r\n        HANDLERS[r.content[0].name](**r.content[0].input)",
    "return [f{m}(x) for x in p.split()]",
    "return asyncio.gather(*(f{m}(x) for x in p))",
    "if f{m}(p) == 'a':\n        return f{k}(p)\n    return f{m}(p + 'b')",
    "try:\n        return f{m}(p)\n    except Exception:\n        return f{n}(p)",
    "log.info('x %s', p)\n    return f{m}(p)",
]
_DECORATORS = [
    "",
    "@retry\n",
    "@retry(stop=stop_after_attempt({n}))\n",
    "@backoff.on_exception(backoff.expo, Exception)\n",
]


def generate_module(seed: int, functions: int, damage: int = 0) -> bytes:
    """A module of realistic size built from the shapes LLM applications use, then
    `damage` mutations."""
    rnd = random.Random(seed)
    out = rnd.sample(_IMPORTS, rnd.randint(1, len(_IMPORTS)))
    out += [s.format(n=rnd.randint(0, 9)) for s in rnd.sample(_STATEMENTS, 3)]
    for n in range(functions):
        m, k = rnd.randrange(functions), rnd.randrange(functions)
        body = rnd.choice(_BODIES).format(n=n, m=m, k=k)
        deco = rnd.choice(_DECORATORS).format(n=rnd.randint(1, 5))
        asyn = "async " if rnd.random() < 0.1 else ""
        out.append(f"\n\n{deco}{asyn}def f{n}(p):\n    {body}")
        if rnd.random() < 0.1:
            out.append(f"\n\nclass C{n}:\n    def run(self, p):\n        return f{m}(p)")
    out.append("\n\nif __name__ == '__main__':\n    f0('hi')\n")
    data = "\n".join(out).encode()
    return mutate(data, seed, damage) if damage else data


@st.composite
def generated_module(draw) -> bytes:
    seed = draw(st.integers(0, 2**32 - 1))
    return generate_module(seed, draw(st.integers(5, 60)), draw(st.integers(0, 3)))


# --------------------------------------------------------------------------- odd names

ODD_NAMES = [
    b"b\xff.py",
    b"caf\xc3\xa9.py",
    b"new\nline.py",
    b"tab\t.py",
    b" lead space.py",
    b"q'\"<&>;.py",
    b"\xe2\x80\xa8sep.py",
    b"emoji\xf0\x9f\x98\x80.py",
    b"-dash.py",
    b"x.PY",
    b"n.ipynb",
    b"d.md",
]


# --------------------------------------------------------------------------- the check


@lru_cache(maxsize=1)
def sentinel_baseline() -> tuple[frozenset, tuple]:
    """The sentinel's units and errors when analysed alone."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / SENTINEL_NAME).write_bytes(SENTINEL.read_bytes())
        data = analyse(root)
    return _sentinel_view(data)


def _sentinel_view(data: dict) -> tuple[frozenset, tuple]:
    units = frozenset(
        (u["qualname"], u["pattern"], u["line"])
        for u in data["units"]
        if u["path"] == SENTINEL_NAME
    )
    errors = tuple(e["message"] for e in data["errors"] if e["path"] == SENTINEL_NAME)
    return units, errors


def analyse(root: Path, jobs: int = 1) -> dict:
    """The in-process pipeline the CLI runs (`analyze --format json`); the JSON must be
    valid UTF-8 and parse."""
    from analyzer.analysis import analyze_project
    from analyzer.commands.common import utf8_safe
    from analyzer.frontend.project import load_project
    from analyzer.lint.config import Config
    from analyzer.report import render_json

    project = load_project([root], markdown=True, jobs=jobs, config=Config())
    text = render_json(analyze_project(project))
    raw = utf8_safe(text).encode("utf-8")
    assert raw.decode("utf-8") == text, "output needed escaping: a path was not made printable"
    return json.loads(raw)


def check_batch(files: list[tuple[bytes, bytes]]) -> dict:
    """Analyse each (name, data) in its own folder next to the sentinel; assert the run is
    sound: no internal error, and the sentinel's units and errors as when alone."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / SENTINEL_NAME).write_bytes(SENTINEL.read_bytes())
        for i, (name, data) in enumerate(files):
            sub = os.path.join(os.fsencode(root), b"fuzzed%d" % i)
            os.mkdir(sub)
            with open(os.path.join(sub, name), "wb") as fh:
                fh.write(data)
        result = analyse(root)
    for e in result["errors"]:
        assert "internal error" not in e["message"], e
    assert _sentinel_view(result)[1] == sentinel_baseline()[1]
    assert sentinel_baseline()[0] <= _sentinel_view(result)[0]
    return result


def check_one(name: bytes, data: bytes) -> dict:
    return check_batch([(name, data)])


def fuzz(examples: int):
    """Bounded, derandomised examples for CI; ARCHLINT_FUZZ_SCALE multiplies them."""
    scale = float(os.environ.get("ARCHLINT_FUZZ_SCALE", "1"))
    return settings(
        max_examples=max(1, int(examples * scale)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


fixture_index = st.integers(0, 10**6)


@fuzz(30)
@given(fixture_index, st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_mutated_fixtures(index: int, seed: int, count: int) -> None:
    suffix, data = fixture_sources()[index % len(fixture_sources())]
    check_one(b"target" + suffix.encode(), mutate(data, seed, count))


@fuzz(12)
@given(generated_module())
def test_generated_modules(data: bytes) -> None:
    check_one(b"generated.py", data)


@fuzz(15)
@given(fixture_index, st.integers(0, 2**32 - 1))
def test_broken_notebooks(index: int, seed: int) -> None:
    py = [d for s, d in fixture_sources() if s == ".py"]
    check_one(b"nb.ipynb", notebook_from(py[index % len(py)], seed))


@fuzz(12)
@given(st.sampled_from(ODD_NAMES), fixture_index)
def test_odd_file_names(name: bytes, index: int) -> None:
    py = [d for s, d in fixture_sources() if s == ".py"]
    data = py[index % len(py)]
    if name.endswith(b".ipynb"):
        data = notebook_from(data, index)
    elif name.endswith(b".md"):
        data = b"# t\n\n```python\n" + data + b"\n```\n"
    result = check_one(name, data)
    paths = {u["path"] for u in result["units"]} | {e["path"] for e in result["errors"]}
    assert all(p.isprintable() for p in paths)


def test_real_cli_on_a_fuzzed_tree_is_identical_at_any_job_count(tmp_path: Path) -> None:
    """20 damaged files through `python -m analyzer`: exit 0 or 1, no traceback, valid
    UTF-8 JSON, byte-identical output at -j 1 and -j 2 (the pool needs 16+ files)."""
    (tmp_path / SENTINEL_NAME).write_bytes(SENTINEL.read_bytes())
    sources = fixture_sources()
    for i in range(20):
        suffix, data = sources[(i * 7) % len(sources)]
        name = (
            f"f{i}{suffix}".encode()
            if i % 5
            else f"odd\xff{i}.py".encode("utf-8", "surrogateescape")
        )
        with open(os.path.join(os.fsencode(tmp_path), name), "wb") as fh:
            fh.write(mutate(data, i, 1 + i % 3))
    outputs = []
    for jobs in ("1", "2"):
        cmd = [sys.executable, "-m", "analyzer", "analyze", str(tmp_path), "--markdown"]
        proc = subprocess.run(
            [*cmd, "--format", "json", "-j", jobs], capture_output=True, cwd=REPO, timeout=300
        )
        assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
        assert b"Traceback" not in proc.stderr
        data = json.loads(proc.stdout.decode("utf-8"))
        assert any(u["path"] == SENTINEL_NAME for u in data["units"])
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]
    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", "check", str(tmp_path), "--format", "sarif"],
        capture_output=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr
    json.loads(proc.stdout.decode("utf-8"))
