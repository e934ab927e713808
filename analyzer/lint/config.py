"""Project configuration: the `[tool.archlint]` table of the nearest `pyproject.toml`.

Keys are kebab-case as in ruff (`extend-exclude`, `per-file-ignores`, `fail-on`,
`rule-packs`); the snake_case spelling is accepted as an alias so a typo of style is not a
silent no-op. Unknown keys become `Config.warnings` (the CLI prints them) rather than an
error, so a config written for a newer archlint still works with an older one. A file
that is not valid TOML, or a known key with a value of the wrong type, is a `ConfigError`
naming the file: the CLI turns it into exit code 2.

Recognised keys::

    [tool.archlint]
    exclude = [...]            # replaces DEFAULT_EXCLUDE (glob patterns, see discover.py)
    extend-exclude = [...]     # added to exclude
    select = [...]             # rule names or codes; empty means the default selection
    extend-select = [...]
    ignore = [...]
    per-file-ignores = { "tests/*" = ["unbounded-retry"] }
    fail-on = "warning"        # "error" | "warning" | "info": lowest severity that fails
    rule-packs = [...]         # extra rule packs (module names or paths; paths are
                               # relative to the directory of the config file)
    markdown = false           # also analyse `.md` files found in folders
    respect-gitignore = true   # skip what .gitignore files ignore
    include-tests = false      # test files' units make systems and findings too

    [tool.archlint.rules.missing-stop-condition]   # -> rule_options["missing-stop-condition"]
    max-turns = 20                                 # free-form, read by the rule itself

`load_config` walks upward from the analysis root and uses the first `pyproject.toml`
that has a `[tool.archlint]` table (like ruff with `[tool.ruff]`): a package's own
pyproject without that table does not hide the repository's configuration above it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    "__pycache__",
    "__pypackages__",
    "*.egg-info",
    "build",
    "dist",
    "node_modules",
    "site-packages",
)
FAIL_ON_LEVELS: tuple[str, ...] = ("error", "warning", "info")


class ConfigError(Exception):
    """A configuration file that cannot be used; `str()` names the file."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = Path(path)
        self.message = message


@dataclass(frozen=True)
class Config:
    """Settings for one run. `Config()` is the configuration of a project without one."""

    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fail_on: str = "warning"
    rule_packs: tuple[str, ...] = ()
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    markdown: bool = False
    respect_gitignore: bool = True
    include_tests: bool = False
    source_path: Path | None = None
    warnings: tuple[str, ...] = ()

    @property
    def base_dir(self) -> Path | None:
        """The directory relative path patterns (exclude, per-file-ignores) are anchored to."""
        return None if self.source_path is None else self.source_path.parent

    def ignored_rules(self, relpath: str) -> tuple[str, ...]:
        """Rules `per-file-ignores` switches off for a POSIX path relative to `base_dir`.

        Patterns match like `exclude`: one without a slash matches the file name, one
        with a slash the whole relative path (`*` stays within a folder, `**` crosses).
        """
        from analyzer.frontend.gitignore import glob_matches

        out: list[str] = []
        for pattern, rules in self.per_file_ignores.items():
            if glob_matches(pattern, relpath):
                out.extend(r for r in rules if r not in out)
        return tuple(out)


def _str_list(key: str, value: object, path: Path) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(path, f"'{key}' must be a list of strings, got {value!r}")


def _check_glob(key: str, pattern: str, path: Path) -> None:
    """A pattern git would never match as written is a mistake in our own config (in a
    `.gitignore` the line is just inert, as in git)."""
    from analyzer.frontend.gitignore import glob_problems

    problems = glob_problems(pattern)
    if problems:
        raise ConfigError(path, f"'{key}': bad glob pattern {pattern!r}: {problems[0]}")


def _glob_list(key: str, value: object, path: Path) -> tuple[str, ...]:
    patterns = _str_list(key, value, path)
    for pattern in patterns:
        _check_glob(key, pattern, path)
    return patterns


def _per_file_ignores(key: str, value: object, path: Path) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(path, f"'{key}' must be a table of pattern = [rules]")
    for pattern in value:
        _check_glob(key, pattern, path)
    return {pat: _str_list(f"{key}.{pat}", rules, path) for pat, rules in value.items()}


