"""Read one file into cells of Python source; bad input becomes diagnostics, never exceptions.

* `.py`: one cell. Decoded as Python does (`tokenize.detect_encoding`: PEP 263 coding
  cookie, UTF-8 BOM, else UTF-8).
* `.ipynb`: one cell per code cell; `index` counts all cells (code, markdown, raw) from 0,
  lines count within the cell. `source` may be a string or a list of strings; nbformat 3
  (`worksheets`, `input`) is read too. IPython syntax at the start of a logical line is
  blanked so line numbers still match: line magics `%x`, shell `!x`, help `x?`/`?x`,
  autocall `/x`, `,x`, `;x`, and `y = !x` / `y = %x` assignments (a blanked line that was
  indented becomes `pass` at the same indentation, so a block whose only statement was a
  magic still parses). A `%%` cell magic line is blanked and the cell kept when the magic
  runs Python (`PYTHON_CELL_MAGICS`), otherwise the whole cell is blanked. A notebook whose
  kernel language is not Python gives one diagnostic and no cells. Lone surrogate escapes
  in a cell's JSON (not text) are read as U+FFFD, with one diagnostic for the cell.
* `.md`/`.markdown`: fenced blocks (``` or ~~~, CommonMark closing rules) whose language
  (the info string's first word, `{.python}`/`{python}` accepted) starts with `py` are
  counted for `index`; the ones in `PY_CODE_LANGUAGES` (python, py, python3, py3, pycon,
  python-repl, pyodide, pyscript) become cells, others such as `pytb` or `pyi` keep their
  index but hold no code. A fence may be indented (list items, MkDocs `=== "Tab"`
  content): that indentation is removed from every line and reported as `col_offset`.
  Blocks written as a console session (first line starts with `>>>`) keep only the
  `>>> `/`... ` lines, prompts removed (`col_offset` grows by 4), output lines blanked.
  `line_offset` is the fence line's number, so lines count within the file.

All text has CRLF and CR turned into LF. A file larger than `max_bytes` (2 MB; notebooks,
whose outputs are bulky, `max_notebook_bytes`, 20 MB, plus `max_bytes` of code) is not
read: one diagnostic, no cells. On any error `cells` is empty and `digest` is the hash of
what was read ("" when nothing was).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import os
import re
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path

from analyzer.ir import Diagnostic

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "python", "python3", "debug"})
PY_CODE_LANGUAGES = frozenset(
    {"python", "py", "python3", "py3", "pycon", "python-repl", "pyodide", "pyscript"}
)
_ESCAPES = ("%", "!", "?", "/", ",", ";")
# Left-hand side of `y = %x` / `y = !x`: names, attributes, subscripts, tuples. Matched on
# the text before the first `=` only (the class has no `=`), so the test stays linear: a
# single regex with a lazy class, optional spaces and `=` backtracks cubically on long
# runs of spaces (a notebook line of 5,000 spaces took 86 s).
_MAGIC_TARGET = re.compile(r"[\w.\[\]'\", ()*]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_CLOSE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*$")


@dataclass(frozen=True, slots=True)
class SourceCell:
    """Python source of one cell and how to map its positions back to the file."""

    index: int | None
    code: str
    line_offset: int
    col_offset: int = 0


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One loaded file: its cells, or the diagnostics that explain why it has none."""

    path: str
    abspath: str
    kind: str
    cells: tuple[SourceCell, ...]
    errors: tuple[Diagnostic, ...]
    digest: str


