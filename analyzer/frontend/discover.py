"""Find the files to analyse under the paths a user gave, the way ruff would.

Rules, in the order they are applied to each entry of a walked folder:

* Version-control folders (`.git`, `.hg`, `.svn`) and virtual environments (a folder
  holding `pyvenv.cfg` or `conda-meta`; `.venv`, `venv` or `env` holding `site-packages`)
  are always skipped: they are recognised by content, not by name, so `exclude` does
  not bring them back.
* `exclude` (default `DEFAULT_EXCLUDE`, replaced when the config sets it) and
  `extend-exclude` glob patterns: a pattern without a slash matches the entry's name at
  any depth, one with a slash matches its path relative to the config file's folder (the
  analysis root when there is no config file), as ruff does. `*` stays in one segment.
* `.gitignore` files (unless `respect-gitignore = false`): every `.gitignore` from the
  repository top (the nearest folder above with `.git`, else the analysis root) down
  to the entry, plus `.git/info/exclude`; deeper files override shallower ones. Ignore
  files apply whether or not the folder is really a git checkout.
* Files: `.py` (`.pyi` stubs are not analysed), `.ipynb`, and `.md`/`.markdown` when
  `markdown` is on.

Paths named explicitly are always analysed: a named file even if an exclude or ignore
rule matches it (the user asked for it), a named folder's contents under the rules
above. A named file of another type is a diagnostic.

Symlinks met while walking: a link whose target resolves outside the analysis root is
skipped. Links inside it are followed, but every real folder is walked at most once and
a file reached both directly and through a link is reported once, under its direct path,
so links neither duplicate files nor loop. Output is sorted by relative path.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.frontend.gitignore import IgnoreFile, glob_matches, is_ignored, load_ignore_file
from analyzer.ir import Diagnostic
from analyzer.lint.config import Config, load_config

PY_SUFFIXES = frozenset({".py"})
NOTEBOOK_SUFFIXES = frozenset({".ipynb"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
VCS_DIRS = frozenset({".git", ".hg", ".svn"})
VENV_NAMES = frozenset({".venv", "venv", "env"})


@dataclass(frozen=True)
class FileRef:
    """A file to load: `relpath` is POSIX and relative to the analysis root."""

    abspath: Path
    relpath: str


@dataclass(frozen=True)
class Discovery:
    """What to analyse, the root paths are relative to, and problems with the input paths."""

    root: Path
    files: tuple[FileRef, ...]
    errors: tuple[Diagnostic, ...]
    config: Config = field(default_factory=Config)


def analysis_root(paths: Sequence[Path]) -> Path:
    """The folder given, a single file's folder, or the common parent of several paths."""
    absolute = [Path(os.path.abspath(p)) for p in paths] or [Path.cwd()]
    common = absolute[0] if len(absolute) == 1 else Path(os.path.commonpath(absolute))
    return common if common.is_dir() else common.parent


@dataclass(frozen=True)
class _Rules:
    """Everything that decides whether a walked entry is kept (no mutable state)."""

    root: Path
    real_root: str
    exclude: tuple[str, ...]
    exclude_base: Path
    markdown: bool
    gitignore: bool

    def excluded(self, path: Path) -> bool:
        rel = _relative(path, self.exclude_base) or _relative(path, self.root) or path.name
        return any(glob_matches(p, rel) for p in self.exclude)

    def wanted_suffix(self, name: str) -> bool:
        suffix = os.path.splitext(name)[1].lower()
        return (
            suffix in PY_SUFFIXES
            or suffix in NOTEBOOK_SUFFIXES
            or (self.markdown and suffix in MARKDOWN_SUFFIXES)
        )

    def inside_root(self, real: str) -> bool:
        return real == self.real_root or real.startswith(self.real_root.rstrip(os.sep) + os.sep)