# Rule options read by archlint itself rather than by a rule (`check --fix` limits):
# positive integers, checked here so a typo is a config error, not a crash mid-run.
_POSITIVE_INT_OPTIONS = frozenset({"fix-attempts", "fix-max-tries"})


def _rule_options(key: str, value: object, path: Path) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ConfigError(path, f"'{key}' must hold one table per rule: [tool.archlint.{key}.NAME]")
    for name, opts in value.items():
        for opt, v in opts.items():
            bad = isinstance(v, bool) or not isinstance(v, int) or v < 1
            if str(opt).replace("_", "-") in _POSITIVE_INT_OPTIONS and bad:
                where = f"[tool.archlint.{key}.{name}] {opt}"
                raise ConfigError(path, f"{where} must be a positive integer, got {v!r}")
    return {name: dict(opts) for name, opts in value.items()}


def _fail_on(key: str, value: object, path: Path) -> str:
    if isinstance(value, str) and value.lower() in FAIL_ON_LEVELS:
        return value.lower()
    raise ConfigError(path, f"'{key}' must be one of {', '.join(FAIL_ON_LEVELS)}, got {value!r}")


def _bool(key: str, value: object, path: Path) -> bool:
    if isinstance(value, bool):
        return value
    raise ConfigError(path, f"'{key}' must be true or false, got {value!r}")


# TOML key -> (Config field, validator)
_KEYS = {
    "exclude": ("exclude", _glob_list),
    "extend-exclude": ("extend_exclude", _glob_list),
    "select": ("select", _str_list),
    "ignore": ("ignore", _str_list),
    "extend-select": ("extend_select", _str_list),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "fail-on": ("fail_on", _fail_on),
    "rule-packs": ("rule_packs", _str_list),
    "rules": ("rule_options", _rule_options),
    "markdown": ("markdown", _bool),
    "respect-gitignore": ("respect_gitignore", _bool),
    "include-tests": ("include_tests", _bool),
}


def config_from_table(table: dict[str, Any], source_path: Path | None) -> Config:
    """Validate one `[tool.archlint]` table (already parsed) into a Config."""
    where = source_path if source_path is not None else Path("<config>")
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in _KEYS:
            warnings.append(f"{where}: unknown key '{raw_key}' in [tool.archlint], ignored")
            continue
        name, check = _KEYS[key]
        if name in values:
            warnings.append(f"{where}: '{raw_key}' given twice (kebab and snake case)")
            if raw_key != key:
                continue  # the kebab-case spelling wins
        values[name] = check(raw_key, value, where)
    return Config(**values, source_path=source_path, warnings=tuple(warnings))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror or exc}") from exc
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(path, f"not UTF-8: {exc.reason} at byte {exc.start}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"invalid TOML: {exc}") from exc
    except RecursionError as exc:
        raise ConfigError(path, "invalid TOML: nested too deeply") from exc


def _archlint_table(data: dict[str, Any], path: Path) -> dict[str, Any] | None:
    tool = data.get("tool")
    if not isinstance(tool, dict) or "archlint" not in tool:
        return None
    table = tool["archlint"]
    if not isinstance(table, dict):
        raise ConfigError(path, "[tool.archlint] must be a table")
    return table


def load_config(start: Path, explicit: Path | None = None) -> Config:
    """The configuration for an analysis rooted at `start` (a folder, or a file's folder).

    With `explicit`, read that file only: a `pyproject.toml` gives its `[tool.archlint]`
    table, any other TOML file (an `archlint.toml`) is the table itself. Without it,
    use the nearest `pyproject.toml` at or above `start` that has `[tool.archlint]`;
    none found means defaults. Raises ConfigError for unreadable or invalid files.
    """
    if explicit is not None:
        explicit = Path(os.path.abspath(explicit))
        if not explicit.is_file():
            raise ConfigError(explicit, "config file not found")
        data = _read_toml(explicit)
        table = _archlint_table(data, explicit)
        if table is None:
            if explicit.name == "pyproject.toml":
                note = f"{explicit}: no [tool.archlint] table, using defaults"
                return Config(source_path=explicit, warnings=(note,))
            table = data
        return config_from_table(table, explicit)
    here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            table = _archlint_table(_read_toml(candidate), candidate)
            if table is not None:
                return config_from_table(table, candidate)
    return Config()
