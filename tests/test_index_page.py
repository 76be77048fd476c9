"""index.html: every pack of the folder with its status and links, from the manifest."""

from __future__ import annotations

from pathlib import Path

from datapakke.run.index_page import write_index
from datapakke.run.manifest import FileDigest, PackEntry, RunInfo


def _entry(klynge_id: str, status: str, *, error: str | None = None) -> PackEntry:
    outputs = (
        (FileDigest(f"{klynge_id}.pdf", 10, "a"), FileDigest(f"{klynge_id}.xlsx", 5, "b"))
        if status == "built"
        else ()
    )
    return PackEntry(klynge_id, status, "f" if outputs else None, 31 if outputs else None, 1.0,
                     {}, outputs, error)  # fmt: skip


def test_the_index_links_every_pack_with_its_status(tmp_path: Path) -> None:
    packs = {
        "bornholm": _entry("bornholm", "built"),
        "holbaek": _entry("holbaek", "failed", error="pack.html.j2:1: <no_such_field>"),
        "horsensklyngen": _entry("horsensklyngen", "not built", error="not attempted"),
    }
    run = RunInfo("2026-12-01T08:00:00+00:00", 2, 1.0, 2.0, 3.0,
                  {"built": 1, "failed": 1, "not built": 1}, complete=True)  # fmt: skip
    names = {"bornholm": "Klynge Bornholm", "holbaek": "Klyngen Holbæk"}
    page = write_index(tmp_path, packs, run, "9.9", names).read_text(encoding="utf-8")
    assert '<html lang="da">' in page
    assert "3 datapakker. Seneste kørsel 2026-12-01: 1 bygget, 1 fejlede, 1 ikke bygget." in page
    bornholm = next(line for line in page.splitlines() if "Klynge Bornholm" in line)
    assert '<a href="bornholm.pdf">PDF</a> <a href="bornholm.xlsx">Excel</a>' in bornholm
    assert ">bygget<" in bornholm and ">31<" in bornholm
    holbaek = next(line for line in page.splitlines() if "Klyngen Holbæk" in line)
    assert ">fejlede<" in holbaek
    assert "&lt;no_such_field&gt;" in holbaek  # quoted text is escaped, never markup
    assert "<td>horsensklyngen</td>" in page  # an area without a name keeps its id
    assert 'href="manifest.json"' in page and "datapakke 9.9" in page
    one = {"kommune-odder": _entry("kommune-odder", "built")}
    single = RunInfo("2026-12-01T08:00:00+00:00", 1, 1.0, 2.0, 3.0, {"built": 1}, complete=True)
    page = write_index(tmp_path, one, single, "9.9", {"kommune-odder": "Odder"}).read_text("utf-8")
    assert "<p>1 datapakke. Seneste kørsel 2026-12-01: 1 bygget.</p>" in page
    assert "<td>Odder</td>" in page
