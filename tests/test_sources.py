"""Loading sources: .py decoding, notebooks with magics, Markdown blocks, and bad input."""

from __future__ import annotations

import ast
import hashlib
import json
import os
from pathlib import Path

import pytest

from analyzer.frontend import sources
from analyzer.frontend.sources import (
    SourceCell,
    SourceDoc,
    blank_magics,
    load_source,
    markdown_cells,
)
from analyzer.ir import Diagnostic


def load(path: Path, **kwargs) -> SourceDoc:
    return load_source(path, path.name, **kwargs)


def notebook(*cells: dict, **top) -> str:
    doc = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": list(cells), **top}
    return json.dumps(doc, indent=1)


def code(source, **extra) -> dict:
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": [], **extra}


def md(source) -> dict:
    return {"cell_type": "markdown", "source": source, "metadata": {}}


# --------------------------------------------------------------------------- .py


def test_python_file_is_one_cell_with_digest(tmp_path: Path) -> None:
    raw = b"import os\n\ndef f():\n    return 1\n"
    (tmp_path / "m.py").write_bytes(raw)
    doc = load_source(tmp_path / "m.py", "pkg/m.py")
    assert doc == SourceDoc(
        path="pkg/m.py",
        abspath=str(tmp_path / "m.py"),
        kind="py",
        cells=(SourceCell(None, raw.decode(), 0, 0),),
        errors=(),
        digest=hashlib.sha256(raw).hexdigest(),
    )


def test_empty_file_is_one_empty_cell(tmp_path: Path) -> None:
    (tmp_path / "e.py").write_bytes(b"")
    doc = load(tmp_path / "e.py")
    assert doc.cells == (SourceCell(None, "", 0),)
    assert doc.errors == ()
    assert doc.digest == hashlib.sha256(b"").hexdigest()


def test_latin1_with_coding_cookie_decodes(tmp_path: Path) -> None:
    raw = "# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1")
    assert b"\xe9" in raw
    (tmp_path / "l.py").write_bytes(raw)
    doc = load(tmp_path / "l.py")
    assert doc.errors == ()
    assert doc.cells[0].code == "# -*- coding: latin-1 -*-\nname = 'café'\n"


def test_bom_is_removed(tmp_path: Path) -> None:
    (tmp_path / "b.py").write_bytes(b"\xef\xbb\xbfx = 'h\xc3\xa9'\n")
    doc = load(tmp_path / "b.py")
    assert doc.errors == ()
    assert doc.cells[0].code == "x = 'hé'\n"


def test_crlf_and_cr_become_lf(tmp_path: Path) -> None:
    (tmp_path / "w.py").write_bytes(b"a = 1\r\nb = 2\rc = 3\r\n")
    assert load(tmp_path / "w.py").cells[0].code == "a = 1\nb = 2\nc = 3\n"


def test_binary_py_is_not_a_text_file(tmp_path: Path) -> None:
    (tmp_path / "bin.py").write_bytes(b"\x7fELF\x02\x01\x00\x00\x00\xff\xfe")
    doc = load(tmp_path / "bin.py")
    assert doc.cells == ()
    assert len(doc.errors) == 1
    assert doc.errors[0].path == "bin.py"
    assert doc.errors[0].message.startswith("not a text file")


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    (tmp_path / "u.py").write_bytes(b"a = 1\nb = 2\nc = '\xff'\n")
    doc = load(tmp_path / "u.py")
    assert doc.cells == ()
    [err] = doc.errors
    assert err.line == 3
    assert "cannot decode as utf-8" in err.message
    assert "0xff" in err.message and "line 3" in err.message


def test_unknown_coding_cookie_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "c.py").write_bytes(b"# coding: klingon\nx = 1\n")
    [err] = load(tmp_path / "c.py").errors
    assert "cannot decode" in err.message