def printable_path(rel: str) -> str:
    """A path as it appears in every output: bytes that are not valid UTF-8 (which Python
    keeps as lone surrogates, `\\udcff`) and control characters (a newline in a file
    name would break line-based formats) are written as `\\xNN` escapes, so output is
    always valid UTF-8 and one path stays on one line. Other text is unchanged."""
    if rel.isprintable():  # surrogates and control characters are not printable
        return rel
    out = []
    for c in rel:
        code = ord(c)
        if c.isprintable():
            out.append(c)
        elif 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as os.fsdecode keeps it
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


def _relative(path: Path, base: Path) -> str | None:
    try:
        rel = path.relative_to(base).as_posix()
    except ValueError:
        return None
    return None if rel == "." else rel


def _is_virtualenv(path: str, name: str) -> bool:
    """A virtual environment or conda env, recognised by what it contains."""
    if os.path.isfile(os.path.join(path, "pyvenv.cfg")):
        return True
    if os.path.isdir(os.path.join(path, "conda-meta")):
        return True
    if name not in VENV_NAMES:
        return False
    if os.path.isdir(os.path.join(path, "site-packages")):
        return True
    if os.path.isdir(os.path.join(path, "Lib", "site-packages")):
        return True
    for lib in ("lib", "lib64"):
        try:
            with os.scandir(os.path.join(path, lib)) as entries:
                for e in entries:
                    if e.name.startswith("python") and os.path.isdir(
                        os.path.join(e.path, "site-packages")
                    ):
                        return True
        except OSError:
            continue
    return False


