"""The facts and results cache: warm runs give the cold run's output, and the cache is safe
(corrupt, truncated or foreign entries are rebuilt; concurrent runs do not corrupt it)."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from analyzer.analysis import analyze_project
from analyzer.frontend.parse import FactsCache, parse_docs
from analyzer.frontend.project import load_project
from analyzer.frontend.sources import load_source
from analyzer.report import render_json

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "fixtures" / "patterns" / "routing"


def _json(path: Path, cache: Path | None, **kw) -> str:
    project = load_project([path], jobs=1, cache_dir=cache, quiet=True, **kw)
    return render_json(analyze_project(project))


def _copy(tmp_path: Path) -> Path:
    dest = tmp_path / "proj"
    shutil.copytree(PROJECT, dest)
    return dest


def test_warm_run_gives_the_cold_output(tmp_path):
    proj = _copy(tmp_path)
    cold = _json(proj, None)
    cache = tmp_path / "cache"
    assert _json(proj, cache) == cold  # fills the cache
    assert list((cache / "results").glob("*.pickle"))
    assert _json(proj, cache) == cold  # served from it


def test_a_changed_file_is_reanalysed(tmp_path):
    proj = _copy(tmp_path)
    cache = tmp_path / "cache"
    _json(proj, cache)
    target = sorted(proj.rglob("*.py"))[0]
    target.write_text(target.read_text() + "\n\ndef added_later():\n    return 1\n")
    assert _json(proj, cache) == _json(proj, None)


def _entries(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*.pickle")]


def test_corrupt_truncated_and_foreign_entries_are_ignored_and_rebuilt(tmp_path):
    proj = _copy(tmp_path)
    cold = _json(proj, None)
    cache = tmp_path / "cache"
    _json(proj, cache)
    entries = _entries(cache)
    assert len(entries) > 2
    for i, entry in enumerate(entries):
        if i % 3 == 0:
            entry.write_bytes(b"\x80\x05garbage")
        elif i % 3 == 1:
            entry.write_bytes(entry.read_bytes()[:10])
        else:  # a valid pickle of something else (another version's layout)
            entry.write_bytes(pickle.dumps({"version": "0.0.0", "facts": None}))
    assert _json(proj, cache) == cold
    assert _json(proj, cache) == cold  # and the rebuilt entries are good


def test_an_entry_for_another_file_is_not_used(tmp_path):
    proj = _copy(tmp_path)
    docs = [load_source(p, p.relative_to(proj).as_posix()) for p in sorted(proj.rglob("*.py"))]
    cache = FactsCache(tmp_path / "cache")
    facts = parse_docs(docs, cache=cache)
    # swap two entries on disk: neither may be served for the other's doc
    a, b = cache._file(docs[0]), cache._file(docs[1])
    da, db = a.read_bytes(), b.read_bytes()
    a.write_bytes(db)
    b.write_bytes(da)
    assert cache.get(docs[0]) is None and cache.get(docs[1]) is None
    assert parse_docs(docs, cache=cache) == facts


def test_concurrent_runs_share_one_cache(tmp_path):
    proj = _copy(tmp_path)
    cold = _json(proj, None)
    cache = tmp_path / "cache"
    with ThreadPoolExecutor(4) as pool:  # threads in one process
        outs = list(pool.map(lambda _: _json(proj, cache), range(4)))
    assert outs == [cold] * 4
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[3]);"
        "from tests.test_cache import _json;"
        "sys.stdout.write(_json(Path(sys.argv[1]), Path(sys.argv[2])))"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(proj), str(cache), str(ROOT)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    assert [p.communicate()[0] for p in procs] == [cold] * 3
    assert not list(cache.rglob("*.part"))  # no temporary file left behind
    assert _json(proj, cache) == cold


def test_parse_maps_over_any_executor(tmp_path):
    proj = _copy(tmp_path)
    docs = [load_source(p, p.relative_to(proj).as_posix()) for p in sorted(proj.rglob("*.py"))]
    with ThreadPoolExecutor(2) as pool:
        assert parse_docs(docs, executor=pool) == parse_docs(docs, jobs=1)
