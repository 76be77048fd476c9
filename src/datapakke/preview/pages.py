"""The preview's own HTML: the reload script added to every page, and the error page."""

from __future__ import annotations

import html
from pathlib import Path

# Reload when the server has a newer version than the one this page shows. On
# reconnect (a restarted server) the first event tells the current version.
RELOAD_SCRIPT = """<script nonce="%s">
(() => {
  const shown = "%s";
  const events = new EventSource("/events");
  events.onmessage = (event) => {
    if (event.data !== shown) {
      events.close();
      location.reload();
    }
  };
})();
</script>
"""

ERROR_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1a1a1a; }
h1 { color: #b00020; font-size: 1.6rem; }
.where { font-size: 1.05rem; }
.message { font-size: 1.15rem; font-weight: bold; white-space: pre-wrap; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: 0.8rem; overflow-x: auto; }
pre .culprit { background: #ffe0e0; display: block; }
.hint { color: #555; }
"""

CONTEXT_LINES = 3


def with_reload_script(page: str, version: int, nonce: str) -> str:
    """``page`` with the reload script for ``version`` just before ``</body>``.

    ``nonce`` lets the script run under the page's Content-Security-Policy.
    """
    script = RELOAD_SCRIPT % (nonce, version)
    at = page.rfind("</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


def error_page(
    title: str,
    message: str,
    template: str | None = None,
    line: int | None = None,
    hint: str | None = None,
) -> str:
    """A readable page saying what went wrong and where (template, line, the lines around it)."""
    where = ""
    if template is not None:
        at_line = f", line {line}" if line is not None else ""
        where = f'<p class="where"><code>{html.escape(template)}</code>{at_line}</p>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} – datapakke preview</title>
<style>{ERROR_STYLE}</style>
</head>
<body>
<main>
<h1>{html.escape(title)}</h1>
{where}
<p class="message">{html.escape(message)}</p>
{_source_excerpt(template, line)}
{f'<p class="hint">{html.escape(hint)}</p>' if hint else ""}
<p class="hint">Fix the file and save it: this page reloads by itself.</p>
</main>
</body>
</html>
"""


def _source_excerpt(template: str | None, line: int | None) -> str:
    """The lines around ``line`` of the template file, the culprit marked; empty if unknown."""
    if template is None or line is None:
        return ""
    try:
        lines = Path(template).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    first, last = max(1, line - CONTEXT_LINES), min(len(lines), line + CONTEXT_LINES)
    rows = []
    for number in range(first, last + 1):
        text = html.escape(f"{number:>4} | {lines[number - 1]}")
        rows.append(f'<span class="culprit">{text}</span>' if number == line else text + "\n")
    return "<pre>" + "".join(rows) + "</pre>"
