"""Headless Chromium for tests: screenshots, and Mermaid's own parser run offline.

Everything skips cleanly when Chromium is not installed (CI installs Debian's `chromium`).
Mermaid checks also need a local `mermaid.min.js`, named by `ARCHLINT_MERMAID_JS`
(`npm install mermaid` puts it in node_modules/mermaid/dist/); no network is used.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def mermaid_js() -> Path | None:
    value = os.environ.get("ARCHLINT_MERMAID_JS", "")
    path = Path(value) if value else None
    return path if path is not None and path.is_file() else None


def run_chromium(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    exe = chromium()
    assert exe is not None
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def screenshot(html: Path, png: Path, width: int = 1280, height: int = 2000) -> None:
    run_chromium(f"--screenshot={png}", f"--window-size={width},{height}", html.as_uri())


_CHECK_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<pre id="out">pending</pre>
<script src="{js}"></script>
<script>
const diagrams = {diagrams};
mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
(async () => {{
  const results = [];
  for (let i = 0; i < diagrams.length; i++) {{
    try {{
      await mermaid.parse(diagrams[i]);
      const r = await mermaid.render("d" + i, diagrams[i]);
      results.push(r.svg.includes("<svg") ? "ok" : "no svg");
    }} catch (e) {{
      results.push("error: " + String(e && e.message || e));
    }}
  }}
  document.getElementById("out").textContent = "RESULT" + JSON.stringify(results);
}})();
</script></body></html>"""


def mermaid_check(diagrams: list[str], js: Path) -> list[str]:
    """Mermaid's verdict per diagram: "ok" or the parse/render error."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "check.html"
        page.write_text(
            _CHECK_PAGE.format(js=js.as_uri(), diagrams=json.dumps(diagrams)), encoding="utf-8"
        )
        proc = run_chromium(
            "--virtual-time-budget=20000",
            "--allow-file-access-from-files",
            "--dump-dom",
            page.as_uri(),
        )
    text = proc.stdout
    start = text.find("RESULT")
    if start < 0:
        return ["no result: " + text[-300:]] * len(diagrams)
    end = text.find("</pre>", start)
    import html

    return json.loads(html.unescape(text[start + len("RESULT") : end]))


_LAYOUT_PROBE = """<script>
window.addEventListener("load", () => {
  for (const d of document.querySelectorAll("details")) d.open = true;
  const W = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || scrolls(el)) continue;
    if (r.right > W + 1 || r.left < -1) wide.push(el.tagName + "." + el.className + " " + Math.round(r.width));
  }
  const items = [...document.querySelectorAll("nav.toc li")].map((li) => li.getBoundingClientRect());
  let overlaps = 0;
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < Math.min(items.length, i + 60); j++) {
      const a = items[i], b = items[j];
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps++;
    }
  const li = document.querySelector("nav.toc li");
  const heads = [...document.querySelectorAll("h2")].map((h) => h.textContent.trim());
  const out = {
    pageWidth: W,
    scrollWidth: document.documentElement.scrollWidth,
    wide: wide.slice(0, 20),
    wideCount: wide.length,
    tocItems: items.length,
    tocOverlaps: overlaps,
    tocFontPx: li ? parseFloat(getComputedStyle(li).fontSize) : 0,
    tocMinWidth: items.length ? Math.min(...items.map((r) => r.width)) : 0,
    firstHeading: heads[0] || "",
    summaryTop: (document.getElementById("summary") || {getBoundingClientRect: () => ({top: -1})}).getBoundingClientRect().top,
  };
  const pre = document.createElement("pre");
  pre.id = "layout-result";
  pre.textContent = "LAYOUT" + JSON.stringify(out) + "END";
  document.body.appendChild(pre);
});
</script>"""


def layout_report(html: Path, width: int = 1280, height: int = 2000) -> dict:
    """Open every <details>, then measure the page: elements wider than the page (outside
    boxes that scroll), table-of-contents overlaps and font size, the first heading."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "probe.html"
        text = html.read_text(encoding="utf-8").replace("</body>", _LAYOUT_PROBE + "</body>")
        page.write_text(text, encoding="utf-8")
        proc = run_chromium(
            f"--window-size={width},{height}",
            "--virtual-time-budget=20000",
            "--dump-dom",
            page.as_uri(),
            timeout=240,
        )
    text = proc.stdout
    start = text.find("LAYOUT{")
    end = text.find("}END", start) + 1
    if start < 0:
        raise AssertionError("no layout result: " + (proc.stderr or text)[-500:])
    import html as html_mod

    return json.loads(html_mod.unescape(text[start + len("LAYOUT") : end]))
