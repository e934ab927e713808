"""AL900 unknown-suppression."""

from __future__ import annotations

from analyzer.lint.engine import CODE_PREFIX, Example, Rule, suppressions_of
from analyzer.results import Finding


class UnknownSuppression(Rule):
    name = "unknown-suppression"
    code = "AL900"
    severity = "warning"
    summary = "A suppression comment names a rule that does not exist"
    docs = """
## What it does
Reports `# archlint: ignore[...]` and `# archlint: ignore-file[...]` comments that name a
rule no loaded pack defines (by name, code or code prefix).

## Why it matters
A misspelt suppression suppresses nothing, so the finding it was meant to silence still
fails the build, or, worse, a later rename leaves a stale comment that looks like a
reviewed decision. Reporting it keeps suppressions honest.

## Example
```python
@retry(wait=wait_exponential())  # archlint: ignore[unbounded-retires]
def ask(prompt): ...
```

## Use instead
Spell the rule as `archlint rules` lists it (`unbounded-retry` or `AL102`), or remove the
comment.

## References
- ruff's `RUF100` (unused `noqa`)
"""

    VALID = (
        Example(
            """\
import litellm


def ask(q):  # archlint: ignore[absent-trace-logging]
    return litellm.completion(model="m", messages=[{"role": "user", "content": q}])
"""
        ),
        Example(
            """\
# archlint: ignore-file[AL103, AL1]
import litellm


def ask(q):
    return litellm.completion(model="m", messages=[{"role": "user", "content": q}])
"""
        ),
    )
    INVALID = (
        Example(
            """\
import litellm


def ask(q):  # archlint: ignore[absent-trace-loging]  # expect: unknown-suppression
    return litellm.completion(model="m", messages=[{"role": "user", "content": q}])
"""
        ),
        Example(
            """\
# archlint: ignore-file[AL999]  # expect: unknown-suppression
import litellm


def ask(q):
    return litellm.completion(model="m", messages=[{"role": "user", "content": q}])
"""
        ),
    )

    def check(self, ctx):
        known = ctx.known_rules
        for m in getattr(ctx.project, "modules", ()):
            for s in suppressions_of(m):
                for n in s.names or ():
                    if n in known or n == "ALL":
                        continue
                    if CODE_PREFIX.fullmatch(n) and any(k.startswith(n) for k in known):
                        continue
                    kind = "ignore-file" if s.file_level else "ignore"
                    yield Finding(
                        rule=self.name,
                        code=self.code,
                        severity=self.severity,
                        path=s.path,
                        line=s.line,
                        col=0,
                        message=f"'# archlint: {kind}[{n}]' names no known rule; "
                        "`archlint rules` lists them",
                        unit=None,
                        cell=s.cell,
                    )
