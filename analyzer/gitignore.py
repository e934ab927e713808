"""Gitignore and glob matching, written here because pathspec is not a dependency.

Follows gitignore(5): blank lines and `#` comments are skipped, `\\#` and `\\!` escape,
trailing spaces are dropped unless escaped, `!` re-includes, a trailing `/` matches
folders only, a slash at the start or in the middle anchors the pattern to the folder of
the ignore file (otherwise it matches a name at any depth), `*` and `?` stay within one
path segment, `**/`, `/**/` and `/**` cross segments, `[...]` is a character class. The
last matching line of a file decides; a deeper ignore file overrides a shallower one. A
file inside an ignored folder cannot be re-included: the walker never enters the folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


def glob_to_regex(pattern: str) -> str:
    """Regex source (for fullmatch) for a gitignore-style glob over POSIX paths."""
    out: list[str] = []
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
                if j == n:
                    out.append(".*")  # `x/**`: everything inside
                    i = j
                else:
                    out.append("(?:.*/)?")  # `**/`: zero or more folders
                    i = j + 1
            else:
                out.append("[^/]*")
                i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            cls, i = _char_class(pattern, i)
            out.append(cls)
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


def _char_class(pattern: str, start: int) -> tuple[str, int]:
    """Translate `[...]` at `start`; an unclosed `[` is a literal bracket."""
    j = start + 1
    if j < len(pattern) and pattern[j] in "!^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 1
    if j >= len(pattern):
        return re.escape("["), start + 1
    body = pattern[start + 1 : j]
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    body = "".join("\\" + ch if ch in "\\^[]" else ch for ch in body)
    return (f"[^/{body}]" if negate else f"[{body}]"), j + 1


@lru_cache(maxsize=512)
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.DOTALL)


@lru_cache(maxsize=1024)
def _exclude_pattern(pattern: str) -> tuple[re.Pattern[str] | None, bool]:
    """Compiled exclude pattern and whether it is matched against the whole path."""
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.rstrip("/")
    if not pattern:
        return None, False
    anchored = "/" in pattern
    return _compiled(glob_to_regex(pattern.lstrip("/"))), anchored


def glob_matches(pattern: str, relpath: str) -> bool:
    """Whether an exclude-style pattern matches a POSIX path relative to its base.

    A pattern without a slash matches the last path segment (any depth); one with a
    slash matches the whole relative path (a leading `/` or `./` is dropped).
    """
    regex, anchored = _exclude_pattern(pattern)
    if regex is None:
        return False
    target = relpath if anchored else relpath.rsplit("/", 1)[-1]
    return regex.fullmatch(target) is not None


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    """One pattern line of an ignore file."""

    pattern: str
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool
    anchored: bool

    def matches(self, rel: str, is_dir: bool) -> bool:
        if self.dir_only and not is_dir:
            return False
        target = rel if self.anchored else rel.rsplit("/", 1)[-1]
        return self.regex.fullmatch(target) is not None


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
    regex = _compiled(glob_to_regex(body))
    return IgnoreRule(line, regex, negate, dir_only, anchored)


def parse_ignore_file(text: str, base: str) -> IgnoreFile:
    """All rules of an ignore file's text, applying under the folder `base`."""
    rules = tuple(r for r in map(parse_rule, text.splitlines()) if r is not None)
    return IgnoreFile(base, rules)


def load_ignore_file(path: Path, base: Path) -> IgnoreFile | None:
    """Read an ignore file; a missing, unreadable or empty one is None (ignores nothing)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
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
