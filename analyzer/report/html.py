"""`archlint report --format html`: one self-contained page, diagrams drawn as inline SVG.

No script, no web font, no external stylesheet or image: the file opens offline, can be
attached to a review, and prints cleanly (a print stylesheet drops the navigation, keeps
each diagram on one page where it fits and scales wide ones to the paper).
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape

from analyzer.report.markdown import OWNER_WORDS, bound_text
from analyzer.report.svg import FILL, STYLE, render_svg
from analyzer.report.traits import (
    SystemReview,
    pattern_words,
    review_systems,
    use_instead,
    where_text,
)
from analyzer.results import AnalysisResult, Finding

CSS = """
:root{--ink:#1b1f23;--muted:#57606a;--line:#d0d7de;--bad:#b3261e;--ok:#2e7d32}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif;
color:var(--ink);margin:0 auto;max-width:1180px;padding:24px 28px 64px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:21px;margin:36px 0 8px;
border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}
.sub{color:var(--muted);margin:0 0 16px}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',monospace;
background:#f3f4f6;padding:1px 4px;border-radius:4px}
table{border-collapse:collapse;margin:8px 0 12px;font-size:14px}
th,td{border:1px solid var(--line);padding:5px 9px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
h2 code{font-size:inherit;background:none;padding:0}
.bad{color:var(--bad);font-weight:600}.ok{color:var(--ok)}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:22px}
.traits{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:12px}
.trait{border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.trait h4{margin:0 0 2px;font-size:15px}.trait .v{color:var(--muted);margin:0 0 6px}
.trait ul{margin:0;padding-left:18px}.trait li{margin:3px 0}
.where{color:var(--muted);font-size:13px}
.diagram{overflow-x:auto;border:1px solid var(--line);border-radius:8px;padding:8px;
background:#fff}
.legend{display:flex;flex-wrap:wrap;gap:10px;font-size:13px;color:var(--muted);margin:6px 0}
.legend span{display:inline-flex;align-items:center;gap:5px}
.legend i{display:inline-block;width:16px;height:12px;border:1.5px solid;border-radius:3px}
.finding{border-left:4px solid var(--bad);padding:4px 12px;margin:8px 0;background:#fff8f7}
.finding.warning,.finding.info{border-color:#9a6b00;background:#fffbf0}
.finding p{margin:3px 0}
nav ul{columns:2;padding-left:18px}
@media print{
body{max-width:none;padding:0;font-size:11pt}
nav{display:none}
h2{break-before:page}h2.first{break-before:auto}
.diagram{overflow:visible;border:none;padding:0;break-inside:avoid}
.diagram svg{max-width:100%;height:auto}
.trait,.finding,table{break-inside:avoid}
a{color:inherit;text-decoration:none}
}
"""

LEGEND = (
    ("model", "model call"),
    ("tool", "tool chosen by the model"),
    ("decision", "branch or exit test"),
    ("loop", "loop head and its bound"),
    ("fork", "fan-out / join"),
    ("unit", "another unit (linked)"),
    ("end", "way out"),
)


def e(text: object) -> str:
    return escape(str(text), quote=True)


def code_spans(escaped: str) -> str:
    """`text` in rule docs (already HTML-escaped) becomes <code>text</code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


def _status(status: str, bad: tuple[str, ...]) -> str:
    cls = "bad" if status in bad else ""
    return f'<span class="{cls}">{e(status)}</span>' if cls else e(status)


def overview(result: AnalysisResult, reviews: list[SystemReview]) -> list[str]:
    systems = [r.unit for r in reviews]
    owners = Counter(u.sequence_owner for u in systems)
    patterns = Counter(u.pattern for u in systems)
    errors = sum(1 for f in result.findings if f.severity == "error")
    out = ['<h2 class="first" id="overview">Overview</h2>', '<div class="cards">']
    out.append(f'<div class="card"><b>{len(systems)}</b>system(s)</div>')
    for owner, n in sorted(owners.items()):
        out.append(f'<div class="card"><b>{n}</b>path owned by {e(OWNER_WORDS[owner])}</div>')
    out.append(
        f'<div class="card"><b class="{"bad" if errors else "ok"}">{errors}</b>'
        "error finding(s)</div></div>"
    )
    out.append("<table><tr><th>pattern</th><th>systems</th></tr>")
    out += [
        f"<tr><td>{e(p.replace('_', ' '))}</td><td>{n}</td></tr>"
        for p, n in sorted(patterns.items())
    ]
    out.append("</table>")
    important = sorted(result.findings, key=lambda f: (f.severity != "error", f.path, f.line))
    if important:
        out.append("<h3>Findings that matter</h3><ul>")
        out += [f"<li>{finding_inline(f)}</li>" for f in important[:10]]
        out.append("</ul>")
    if result.errors:
        out.append("<h3>Files that could not be read</h3><ul>")
        out += [f"<li><code>{e(x.path)}</code>: {e(x.message)}</li>" for x in result.errors]
        out.append("</ul>")
    return out


def finding_inline(f: Finding) -> str:
    return (
        f"<b>{e(f.rule)}</b> ({e(f.code)}, {e(f.severity)}) at "
        f"<code>{e(f.path)}:{f.line}</code>: {e(f.message)}"
    )


def table(reviews: list[SystemReview]) -> list[str]:
    out = [
        '<h2 id="systems">Systems</h2><table><tr><th>entry</th><th>pattern</th><th>owner</th>'
        "<th>stop condition</th><th>retries</th><th>trace</th><th>model calls</th>"
        "<th>findings</th></tr>"
    ]
    for r in reviews:
        u = r.unit
        contains = f" <small>(contains {e(', '.join(u.contains))})</small>" if u.contains else ""
        out.append(
            f'<tr><td><a href="#{r.anchor}"><code>{e(u.ref)}</code></a></td>'
            f"<td>{e(u.pattern)}{contains}</td><td>{e(u.sequence_owner)}</td>"
            f"<td>{_status(u.stop_condition.status, ('missing',))}</td>"
            f"<td>{_status(u.retries.status, ('unbounded',))}</td>"
            f"<td>{_status(u.trace_logging.status, ('absent',))}</td>"
            f"<td>{_status(bound_text(u), ('no bound',))}</td><td>{len(r.findings)}</td></tr>"
        )
    out.append("</table>")
    return out


def legend() -> str:
    items = []
    for kind, words in LEGEND:
        fill, stroke = FILL[kind]
        items.append(
            f'<span><i style="background:{fill};border-color:{stroke}"></i>{e(words)}</span>'
        )
    items.append(
        '<span><i style="border-color:#b3261e;border-width:2.5px"></i>no bound / no fallback'
        "</span><span>dashed blue arrow: next round of a loop</span>"
    )
    return '<div class="legend">' + "".join(items) + "</div>"


def system_section(r: SystemReview, idx: int, advice: dict[str, str]) -> list[str]:
    u = r.unit
    out = [f'<section id="{r.anchor}">', f"<h2><code>{e(u.ref)}</code></h2>"]
    out.append(
        f'<p class="sub">{e(pattern_words(u).capitalize())}, lines {u.line} to '
        f"{u.end_line} of <code>{e(u.path)}</code>.</p>"
    )
    out.append('<div class="traits">')
    for t in r.traits:
        out.append(f'<div class="trait"><h4>{e(t.name)}</h4><p class="v">{e(t.verdict)}</p><ul>')
        for c in t.claims:
            where = f' <span class="where">({e(where_text(c.where))})</span>' if c.where else ""
            out.append(f"<li>{e(c.text)}{where}</li>")
        out.append("</ul></div>")
    out.append("</div>")
    out.append("<h3>Every execution path</h3>")
    out.append(legend())
    out.append(f'<div class="diagram">{render_svg(r.diagram, idx=idx)}</div>')
    if r.reached:
        names = ", ".join(f"<code>{e(x.ref)}</code>" for x in r.reached[:12])
        out.append(f"<p>Units it runs: {names}.</p>")
    if r.findings:
        out.append("<h3>Findings</h3>")
        for f in r.findings:
            out.append(f'<div class="finding {e(f.severity)}"><p>{finding_inline(f)}</p>')
            if advice.get(f.rule):
                out.append(f"<p><b>Use instead:</b> {code_spans(e(advice[f.rule]))}</p>")
            out.append("</div>")
    out.append("</section>")
    return out


def render_html(result: AnalysisResult, title: str = "") -> str:
    """The full review as one HTML page; deterministic for a given analysis."""
    reviews = review_systems(result)
    advice = use_instead()
    name = "Architecture review" + (f": {title}" if title else "")
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(name)}</title>",
        f"<style>{CSS}{STYLE}</style></head><body>",
        f"<h1>{e(name)}</h1>",
        f'<p class="sub">archlint {e(result.version)}: static analysis of the code, '
        "not a test run.</p>",
    ]
    if reviews:
        out.append("<nav><ul>")
        out += [f'<li><a href="#{r.anchor}"><code>{e(r.unit.ref)}</code></a></li>' for r in reviews]
        out.append("</ul></nav>")
    out += overview(result, reviews)
    out += table(reviews)
    for i, r in enumerate(reviews):
        out += system_section(r, i, advice)
    out.append("</body></html>")
    return "\n".join(out) + "\n"
