"""PDF from WeasyPrint: a tagged PDF/UA-1 file, dated for reproducible bytes.

Only bundled assets and the user's template folder may be fetched (see the fetcher).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datapakke.files import atomic_path
from datapakke.paths import bundled_templates_dir


def _only_bundled_assets(allowed_roots: tuple[Path, ...]) -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URIs and files under ``allowed_roots``."""
    import weasyprint

    class BundledAssetsFetcher(weasyprint.URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                path = Path(url.removeprefix("file://")).resolve()
                if any(path.is_relative_to(root.resolve()) for root in allowed_roots):
                    return super().fetch(url, headers)
            raise ValueError(f"datapakke loads only bundled assets, not {url}")

    return BundledAssetsFetcher()


@dataclass(frozen=True)
class EmbeddedFile:
    """A file attached inside the PDF (the pack's numbers as a workbook)."""

    name: str
    data: bytes
    description: str


def write_pdf(
    html: str,
    target: Path,
    *,
    created: dt.datetime,
    user_templates: Path | None = None,
    attachments: tuple[EmbeddedFile, ...] = (),
) -> int:
    """Render ``html`` to a tagged PDF/UA-1 file at ``target`` (atomically); return pages."""
    import weasyprint

    roots = (bundled_templates_dir(), *((user_templates,) if user_templates else ()))
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(
        string=html,
        base_url=str(roots[-1]) + os.sep,
        url_fetcher=_only_bundled_assets(roots),
    ).render(pdf_variant="pdf/ua-1")
    document.metadata.created = created.isoformat()
    document.metadata.modified = created.isoformat()
    embedded = [
        weasyprint.Attachment(
            file_obj=io.BytesIO(item.data),
            name=item.name,
            description=item.description,
            created=created,
            modified=created,
            relationship="Data",
        )
        for item in attachments
    ]
    with atomic_path(target) as temporary, _fonts_dated(created):
        document.write_pdf(
            temporary,
            pdf_variant="pdf/ua-1",
            # A fixed identifier (WeasyPrint would otherwise hash the time into it).
            pdf_identifier=b"datapakke",
            attachments=embedded,
        )
    return len(document.pages)


@contextlib.contextmanager
def _fonts_dated(created: dt.datetime) -> Iterator[None]:
    """Date embedded font subsets ``created`` instead of now, for byte-identical PDFs.

    fontTools (WeasyPrint's subsetter when HarfBuzz-subset is missing) stamps each
    subset's ``head.modified`` with the clock unless ``SOURCE_DATE_EPOCH`` is set.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(created.timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
