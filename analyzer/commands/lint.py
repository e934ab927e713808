"""The lint gate: `archlint check`, `archlint rules`, `archlint rule NAME|CODE`.

`check` runs the pipeline, keeps the findings the configuration selects (and a baseline
does not cover), prints them in one of four formats, and exits like ruff: 0 when nothing
at or above `fail-on` is left, 1 when something is, 2 for usage or internal errors.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from pathlib import Path

import click

from analyzer import __version__
from analyzer.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    config_option,
    emit,
    jobs_option,
    load,
    markdown_option,
    output_option,
    paths_argument,
)

FORMATS = ("text", "json", "sarif", "github")


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select A,B --select C` -> (A, B, C)."""
    out: list[str] = []
    for v in values:
        out += [s.strip() for s in v.split(",") if s.strip()]
    return tuple(out)


def _selector_option(name: str, help_text: str):
    return click.option(name, multiple=True, metavar="RULES", help=help_text)


rules_pack_option = click.option(
    "--rules",
    "packs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Also load the rule pack in this folder (repeatable).",
)


def _fail(message: str) -> None:
    click.echo(f"archlint: {message}", err=True)
    raise SystemExit(EXIT_USAGE)


def _effective_config(config, select, extend_select, ignore, packs, fail_on):
    """The file's configuration with the command line's overrides applied (ruff's
    precedence: `--select` replaces, `--extend-select`/`--ignore` add)."""
    from analyzer.lint.engine import resolve_packs

    resolved = [str(p.resolve()) for p in resolve_packs(config, packs)]
    return dataclasses.replace(
        config,
        select=select or config.select,
        extend_select=config.extend_select + extend_select,
        ignore=config.ignore + ignore,
        rule_packs=tuple(resolved),
        source_path=config.source_path,
        fail_on=fail_on or config.fail_on,
    )


@click.command("check")
@paths_argument
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@output_option
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@_selector_option("--select", "Run only these rules (names, codes or code prefixes).")
@_selector_option("--extend-select", "Run these rules in addition to the selection.")
@_selector_option("--ignore", "Do not run these rules.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Lowest severity that fails the run (default: config, else warning).",
)
@rules_pack_option
@click.option("--statistics", is_flag=True, help="Print one count per rule instead.")
@click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Report only findings this baseline does not cover.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record every current finding in FILE and exit 0.",
)
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files.")
@click.option("--diff", is_flag=True, help="Print the safe fixes as a diff; change nothing.")
@markdown_option
@jobs_option
@config_option
def check(
    paths,
    fmt,
    output,
    exit_zero,
    select,
    extend_select,
    ignore,
    fail_on,
    packs,
    statistics,
    baseline,
    write_baseline,
    fix,
    diff,
    markdown,
    jobs,
    config_path,
):
    """Lint PATHS: report rule findings and fail the build on them."""
    from analyzer.lint.engine import SelectorError, at_or_above, configured_rules

    if fix and diff:
        raise click.UsageError("--fix and --diff cannot be combined")
    project = load(paths, markdown, jobs, config_path)
    for w in project.config.warnings:
        warn(w)
    try:
        config = _effective_config(
            project.config,
            _split(select),
            _split(extend_select),
            _split(ignore),
            packs,
            fail_on,
        )
        project = dataclasses.replace(project, config=config)
        rules, _loaded = configured_rules(project)
    except SelectorError as exc:
        _fail(str(exc))
    try:
        result = _analyze(project)
    except Exception as exc:  # an internal error must not look like findings
        from analyzer.commands.internal_error import report

        report(exc)  # one line and a hint, never a huge dump
        raise SystemExit(EXIT_USAGE) from None
    findings = list(result.findings)
    for w in result.warnings:
        warn(w)

    if write_baseline is not None:
        from analyzer.lint.baseline import BaselineError
        from analyzer.lint.baseline import write_baseline as write

        try:
            n = write(write_baseline, findings)
        except BaselineError as exc:
            _fail(str(exc))
        click.echo(f"archlint: wrote {n} finding(s) to {write_baseline}", err=True)
        raise SystemExit(EXIT_OK)
    notes: list[str] = []
    apart = sum(1 for u in result.units if u.is_test and not u.is_system)
    if apart:
        notes.append(
            f"{apart} unit(s) in test files were not checked (`include-tests = true` in "
            "[tool.archlint] checks them)."
        )
    if baseline is not None:
        from analyzer.lint.baseline import BaselineError, apply_baseline, read_baseline

        try:
            findings, covered = apply_baseline(findings, read_baseline(baseline))
        except BaselineError as exc:
            _fail(str(exc))
        if covered:
            notes.append(f"{covered} finding(s) covered by the baseline {baseline}.")

    if fix or diff:
        changed, fixed = _apply_fixes(project, rules, findings, write=fix)
        if not changed:
            click.echo(f"archlint: nothing to fix ({FIXABLE_NOTE})", err=True)
        if diff:
            emit("".join(changed.values()), output)
            raise SystemExit(EXIT_FINDINGS if changed and not exit_zero else EXIT_OK)
        findings = [f for f in findings if (f.path, f.line) not in fixed]
        if fixed:
            notes.append(f"Fixed {len(fixed)} finding(s).")

    root = project.root
    if fmt in ("sarif", "github"):  # annotations must name files from the repository root
        findings = [dataclasses.replace(f, path=cwd_relative(root, f.path)) for f in findings]
        root = Path.cwd()
    if fmt == "json":
        from analyzer.report.json_report import render_json

        text = render_json(dataclasses.replace(result, findings=tuple(findings)))
    elif fmt == "sarif":
        from analyzer.report.sarif import render_sarif

        text = render_sarif(findings, rules, version=__version__, root=root)
    elif fmt == "github":
        from analyzer.report.github import render_github

        text = render_github(findings)
    else:
        from analyzer.report.findings_text import render_findings_text

        text = render_findings_text(
            findings,
            root=root,
            errors=_errors_not_reported(result.errors, findings),
            show_statistics=statistics,
            notes=notes,
        )
    if text or output is not None:
        emit(text, output)
    failing = at_or_above(findings, project.config.fail_on)
    raise SystemExit(EXIT_FINDINGS if failing and not exit_zero else EXIT_OK)


