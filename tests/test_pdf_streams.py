"""The PDF's streams: compressed at ``pdf.FLATE_LEVEL``, and read back as written."""

from __future__ import annotations

import datetime as dt
import io
import re

import pydyf
import pypdf

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
