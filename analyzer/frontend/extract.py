"""Lower each source cell of a file into the plain-data IR (`analyzer.ir`): one parse,
one pass, every cell in order, into one `ir.ModuleFacts`.

Two front ends give the same facts. The stdlib `ast` (`extract_ast`) reads every cell
this interpreter can parse, at a twelfth of libcst's cost; libcst (`extract_cst`) reads
the rest: syntax newer than the running Python, and the statements around a syntax error
(`cell_parse` decides which). `benchmarks/frontend_diff.py` and `tests/test_frontend.py`
hold the two together.

This module owns the per-file run and its diagnostics. One file never ends the run: a
syntax error blanks only its statement, code nested too deep is one diagnostic, and a
large cell only libcst can read is parsed in a child process with a time limit
(`ARCHLINT_FILE_TIMEOUT`), whose crash or timeout is one diagnostic too.
"""

from __future__ import annotations

import os
import pickle
import warnings
from collections.abc import Sequence

from libcst.metadata import ByteSpanPositionProvider, MetadataWrapper

from analyzer import ir
from analyzer.frontend.ast_text import Positions, tokenize_comments
from analyzer.frontend.cell_parse import (
    CST_ERRORS,
    NeedsIsolation,
    Unsafe,
    parse_around_error,
    parse_cell,
    syntax_error,
)
from analyzer.frontend.deep import deep_recursion, run_deep
from analyzer.frontend.extract_ast import AstLowerer
from analyzer.frontend.extract_cst import CstLowerer, LineTable
from analyzer.frontend.lowering import TooDeep


def _lower(
    kind: str,
    tree: object,
    code: str,
    *,
    module: str,
    is_package: bool,
    cell: int | None,
    line_offset: int,
    col_offset: int,
    scopes: list[ir.Scope],
    imports: list[ir.Import],
    next_cid: int,
) -> tuple[int, list[tuple[int | None, int, str]]]:
    """Append one cell's scopes and imports; returns the next call id and the comments."""
    shared = dict(
        module=module,
        is_package=is_package,
        cell=cell,
        scopes=scopes,
        imports=imports,
        cid=next_cid,
    )
    start = len(scopes)
    scopes.append(None)  # type: ignore[arg-type]  # module scope first, in order
    if kind == "ast":
        lowerer = AstLowerer(pos=Positions(code, line_offset, col_offset), **shared)
        with warnings.catch_warnings(), deep_recursion():
            warnings.simplefilter("ignore")
            scopes[start] = lowerer.lower_module(tree)  # type: ignore[arg-type]
        return lowerer.cid, _in_file(lowerer.comments(), cell, line_offset)
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)  # type: ignore[arg-type]
    with deep_recursion():
        spans = wrapper.resolve(ByteSpanPositionProvider)
    lowerer_cst = CstLowerer(spans=spans, table=LineTable(code, line_offset, col_offset), **shared)
    with deep_recursion():
        scopes[start] = lowerer_cst.lower_module(tree)  # type: ignore[arg-type]
    return lowerer_cst.cid, _in_file(tokenize_comments(code), cell, line_offset)


def _in_file(
    comments: list[tuple[int, int, str]], cell: int | None, line_offset: int
) -> list[tuple[int | None, int, str]]:
    """A cell's (line, column, text) comments as the facts keep them: (cell, line in the
    file, text)."""
    return [(cell, line + line_offset, text) for line, _, text in comments]


def _time_limit_from_env() -> float:
    try:
        return float(os.environ.get("ARCHLINT_FILE_TIMEOUT", "60"))
    except ValueError:
        return 60.0


# Seconds one file may take where parsing is not linear (libcst, see
# `cell_parse.ISOLATE_CHARS`); `ARCHLINT_FILE_TIMEOUT` sets it.
DEFAULT_TIME_LIMIT = _time_limit_from_env()


def extract_cells(*, time_limit: float | None = None, **kwargs) -> ir.ModuleFacts:
    """Facts for one file (see `_extract_cells`), lowered where deep nesting is safe; a
    file that needs libcst on a large cell is parsed in a child process within
    `time_limit` seconds, and its crash or timeout becomes one diagnostic."""
    try:
        return run_deep(_extract_cells, **kwargs)
    except NeedsIsolation:
        limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
        return _extract_isolated(kwargs, limit)