def _repo_top(folder: Path, fallback: Path) -> tuple[Path, bool]:
    """The nearest folder at or above `folder` holding `.git`, else `fallback`."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate, True
    return fallback, False


def _initial_ignores(start: Path, root: Path) -> tuple[IgnoreFile, ...]:
    """Ignore files that apply to `start` from the folders above it (and its own)."""
    top, in_repo = _repo_top(start, root)
    stack: list[IgnoreFile] = []
    if in_repo:
        info = load_ignore_file(top / ".git" / "info" / "exclude", top)
        if info is not None:
            stack.append(info)
    chain = [start, *start.parents]
    if top in chain:
        folders = list(reversed(chain[: chain.index(top) + 1]))
    else:
        folders = [start]
    for folder in folders:
        ignore = load_ignore_file(folder / ".gitignore", folder)
        if ignore is not None:
            stack.append(ignore)
    return tuple(stack)


@dataclass
class _Walk:
    """Accumulators of one walk (local to a single `discover` call)."""

    rules: _Rules
    files: list[tuple[str, Path, str, bool]] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)
    links: list[tuple[Path, tuple[IgnoreFile, ...]]] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        return printable_path(_relative(path, self.rules.root) or path.name)

    def walk(self, start: Path, ignores: tuple[IgnoreFile, ...], via_link: bool) -> None:
        """Walk `start` depth-first; folder links are queued for after the direct walk."""
        stack = [(start, ignores)]
        while stack:
            folder, inherited = stack.pop()
            real = os.path.realpath(folder)
            if real in self.visited:
                continue
            self.visited.add(real)
            here = inherited
            if self.rules.gitignore and folder != start:
                own = load_ignore_file(folder / ".gitignore", folder)
                here = inherited if own is None else (*inherited, own)
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                msg = f"cannot read folder: {exc.strerror or exc}"
                self.errors.append(Diagnostic(self.rel(folder), msg))
                continue
            subfolders = []
            for entry in entries:
                child = self._entry(folder, entry, here, via_link)
                if child is not None:
                    subfolders.append((child, here))
            stack.extend(reversed(subfolders))

    def _entry(
        self, folder: Path, entry: os.DirEntry, ignores: tuple[IgnoreFile, ...], via_link: bool
    ) -> Path | None:
        """Record a file or queue a link; return a subfolder to walk, or None."""
        path = folder / entry.name
        try:
            is_link = entry.is_symlink()
            is_dir = entry.is_dir()  # follows links; False for dangling links and loops
            is_file = entry.is_file()
        except OSError:
            return None
        if is_dir and entry.name in VCS_DIRS:
            return None
        if self.rules.excluded(path):
            return None
        if self.rules.gitignore and is_ignored(ignores, path.as_posix(), is_dir):
            return None
        if is_link:
            real = os.path.realpath(path)
            if not self.rules.inside_root(real):
                return None
            if is_dir:
                self.links.append((path, ignores))
                return None
        if is_dir:
            return None if _is_virtualenv(str(path), entry.name) else path
        if is_file and self.rules.wanted_suffix(entry.name):
            real = os.path.realpath(path)
            self.files.append((self.rel(path), path, real, via_link or is_link))
        return None

    def follow_links(self) -> None:
        """Walk folder links whose targets no walk has reached yet, in path order."""
        while self.links:
            self.links.sort(key=lambda item: self.rel(item[0]), reverse=True)
            link, ignores = self.links.pop()
            if os.path.realpath(link) in self.visited:
                continue
            if _is_virtualenv(str(link), link.name):
                continue
            own = load_ignore_file(link / ".gitignore", link) if self.rules.gitignore else None
            self.walk(link, ignores if own is None else (*ignores, own), via_link=True)


def _supported(path: Path) -> bool:
    """Whether a named file has a type archlint reads (named Markdown is always read)."""
    suffix = path.suffix.lower()
    return suffix in PY_SUFFIXES or suffix in NOTEBOOK_SUFFIXES or suffix in MARKDOWN_SUFFIXES


def _dedupe(files: list[tuple[str, Path, str, bool]]) -> tuple[FileRef, ...]:
    """One FileRef per relpath and per real file, preferring paths reached without links."""
    direct = {real for _, _, real, linked in files if not linked}
    seen_rel: set[str] = set()
    seen_real: set[str] = set()
    out: list[FileRef] = []
    for rel, path, real, linked in sorted(files, key=lambda f: (f[0], f[3])):
        if rel in seen_rel or (linked and (real in direct or real in seen_real)):
            continue
        seen_rel.add(rel)
        seen_real.add(real)
        out.append(FileRef(path, rel))
    return tuple(out)


def discover(
    paths: Sequence[Path], *, markdown: bool = False, config: Config | None = None
) -> Discovery:
    """The files to analyse under `paths`, sorted by relpath; never raises for bad paths.

    `config=None` loads the configuration for the analysis root (and may raise
    `ConfigError`); pass `Config()` for defaults. Markdown files in folders are included
    when `markdown` or `config.markdown` is true; named ones always.
    """
    given = [Path(os.path.abspath(p)) for p in paths] or [Path.cwd()]
    root = analysis_root(given)
    cfg = config if config is not None else load_config(root)
    rules = _Rules(
        root=root,
        real_root=os.path.realpath(root),
        exclude=(*cfg.exclude, *cfg.extend_exclude),
        exclude_base=cfg.base_dir if cfg.base_dir is not None else root,
        markdown=markdown or cfg.markdown,
        gitignore=cfg.respect_gitignore,
    )
    walk = _Walk(rules)
    for path in given:
        if path.is_dir():
            ignores = _initial_ignores(path, root) if rules.gitignore else ()
            walk.walk(path, ignores, via_link=False)
        elif path.is_file():
            if _supported(path):
                walk.files.append((walk.rel(path), path, os.path.realpath(path), False))
            else:
                msg = "skipped: not a .py, .ipynb or .md file"
                walk.errors.append(Diagnostic(walk.rel(path), msg))
        elif os.path.lexists(path) and not os.path.exists(path):
            walk.errors.append(Diagnostic(walk.rel(path), "broken symlink"))
        elif os.path.exists(path):
            walk.errors.append(Diagnostic(walk.rel(path), "not a regular file or folder"))
        else:
            walk.errors.append(Diagnostic(walk.rel(path), "no such file or folder"))
    walk.follow_links()
    errors = sorted(set(walk.errors), key=lambda d: (d.path, d.message))
    return Discovery(root, _dedupe(walk.files), tuple(errors), cfg)
