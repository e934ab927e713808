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
