"""Helpers for the lint-gate tests: small projects on disk and the CLI in-process."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

RETRY = """\
import anthropic
from tenacity import retry, wait_exponential

client = anthropic.Anthropic(max_retries=0)


@retry(wait=wait_exponential())
def ask(prompt):
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": prompt}])
"""

CLEAN = """\
import logging
import anthropic

log = logging.getLogger(__name__)
client = anthropic.Anthropic(max_retries=0)


def answer(question):
    log.info("asking: %s", question)
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": question}])
"""

UNTRACED = """\
import anthropic

client = anthropic.Anthropic(max_retries=0)


def answer(question):
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": question}])
"""


def write_project(root: Path, files: dict[str, str]) -> Path:
    for name, code in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(code), encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path):
    def make(files: dict[str, str]) -> Path:
        return write_project(tmp_path / "proj", files)

    return make


@pytest.fixture
def archlint():
    from analyzer.cli import main

    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run
