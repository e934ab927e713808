"""Config loading: the nearest [tool.archlint], kebab-case keys, errors and warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.lint.config import DEFAULT_EXCLUDE, Config, ConfigError, load_config


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_pyproject_gives_defaults(tmp_path: Path) -> None:
    cfg = load_config(tmp_path)
    assert cfg == Config()
    assert cfg.exclude == DEFAULT_EXCLUDE
    assert cfg.fail_on == "warning"
    assert cfg.source_path is None
    assert cfg.markdown is False


def test_all_keys_kebab_case(tmp_path: Path) -> None:
    pyproject = write(
        tmp_path / "pyproject.toml",
        """
[project]
name = "x"

[tool.archlint]
exclude = ["a"]
extend-exclude = ["gen/*.py", "fixtures"]
select = ["missing-stop-condition"]
extend-select = ["unbounded-retry"]
ignore = ["absent-trace-logging"]
per-file-ignores = { "tests/*" = ["unbounded-retry"], "nb.ipynb" = ["a", "b"] }
fail-on = "Error"
rule-packs = ["my_rules", "./local_rules"]
markdown = true
respect-gitignore = false

[tool.archlint.rules.missing-stop-condition]
max-turns = 12
frameworks = ["langgraph"]
""",
    )
    cfg = load_config(tmp_path)
    assert cfg.source_path == pyproject
    assert cfg.exclude == ("a",)
    assert cfg.extend_exclude == ("gen/*.py", "fixtures")
    assert cfg.select == ("missing-stop-condition",)
    assert cfg.extend_select == ("unbounded-retry",)
    assert cfg.ignore == ("absent-trace-logging",)
    assert cfg.per_file_ignores == {"tests/*": ("unbounded-retry",), "nb.ipynb": ("a", "b")}
    assert cfg.fail_on == "error"
    assert cfg.rule_packs == ("my_rules", "./local_rules")
    assert cfg.rule_options == {
        "missing-stop-condition": {"max-turns": 12, "frameworks": ["langgraph"]}
    }
    assert cfg.markdown is True
    assert cfg.respect_gitignore is False
    assert cfg.warnings == ()


def test_found_in_a_parent_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.archlint]\nextend-exclude = ['x']\n")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    cfg = load_config(deep)
    assert cfg.extend_exclude == ("x",)
    assert cfg.source_path == tmp_path / "pyproject.toml"
    assert cfg.base_dir == tmp_path


def test_start_may_be_a_file(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.archlint]\nmarkdown = true\n")
    f = write(tmp_path / "pkg" / "m.py", "")
    assert load_config(f).markdown is True


def test_nearest_table_wins_and_tableless_pyproject_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.archlint]\nfail-on = 'error'\n")
    write(tmp_path / "mid" / "pyproject.toml", "[project]\nname = 'mid'\n")
    write(tmp_path / "mid" / "inner" / "pyproject.toml", "[tool.archlint]\nfail-on = 'info'\n")
    assert load_config(tmp_path / "mid" / "inner").fail_on == "info"
    # `mid` has a pyproject without [tool.archlint]: the one above applies
    assert load_config(tmp_path / "mid").fail_on == "error"
    assert load_config(tmp_path / "mid").source_path == tmp_path / "pyproject.toml"


def test_unknown_keys_warn_and_do_not_crash(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        "[tool.archlint]\nexclud = ['x']\nfail-on = 'error'\n[tool.archlint.nested]\na = 1\n",
    )
    cfg = load_config(tmp_path)
    assert cfg.fail_on == "error"
    assert cfg.exclude == DEFAULT_EXCLUDE
    assert len(cfg.warnings) == 2
    assert "unknown key 'exclud'" in cfg.warnings[0]
    assert "pyproject.toml" in cfg.warnings[0]
    assert "'nested'" in cfg.warnings[1]


def test_snake_case_is_an_alias(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.archlint]\nextend_exclude = ['x']\nfail_on='info'\n")
    cfg = load_config(tmp_path)
    assert cfg.extend_exclude == ("x",)
    assert cfg.fail_on == "info"
    assert cfg.warnings == ()


def test_malformed_toml_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.archlint\nexclude = [\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert str(tmp_path / "pyproject.toml") in str(info.value)
    assert "invalid TOML" in str(info.value)
    assert "line 1" in str(info.value)
    assert info.value.path == tmp_path / "pyproject.toml"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("exclude = 'x'", "'exclude' must be a list of strings"),
        ("extend-exclude = [1]", "'extend-exclude' must be a list of strings"),
        ("fail-on = 'loud'", "'fail-on' must be one of error, warning, info"),
        ("markdown = 'yes'", "'markdown' must be true or false"),
        ("per-file-ignores = ['x']", "'per-file-ignores' must be a table"),
        ("per-file-ignores = { 'a' = 'b' }", "'per-file-ignores.a' must be a list of strings"),
        ("rules = { x = 1 }", "'rules' must hold one table per rule"),
    ],
)
def test_wrong_types_are_config_errors(tmp_path: Path, body: str, needle: str) -> None:
    write(tmp_path / "pyproject.toml", f"[tool.archlint]\n{body}\n")
    with pytest.raises(ConfigError, match=needle.replace("[", r"\[")):
        load_config(tmp_path)


def test_tool_archlint_not_a_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool]\narchlint = 3\n")
    with pytest.raises(ConfigError, match="must be a table"):
        load_config(tmp_path)


def test_explicit_pyproject_is_used_instead_of_the_nearest(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.archlint]\nfail-on = 'info'\n")
    other = write(tmp_path / "elsewhere" / "pyproject.toml", "[tool.archlint]\nfail-on='error'\n")
    cfg = load_config(tmp_path, other)
    assert cfg.fail_on == "error"
    assert cfg.source_path == other


def test_explicit_standalone_toml_is_the_table_itself(tmp_path: Path) -> None:
    f = write(tmp_path / "archlint.toml", "extend-exclude = ['gen']\n")
    assert load_config(tmp_path, f).extend_exclude == ("gen",)


def test_explicit_pyproject_without_table_warns(tmp_path: Path) -> None:
    f = write(tmp_path / "pyproject.toml", "[project]\nname='x'\n")
    cfg = load_config(tmp_path, f)
    assert cfg.exclude == DEFAULT_EXCLUDE
    assert any("no [tool.archlint]" in w for w in cfg.warnings)


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path, tmp_path / "nope.toml")


def test_non_utf8_pyproject_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.archlint]\nx = '\xff'\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(tmp_path)


def test_per_file_ignores_lookup(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        "[tool.archlint.per-file-ignores]\n"
        "'tests/**' = ['unbounded-retry']\n'*.ipynb' = ['absent-trace-logging']\n"
        "'conftest.py' = ['unbounded-retry', 'x']\n",
    )
    cfg = load_config(tmp_path)
    assert cfg.ignored_rules("tests/a/b.py") == ("unbounded-retry",)
    assert cfg.ignored_rules("notebooks/demo.ipynb") == ("absent-trace-logging",)
    assert cfg.ignored_rules("tests/conftest.py") == ("unbounded-retry", "x")
    assert cfg.ignored_rules("src/app.py") == ()