def test_five_megabyte_file_is_skipped_quickly(tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    big.write_bytes(b"x = 1\n" * (5 * 1024 * 1024 // 6 + 1))
    doc = load(big)
    assert doc.cells == ()
    assert [e.message for e in doc.errors] == ["skipped: file is 5.0 MB, over the 2 MB limit"]
    # the limit is a parameter
    assert load(big, max_bytes=10 * 1024 * 1024).errors == ()


def test_directory_and_fifo_are_not_regular_files(tmp_path: Path) -> None:
    (tmp_path / "d.py").mkdir()
    assert load(tmp_path / "d.py").errors[0].message.startswith("cannot read file")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "p.py")  # opening it for reading would block forever
        fd = os.open(tmp_path / "p.py", os.O_RDWR | os.O_NONBLOCK)  # a writer: open won't block
        try:
            assert load(tmp_path / "p.py").errors[0].message == "not a regular file"
        finally:
            os.close(fd)


def test_missing_file_is_a_diagnostic(tmp_path: Path) -> None:
    doc = load(tmp_path / "gone.py")
    assert doc.cells == ()
    assert doc.errors[0].message == "cannot read file: No such file or directory"
    assert doc.digest == ""


def test_unreadable_file_is_a_diagnostic(tmp_path: Path, monkeypatch) -> None:
    f = tmp_path / "locked.py"
    f.write_text("x = 1\n")
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        f.chmod(0)
    else:  # root reads anything: simulate the permission error at open()
        real_open = open

        def deny(path, *args, **kwargs):
            if str(path) == str(f):
                raise PermissionError(13, "Permission denied")
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr("builtins.open", deny)
    try:
        doc = load(f)
    finally:
        monkeypatch.undo()
        f.chmod(0o644)
    assert doc.cells == ()
    assert [e.message for e in doc.errors] == ["cannot read file: Permission denied"]


# --------------------------------------------------------------------------- notebooks


def test_notebook_code_cells_keep_their_index_among_all_cells(tmp_path: Path) -> None:
    text = notebook(
        md("# Title"),
        code(["import os\n", "x = 1"]),
        {"cell_type": "raw", "source": "raw", "metadata": {}},
        code("y = 2\r\nz = 3"),
        md(["more"]),
        code([]),
    )
    (tmp_path / "n.ipynb").write_text(text)
    doc = load(tmp_path / "n.ipynb")
    assert doc.kind == "ipynb"
    assert doc.errors == ()
    assert doc.cells == (
        SourceCell(1, "import os\nx = 1", 0),
        SourceCell(3, "y = 2\nz = 3", 0),
        SourceCell(5, "", 0),
    )


def test_notebook_magics_are_blanked_and_lines_preserved(tmp_path: Path) -> None:
    src = [
        "%matplotlib inline\n",
        "import anthropic\n",
        "!pip install anthropic\n",
        "files = !ls\n",
        "client = anthropic.Anthropic()\n",
        "anthropic.Anthropic?\n",
        "for i in range(3):\n",
        "    %time client.messages.create(model='m', messages=[])\n",
        "resp = client.messages.create(model='m', messages=[])",
    ]
    (tmp_path / "m.ipynb").write_text(notebook(code(src)))
    [cell] = load(tmp_path / "m.ipynb").cells
    lines = cell.code.split("\n")
    assert len(lines) == len(src)
    assert lines[0] == "" and lines[2] == "" and lines[3] == "" and lines[5] == ""
    assert lines[7] == "    pass"  # keeps the loop body a valid block
    assert lines[8] == "resp = client.messages.create(model='m', messages=[])"
    tree = ast.parse(cell.code)
    last = tree.body[-1]
    assert isinstance(last, ast.Assign) and last.lineno == 9  # same line as in the cell


def test_cell_magics(tmp_path: Path) -> None:
    text = notebook(
        code("%%bash\nls -la\necho hi"),
        code("%%time\nx = call()\n"),
        code("%%writefile out.py\nprint('not run here')"),
        code("\n%%capture out\ny = 1"),
    )
    (tmp_path / "c.ipynb").write_text(text)
    cells = load(tmp_path / "c.ipynb").cells
    assert [c.code for c in cells] == ["\n\n", "\nx = call()\n", "\n", "\n\ny = 1"]


def test_magic_lookalikes_in_python_are_kept() -> None:
    src = "x = (10\n% 3)\ns = '''\n!not shell\n%not magic\n'''\ny = 1  # why?\nz = a != b"
    assert blank_magics(src) == src
    assert blank_magics("!ls \\\n   -la\nx = 1") == "\n\nx = 1"


def test_notebook_nbformat3_worksheets(tmp_path: Path) -> None:
    nb = {
        "nbformat": 3,
        "metadata": {},
        "worksheets": [
            {"cells": [{"cell_type": "markdown", "source": "t"}]},
            {"cells": [{"cell_type": "code", "language": "python", "input": ["a = 1\n", "b"]}]},
        ],
    }
    (tmp_path / "v3.ipynb").write_text(json.dumps(nb))
    doc = load(tmp_path / "v3.ipynb")
    assert doc.errors == ()
    assert doc.cells == (SourceCell(1, "a = 1\nb", 0),)


def test_broken_notebook_json_gives_one_diagnostic_with_line(tmp_path: Path) -> None:
    (tmp_path / "bad.ipynb").write_text('{\n "cells": [\n  {"cell_type": "code",,}\n ]\n}\n')
    doc = load(tmp_path / "bad.ipynb")
    assert doc.cells == ()
    [err] = doc.errors
    assert err.line == 3
    assert err.message.startswith("invalid notebook JSON:")
    assert "line 3" in err.message


def test_notebook_structure_problems_are_diagnostics(tmp_path: Path) -> None:
    text = notebook(
        code("ok = 1"),
        "not a dict",
        {"cell_type": "code", "metadata": {}},
        code(42),
        code(["a", 3]),
    )
    (tmp_path / "s.ipynb").write_text(text)
    doc = load(tmp_path / "s.ipynb")
    assert doc.cells == (SourceCell(0, "ok = 1", 0),)
    assert [(e.cell, e.message) for e in doc.errors] == [
        (1, "cell is not a JSON object"),
        (2, "code cell has no 'source'"),
        (3, "'source' is not a string or a list of strings"),
        (4, "'source' is not a string or a list of strings"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "not a notebook: the JSON document is not an object"),
        ('{"metadata": {}}', "not a notebook: no 'cells' list"),
        ('{"cells": {}}', "not a notebook: no 'cells' list"),
    ],
)
def test_json_that_is_not_a_notebook(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "x.ipynb").write_text(text)
    doc = load(tmp_path / "x.ipynb")
    assert doc.cells == ()
    assert [e.message for e in doc.errors] == [message]


def test_non_python_notebook_is_skipped(tmp_path: Path) -> None:
    meta = {"kernelspec": {"name": "ir", "language": "R"}}
    (tmp_path / "r.ipynb").write_text(notebook(code("library(x)"), metadata=meta))
    doc = load(tmp_path / "r.ipynb")
    assert doc.cells == ()
    assert [e.message for e in doc.errors] == ["skipped: notebook language is R, not Python"]


def test_large_notebook_outputs_do_not_count_against_the_code_limit(tmp_path: Path) -> None:
    output = {"output_type": "display_data", "data": {"image/png": "A" * 3_000_000}}
    (tmp_path / "big.ipynb").write_text(notebook(code("x = 1", outputs=[output])))
    doc = load(tmp_path / "big.ipynb")
    assert doc.errors == ()
    assert doc.cells == (SourceCell(0, "x = 1", 0),)


# --------------------------------------------------------------------------- markdown

MKDOCS = """\
# Guide

=== "Sync"

    ```python
    import anthropic
    def run():
        return 1
    ```

=== "Shell"

    ```bash
    pip install x
    ```

1. Step

   ~~~py title="x.py"
   y = 2
   ~~~

```pycon
>>> a = 1
>>> a + 1
2
```

```pytb
Traceback (most recent call last):
```

````markdown
```python
inside_a_markdown_example()
```
````

```{.python .annotate}
z = 3
```

```text
not python
```
"""


def test_markdown_blocks_dedented_with_offsets(tmp_path: Path) -> None:
    (tmp_path / "guide.md").write_text(MKDOCS)
    doc = load(tmp_path / "guide.md")
    assert doc.kind == "md"
    assert doc.errors == ()
    assert doc.cells == (
        SourceCell(0, "import anthropic\ndef run():\n    return 1", 5, 4),
        SourceCell(1, "y = 2", 19, 3),
        SourceCell(2, "a = 1\na + 1\n", 23, 4),
        # index 3 is the pytb block: counted among `py` blocks, not code
        SourceCell(4, "z = 3", 39, 0),
    )
    file_lines = MKDOCS.split("\n")
    for cell in doc.cells:
        for i, line in enumerate(cell.code.split("\n"), start=1):
            if line:  # each code line sits at line_offset + i, col_offset columns in
                original = file_lines[cell.line_offset + i - 1]
                assert original[cell.col_offset :] == line


def test_markdown_crlf_and_unclosed_fence() -> None:
    assert markdown_cells("```python\nx = 1\n") == [SourceCell(0, "x = 1\n", 1, 0)]
    assert markdown_cells("text\n```py\n```\n") == [SourceCell(0, "", 2, 0)]


def test_markdown_backtick_info_with_backtick_is_not_a_fence() -> None:
    assert markdown_cells("```python `x`\ny\n```\n") == []


def test_markdown_crlf_file(tmp_path: Path) -> None:
    (tmp_path / "w.md").write_bytes(b"Intro\r\n\r\n```python\r\nx = 1\r\n```\r\n")
    assert load(tmp_path / "w.md").cells == (SourceCell(0, "x = 1", 3, 0),)


# --------------------------------------------------------------------------- never raises


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    files = {
        "binary.py": b"\x00\x01\x02\xff",
        "undecodable.py": b"x = '\xff\xfe'\n",
        "bad_cookie.py": b"# coding: nope\n",
        "bom_and_latin_cookie.py": b"\xef\xbb\xbf# coding: latin-1\nx = 1\n",
        "empty.py": b"",
        "big.py": b"#" * (5 * 1024 * 1024),
        "broken.ipynb": b'{"cells": [',
        "binary.ipynb": b"\x00\x00",
        "deep.ipynb": b"[" * 100_000,
        "latin.ipynb": b'{"cells": "\xe9"}',
        "empty.ipynb": b"",
        "weird.ipynb": b'{"cells": [{"cell_type": "code", "source": null}], "metadata": []}',
        "undecodable.md": b"```python\n\xff\n```\n",
        "binary.md": b"\x00",
        "empty.md": b"",
    }
    out = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        out[name] = tmp_path / name
    (tmp_path / "folder.py").mkdir()
    out["folder.py"] = tmp_path / "folder.py"
    out["missing.py"] = tmp_path / "missing.py"
    return out


BAD = [
    "binary.py",
    "undecodable.py",
    "bad_cookie.py",
    "bom_and_latin_cookie.py",
    "empty.py",
    "big.py",
    "broken.ipynb",
    "binary.ipynb",
    "deep.ipynb",
    "latin.ipynb",
    "empty.ipynb",
    "weird.ipynb",
    "undecodable.md",
    "binary.md",
    "empty.md",
    "folder.py",
    "missing.py",
]


@pytest.mark.parametrize("name", BAD)
def test_load_source_never_raises(tmp_path: Path, name: str) -> None:
    path = _bad_inputs(tmp_path)[name]
    doc = load_source(path, f"sub/{name}")
    assert isinstance(doc, SourceDoc)
    assert doc.path == f"sub/{name}"
    for err in doc.errors:
        assert isinstance(err, Diagnostic)
        assert err.path == f"sub/{name}"
        assert err.message
    if name.startswith("empty"):
        assert doc.errors == () or name == "empty.ipynb"
    else:
        assert doc.errors, "bad input must be reported"
        assert doc.cells == () or name == "weird.ipynb"


def test_unexpected_exception_becomes_a_diagnostic(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")

    def boom(data: bytes) -> str:
        raise RuntimeError("bug")

    monkeypatch.setattr(sources, "decode_python", boom)
    doc = load(tmp_path / "a.py")
    assert doc.cells == ()
    assert doc.errors[0].message == "internal error while reading: RuntimeError: bug"


def test_undecodable_first_line_is_reported_by_line_not_as_a_cookie_problem(
    tmp_path: Path,
) -> None:
    (tmp_path / "u.py").write_bytes(b"x = '\xe9'\n")
    [err] = load(tmp_path / "u.py").errors
    assert err.line == 1
    assert err.message.startswith("cannot decode as utf-8: invalid byte 0xe9 at line 1")
    assert "PEP 263" in err.message


def test_bom_with_conflicting_cookie(tmp_path: Path) -> None:
    (tmp_path / "b.py").write_bytes(b"\xef\xbb\xbf# coding: latin-1\nx = 1\n")
    [err] = load(tmp_path / "b.py").errors
    assert "byte order mark" in err.message
