"""`archlint report --format html`: one self-contained page, diagrams drawn as inline SVG.

No script, no web font, no external stylesheet or image: the file opens offline, can be
attached to a review, and prints cleanly (a print stylesheet drops the navigation, keeps
each diagram on one page where it fits and scales wide ones to the paper).

It scales to projects with hundreds of systems: a summary comes first (the riskiest
systems and why, counts by pattern and by rule), the table of contents wraps in columns
and folds when long, sections are ranked riskiest first and folded (<details>) beyond the
first few, only the riskiest systems get a diagram, and tables and diagrams either fit the
page or scroll inside their own box, so nothing is wider than the page.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape

from analyzer.report.markdown import OWNER_WORDS, bound_text
from analyzer.report.summary import (
    FULL_SYSTEMS,
    counts_by_pattern,
    counts_by_rule,
    ranked,
    risk_of,
)
from analyzer.report.svg import FILL, STYLE, render_svg
from analyzer.report.traits import (
    SystemReview,
    pattern_words,
    review_systems,
    use_instead,
    where_text,
)
from analyzer.report.where import location, unit_label, unit_place
from analyzer.results import AnalysisResult, Finding

RISKIEST = 10  # systems in the summary's table
TOC_OPEN = 30  # a longer table of contents starts folded
SECTIONS_OPEN = 10  # sections shown unfolded
PAGE_WIDTH = 1124  # the body's content width in px
FIT_FACTOR = 1.6  # diagrams up to this many page widths are scaled to fit

CSS = """
:root{--ink:#1b1f23;--muted:#57606a;--line:#d0d7de;--bad:#b3261e;--ok:#2e7d32}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif;
color:var(--ink);margin:0 auto;max-width:1180px;padding:24px 28px 64px;
overflow-wrap:break-word}
h1{font-size:26px;margin:0 0 4px}h2{font-size:21px;margin:36px 0 8px;
border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}
.sub{color:var(--muted);margin:0 0 16px}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',monospace;
background:#f3f4f6;padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
.scroll{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;margin:8px 0 12px;font-size:14px;max-width:100%}
th,td{border:1px solid var(--line);padding:5px 9px;text-align:left;vertical-align:top}
td.entry{min-width:14em;max-width:30em}td.entry .where{display:block}
th{background:#f6f8fa}
h2 code{font-size:inherit;background:none;padding:0}
.bad{color:var(--bad);font-weight:600}.ok{color:var(--ok)}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:22px}
.cols{display:flex;flex-wrap:wrap;gap:0 32px}
.traits{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}
.trait{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:0}
.trait h4{margin:0 0 2px;font-size:15px}.trait .v{color:var(--muted);margin:0 0 6px}
.trait ul{margin:0;padding-left:18px}.trait li{margin:3px 0}
.where{color:var(--muted);font-size:13px}
.diagram{overflow:auto;max-width:100%;max-height:85vh;border:1px solid var(--line);
border-radius:8px;padding:8px;background:#fff}
.legend{display:flex;flex-wrap:wrap;gap:10px;font-size:13px;color:var(--muted);margin:6px 0}
.legend span{display:inline-flex;align-items:center;gap:5px}
.legend i{display:inline-block;width:16px;height:12px;border:1.5px solid;border-radius:3px}
.finding{border-left:4px solid var(--bad);padding:4px 12px;margin:8px 0;background:#fff8f7}
.finding.warning,.finding.info{border-color:#9a6b00;background:#fffbf0}
.finding p{margin:3px 0}
details.sys{border-top:1px solid var(--line);margin:0}
details.sys>summary{cursor:pointer;padding:8px 0;list-style-position:outside}
details.sys>summary h2{display:inline;border:none;font-size:19px;margin:0}
details.sys>summary .where{margin-left:8px}
nav.toc{margin:16px 0}
nav.toc ol{columns:22em;column-gap:32px;padding-left:28px;margin:6px 0}
nav.toc li{break-inside:avoid;margin:2px 0;font-size:14px}
@media print{
body{max-width:none;padding:0;font-size:11pt}
nav{display:none}
section.system{break-before:page}
.diagram{overflow:visible;max-height:none;border:none;padding:0;break-inside:avoid}
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


def summary(result: AnalysisResult, reviews: list[SystemReview]) -> list[str]:
    """The page's first screen: counts, the riskiest systems, counts by pattern and rule."""
    systems = [r.unit for r in reviews]
    owners = Counter(u.sequence_owner for u in systems)
    errors = sum(1 for f in result.findings if f.severity == "error")
    warnings = len(result.findings) - errors
    apart = sum(1 for u in result.units if u.is_test and not u.is_system)
    out = ['<section id="summary"><h2 class="first">Summary</h2>', '<div class="cards">']
    out.append(f'<div class="card"><b>{len(systems)}</b>system(s)</div>')
    for owner, n in sorted(owners.items()):
        out.append(f'<div class="card"><b>{n}</b>path owned by {e(OWNER_WORDS[owner])}</div>')
    out.append(
        f'<div class="card"><b class="{"bad" if errors else "ok"}">{errors}</b>'
        f'error finding(s)</div><div class="card"><b>{warnings}</b>other finding(s)</div>'
    )
    if apart:
        out.append(f'<div class="card"><b>{apart}</b>unit(s) in test files, apart</div>')
    out.append("</div>")
    out += [f'<p class="bad">Warning: {e(w)}</p>' for w in result.warnings]
    if reviews:
        top = reviews[:RISKIEST]
        out.append(f"<h3>Riskiest systems (top {len(top)} of {len(reviews)})</h3>")
        out.append('<div class="scroll"><table><tr><th>#</th><th>system</th><th>pattern</th>')
        out.append("<th>why</th></tr>")
        for i, r in enumerate(top, 1):
            risk = risk_of(r.unit, r.findings)
            out.append(
                f'<tr><td>{i}</td><td class="entry">{entry_cell(r)}</td>'
                f"<td>{e(r.unit.pattern)}</td><td>{e(risk.reasons())}</td></tr>"
            )
        out.append("</table></div>")
    out.append('<div class="cols"><div>')
    out.append("<h3>Systems by pattern</h3><table><tr><th>pattern</th><th>systems</th></tr>")
    out += [
        f"<tr><td>{e(p.replace('_', ' '))}</td><td>{n}</td></tr>"
        for p, n in counts_by_pattern(systems)
    ]
    out.append("</table></div>")
    rules = counts_by_rule(result.findings)
    if rules:
        out.append("<div><h3>Findings by rule</h3><table><tr><th>rule</th><th>severity</th>")
        out.append("<th>findings</th></tr>")
        out += [
            f"<tr><td>{e(code)} <code>{e(rule)}</code></td><td>{e(sev)}</td><td>{n}</td></tr>"
            for code, rule, sev, n in rules
        ]
        out.append("</table></div>")
    out.append("</div>")
    if result.errors:
        out.append("<h3>Files that could not be read</h3><ul>")
        out += [
            f"<li><code>{e(location(x.path, x.line, x.cell))}</code>: {e(x.message)}</li>"
            for x in result.errors
        ]
        out.append("</ul>")
    out.append("</section>")
    return out


def entry_cell(r: SystemReview) -> str:
    """A system in a table: its name linked to its section, where it starts below."""
    u = r.unit
    return (
        f'<a href="#{r.anchor}"><code>{e(u.qualname)}</code></a>'
        f'<span class="where">{e(unit_place(u))}</span>'
    )


def finding_inline(f: Finding) -> str:
    return (
        f"<b>{e(f.rule)}</b> ({e(f.code)}, {e(f.severity)}) at "
        f"<code>{e(location(f.path, f.line, f.cell, f.col + 1))}</code>: {e(f.message)}"
    )


def toc(reviews: list[SystemReview]) -> list[str]:
    """Contents in reading order (riskiest first); folded when long."""
    if not reviews:
        return []
    opened = " open" if len(reviews) <= TOC_OPEN else ""
    out = [
        f'<nav class="toc"><details{opened}><summary>Contents: {len(reviews)} system(s), '
        "riskiest first</summary><ol>"
    ]
    out += [
        f'<li><a href="#{r.anchor}"><code>{e(unit_label(r.unit))}</code></a></li>' for r in reviews
    ]
    out.append("</ol></details></nav>")
    return out


def table(reviews: list[SystemReview]) -> list[str]:
    out = [
        '<h2 id="systems">Systems</h2><div class="scroll"><table><tr><th>system</th>'
        "<th>pattern</th><th>owner</th><th>stop condition</th><th>retries</th><th>trace</th>"
        "<th>model calls</th><th>findings</th></tr>"
    ]
    for r in reviews:
        u = r.unit
        contains = f" <small>(contains {e(', '.join(u.contains))})</small>" if u.contains else ""
        out.append(
            f'<tr><td class="entry">{entry_cell(r)}</td>'
            f"<td>{e(u.pattern)}{contains}</td><td>{e(u.sequence_owner)}</td>"
            f"<td>{_status(u.stop_condition.status, ('missing',))}</td>"
            f"<td>{_status(u.retries.status, ('unbounded',))}</td>"
            f"<td>{_status(u.trace_logging.status, ('absent',))}</td>"
            f"<td>{_status(bound_text(u), ('no bound',))}</td><td>{len(r.findings)}</td></tr>"
        )
    out.append("</table></div>")
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


_SVG_WIDTH = re.compile(r'<svg [^>]*?width="([\d.]+)"')


def fitted_svg(svg: str) -> str:
    """A diagram that fits the page: up to FIT_FACTOR times the page width it is scaled
    down; wider ones keep their size and scroll inside their own box."""
    m = _SVG_WIDTH.search(svg)
    if m and float(m.group(1)) <= PAGE_WIDTH * FIT_FACTOR:
        return svg.replace(' class="pd"', ' class="pd" style="max-width:100%;height:auto"', 1)
    return svg


def system_section(
    r: SystemReview, idx: int, advice: dict[str, str], *, full: bool = True, opened: bool = True
) -> list[str]:
    """One system: traits, the diagram (for systems shown in full) and findings, folded
    in a <details> so a long report can be skimmed."""
    u = r.unit
    out = [
        f'<section class="system" id="{r.anchor}"><details class="sys"{" open" if opened else ""}>',
        f"<summary><h2><code>{e(u.qualname)}</code></h2>"
        f'<span class="where">{e(unit_place(u))} · {e(u.pattern.replace("_", " "))} · '
        f"{len(r.findings)} finding(s)</span></summary>",
    ]
    out.append(
        f'<p class="sub">{e(pattern_words(u).capitalize())}, lines {u.line} to '
        f"{u.end_line} of <code>{e(location(u.path, None, u.cell))}</code>.</p>"
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
    if full:
        out.append(legend())
        out.append(f'<div class="diagram">{fitted_svg(render_svg(r.diagram, idx=idx))}</div>')
    else:
        out.append(
            '<p class="sub">Diagram left out to keep this report usable: it draws the '
            f"{FULL_SYSTEMS} riskiest systems (<code>archlint report --full 0</code> draws "
            "every one).</p>"
        )
    if r.reached:
        names = ", ".join(f"<code>{e(unit_label(x))}</code>" for x in r.reached[:12])
        more = f" and {len(r.reached) - 12} more" if len(r.reached) > 12 else ""
        out.append(f"<p>Units it runs: {names}{more}.</p>")
    if r.findings:
        out.append("<h3>Findings</h3>")
        for f in r.findings:
            out.append(f'<div class="finding {e(f.severity)}"><p>{finding_inline(f)}</p>')
            if advice.get(f.rule):
                out.append(f"<p><b>Use instead:</b> {code_spans(e(advice[f.rule]))}</p>")
            out.append("</div>")
    out.append("</details></section>")
    return out


def render_html(result: AnalysisResult, title: str = "", *, full: int = FULL_SYSTEMS) -> str:
    """The full review as one HTML page, riskiest systems first; `full` systems get their
    diagram (0: all). Deterministic for a given analysis."""
    reviews = ranked(review_systems(result))
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
        "not a test run. Systems are ranked riskiest first.</p>",
    ]
    out += summary(result, reviews)
    out += toc(reviews)
    out += table(reviews)
    limit = full or len(reviews)
    for i, r in enumerate(reviews):
        out += system_section(r, i, advice, full=i < limit, opened=i < SECTIONS_OPEN)
    out.append("</body></html>")
    return "\n".join(out) + "\n"
