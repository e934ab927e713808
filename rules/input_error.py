"""AL001 input-error: a file that could not be read or parsed is a finding, not a note."""

from __future__ import annotations

from analyzer.lint.engine import Example, Rule
from analyzer.results import Finding


class InputError(Rule):
    name = "input-error"
    code = "AL001"
    severity = "error"
    summary = "A file could not be read or parsed, so it was not analysed"
    docs = """
## What it does
Reports every file archlint could not read (missing, unreadable, not UTF-8, a notebook
that is not valid JSON) or could not parse (a syntax error: only the broken statement is
left out, the rest of the file is still analysed), at the line of the problem when known.

## Why it matters
A lint gate that passes because it could not read the code gives false reassurance: the
systems in that file were never checked. Reporting the file as a finding makes the run
fail like any other finding, so the gap is seen and fixed.

## Example
```python
def agent(messages):
    while True
        reply = client.messages.create(model=MODEL, max_tokens=512, messages=messages)
```

## Use instead
Fix the file so it parses with the Python version the project uses, or exclude it
(`extend-exclude = ["path/to/generated"]` in `[tool.archlint]`). To accept the gap
knowingly, ignore the rule for that path (`per-file-ignores = { "legacy/*" = ["AL001"] }`)
or everywhere (`ignore = ["input-error"]`).
"""

    VALID = (
        Example(
            """\
import litellm


def ask(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}])
"""
        ),
    )
    INVALID = (
        Example(
            """\
import litellm


def ask(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}])


def broken(:  # expect: input-error
    pass
"""
        ),
    )

    def check(self, ctx):
        for e in getattr(ctx.project, "errors", ()):
            yield Finding(
                rule=self.name,
                code=self.code,
                severity=self.severity,
                path=e.path,
                line=max(e.line or 1, 1),
                col=0,
                message=f"not analysed: {e.message}",
                unit=None,
                cell=e.cell,
            )
