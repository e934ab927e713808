"""Gitignore and glob matching, written here because pathspec is not a dependency.

Follows gitignore(5): blank lines and `#` comments are skipped, `\\#` and `\\!` escape,
trailing spaces are dropped unless escaped, `!` re-includes, a trailing `/` matches
folders only, a slash at the start or in the middle anchors the pattern to the folder of
the ignore file (otherwise it matches a name at any depth), `*` and `?` stay within one
path segment, `**/`, `/**/` and `/**` cross segments, `[...]` is a character class (as in
git's wildmatch: never matching `/`, `[:digit:]`-style names allowed, and a reversed
range such as `[z-a]` matching nothing instead of being an error). The last matching line
of a file decides; a deeper ignore file overrides a shallower one. A file inside an
ignored folder cannot be re-included: the walker never enters the folder.

Patterns come from the repository under analysis, so matching must stay fast whatever
they say: paths are matched segment by segment (`PathGlob`) and the regexes built here
never backtrack between two `*` (see `_regex`).
"""

from __future__ import annotations

import itertools
import os
import re
import stat
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_ATOMIC = sys.version_info >= (3, 11)
_group_ids = itertools.count()

# POSIX classes inside `[...]` (git's wildmatch supports them), as ASCII ranges
_POSIX_CLASSES = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "blank": r" \t",
    "cntrl": r"\x00-\x1f\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": r"!-/:-@\[-`{-~",
    "space": r" \t\n\r\x0b\x0c",
    "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}


@dataclass(frozen=True, slots=True)
class _Token:
    """One piece of a glob: `kind` is "atom" (one character: `regex`), "slash", "star"
    (`*`, within a segment), "dstar_dir" (`**/`: zero or more folders) or "dstar" (a
    whole `**` segment at the end: everything)."""

    kind: str
    regex: str = ""


def _escape_char(ch: str) -> str:
    """A character as an escape valid both inside and outside a regex class."""
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\U{ord(ch):08x}"


def _char_class(pattern: str, start: int, problems: list[str]) -> tuple[str, int] | None:
    """Translate `[...]` at `start` like git's wildmatch: `!`/`^` negates, a leading `]`
    is literal, `\\` escapes, `[:alpha:]` names a POSIX class, and a class never matches
    `/`. A reversed range such as `z-a` matches nothing (git) and is added to `problems`.
    None when the bracket is not closed (then it is a literal `[`)."""
    i, n = start + 1, len(pattern)
    negate = i < n and pattern[i] in "!^"
    if negate:
        i += 1
    items: list[str] = []
    first = True
    while i < n and (pattern[i] != "]" or first):
        first = False
        if pattern.startswith("[:", i):
            end = pattern.find(":]", i + 2)
            name = pattern[i + 2 : end] if end >= 0 else ""
            if name in _POSIX_CLASSES:
                items.append(_POSIX_CLASSES[name])
                i = end + 2
                continue
        ch, i = _class_char(pattern, i)
        if ch is None:
            return None
        if i + 1 < n and pattern[i] == "-" and pattern[i + 1] != "]":
            hi, after = _class_char(pattern, i + 1)
            if hi is None:
                return None
            i = after
            if hi < ch:
                problems.append(f"reversed character range {ch}-{hi}")
                continue
            items.append(f"{_escape_char(ch)}-{_escape_char(hi)}")
        else:
            items.append(_escape_char(ch))
    if i >= n:
        return None
    body = "".join(items)
    if negate:
        return f"[^/{body}]", i + 1
    if not body:
        return "(?!)", i + 1  # every range reversed: matches nothing
    return f"(?!/)[{body}]", i + 1


def _class_char(pattern: str, i: int) -> tuple[str | None, int]:
    """The character at `i` of a class (a backslash escapes), and the index after it."""
    if pattern[i] == "\\":
        if i + 1 >= len(pattern):
            return None, i + 1
        return pattern[i + 1], i + 2
    return pattern[i], i + 1


