"""File discovery on real trees: skip rules, gitignore, config excludes, symlinks, order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analyzer.frontend.discover import FileRef, analysis_root, discover
from analyzer.frontend.gitignore import glob_matches, glob_to_regex, is_ignored, parse_ignore_file
from analyzer.lint.config import Config


def touch(root: Path, *relpaths: str, text: str = "x = 1\n") -> None:
    for rel in relpaths:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def rels(root: Path, *paths: Path, **kwargs) -> list[str]:
    kwargs.setdefault("config", Config())
    found = discover(list(paths) or [root], **kwargs)
    return [f.relpath for f in found.files]


# --------------------------------------------------------------------------- basics


def test_reads_py_and_ipynb_not_pyi_or_others(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "b.pyi", "c.ipynb", "d.txt", "e.md", "pkg/__init__.py", "pkg/f.PY")
    assert rels(tmp_path) == ["a.py", "c.ipynb", "pkg/__init__.py", "pkg/f.PY"]


def test_sorted_by_relpath_and_deterministic(tmp_path: Path) -> None:
    touch(tmp_path, "z.py", "a/z.py", "a/b.py", "a_b.py", "A.py", "a/b/c.py")
    first = rels(tmp_path)
    assert first == sorted(first)
    assert first == ["A.py", "a/b.py", "a/b/c.py", "a/z.py", "a_b.py", "z.py"]
    assert rels(tmp_path) == first


def test_fileref_paths(tmp_path: Path) -> None:
    touch(tmp_path, "pkg/m.py")
    found = discover([tmp_path], config=Config())
    assert found.root == tmp_path
    assert found.files == (FileRef(tmp_path / "pkg" / "m.py", "pkg/m.py"),)
    assert found.errors == ()


@pytest.mark.parametrize(
    "skipped",
    [
        ".git/hooks/x.py",
        ".hg/x.py",
        "node_modules/pkg/x.py",
        "build/lib/x.py",
        "dist/x.py",
        "__pycache__/x.py",
        ".mypy_cache/x.py",
        ".pytest_cache/x.py",
        ".ruff_cache/x.py",
        ".tox/py311/x.py",
        ".nox/x.py",
        ".eggs/x.py",
        "mypkg.egg-info/x.py",
        "nb/.ipynb_checkpoints/x-checkpoint.ipynb",
        "sub/dir/node_modules/x.py",
    ],
)
def test_default_skips(tmp_path: Path, skipped: str) -> None:
    touch(tmp_path, "keep.py", skipped)
    assert rels(tmp_path) == ["keep.py"]


def test_virtualenvs_are_skipped_by_content(tmp_path: Path) -> None:
    touch(tmp_path, "keep.py")
    touch(tmp_path, "anyname/pyvenv.cfg", "anyname/lib/python3.11/site-packages/m.py")
    touch(tmp_path, ".venv/lib/python3.11/site-packages/m.py")  # no pyvenv.cfg
    touch(tmp_path, "venv/Lib/site-packages/m.py")
    touch(tmp_path, "env/site-packages/m.py")
    touch(tmp_path, "conda/conda-meta/history", "conda/m.py")
    # a source folder that happens to be called env is not a virtualenv
    touch(tmp_path, "app/env/settings.py")
    assert rels(tmp_path) == ["app/env/settings.py", "keep.py"]


def test_exclude_replaces_defaults_extend_exclude_adds(tmp_path: Path) -> None:
    touch(tmp_path, "build/x.py", "gen/y.py", "keep.py", "pyvenv/pyvenv.cfg", "pyvenv/z.py")
    touch(tmp_path, ".git/x.py")
    assert rels(tmp_path, config=Config(exclude=("gen",))) == ["build/x.py", "keep.py"]
    assert rels(tmp_path, config=Config(extend_exclude=("gen",))) == ["keep.py"]


def test_exclude_patterns_match_names_and_relative_paths(tmp_path: Path) -> None:
    touch(tmp_path, "a/test_x.py", "a/x.py", "b/sub/gen.py", "b/gen.py", "c/deep/d/e.py")
    cfg = Config(extend_exclude=("test_*.py", "b/sub", "c/**/e.py"))
    assert rels(tmp_path, config=cfg) == ["a/x.py", "b/gen.py"]
    # `*` stays within one folder
    cfg = Config(extend_exclude=("c/*.py",))
    assert "c/deep/d/e.py" in rels(tmp_path, config=cfg)


def test_exclude_from_pyproject_found_above_the_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.archlint]\nextend-exclude = ['src/generated', 'legacy_*.py']\n"
    )
    touch(tmp_path, "src/app.py", "src/generated/g.py", "src/legacy_a.py", "src/pkg/build.py")
    found = discover([tmp_path / "src"])  # config loaded from the root, not passed
    assert found.root == tmp_path / "src"
    assert found.config.source_path == tmp_path / "pyproject.toml"
    assert [f.relpath for f in found.files] == ["app.py", "pkg/build.py"]


# --------------------------------------------------------------------------- gitignore


def test_gitignore_basic_forms(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text(
        "# comment\n\n*_gen.py\n/top.py\nlogs/\nout/**/x.py\n\\#hash.py\n"
    )
    touch(tmp_path, "a_gen.py", "sub/b_gen.py", "top.py", "sub/top.py", "logs/l.py")
    touch(tmp_path, "logs.py", "out/x.py", "out/a/b/x.py", "out/y.py", "#hash.py", "keep.py")
    assert rels(tmp_path) == ["keep.py", "logs.py", "out/y.py", "sub/top.py"]


def test_gitignore_dir_only_pattern_does_not_match_files(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("helpers.py/\ndata/\n")
    touch(tmp_path, "helpers.py", "pkg/helpers.py", "odd/helpers.py/x.py", "data/x.py", "data.py")
    assert rels(tmp_path) == ["data.py", "helpers.py", "pkg/helpers.py"]


def test_gitignore_negation(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n!keep*.py\nkeep_not.py\n")
    touch(tmp_path, "a.py", "keep1.py", "sub/keep2.py", "keep_not.py", "nb.ipynb")
    assert rels(tmp_path) == ["keep1.py", "nb.ipynb", "sub/keep2.py"]


def test_gitignore_cannot_reinclude_inside_an_ignored_folder(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("vendor/\n!vendor/keep.py\nlib/*\n!lib/keep.py\n")
    touch(tmp_path, "vendor/keep.py", "lib/keep.py", "lib/drop.py")
    assert rels(tmp_path) == ["lib/keep.py"]


def test_nested_gitignore_applies_to_its_subtree_and_overrides(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("secret*.py\n")
    (tmp_path / "a" / ".gitignore").parent.mkdir()
    (tmp_path / "a" / ".gitignore").write_text("!secret_ok.py\n/local.py\n")
    touch(tmp_path, "secret_ok.py", "a/secret_ok.py", "a/secret_no.py", "a/local.py")
    touch(tmp_path, "a/b/local.py", "local.py", "b/secret_ok.py")
    assert rels(tmp_path) == ["a/b/local.py", "a/secret_ok.py", "local.py"]


def test_gitignore_above_the_root_applies_up_to_the_repo_top(tmp_path: Path) -> None:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("excluded_by_info.py\n")
    (tmp_path / ".gitignore").write_text("src/skip/\n*.tmp.py\n")
    touch(tmp_path, "src/a.py", "src/skip/b.py", "src/c.tmp.py", "src/excluded_by_info.py")
    assert rels(tmp_path, tmp_path / "src") == ["a.py"]


def test_gitignore_above_repo_top_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    touch(repo, "a.py")
    assert rels(repo) == ["a.py"]


def test_respect_gitignore_false(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n")
    touch(tmp_path, "a.py")
    assert rels(tmp_path) == []
    assert rels(tmp_path, config=Config(respect_gitignore=False)) == ["a.py"]


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "ignored"),
    [
        ("foo", "foo", False, True),
        ("foo", "a/b/foo", True, True),
        ("foo/", "a/foo", False, False),
        ("foo/", "a/foo", True, True),
        ("/foo", "a/foo", False, False),
        ("a/foo", "a/foo", False, True),
        ("a/foo", "x/a/foo", False, False),
        ("**/foo", "x/y/foo", False, True),
        ("a/**/b", "a/b", False, True),
        ("a/**/b", "a/x/y/b", False, True),
        ("a/**", "a/x/y", False, True),
        ("a/**", "a", True, False),
        ("*.py[co]", "x.pyc", False, True),
        ("*.py[!co]", "x.pyd", False, True),
        ("*.py[!co]", "x.pyc", False, False),
        ("?.py", "ab.py", False, False),
        ("?.py", "a.py", False, True),
        ("a*b", "a/b", False, False),
        ("trailing   ", "trailing", False, True),
        ("esc\\ ", "esc ", False, True),
        ("\\!bang", "!bang", False, True),
        ("[unclosed", "[unclosed", False, True),
    ],
)
def test_gitignore_pattern_semantics(pattern: str, path: str, is_dir: bool, ignored: bool) -> None:
    stack = (parse_ignore_file(pattern, "/r"),)
    assert is_ignored(stack, "/r/" + path, is_dir) is ignored


def test_glob_helpers() -> None:
    assert glob_to_regex("**/x") == "(?:.*/)?x"
    assert glob_matches("fixtures", "a/b/fixtures")
    assert glob_matches("./src/gen", "src/gen")
    assert glob_matches("/src/gen/", "src/gen")
    assert not glob_matches("src/gen", "x/src/gen")
    assert not glob_matches("", "x")


# --------------------------------------------------------------------------- explicit paths


def test_explicit_file_is_analysed_even_if_excluded_or_ignored(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("ignored.py\n")
    touch(tmp_path, "build/gen.py", "ignored.py", "other.py")
    found = discover([tmp_path / "build" / "gen.py"], config=Config())
    assert found.root == tmp_path / "build"
    assert [f.relpath for f in found.files] == ["gen.py"]
    assert rels(tmp_path, tmp_path / "ignored.py") == ["ignored.py"]


def test_several_paths_share_their_common_parent(tmp_path: Path) -> None:
    touch(tmp_path, "a/x.py", "b/c/y.py", "b/c/z.py", "b/other.py")
    found = discover([tmp_path / "b" / "c", tmp_path / "a" / "x.py"], config=Config())
    assert found.root == tmp_path
    assert [f.relpath for f in found.files] == ["a/x.py", "b/c/y.py", "b/c/z.py"]


def test_overlapping_paths_give_each_file_once(tmp_path: Path) -> None:
    touch(tmp_path, "a/x.py", "a/b/y.py")
    paths = [tmp_path / "a" / "b", tmp_path / "a", tmp_path / "a" / "x.py"]
    assert rels(tmp_path, *paths) == ["b/y.py", "x.py"]


def test_explicit_root_folder_is_walked_even_if_its_name_is_excluded(tmp_path: Path) -> None:
    touch(tmp_path, "build/x.py", "build/dist/y.py")
    found = discover([tmp_path / "build"], config=Config())
    assert [f.relpath for f in found.files] == ["x.py"]


def test_analysis_root() -> None:
    here = Path(__file__).resolve()
    assert analysis_root([here]) == here.parent
    assert analysis_root([here.parent]) == here.parent
    assert analysis_root([here, here.parent.parent / "analyzer"]) == here.parent.parent


def test_missing_and_unsupported_explicit_paths_are_diagnostics(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "notes.txt", "stub.pyi")
    found = discover(
        [tmp_path / "a.py", tmp_path / "missing.py", tmp_path / "notes.txt", tmp_path / "stub.pyi"],
        config=Config(),
    )
    assert [f.relpath for f in found.files] == ["a.py"]
    assert [(d.path, d.message) for d in found.errors] == [
        ("missing.py", "no such file or folder"),
        ("notes.txt", "skipped: not a .py, .ipynb or .md file"),
        ("stub.pyi", "skipped: not a .py, .ipynb or .md file"),
    ]


# --------------------------------------------------------------------------- markdown


def test_markdown_only_when_asked_or_named(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "docs/guide.md", "README.markdown")
    assert rels(tmp_path) == ["a.py"]
    assert rels(tmp_path, markdown=True) == ["README.markdown", "a.py", "docs/guide.md"]
    assert rels(tmp_path, config=Config(markdown=True)) == [
        "README.markdown",
        "a.py",
        "docs/guide.md",
    ]
    # named on the command line: analysed without the flag
    assert rels(tmp_path, tmp_path / "docs" / "guide.md", tmp_path / "a.py") == [
        "a.py",
        "docs/guide.md",
    ]


# --------------------------------------------------------------------------- symlinks

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")


@needs_symlinks
def test_symlink_loop_terminates(tmp_path: Path) -> None:
    touch(tmp_path, "a/x.py")
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a" / "self")  # a link to itself
    (tmp_path / "ring1").symlink_to(tmp_path / "ring2")
    (tmp_path / "ring2").symlink_to(tmp_path / "ring1")
    found = discover([tmp_path], config=Config())
    assert [f.relpath for f in found.files] == ["a/x.py"]


@needs_symlinks
def test_symlinks_out_of_the_root_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    touch(outside, "secret.py", "pkg/mod.py")
    root = tmp_path / "root"
    touch(root, "a.py")
    (root / "linked_dir").symlink_to(outside / "pkg", target_is_directory=True)
    (root / "linked_file.py").symlink_to(outside / "secret.py")
    (root / "up").symlink_to(tmp_path, target_is_directory=True)
    assert rels(root) == ["a.py"]


@needs_symlinks
def test_symlinks_inside_the_root_do_not_duplicate_files(tmp_path: Path) -> None:
    touch(tmp_path, "real/m.py", "real/sub/n.py", "hidden/h.py", "build/b.py")
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "also.py").symlink_to(tmp_path / "real" / "m.py")
    (tmp_path / "to_build").symlink_to(tmp_path / "build", target_is_directory=True)
    (tmp_path / "hidden_link.py").symlink_to(tmp_path / "hidden" / "h.py")
    (tmp_path / ".gitignore").write_text("hidden/\n")
    # real files are reported once under their own path; a link into an excluded or
    # ignored folder is analysed under the link's path (nothing else reaches it)
    assert rels(tmp_path) == ["hidden_link.py", "real/m.py", "real/sub/n.py", "to_build/b.py"]


@needs_symlinks
def test_dangling_symlink_is_ignored_in_walks_and_reported_when_named(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    (tmp_path / "gone.py").symlink_to(tmp_path / "nowhere.py")
    found = discover([tmp_path], config=Config())
    assert [f.relpath for f in found.files] == ["a.py"]
    assert found.errors == ()
    found = discover([tmp_path / "a.py", tmp_path / "gone.py"], config=Config())
    assert [d.message for d in found.errors] == ["broken symlink"]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads all")
def test_unreadable_folder_is_a_diagnostic(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "locked/b.py")
    (tmp_path / "locked").chmod(0)
    try:
        found = discover([tmp_path], config=Config())
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert [f.relpath for f in found.files] == ["a.py"]
    assert [d.path for d in found.errors] == ["locked"]


def test_fifo_in_tree_is_skipped(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no fifos")
    touch(tmp_path, "a.py")
    os.mkfifo(tmp_path / "pipe.py")
    assert rels(tmp_path) == ["a.py"]