def warn(message: str) -> None:
    click.echo(f"archlint: warning: {message}", err=True)


def cwd_relative(root: Path | str, path: str) -> str:
    """A finding's path as seen from the working directory (ruff's convention for GitHub
    annotations and SARIF), or absolute when the file lies outside it."""
    absolute = (Path(root) / path).resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


def _errors_not_reported(errors, findings):
    """Input errors not already shown as `input-error` findings (the rule deselected)."""
    shown = {(f.path, f.cell, f.line) for f in findings if f.rule == "input-error"}
    return [e for e in errors if (e.path, e.cell, max(e.line or 1, 1)) not in shown]


# What `--fix` can rewrite (README: "Which rules --fix fixes").
FIXABLE_NOTE = (
    "--fix rewrites only unbounded-retry (AL102) findings in .py files: tenacity "
    "`@retry` without `stop=` gets `stop=stop_after_attempt(n)`, backoff decorators "
    "without a limit get `max_tries=n`"
)


def _analyze(project):
    from analyzer.analysis import analyze_project

    return analyze_project(project)


def _apply_fixes(project, rules, findings, *, write: bool):
    """Fix unbounded-retry findings in place (or not): ({path: diff}, {(path, line)})."""
    from analyzer.lint.fix import fix_source, read_python, unified_diff, write_python

    options = getattr(project.config, "rule_options", {}) or {}
    opts = {str(k).replace("_", "-"): v for k, v in options.get("unbounded-retry", {}).items()}
    attempts = int(opts.get("fix-attempts", 3))
    max_tries = int(opts.get("fix-max-tries", 5))
    lines: dict[str, set[int]] = defaultdict(set)
    for f in findings:
        if f.rule == "unbounded-retry" and f.cell is None and f.path.endswith(".py"):
            lines[f.path].add(f.line)
    diffs: dict[str, str] = {}
    fixed: set[tuple[str, int]] = set()
    for path, wanted in sorted(lines.items()):
        target = Path(project.root) / path
        original = read_python(target)  # in its own encoding (PEP 263), newlines kept
        if original is None:
            continue
        before = original.text
        res = fix_source(before, wanted, attempts=attempts, max_tries=max_tries)
        if not res.fixed:
            continue
        if write and not write_python(target, res.source, original.encoding):
            continue
        diffs[path] = unified_diff(path, before, res.source)
        fixed |= {(path, ln) for ln in wanted}
    return diffs, fixed


def _all_rules(packs, config_path):
    from analyzer.lint.config import ConfigError, load_config
    from analyzer.lint.engine import SelectorError, load_rules, resolve_packs

    try:
        config = load_config(Path.cwd(), config_path)
        return load_rules(resolve_packs(config, packs))
    except (ConfigError, SelectorError) as exc:
        _fail(str(exc))
        raise  # unreachable


@click.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@rules_pack_option
@config_option
def rules_cmd(fmt, packs, config_path):
    """List every rule: code, name, default severity and summary."""
    rules = _all_rules(packs, config_path)
    if fmt == "json":
        data = [
            {"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary}
            for r in rules
        ]
        click.echo(json.dumps(data, indent=2))
        return
    width = max((len(r.name) for r in rules), default=4)
    for r in rules:
        click.echo(f"{r.code}  {r.name:<{width}}  {r.severity:<7}  {r.summary}")


@click.command("rule")
@click.argument("name")
@rules_pack_option
@config_option
def rule_cmd(name, packs, config_path):
    """Print the documentation of one rule, by name or code."""
    for r in _all_rules(packs, config_path):
        if name in (r.name, r.code) or name.upper() == r.code:
            click.echo(f"# {r.name} ({r.code})\n")
            click.echo(f"Default severity: {r.severity}. {r.summary}.")
            if r.default_options:
                opts = ", ".join(f"{k} = {v!r}" for k, v in r.default_options.items())
                click.echo(f"Options ([tool.archlint.rules.{r.name}]): {opts}")
            click.echo(r.docs.rstrip())
            return
    _fail(f"no rule named '{name}'; `archlint rules` lists them")


COMMANDS = [check, rules_cmd, rule_cmd]