def _tokens(pattern: str, problems: list[str]) -> list[_Token]:
    """Split a gitignore-style glob into tokens (see `_Token`)."""
    out: list[_Token] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            starts_segment = i == 0 or pattern[i - 1] == "/"
            ends_segment = j == n or pattern[j] == "/"
            if j - i >= 2 and starts_segment and ends_segment:
                out.append(_Token("dstar" if j == n else "dstar_dir"))
                i = j if j == n else j + 1
            else:
                out.append(_Token("star"))
                i = j
        elif c == "?":
            out.append(_Token("atom", "[^/]"))
            i += 1
        elif c == "[":
            cls = _char_class(pattern, i, problems)
            if cls is None:
                out.append(_Token("atom", re.escape("[")))
                i += 1
            else:
                out.append(_Token("atom", cls[0]))
                i = cls[1]
        elif c == "/":
            out.append(_Token("slash", "/"))
            i += 1
        elif c == "\\" and i + 1 < n:
            out.append(_Token("slash", "/") if pattern[i + 1] == "/" else _atom(pattern[i + 1]))
            i += 2
        else:
            out.append(_atom(c))
            i += 1
    return out


def _atom(ch: str) -> _Token:
    return _Token("atom", re.escape(ch))


def _atomic(body: str) -> str:
    """`body` matched once, never re-entered by backtracking (an atomic group; before
    Python 3.11 the lookahead-and-backreference equivalent, with a unique group name)."""
    if _ATOMIC:
        return f"(?>{body})"
    name = f"_atomic{next(_group_ids)}"
    return f"(?=(?P<{name}>{body}))(?P={name})"


def _regex(tokens: list[_Token]) -> str:
    """Regex source for tokens, free of catastrophic backtracking between `*`s: a `*`
    followed by more wildcards takes the shortest run up to the fixed text after it, and
    never gives it back. That is exact because the next wildcard can absorb anything the
    earlier one could (no atom but `/` itself matches `/`)."""
    out: list[str] = []
    pending: list[str] | None = None  # text after an open `*`, up to the next wildcard
    for token in tokens:
        if token.kind in ("atom", "slash"):
            (out if pending is None else pending).append(token.regex)
            continue
        if pending is not None:
            out.append(_atomic("[^/]*?" + "".join(pending)))
            pending = None
        if token.kind == "star":
            pending = []
        elif token.kind == "dstar_dir":
            out.append("(?:.*/)?")
        else:
            out.append(".*")
    if pending is not None:
        out.append("[^/]*" + "".join(pending))
    return "".join(out)


def glob_problems(pattern: str) -> list[str]:
    """Why git would never match (part of) `pattern` as written; empty when it is fine."""
    problems: list[str] = []
    _tokens(pattern, problems)
    return problems


def glob_to_regex(pattern: str) -> str:
    """Regex source (for fullmatch, with DOTALL) for a gitignore-style glob over POSIX
    paths. A reversed range matches nothing, as in git; `glob_problems` reports it."""
    return _regex(_tokens(pattern, []))


@dataclass(frozen=True, slots=True)
class PathGlob:
    """A compiled glob matched segment by segment: each segment of the pattern is a
    regex for one path segment, `None` stands for `**` (any number of whole segments;
    at least one when it ends the pattern). Matching walks the set of reachable path
    positions, so it is linear in pattern segments times path segments whatever the
    pattern (several `**` do not backtrack)."""

    segments: tuple[re.Pattern[str] | None, ...]

    def fullmatch(self, path: str) -> bool:
        parts = path.split("/")
        n = len(parts)
        reach = {0}
        last = len(self.segments) - 1
        for k, seg in enumerate(self.segments):
            if not reach:
                return False
            if seg is None:
                low = min(reach) + (1 if k == last else 0)
                reach = set(range(low, n + 1))
            else:
                reach = {j + 1 for j in reach if j < n and seg.fullmatch(parts[j])}
        return n in reach


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> PathGlob:
    """The matcher of a gitignore-style glob (no leading `/`, no trailing `/`)."""
    segments: list[re.Pattern[str] | None] = []
    current: list[_Token] = []
    for token in _tokens(pattern, []):
        if token.kind == "slash":
            segments.append(_compiled(_regex(current)))
            current = []
        elif token.kind == "dstar_dir":
            segments.append(None)  # `**/` starts a segment and took its slash
        elif token.kind == "dstar":
            segments.append(None)  # a final `**`: nothing can follow it
            return PathGlob(tuple(segments))
        else:
            current.append(token)
    segments.append(_compiled(_regex(current)))
    return PathGlob(tuple(segments))


