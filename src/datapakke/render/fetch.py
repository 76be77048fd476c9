"""What a PDF may load: ``data:`` URIs, and files inside the bundled assets or the user's
template folder. Nothing else: no network, no other scheme, no file outside those folders.

A URL is decoded and normalised before it is checked: percent-encoding is decoded
once and anything still percent-encoded after that (``%252e``) is refused, as are
backslashes, NUL bytes, hosts (``file://server/``) and a path whose real location
(``..`` and symbolic links resolved) is outside the folders. The file is then read
from that real location, so what is checked is what is loaded.
"""

from __future__ import annotations

import mimetypes
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from datapakke.errors import InputError, excerpt

URL_CHARACTERS = 200  # of a URL in a message (a data: URI may run to megabytes)
TEMPLATE_BYTES = 1 << 20  # larger files in a template folder are assets, not templates
STILL_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}")
HINT = (
    "A template may load only files inside its own folder (images, style sheets, fonts) "
    "and data: URIs; nothing from the network or elsewhere on the disk. Copy the file into "
    "the template folder, or remove the reference."
)


class RefusedURLError(Exception):
    """A URL the fetcher will not load, and why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class FetchRefusedError(InputError):
    """The PDF would have loaded something it may not: the build stops."""

    def __init__(self, message: str, *, url: str, template: str | None) -> None:
        super().__init__(message, hint=HINT)
        self.url = url
        self.template = template


def confined_file(url: str, roots: Sequence[Path]) -> Path | None:
    """The real path of the file ``url`` names; None for a ``data:`` URI.

    ``roots`` must be resolved folders. Raises RefusedURLError for anything else.
    """
    scheme, colon, _ = url.partition(":")
    scheme = scheme.lower()
    if not colon or not scheme:
        raise RefusedURLError(url, "not an absolute URL")
    if scheme == "data":
        return None
    if scheme != "file":
        raise RefusedURLError(
            url, f"the {scheme}: scheme is not allowed (only files and data: URIs)"
        )
    parts = urlsplit(url)
    if parts.netloc:
        raise RefusedURLError(url, f"a file on another host ({parts.netloc}) is not allowed")
    try:
        path = unquote(parts.path, errors="strict")
    except UnicodeDecodeError:
        raise RefusedURLError(url, "the path is not valid UTF-8 once decoded") from None
    if STILL_ENCODED.search(path):
        raise RefusedURLError(url, "the path is percent-encoded twice")
    if "\\" in path or "\x00" in path:
        raise RefusedURLError(url, "the path holds a backslash or a NUL character")
    if not path.startswith("/"):
        raise RefusedURLError(url, "not an absolute path")
    real = Path(path).resolve()
    if not any(real.is_relative_to(root) for root in roots):
        if any(Path(os.path.normpath(path)).is_relative_to(root) for root in roots):
            raise RefusedURLError(url, f"a symbolic link to {real}, outside the template folder")
        raise RefusedURLError(url, "outside the template folder and the bundled assets")
    return real


def read_confined(real: Path, url: str) -> bytes:
    """The bytes of the regular file ``real`` (checked by ``confined_file``); no link followed."""
    try:
        descriptor = os.open(real, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise RefusedURLError(url, "no such file in the template folder") from None
    except OSError as error:
        raise RefusedURLError(url, f"cannot be read ({error.strerror or error})") from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise RefusedURLError(url, "not a regular file")
        return handle.read()


@dataclass(frozen=True)
class Confinement:
    """The folders a PDF may load from; the last is the base of relative URLs."""

    roots: tuple[Path, ...]

    @classmethod
    def of(cls, folders: Sequence[Path]) -> Confinement:
        """The confinement to ``folders`` (resolved now, once)."""
        return cls(tuple(folder.resolve() for folder in folders))

    @property
    def base(self) -> Path:
        """Where relative URLs point: the user's template folder, else the bundled one."""
        return self.roots[-1]

    def error(self, refused: RefusedURLError) -> FetchRefusedError:
        """The user's message for ``refused``: the URL, why, and the template that has it."""
        template = self.written_in(refused.url)
        where = f"{template}: " if template else ""
        folder = f" (template folder {self.base})" if template is None else ""
        # Relative to the template folder, a URL reads as the template wrote it.
        shown = excerpt(refused.url.removeprefix(self.base.as_uri() + "/"), URL_CHARACTERS)
        return FetchRefusedError(
            f"{where}the PDF cannot load {shown}: {refused.reason}{folder}.",
            url=refused.url,
            template=template,
        )

    def written_in(self, url: str) -> str | None:
        """``file:line`` of the first template that holds ``url`` as written, if one does.

        WeasyPrint hands the fetcher absolute URLs; a template may have written the
        URL as is, relative to its folder, or as a bare path.
        """
        relative = url.removeprefix(self.base.as_uri() + "/")
        path = unquote(urlsplit(url).path)
        written = [url, relative, unquote(relative), path, os.path.relpath(path, self.base)]
        candidates = [c for c in dict.fromkeys(written) if len(c) > 1]
        for root in reversed(self.roots):
            for template in sorted(root.rglob("*")):
                for number, line in enumerate(_template_lines(template), start=1):
                    if any(candidate in line for candidate in candidates):
                        return f"{template}:{number}"
        return None


def _template_lines(path: Path) -> list[str]:
    """The lines of a template file; none for links, devices, big or binary files."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > TEMPLATE_BYTES:
            return []
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def confined_fetcher(confinement: Confinement) -> Any:
    """A WeasyPrint URL fetcher that loads only what ``confinement`` allows.

    Any refusal stops the rendering (``fail_on_errors``: WeasyPrint would otherwise
    log it and go on), and is kept in ``refused`` in case WeasyPrint swallowed it
    anyway (it does inside SVG images).
    """
    import weasyprint
    from weasyprint.urls import URLFetcherResponse

    class ConfinedFetcher(weasyprint.URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(fail_on_errors=True, allowed_protocols={"data"})
            self.refused: list[RefusedURLError] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                real = confined_file(url, confinement.roots)
                if real is None:
                    return super().fetch(url, headers)
                body = read_confined(real, url)
            except RefusedURLError as refused:
                self.refused.append(refused)
                raise
            kind = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
            return URLFetcherResponse(real.as_uri(), body, {"Content-Type": kind})

    return ConfinedFetcher()
