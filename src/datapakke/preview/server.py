"""A live HTML preview of one area's pack, for drafting templates, styles and text.

The server listens on 127.0.0.1 only: a pack may hold numbers that are not yet
published. It watches the templates, the data and the package's catalogue and
geography files. Indicators are computed once and kept while only templates
change, so a template edit shows in well under a second; a data or catalogue
change recomputes them. The page reloads itself through server-sent events, and a
broken template shows as an error page until the file is fixed.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles

from datapakke.engine.catalogue import CATALOGUE_FILE
from datapakke.engine.compute import Results
from datapakke.errors import DatapakkeError, ExitCode, InputError
from datapakke.geography import AreaKey, Geography, load_geography
from datapakke.pack import Pack
from datapakke.paths import DATA_DIR, bundled_templates_dir
from datapakke.preview.pages import error_page, with_reload_script
from datapakke.render import html as render
from datapakke.run.build import pack_model
from datapakke.run.load import load_results
from datapakke.run.settings import Settings

# Finds the geography and the area to show; called again when the data change, so that
# an edit of the user's own area set is read.
AreaChooser = Callable[[], tuple[Geography, AreaKey]]


def set_area(area_set: str | Path, name: str) -> AreaChooser:
    """The chooser of the area called ``name`` in ``area_set`` (a shipped set's id or a path)."""

    def choose() -> tuple[Geography, AreaKey]:
        geography = load_geography(area_set)
        return geography, geography.key_of(geography.find_area(name))

    return choose


HOST = "127.0.0.1"
KEEPALIVE_SECONDS = 15.0
QUIET_MS = 250


class Change(Enum):
    """What a changed file invalidates."""

    TEMPLATES = "templates"  # render the HTML again from the same pack
    DATA = "data"  # read and compute again, then everything after


class PortInUseError(DatapakkeError):
    """The port for the preview server cannot be used."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class Page:
    """What the server shows: the pack (or an error page) and its version number."""

    html: str
    ok: bool
    version: int


class PackPreview:
    """Builds the preview page of one area, keeping what a change leaves valid."""

    def __init__(
        self,
        choose: AreaChooser,
        settings: Settings,
        results: Results | None = None,
        *,
        synthetic: bool = False,
    ) -> None:
        """``choose`` finds the geography and the area; ``results``: the results of
        ``settings`` if already at hand (``synthetic`` if their extract is); the first page
        is drawn from them, and only a data change computes again."""
        self.choose = choose
        self.settings = settings
        self.geography, self.area = choose()
        self.computations = 0  # how often the indicators were computed (for tests and logs)
        # The results, and whether their extract is synthetic.
        self._computed: tuple[Results, bool] | None = (
            None if results is None else (results, synthetic)
        )
        self._drawn: tuple[Pack, dict[str, str]] | None = None

    def build(self, change: Change = Change.TEMPLATES) -> tuple[str, bool]:
        """The page's HTML (without the reload script) and whether it is the pack."""
        if change is Change.DATA:
            self._computed = None
            self._drawn = None
        try:
            return self._render(), True
        except render.TemplateRenderError as error:
            where = (error.template, error.line, error.hint)
            return error_page("Template error", error.detail, *where), False
        except DatapakkeError as error:
            return error_page("Cannot build the pack", str(error)), False
        except Exception as error:  # keep serving: the fix may be one save away
            return error_page("Unexpected error", f"{type(error).__name__}: {error}"), False

    @property
    def pack(self) -> Pack | None:
        """The pack last built (None before the first good build)."""
        return self._drawn[0] if self._drawn else None

    def _render(self) -> str:
        if self._computed is None:
            # Read the catalogue and the user's area set from their files, not cached
            # copies: they may be what was just edited.
            self.geography, self.area = self.choose()
            catalogue = self.settings.catalogue or CATALOGUE_FILE
            extract, results = load_results(
                dataclasses.replace(self.settings, catalogue=catalogue), self.geography
            )
            self._computed = (results, extract.synthetic)
            self.computations += 1
        if self._drawn is None:
            results, synthetic = self._computed
            pack = pack_model(results, self.geography, self.area, synthetic=synthetic)
            self._drawn = (pack, render.draw_charts(pack))
        pack, svgs = self._drawn
        # A fresh environment each time: Jinja's cache must not outlive an edit.
        environment = render.template_environment(self.settings.templates)
        return render.render_html(pack, svgs, environment)

    def watched(self) -> dict[Path, Change]:
        """The folders (and the user's catalogue and mapping files) whose changes matter,
        and what a change in each invalidates."""
        watched = {
            self.settings.data: Change.DATA,
            DATA_DIR: Change.DATA,  # the bundled catalogue and the geography
            bundled_templates_dir(): Change.TEMPLATES,
        }
        if self.settings.catalogue is not None:
            watched[self.settings.catalogue] = Change.DATA
        if self.settings.mapping is not None:
            watched[self.settings.mapping] = Change.DATA
        if not self.geography.area_set.shipped:
            watched.update({f.parent: Change.DATA for f in self.geography.area_set.files[1:]})
        if self.settings.templates is not None:
            watched[self.settings.templates] = Change.TEMPLATES
        return {path.resolve(): change for path, change in watched.items()}


class PreviewServer:
    """The HTTP server, the file watcher and the current page, on their own threads."""

    def __init__(
        self,
        preview: PackPreview,
        port: int = 8000,
        on_event: Callable[[str], None] = lambda _message: None,
    ) -> None:
        self.preview = preview
        self.on_event = on_event
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._threads: list[threading.Thread] = []
        try:
            self.http = ThreadingHTTPServer((HOST, port), _handler_for(self))
        except OSError as error:
            raise PortInUseError(
                f"Cannot listen on {HOST}:{port} ({error.strerror or error}).",
                hint="Choose another port with --port (0 picks a free one).",
            ) from error
        self.http.daemon_threads = True  # open event streams must not delay stopping
        html, ok = preview.build()  # computes unless the preview was given results
        self._page = Page(with_reload_script(html, 1), ok, 1)

    @property
    def url(self) -> str:
        """Where the preview is served."""
        return f"http://{HOST}:{self.http.server_address[1]}/"

    @property
    def page(self) -> Page:
        """The page being served now."""
        with self._changed:
            return self._page

    def start(self) -> None:
        """Serve and watch in background threads; return once the watcher is watching."""
        for target, name in ((self.http.serve_forever, "http"), (self._watch, "watch")):
            thread = threading.Thread(target=target, name=f"preview-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        self._watching.wait(timeout=30)

    def stop(self) -> None:
        """Stop serving and watching; wakes and ends the event streams."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        self.http.shutdown()
        self.http.server_close()
        for thread in self._threads:
            thread.join(timeout=10)

    def rebuild(self, change: Change) -> Page:
        """Build the page again; bump the version (and so reload browsers) if it changed."""
        started = time.perf_counter()
        html, ok = self.preview.build(change)
        with self._changed:
            version = self._page.version
            if with_reload_script(html, version) != self._page.html:
                version += 1
                self._page = Page(with_reload_script(html, version), ok, version)
                self._changed.notify_all()
            page = self._page
        state = "pack" if ok else "error page"
        self.on_event(
            f"Rebuilt ({change.value} changed): {state}, {time.perf_counter() - started:.2f} s"
        )
        return page

    def wait_for_change(self, version: int, timeout: float) -> Page:
        """The page once its version differs from ``version`` (or the same page on timeout)."""
        with self._changed:
            self._changed.wait_for(
                lambda: self._page.version != version or self._stop.is_set(), timeout
            )
            return self._page

    @property
    def stopped(self) -> bool:
        """Whether ``stop`` was called."""
        return self._stop.is_set()

    def _watch(self) -> None:
        watched = self.preview.watched()
        # A file is watched through its folder: editors often save by replacing the file.
        folders = sorted({path if path.is_dir() else path.parent for path in watched})
        folders = [folder for folder in folders if folder.is_dir()]
        # A short timeout that yields an empty set tells us when the watches are in place.
        # Changes are collected until the folders are quiet for QUIET_MS, so a file still
        # being written (a large extract, say) is mostly read once it is complete.
        for changes in watchfiles.watch(
            *folders, stop_event=self._stop, step=QUIET_MS, rust_timeout=200,
            yield_on_timeout=True, raise_interrupt=False,
        ):  # fmt: skip
            self._watching.set()
            if changes:
                self.rebuild(_strongest(watched, (Path(path) for _, path in changes)))


def _strongest(watched: dict[Path, Change], paths: Iterable[Path]) -> Change:
    """DATA if any changed path is (or lies in) a data source, else TEMPLATES."""
    for path in paths:
        for source, change in watched.items():
            if change is Change.DATA and path.resolve().is_relative_to(source):
                return Change.DATA
    return Change.TEMPLATES


def _handler_for(server: PreviewServer) -> type[BaseHTTPRequestHandler]:
    class PreviewHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path in ("/", "/index.html"):
                self._send_page()
            elif path == "/events":
                self._stream_versions()
            elif path == "/favicon.ico":
                self.send_response(HTTPStatus.NO_CONTENT)
                self.end_headers()
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def _send_page(self) -> None:
            page = server.page
            body = page.html.encode("utf-8")
            self.send_response(HTTPStatus.OK if page.ok else HTTPStatus.INTERNAL_SERVER_ERROR)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _stream_versions(self) -> None:
            """Server-sent events: the page's version now, and each time it changes."""
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            version = server.page.version
            try:
                self.wfile.write(f"retry: 1000\ndata: {version}\n\n".encode())
                self.wfile.flush()
                while not server.stopped:
                    page = server.wait_for_change(version, KEEPALIVE_SECONDS)
                    if page.version != version:
                        version = page.version
                        self.wfile.write(f"data: {version}\n\n".encode())
                    else:
                        self.wfile.write(b": still here\n\n")  # finds closed connections
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the browser left or reloaded

        def log_message(self, format: str, *args: object) -> None:
            pass  # requests are not news; rebuilds are reported instead

    return PreviewHandler


def serve(
    choose: AreaChooser,
    settings: Settings,
    port: int,
    on_event: Callable[[str], None],
) -> None:
    """Serve the preview until Ctrl+C; ``on_event`` hears the URL and every rebuild."""
    if not settings.data.is_dir():
        raise InputError(f"{settings.data}: no such data folder.")
    render.template_environment(settings.templates)  # a missing folder fails here, clearly
    server = PreviewServer(PackPreview(choose, settings), port, on_event)
    server.start()
    on_event(f"Previewing {server.preview.area.name} at {server.url} (Ctrl+C to stop)")
    if not server.page.ok:
        on_event("The pack cannot be built yet: the page shows why.")
    try:
        while not server.stopped:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    on_event("Stopped.")