def _child(conn, kwargs: dict) -> None:
    """Child process: facts for one file, pickled back through `conn`."""
    try:
        facts = run_deep(_extract_cells, isolated=True, **kwargs)
        conn.send_bytes(run_deep(pickle.dumps, facts, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        conn.close()


def _extract_isolated(kwargs: dict, time_limit: float) -> ir.ModuleFacts:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, kwargs), daemon=True)
    proc.start()
    sender.close()
    message = None
    facts = None
    try:
        if receiver.poll(time_limit):
            facts = pickle.loads(receiver.recv_bytes())
        else:
            message = f"skipped: parsing took longer than {time_limit:g} s (ARCHLINT_FILE_TIMEOUT)"
    except (EOFError, OSError):
        proc.join(5)
        message = f"skipped: the parser crashed on this file (exit code {proc.exitcode})"
    finally:
        receiver.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    if isinstance(facts, ir.ModuleFacts):
        return facts
    path = kwargs["path"]
    return ir.ModuleFacts(
        path=path,
        module=kwargs["module"],
        kind=kwargs["kind"],
        scopes=(),
        imports=(),
        errors=(*kwargs.get("errors", ()), ir.Diagnostic(path, message or "skipped")),
        is_package=kwargs.get("is_package", False),
        digest=kwargs.get("digest", ""),
    )


def _extract_cells(
    *,
    path: str,
    module: str,
    kind: str,
    cells: Sequence[tuple[int | None, str, int, int]],
    is_package: bool = False,
    digest: str = "",
    errors: Sequence[ir.Diagnostic] = (),
    frontend: str = "auto",
    isolated: bool = False,
) -> ir.ModuleFacts:
    """Facts for one file given as cells of (index, code, line_offset, col_offset).

    A cell that does not parse becomes a diagnostic; the other cells are still lowered.
    `frontend` is "auto" (the stdlib `ast`, libcst for what it cannot parse) or "cst"
    (libcst only: the reference the differential tests compare against). `isolated` is
    set in the child process a large libcst cell is parsed in (`extract_cells`).
    """
    scopes: list[ir.Scope] = []
    imports: list[ir.Import] = []
    comments: list[tuple[int | None, int, str]] = []
    diagnostics = list(errors)
    next_cid = 0
    for index, code, line_offset, col_offset in cells:
        try:
            tree_kind, tree = parse_cell(code, frontend, isolated)
        except CST_ERRORS as exc:
            bad_line, message = syntax_error(code, exc, line_offset)
            recovered = parse_around_error(code, bad_line, frontend, isolated)
            if recovered is not None:
                code, tree_kind, tree = recovered
                message += "; the statements around it were still analysed"
            diagnostics.append(ir.Diagnostic(path, message, bad_line + line_offset, index))
            if recovered is None:
                continue
        except Unsafe as exc:
            line = None if exc.line is None else exc.line + line_offset
            diagnostics.append(ir.Diagnostic(path, exc.message, line, index))
            continue
        except (RecursionError, MemoryError, ValueError) as exc:
            diagnostics.append(ir.Diagnostic(path, f"could not parse: {exc}", None, index))
            continue
        start, start_imports = len(scopes), len(imports)
        try:
            next_cid, cell_comments = _lower(
                tree_kind,
                tree,
                code,
                module=module,
                is_package=is_package,
                cell=index,
                line_offset=line_offset,
                col_offset=col_offset,
                scopes=scopes,
                imports=imports,
                next_cid=next_cid,
            )
        except (RecursionError, TooDeep) as exc:
            del scopes[start:]
            del imports[start_imports:]
            line = exc.line if isinstance(exc, TooDeep) else None
            where = "" if line is None else f" at line {line + line_offset}"
            diagnostics.append(
                ir.Diagnostic(
                    path,
                    f"skipped: expression nested too deep to analyse{where}",
                    None if line is None else line + line_offset,
                    index,
                )
            )
            continue
        comments.extend(cell_comments)
    index_map = {(s.cell, s.qualname): i for i, s in enumerate(scopes)}
    return ir.ModuleFacts(
        path=path,
        module=module,
        kind=kind,
        scopes=tuple(scopes),
        imports=tuple(imports),
        errors=tuple(diagnostics),
        comments=tuple(comments),
        is_package=is_package,
        digest=digest,
        scope_index=index_map,
    )


def extract_source(
    code: str, *, path: str = "main.py", module: str = "main", frontend: str = "auto"
) -> ir.ModuleFacts:
    """Facts for one plain Python source string (the common case, and handy in tests)."""
    is_package = path.endswith("__init__.py")
    return extract_cells(
        path=path,
        module=module,
        kind="py",
        cells=[(None, code, 0, 0)],
        is_package=is_package,
        frontend=frontend,
    )