@lru_cache(maxsize=512)
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.DOTALL)


@lru_cache(maxsize=1024)
def _exclude_pattern(pattern: str) -> tuple[PathGlob | None, bool]:
    """Compiled exclude pattern and whether it is matched against the whole path."""
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.rstrip("/")
    if not pattern:
        return None, False
    anchored = "/" in pattern
    return compile_glob(pattern.lstrip("/")), anchored


def glob_matches(pattern: str, relpath: str) -> bool:
    """Whether an exclude-style pattern matches a POSIX path relative to its base.

    A pattern without a slash matches the last path segment (any depth); one with a
    slash matches the whole relative path (a leading `/` or `./` is dropped).
    """
    glob, anchored = _exclude_pattern(pattern)
    if glob is None:
        return False
    target = relpath if anchored else relpath.rsplit("/", 1)[-1]
    return glob.fullmatch(target)


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    """One pattern line of an ignore file."""

    pattern: str
    glob: PathGlob
    negate: bool
    dir_only: bool
    anchored: bool

    def matches(self, rel: str, is_dir: bool) -> bool:
        if self.dir_only and not is_dir:
            return False
        target = rel if self.anchored else rel.rsplit("/", 1)[-1]
        return self.glob.fullmatch(target)


@dataclass(frozen=True, slots=True)
class IgnoreFile:
    """The rules of one ignore file; `base` is the absolute POSIX folder they apply under."""

    base: str
    rules: tuple[IgnoreRule, ...]

    def decide(self, path: str, is_dir: bool) -> bool | None:
        """True if ignored, False if re-included by `!`, None if no line matches."""
        prefix = self.base.rstrip("/") + "/"
        if not path.startswith(prefix):
            return None
        rel = path[len(prefix) :]
        for rule in reversed(self.rules):
            if rule.matches(rel, is_dir):
                return not rule.negate
        return None


def parse_rule(line: str) -> IgnoreRule | None:
    """One line of an ignore file, or None for blanks and comments."""
    line = line.rstrip("\r\n")
    end = len(line)
    while end > 0 and line[end - 1] == " " and not (end > 1 and line[end - 2] == "\\"):
        end -= 1
    line = line[:end]
    if not line or line.startswith("#"):
        return None
    negate = line.startswith("!")
    if negate:
        line = line[1:]
    dir_only = line.endswith("/") and not line.endswith("\\/")
    if dir_only:
        line = line.rstrip("/")
    anchored = "/" in line
    body = line.lstrip("/")
    if not body:
        return None
    return IgnoreRule(line, compile_glob(body), negate, dir_only, anchored)


def parse_ignore_file(text: str, base: str) -> IgnoreFile:
    """All rules of an ignore file's text, applying under the folder `base`."""
    rules = tuple(r for r in map(parse_rule, text.splitlines()) if r is not None)
    return IgnoreFile(base, rules)


def load_ignore_file(path: Path, base: Path) -> IgnoreFile | None:
    """Read an ignore file; a missing, unreadable or empty one is None (ignores nothing),
    and so is one that is not a regular file (reading a FIFO would block the run)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        text = path.read_text(encoding="utf-8", errors="replace")
    except (OSError, ValueError):
        return None
    parsed = parse_ignore_file(text, base.as_posix())
    return parsed if parsed.rules else None


def is_ignored(stack: tuple[IgnoreFile, ...], path: str, is_dir: bool) -> bool:
    """Whether the ignore files in `stack` (shallowest first) ignore an absolute POSIX path."""
    for ignore in reversed(stack):
        verdict = ignore.decide(path, is_dir)
        if verdict is not None:
            return verdict
    return False
