"""index.html beside manifest.json: every pack in the folder with its status and its files,
for whoever opens the folder (or a CI artifact) in a browser. Danish, as the packs."""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path

from datapakke.files import write_text
from datapakke.numbers import heltal
from datapakke.run.manifest import PackEntry, RunInfo

INDEX_NAME = "index.html"
STATUS_WORDS = {
    "built": "bygget",
    "skipped": "uændret siden sidst",
    "failed": "fejlede",
    "not built": "ikke bygget",
}
FILE_WORDS = {".pdf": "PDF", ".html": "HTML", ".xlsx": "Excel"}

PAGE = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<title>Datapakker</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; margin: 2em; color: #1a1a1a; }}
table {{ border-collapse: collapse; }}
th, td {{ text-align: left; padding: 0.3em 0.8em; border-bottom: 1px solid #bfbfbf; }}
td.tal {{ text-align: right; }}
.fejlede, .ikke-bygget {{ font-weight: bold; color: #8b0000; }}
</style>
</head>
<body>
<h1>Datapakker</h1>
<p>{summary}</p>
<table>
<thead><tr><th>Område</th><th>Status</th><th>Sider</th><th>Filer</th><th>Bemærkning</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<p>Lavet af datapakke {version}. Hvad der er læst og skrevet, står i
<a href="manifest.json">manifest.json</a>.</p>
</body>
</html>
"""


def write_index(
    out: Path,
    packs: Mapping[str, PackEntry],
    run: RunInfo,
    version: str,
    names: Mapping[str, str],
) -> Path:
    """Write ``out/index.html`` for the manifest's ``packs``; ``names`` are the areas' names."""
    rows = "\n".join(_row(packs[key], names.get(key, key)) for key in sorted(packs))
    counts = ", ".join(f"{n} {STATUS_WORDS.get(status, status)}"
                       for status, n in sorted(run.counts.items()))  # fmt: skip
    many = "1 datapakke" if len(packs) == 1 else f"{len(packs)} datapakker"
    summary = f"{many}. Seneste kørsel {run.started[:10]}: {counts}."
    target = out / INDEX_NAME
    page = PAGE.format(summary=html.escape(summary), rows=rows, version=html.escape(version))
    write_text(target, page)
    return target


def _row(entry: PackEntry, name: str) -> str:
    status = STATUS_WORDS.get(entry.status, entry.status)
    links = " ".join(
        f'<a href="{html.escape(o.path)}">{FILE_WORDS.get(Path(o.path).suffix, o.path)}</a>'
        for o in entry.outputs
    )
    cells = (
        f"<td>{html.escape(name)}</td>",
        f'<td class="{status.replace(" ", "-")}">{status}</td>',
        f'<td class="tal">{heltal(entry.pages) if entry.pages else ""}</td>',
        f"<td>{links}</td>",
        f"<td>{html.escape(entry.error or '')}</td>",
    )
    return "<tr>" + "".join(cells) + "</tr>"
