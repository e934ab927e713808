"""Warnings about the input as a whole, so a clean run cannot hide an empty one.

"All checks passed!" on an empty folder, or on a project whose model calls archlint does
not recognise, is false reassurance. Two cheap checks say so: nothing was read, and files
import an LLM package the knowledge base knows but hold no recognised model call.
"""

from __future__ import annotations

from collections.abc import Sequence

from analyzer.frontend.testfiles import is_test_path
from analyzer.results import Unit

MAX_NAMED = 5


def _names(paths: Sequence[str]) -> str:
    shown = ", ".join(paths[:MAX_NAMED])
    more = len(paths) - MAX_NAMED
    return shown + (f" and {more} more" if more > 0 else "")


def llm_importing_files(project, kb) -> dict[str, list[str]]:
    """path -> the LLM packages (KB entries with model calls) its imports name."""
    out: dict[str, list[str]] = {}
    modules = getattr(project, "modules", ())
    # the project's own packages (browser_use analysed from its own repository) are not
    # an LLM package it imports
    own = {m.module.split(".")[0] for m in modules if getattr(m, "module", "")}
    for m in modules:
        keys: list[str] = []
        for imp in m.imports:
            target = imp.target or imp.raw_module
            if not target or imp.level or target.split(".")[0] in own:
                continue
            entry = kb.entry_for(target)
            if entry is not None and entry.model_calls and entry.key not in keys:
                keys.append(entry.key)
        if keys:
            out[m.path] = keys
    return out


def input_warnings(project, units: Sequence[Unit], kb=None, *, include_tests=False) -> list[str]:
    """Warnings for an empty input and for LLM imports with no recognised model call."""
    modules = getattr(project, "modules", ())
    if not modules:
        if getattr(project, "errors", ()):
            return []  # every file failed: those are input-error findings already
        return ["no Python files found (nothing was analysed)"]
    if kb is None:
        from analyzer.knowledge import load_knowledge

        kb = load_knowledge()
    called = {c.path or u.path for u in units for c in u.llm_calls}
    silent = [
        path
        for path in llm_importing_files(project, kb)
        if path not in called and (include_tests or not is_test_path(path))
    ]
    if not silent:
        return []
    if not units:
        return [
            f"no model call was recognised, yet {len(silent)} file(s) import an LLM package: "
            f"{_names(silent)}; archlint may not know how this project calls the model, "
            "so a clean result here proves nothing"
        ]
    return [
        f"{len(silent)} file(s) import an LLM package but hold no recognised model call: "
        f"{_names(silent)}"
    ]