class _Problem(Exception):
    """Internal: a file-level diagnostic raised by a reading step."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def source_kind(path: str | Path) -> str:
    """ "ipynb", "md" or "py", from the file name."""
    suffix = os.path.splitext(str(path))[1].lower()
    if suffix == ".ipynb":
        return "ipynb"
    if suffix in (".md", ".markdown"):
        return "md"
    return "py"


def _megabytes(n: int, whole: bool = False) -> str:
    """`n` bytes in MB (MiB), one decimal; `whole` drops `.0` (for round limits)."""
    mb = n / (1024 * 1024)
    return f"{mb:.0f}" if whole and mb == int(mb) else f"{mb:.1f}"


def _read_bytes(abspath: Path, limit: int) -> bytes:
    """The file's bytes; refuses non-regular files (a FIFO would block) and big files."""
    try:
        with open(abspath, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise _Problem("not a regular file")
            if info.st_size > limit:
                raise _Problem(_too_big(info.st_size, limit))
            data = fh.read(limit + 1)
    except OSError as exc:
        raise _Problem(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > limit:  # grew since fstat
        raise _Problem(_too_big(len(data), limit))
    return data


def _too_big(size: int, limit: int) -> str:
    return f"skipped: file is {_megabytes(size)} MB, over the {_megabytes(limit, True)} MB limit"


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so line numbers match what editors show."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_of(data: bytes, offset: int) -> int:
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _decode(data: bytes, encoding: str, hint: str = "") -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        bad = data[exc.start : exc.start + 1].hex()
        msg = f"cannot decode as {encoding}: invalid byte 0x{bad} at line {line}{hint}"
        raise _Problem(msg, line) from exc
    except LookupError as exc:
        raise _Problem(f"unknown encoding {encoding!r}") from exc


def decode_python(data: bytes) -> str:
    """Decode Python source as the interpreter would (coding cookie, BOM, else UTF-8)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if exc.msg.startswith("encoding problem") and data.startswith(codecs.BOM_UTF8):
            msg = "starts with a UTF-8 byte order mark but its coding comment says otherwise"
            raise _Problem(f"cannot decode: {msg}") from exc
        if "unknown encoding" in exc.msg:
            raise _Problem(f"cannot decode: {exc.msg}") from exc
        encoding = "utf-8"  # no usable cookie and not UTF-8: let decoding say where
    hint = " (add a PEP 263 coding comment if the file is not UTF-8)"
    text = _decode(data, encoding, hint if encoding.startswith("utf-8") else "")
    return text[1:] if text.startswith("\ufeff") else text


# --------------------------------------------------------------------------- notebooks


def _scan_line(line: str, depth: int, quote: str | None) -> tuple[int, str | None, bool, str]:
    """Advance a tiny lexer over one line: bracket depth, open string, whether the logical
    line continues (backslash), and the last significant character outside strings."""
    i, n, last = 0, len(line), ""
    while i < n:
        c = line[i]
        if quote is not None:
            if c == "\\":
                i += 2
                continue
            if line.startswith(quote, i):
                i += len(quote)
                quote, last = None, c
                continue
            i += 1
            continue
        if c == "#":
            return depth, None, False, last
        if c in "\"'":
            quote = c * 3 if line.startswith(c * 3, i) else c
            i += len(quote)
            last = c
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(0, depth - 1)
        if not c.isspace():
            last = c
        i += 1
    continued = line.endswith("\\")
    if quote is not None and len(quote) == 1 and not continued:
        quote = None  # an unterminated one-line string ends with its line
    return depth, quote, continued and quote is None, last


def _is_magic_assign(line: str) -> bool:
    """`targets = %magic` or `targets = !shell`, in time linear in the line's length."""
    eq = line.find("=")
    if eq < 0 or line[eq + 1 :].lstrip()[:1] not in ("%", "!"):
        return False
    target = line[:eq].strip()
    if not target:  # only spaces before `=`: the old pattern took one space as a target
        return " " in line[:eq]
    return _MAGIC_TARGET.fullmatch(target) is not None


def _is_ipython_line(line: str) -> bool:
    """IPython syntax at the start of a logical line (never valid Python there)."""
    stripped = line.lstrip()
    return stripped.startswith(_ESCAPES) or _is_magic_assign(line)


def _blank(line: str) -> str:
    indent = line[: len(line) - len(line.lstrip())]
    return f"{indent}pass" if indent and line.strip() else ""


def blank_magics(code: str) -> str:
    """Replace IPython-only lines by empty ones (or `pass`), keeping the line count."""
    lines = code.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        words = lines[first].lstrip()[2:].split()
        if not words or words[0] not in PYTHON_CELL_MAGICS:
            return "\n" * (len(lines) - 1)
        lines[first] = ""
    out: list[str] = []
    depth, quote, continued, magic_continues = 0, None, False, False
    for line in lines:
        at_start = depth == 0 and quote is None and not continued
        if magic_continues:  # continuation of a magic: never a statement of its own
            out.append("")
            magic_continues = line.rstrip().endswith("\\")
            continue
        if at_start and _is_ipython_line(line):
            out.append(_blank(line))
            magic_continues = line.rstrip().endswith("\\")
            continue
        new_depth, new_quote, new_continued, last = _scan_line(line, depth, quote)
        ends_logical = new_depth == 0 and new_quote is None and not new_continued
        if at_start and ends_logical and last == "?":
            out.append(_blank(line))  # `obj?` / `obj??` help
            continue
        depth, quote, continued = new_depth, new_quote, new_continued
        out.append(line)
    return "\n".join(out)


def _cell_source(cell: dict, key: str) -> str:
    src = cell.get(key)
    if isinstance(src, str):
        return src
    if isinstance(src, list) and all(isinstance(s, str) for s in src):
        return "".join(src)
    if src is None:
        raise _Problem(f"code cell has no '{key}'")
    raise _Problem(f"'{key}' is not a string or a list of strings")


def _notebook_cells(nb: object) -> tuple[list[object], str]:
    """The flat cell list (nbformat 4, or 3's worksheets) and the source key to read."""
    if not isinstance(nb, dict):
        raise _Problem("not a notebook: the JSON document is not an object")
    if isinstance(nb.get("cells"), list):
        return nb["cells"], "source"
    sheets = nb.get("worksheets")
    if isinstance(sheets, list):
        cells: list[object] = []
        for sheet in sheets:
            if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
                cells.extend(sheet["cells"])
        return cells, "input"
    raise _Problem("not a notebook: no 'cells' list")


def _notebook_language(nb: dict) -> str | None:
    meta = nb.get("metadata")
    if not isinstance(meta, dict):
        return None
    for table, key in (("kernelspec", "language"), ("language_info", "name")):
        sub = meta.get(table)
        if isinstance(sub, dict) and isinstance(sub.get(key), str):
            return sub[key]
    return None


def _python_hints(nb: dict) -> bool:
    """Kernels for Python dialects (Coconut, xonsh...) still say their code is Python in
    `language_info` (codemirror mode, MIME type, file extension)."""
    info = (
        nb.get("metadata", {}).get("language_info")
        if isinstance(nb.get("metadata"), dict)
        else None
    )
    if not isinstance(info, dict):
        return False
    mode = info.get("codemirror_mode")
    mode_name = mode.get("name") if isinstance(mode, dict) else mode
    values = [
        mode_name,
        info.get("mimetype"),
        info.get("file_extension"),
        info.get("pygments_lexer"),
    ]
    return any(isinstance(v, str) and ("python" in v.lower() or v == ".py") for v in values)


def _replace_surrogates(code: str) -> tuple[str, int | None]:
    """Notebook JSON may hold `\\ud800`-style escapes that are not text: no parser takes
    them, so the cell would be lost. They become U+FFFD (only the statement holding one
    can break), and the first one's line is returned."""
    found = None if code.isascii() else _SURROGATE.search(code)
    if found is None:
        return code, None
    return _SURROGATE.sub("\ufffd", code), code.count("\n", 0, found.start()) + 1


def notebook_cells(
    text: str, path: str, max_code: int
) -> tuple[list[SourceCell], list[Diagnostic]]:
    """Code cells of a notebook's JSON text; per-cell problems are per-cell diagnostics."""
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"invalid notebook JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise _Problem(msg, exc.lineno) from exc
    except RecursionError as exc:
        raise _Problem("invalid notebook JSON: nested too deeply") from exc
    raw_cells, key = _notebook_cells(nb)
    language = _notebook_language(nb) if isinstance(nb, dict) else None
    if language is not None and "python" not in language.lower() and not _python_hints(nb):
        raise _Problem(f"skipped: notebook language is {language}, not Python")
    cells: list[SourceCell] = []
    errors: list[Diagnostic] = []
    size = 0
    for index, cell in enumerate(raw_cells):
        if not isinstance(cell, dict):
            errors.append(Diagnostic(path, "cell is not a JSON object", None, index))
            continue
        if cell.get("cell_type") != "code":
            continue
        lang = cell.get("language")
        if key == "input" and isinstance(lang, str) and "python" not in lang.lower():
            continue
        try:
            code = _cell_source(cell, key)
        except _Problem as problem:
            errors.append(Diagnostic(path, problem.message, None, index))
            continue
        code, bad_line = _replace_surrogates(code)
        if bad_line is not None:
            msg = f"invalid text at line {bad_line} (a lone surrogate escape), read as U+FFFD"
            errors.append(Diagnostic(path, msg, bad_line, index))
        size += len(code)
        cells.append(SourceCell(index, blank_magics(normalize_newlines(code)), 0))
    if size > max_code:
        limit = _megabytes(max_code, True)
        raise _Problem(
            f"skipped: notebook code is {_megabytes(size)} MB, over the {limit} MB limit"
        )
    return cells, errors


# --------------------------------------------------------------------------- markdown


def _language(info: str) -> str:
    """The language word of a fence info string (`python title="x"`, `{.python}`)."""
    word = info.strip().lstrip("{").strip().lstrip(".")
    match = re.match(r"[^\s{},]*", word)
    return match.group(0).lower() if match else ""


def _columns(whitespace: str) -> int:
    return len(whitespace.expandtabs(4))


def _dedent(line: str, width: int) -> str:
    """Remove up to `width` columns of leading whitespace (tabs count to the next 4)."""
    lead = len(line) - len(line.lstrip(" \t"))
    expanded = line[:lead].expandtabs(4)
    return expanded[min(width, len(expanded)) :] + line[lead:]


def _console(lines: list[str]) -> list[str] | None:
    """Code of a `>>>` session (prompts removed, output blanked), or None if not one."""
    first = next((s for s in lines if s.strip()), "")
    if not first.startswith(">>>"):
        return None
    out = []
    for line in lines:
        if line.startswith((">>> ", "... ")):
            out.append(line[4:])
        else:
            out.append("")
    return out


def _closes(line: str, fence: str) -> bool:
    match = _CLOSE.match(line)
    if match is None:
        return False
    found = match.group("fence")
    return found[0] == fence[0] and len(found) >= len(fence)


def markdown_cells(text: str) -> list[SourceCell]:
    """Python fenced blocks of a Markdown text (already newline-normalised)."""
    lines = text.split("\n")
    cells: list[SourceCell] = []
    counted = 0
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None or (match.group("fence")[0] == "`" and "`" in match.group("info")):
            i += 1
            continue
        fence = match.group("fence")
        end = i + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        language = _language(match.group("info"))
        if language.startswith("py"):
            index = counted
            counted += 1
            if language in PY_CODE_LANGUAGES:
                width = _columns(match.group("indent"))
                body = [_dedent(line, width) for line in lines[i + 1 : end]]
                console = _console(body)
                if console is not None:
                    body, width = console, width + 4
                cells.append(SourceCell(index, "\n".join(body), i + 1, width))
        i = end + 1
    return cells


# --------------------------------------------------------------------------- entry point


def _load(
    abspath: Path, relpath: str, kind: str, max_bytes: int, max_notebook_bytes: int
) -> tuple[tuple[SourceCell, ...], tuple[Diagnostic, ...], str]:
    limit = max_notebook_bytes if kind == "ipynb" else max_bytes
    data = _read_bytes(abspath, limit)
    digest = hashlib.sha256(data).hexdigest()
    try:
        if b"\x00" in data:
            raise _Problem("not a text file (it contains NUL bytes)")
        if kind == "py":
            text = normalize_newlines(decode_python(data))
            return (SourceCell(None, text, 0),), (), digest
        text = normalize_newlines(_decode(data.removeprefix(b"\xef\xbb\xbf"), "utf-8"))
        if kind == "md":
            return tuple(markdown_cells(text)), (), digest
        cells, errors = notebook_cells(text, relpath, max_bytes)
        return tuple(cells), tuple(errors), digest
    except _Problem as problem:
        return (), (Diagnostic(relpath, problem.message, problem.line),), digest


def load_source(
    abspath: Path | str,
    relpath: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_notebook_bytes: int = DEFAULT_MAX_NOTEBOOK_BYTES,
) -> SourceDoc:
    """Read one file into cells; every problem is a diagnostic on the doc, never raised."""
    kind = source_kind(relpath or abspath)
    try:
        cells, errors, digest = _load(Path(abspath), relpath, kind, max_bytes, max_notebook_bytes)
    except _Problem as problem:
        cells, errors, digest = (), (Diagnostic(relpath, problem.message, problem.line),), ""
    except Exception as exc:  # last resort: one bad file must not stop the run
        from analyzer.commands.internal_error import describe

        message = f"internal error while reading: {describe(exc)}"
        cells, errors, digest = (), (Diagnostic(relpath, message),), ""
    return SourceDoc(relpath, str(abspath), kind, cells, errors, digest)
