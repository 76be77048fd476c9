"""What WeasyPrint's layout holds is freed when a PDF is written, not left to the collector."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator

import pytest

from datapakke.render import pdf

CREATED = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
HTML = (
    "<!doctype html><html lang='da'><head><title>Prøve</title></head><body>"
    "<h1>Prøve</h1><table><tr><th>Kommune</th><td>52,1</td></tr></table>"
    "<img alt='en figur' src=\"data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' "
    "width='20' height='10'><rect width='20' height='10'/></svg>\"></body></html>"
)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _cascades() -> int:
    """How many of WeasyPrint's cascades (every element's styles) are alive."""
    return sum(type(o).__name__ == "StyleFor" for o in gc.get_objects())


def test_the_layout_is_freed_without_the_collector() -> None:
    with _collector_paused():
        data, pages = pdf.render_pdf(HTML, created=CREATED)
        assert _cascades() == 0
    assert pages == 1 and data.startswith(b"%PDF")


def test_without_the_release_the_layout_waits_for_the_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf, "_layout_released", contextlib.nullcontext)
    with _collector_paused():
        pdf.render_pdf(HTML, created=CREATED)
        assert _cascades() == 1  # what the test above would see without the release
    gc.collect()


def test_the_release_leaves_the_same_file(monkeypatch: pytest.MonkeyPatch) -> None:
    released, _ = pdf.render_pdf(HTML, created=CREATED)
    monkeypatch.setattr(pdf, "_layout_released", contextlib.nullcontext)
    kept, _ = pdf.render_pdf(HTML, created=CREATED)
    assert released == kept
