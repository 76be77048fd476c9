"""PDF from WeasyPrint: a tagged PDF/UA-1 file, dated for reproducible bytes.

Only bundled assets, the user's template folder and ``data:`` URIs may be loaded
(``fetch.py``); anything else stops the build before a file is written.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import io
import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datapakke.files import write_bytes
from datapakke.paths import bundled_templates_dir
from datapakke.render import svg_paths, svg_text
from datapakke.render.fetch import Confinement, RefusedURLError, confined_fetcher
from datapakke.render.font_subset import drop_tables_unread

# The zlib level of the PDF's streams. pydyf (WeasyPrint's PDF writer) compresses at 9,
# which took three times as long as 6 on a full pack's 7 MB of streams (0.44 against
# 0.16 CPU-s) for streams 3 % smaller; 1 would make them 30 % larger.
FLATE_LEVEL = 6


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
    data, pages = render_pdf(
        html, created=created, user_templates=user_templates, attachments=attachments
    )
    write_bytes(target, data)
    return pages


def render_pdf(
    html: str,
    *,
    created: dt.datetime,
    user_templates: Path | None = None,
    attachments: tuple[EmbeddedFile, ...] = (),
) -> tuple[bytes, int]:
    """Render ``html`` to the bytes of a tagged PDF/UA-1 file, and its number of pages."""
    import weasyprint

    svg_text.install()
    svg_paths.install()
    confinement = Confinement.of(
        (bundled_templates_dir(), *((user_templates,) if user_templates else ()))
    )
    fetcher = confined_fetcher(confinement)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
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
    # What the layout holds is released once the file is written (it is not needed then).
    with _layout_released():
        with _refusals_stop(fetcher, confinement):
            document = weasyprint.HTML(
                string=html, base_url=confinement.base.as_uri() + "/", url_fetcher=fetcher
            ).render(pdf_variant="pdf/ua-1", font_config=font_configuration(user_templates))
        document.metadata.created = created.isoformat()
        document.metadata.modified = created.isoformat()
        # Attachments are fetched while writing: a refusal there stops the build too.
        with (
            _refusals_stop(fetcher, confinement),
            _fonts_dated(created),
            drop_tables_unread(),
            _flate_level(FLATE_LEVEL),
            _serialised_once(),
        ):
            data = document.write_pdf(
                pdf_variant="pdf/ua-1",
                # A fixed identifier (WeasyPrint would otherwise hash the time into it).
                pdf_identifier=b"datapakke",
                attachments=embedded,
            )
    return bytes(data), len(document.pages)


# One font configuration per template folder for the PDFs this process renders: its
# fonts, and what Pango and HarfBuzz learn of them, stay loaded from one pack to the next
# (a full pack in about 7 % less time; the same bytes). Per folder and its files' state,
# because a folder's style sheets may add fonts of their own (@font-face), which
# WeasyPrint loads once per configuration.
_font_configurations: dict[Path | None, tuple[object, Any]] = {}
# Released while the interpreter is whole: a configuration finalised during shutdown
# prints "Exception ignored in FontConfiguration.__del__" (its ffi is gone by then).
atexit.register(_font_configurations.clear)


def font_configuration(user_templates: Path | None) -> Any:
    """The WeasyPrint font configuration of the PDFs rendered with ``user_templates``
    (a new one when a file in that folder changed)."""
    from weasyprint.text.fonts import FontConfiguration

    state = _folder_state(user_templates)
    kept = _font_configurations.get(user_templates)
    if kept is None or kept[0] != state:
        kept = _font_configurations[user_templates] = (state, FontConfiguration())
    return kept[1]


def _folder_state(folder: Path | None) -> object:
    """Every file of ``folder`` with its size and time of change (nothing for none)."""
    if folder is None:
        return ()
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


@contextlib.contextmanager
def _refusals_stop(fetcher: Any, confinement: Confinement) -> Iterator[None]:
    """Turn a refused fetch into the user's error (before any file is written).

    WeasyPrint stops on the first refusal (a FatalURLFetchingError), except where it
    catches everything (SVG images): the fetcher's own record catches those.
    """
    from weasyprint.urls import FatalURLFetchingError

    try:
        yield
    except FatalURLFetchingError as error:
        cause = error.__cause__
        refused = cause if isinstance(cause, RefusedURLError) else None
        if refused is None:
            refused = RefusedURLError(
                str(error).removeprefix("Error fetching ").strip('"'), str(cause)
            )
        raise confinement.error(refused) from None
    if fetcher.refused:
        raise confinement.error(fetcher.refused[0])


@contextlib.contextmanager
def _layout_released() -> Iterator[None]:
    """Release what WeasyPrint's layout of a document rendered in the block holds when the
    block ends, without the cycle collector.

    The layout context refers to itself (a ``partial`` of its image loader), its target
    collector too (closures), and they hold the cascade and the laid-out boxes: of the
    354,000 objects Bornholm's full PDF left for the collector, 230,000. The collection
    after a pack walks every one: Fynsklyngen's took 0.55-0.59 CPU-s, now 0.34-0.40, for
    0.07-0.12 more in the render itself, which frees them as it goes. The written file
    needs neither; emptied, they are freed at once.
    """
    from weasyprint.document import Document

    original = Document.__dict__["_build_layout_context"]
    made: list[Any] = []

    def build(cls: type, *args: Any, **kwargs: Any) -> Any:
        context = original.__func__(cls, *args, **kwargs)
        made.append(context)
        return context

    Document._build_layout_context = classmethod(build)
    try:
        yield
    finally:
        Document._build_layout_context = original
        for context in made:
            collector = context.target_collector  # in a cycle of its own, holding boxes
            context.__dict__.clear()
            collector.__dict__.clear()


@contextlib.contextmanager
def _fonts_dated(created: dt.datetime) -> Iterator[None]:
    """Date embedded font subsets ``created`` instead of now, for byte-identical PDFs.

    fontTools (WeasyPrint's subsetter when HarfBuzz-subset is missing) stamps each
    subset's ``head.modified`` with the clock unless ``SOURCE_DATE_EPOCH`` is set.
    """
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():  # checked by datapakke.dates already
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(created.timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


class _ZlibAt:
    """The zlib module, with every compression at one ``level``."""

    def __init__(self, level: int) -> None:
        self.level = level

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    def compressobj(self, level: int = -1, *args: Any, **kwargs: Any) -> Any:
        """A compressor at ``self.level`` whatever the caller asks for."""
        return zlib.compressobj(self.level, *args, **kwargs)

    def compress(self, data: bytes, level: int = -1) -> bytes:
        """``data`` compressed at ``self.level`` whatever the caller asks for."""
        return zlib.compress(data, self.level)


@contextlib.contextmanager
def _flate_level(level: int) -> Iterator[None]:
    """Compress the PDF's streams at ``level`` while the block writes it (pydyf reads
    its ``zlib`` module at each stream; nothing else sees the change)."""
    import pydyf

    original = pydyf.zlib
    pydyf.zlib = _ZlibAt(level)
    try:
        yield
    finally:
        pydyf.zlib = original


@contextlib.contextmanager
def _serialised_once() -> Iterator[None]:
    """Make each object's bytes once while pydyf writes a PDF in the block.

    pydyf writes every object, then makes all their bytes again to hash them into the
    file's identifier, compressing every stream a second time (about a tenth of writing
    a full pack). Nothing changes an object while the file is written, so the second
    time takes the first's bytes (each object is kept until the file is written, so that
    no other object can take its ``id``): the same file.
    """
    import pydyf

    classes = (pydyf.Dictionary, pydyf.Stream, pydyf.String, pydyf.Array)
    properties: dict[type, property] = {cls: cls.__dict__["data"] for cls in classes}
    original = pydyf.PDF.write

    def write(document: Any, *args: Any, **kwargs: Any) -> Any:
        made: dict[int, tuple[object, bytes]] = {}

        def kept(data: property) -> property:
            def once(obj: object) -> bytes:
                found = made.get(id(obj))
                if found is None:
                    found = made[id(obj)] = (obj, data.fget(obj))  # type: ignore[misc]
                return found[1]

            return property(once)

        for cls, data in properties.items():
            setattr(cls, "data", kept(data))  # noqa: B010 (a class mypy knows no data of)
        try:
            return original(document, *args, **kwargs)
        finally:
            for cls, data in properties.items():
                setattr(cls, "data", data)  # noqa: B010

    pydyf.PDF.write = write
    try:
        yield
    finally:
        pydyf.PDF.write = original
