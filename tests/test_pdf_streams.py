"""The PDF's writing: streams compressed at ``pdf.FLATE_LEVEL``, fonts kept between PDFs."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from pathlib import Path

import pydyf
import pypdf
import pytest

from datapakke.render import pdf

CREATED = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)


def test_every_stream_is_compressed_at_the_chosen_level_and_reads_back() -> None:
    text = "Borgere med demens: 1.234,5 pr. 1.000. " * 300
    html = f'<html lang="da"><body><h1>Tal</h1><p>{text}</p></body></html>'
    attachment = pdf.EmbeddedFile("tal.xlsx", b"tal " * 2000, "Tal bag datapakken")
    original = pydyf.zlib
    data, pages = pdf.render_pdf(html, created=CREATED, attachments=(attachment,))
    assert pydyf.zlib is original  # only while the PDF was written
    # zlib's header names its level: 78 9C at 6 (pydyf's own 9 writes 78 DA).
    headers = set(re.findall(rb"\nstream\n(..)", data))
    assert pdf.FLATE_LEVEL == 6
    assert headers == {b"\x78\x9c"}
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == pages
    assert "1.234,5 pr. 1.000" in reader.pages[0].extract_text()
    assert reader.attachments["tal.xlsx"] == [b"tal " * 2000]


def test_pdfs_share_a_font_configuration_per_template_folder_and_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "_font_configurations", {})
    bundled = pdf.font_configuration(None)
    assert pdf.font_configuration(None) is bundled
    folder = tmp_path / "maler"
    folder.mkdir()
    (folder / "pack.css").write_text("p { color: black }", encoding="utf-8")
    own = pdf.font_configuration(folder)
    assert own is not bundled and pdf.font_configuration(folder) is own
    (folder / "skrift.ttf").write_bytes(b"a font the style sheet may load")
    assert pdf.font_configuration(folder) is not own  # its fonts may have changed


def test_a_kept_font_configuration_writes_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "_font_configurations", {})
    first = '<html lang="da"><body><p>Ærø: 45,0 <b>højere</b></p></body></html>'
    other = '<html lang="da"><body><h1>Fynsklyngen</h1><p><i>Syddjurs</i> 1.234</p></body></html>'
    alone, _ = pdf.render_pdf(first, created=CREATED)
    pdf.render_pdf(other, created=CREATED)  # the kept configuration has seen other fonts
    again, _ = pdf.render_pdf(first, created=CREATED)
    assert len(pdf._font_configurations) == 1
    assert again == alone


def test_each_object_is_serialised_once_and_the_file_is_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "Borgere med demens: 1.234,5 pr. 1.000. " * 300
    html = f'<html lang="da"><body><h1>Tal</h1><p>{text}</p></body></html>'
    compressions: list[int] = []
    compressobj = pdf.zlib.compressobj

    def counted(level: int = -1, *args: object) -> object:
        compressions.append(level)
        return compressobj(level, *args)

    monkeypatch.setattr(pdf.zlib, "compressobj", counted)
    data = pydyf.Stream.__dict__["data"]
    once, _ = pdf.render_pdf(html, created=CREATED)
    streams = once.count(b"\nstream\n")
    assert len(compressions) == streams  # not a second time for the identifier's hash
    assert pydyf.Stream.__dict__["data"] is data  # put back after the write
    compressions.clear()
    monkeypatch.setattr(pdf, "_serialised_once", contextlib.nullcontext)
    twice, _ = pdf.render_pdf(html, created=CREATED)
    assert len(compressions) == 2 * streams - 1  # all but the cross-references, made after
    assert twice == once
