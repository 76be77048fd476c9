"""The preview server over HTTP: the page, live rebuilds, error pages and recovery.

The servers start from the session's results (``small_results``), so only a data
change computes. The tests that edit templates share one server (drawing a pack's
charts takes seconds), and each leaves the template folder empty again; the tests
that change the data get a server and a copy of the sample of their own.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from datapakke.engine.compute import Results
from datapakke.errors import ExitCode
from datapakke.preview.pages import error_page, with_reload_script
from datapakke.preview.server import Change, PackPreview, Page, PreviewServer, set_area
from datapakke.run.settings import Settings
from tests.helpers import invoke

WAIT = 60.0  # seconds to wait at most for a rebuild (a template one takes well under one)
DATA_WAIT = 300.0  # ... and for a rebuild from changed data (it reads and computes again)


def fetch(url: str) -> tuple[int, str]:
    """Status and body of a GET (error statuses included)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


# One worker runs this module's tests (pytest-xdist --dist loadgroup): one shared server.
pytestmark = pytest.mark.xdist_group("preview")


def _serve(data: Path, results: Results, folder: Path) -> Iterator[PreviewServer]:
    """A running preview of Bornholm on ``data``, with an empty template folder."""
    templates = folder / "templates"
    templates.mkdir()
    preview = PackPreview(
        set_area("klynger-2022", "Bornholm"),
        Settings(data, templates=templates),
        results,
        synthetic=True,
    )
    running = PreviewServer(preview, port=0)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def shared_server(
    small_sample: Path, small_results: Results, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PreviewServer]:
    """A server on the (read-only) small sample, for the tests that edit templates only."""
    yield from _serve(small_sample, small_results, tmp_path_factory.mktemp("preview"))


@pytest.fixture
def server(shared_server: PreviewServer) -> Iterator[PreviewServer]:
    """The shared server; what a test wrote into its template folder is removed after it."""
    yield shared_server
    written = list(_templates(shared_server).iterdir())
    if written:
        version = shared_server.page.version
        for path in written:
            path.unlink()
        assert _wait_until_ok(shared_server, version).ok  # back to the bundled templates


@pytest.fixture
def data_server(
    small_sample: Path, small_results: Results, tmp_path: Path
) -> Iterator[PreviewServer]:
    """A server of its own on a copy of the small sample, which the test may change."""
    shutil.copytree(small_sample, tmp_path / "data")
    yield from _serve(tmp_path / "data", small_results, tmp_path)


def _templates(server: PreviewServer) -> Path:
    templates = server.preview.settings.templates
    assert templates is not None
    return templates


def _edit_and_wait(server: PreviewServer, path: Path, text: str) -> int:
    """Write ``path`` and wait until the watcher has rebuilt the page; return its version."""
    version = server.page.version
    path.write_text(text, encoding="utf-8")
    page = server.wait_for_change(version, WAIT)
    assert page.version != version, f"no rebuild after writing {path.name}"
    return page.version


def _wait_until_ok(server: PreviewServer, version: int, wait: float = WAIT) -> Page:
    """Wait for rebuilds after ``version`` until one shows the pack again."""
    deadline = time.monotonic() + wait
    page = server.page
    while time.monotonic() < deadline:
        page = server.wait_for_change(version, deadline - time.monotonic())
        if page.ok and page.version != version:
            return page
        version = page.version
    return page


def test_serves_the_pack_on_localhost_only(server: PreviewServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    assert server.http.server_address[0] == "127.0.0.1"
    status, page = fetch(server.url)
    assert status == 200
    assert '<html lang="da">' in page
    assert "Klynge Bornholm" in page
    assert 'id="populationsoverblik"' in page
    pack = server.preview.pack
    assert pack is not None
    assert pack.charts
    for figure in pack.charts:  # every chart is drawn into the page
        assert f'id="fig-{figure.id}"' in page
    assert page.count('<img src="data:image/svg+xml;base64,') >= len(pack.charts)
    assert 'new EventSource("/events")' in page
    assert fetch(server.url + "nothing-here")[0] == 404


def test_a_template_edit_rebuilds_without_computing_again(server: PreviewServer) -> None:
    templates = _templates(server)
    _edit_and_wait(
        server,
        templates / "pack.html.j2",
        '{% extends "default:pack.html.j2" %}'
        "{% block front_page %}<p>Kladde til mødet</p>{{ super() }}{% endblock %}",
    )
    status, page = fetch(server.url)
    assert status == 200
    assert "<p>Kladde til mødet</p>" in page
    assert server.preview.computations == 0  # the indicators it was given were kept


def test_a_broken_template_shows_an_error_page_until_it_is_fixed(server: PreviewServer) -> None:
    templates = _templates(server)
    broken = templates / "section.html.j2"
    _edit_and_wait(server, broken, "<section>\n  <h2>{{ section.title }</h2>\n</section>\n")
    status, page = fetch(server.url)
    assert status == 500
    assert "Template error" in page
    assert f"<code>{broken.resolve()}</code>, line 2" in page or f"<code>{broken}</code>" in page
    assert "unexpected &#x27;}&#x27;" in page
    assert "{{ section.title }&lt;/h2&gt;" in page  # the offending line, escaped
    assert 'new EventSource("/events")' in page  # it reloads itself once fixed

    # An error raised while rendering names its template and line too.
    _edit_and_wait(server, broken, "<section>\n\n  {{ section.no_such_thing.x }}\n</section>\n")
    status, page = fetch(server.url)
    assert status == 500
    assert "line 3" in page
    assert "no_such_thing" in page

    version = server.page.version
    broken.unlink()  # back to the bundled section template
    page_after = server.wait_for_change(version, WAIT)
    assert page_after.ok
    status, page = fetch(server.url)
    assert status == 200
    assert 'id="populationsoverblik"' in page


def test_a_data_change_recomputes_the_indicators(data_server: PreviewServer) -> None:
    server, data = data_server, data_server.preview.settings.data
    before = fetch(server.url)[1]
    population = pl.read_parquet(data / "befolkning.parquet")
    # Drop the last year: the pack then covers one year less.
    last = population.get_column("aar").max()
    version = server.page.version
    population.filter(pl.col("aar") < last).write_parquet(data / "befolkning.parquet")
    # The watcher may catch the file half-written (an error page) before it is complete.
    page = _wait_until_ok(server, version)
    assert page.version != version
    assert server.preview.computations >= 1
    after = fetch(server.url)[1]
    assert after != before
    assert f"pr. 1. januar {last}" in before
    assert f"pr. 1. januar {last}" not in after


def test_unreadable_data_is_an_error_page_not_a_crash(data_server: PreviewServer) -> None:
    server, data = data_server, data_server.preview.settings.data
    good = (data / "befolkning.parquet").read_bytes()
    _edit_and_wait(server, data / "befolkning.parquet", "not parquet at all")
    status, page = fetch(server.url)
    assert status == 500
    assert "Cannot build the pack" in page
    assert "befolkning.parquet" in page
    version = server.page.version
    (data / "befolkning.parquet").write_bytes(good)
    assert _wait_until_ok(server, version, DATA_WAIT).ok


def test_the_event_stream_announces_new_versions(server: PreviewServer) -> None:
    templates = _templates(server)
    with urllib.request.urlopen(server.url + "events", timeout=WAIT) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        assert stream.readline() == b"retry: 1000\n"
        assert stream.readline() == f"data: {server.page.version}\n".encode()
        assert stream.readline() == b"\n"
        version = _edit_and_wait(server, templates / "pack.css", "body { color: #123456; }\n")
        # On a slow machine a keep-alive comment (": still here") may come first.
        line = stream.readline()
        while line.startswith(b":") or line == b"\n":
            line = stream.readline()
        assert line == f"data: {version}\n".encode()
    assert "#123456" in fetch(server.url)[1]


def test_an_unchanged_result_does_not_reload(server: PreviewServer) -> None:
    version = server.page.version
    assert server.rebuild(Change.TEMPLATES).version == version


def test_reload_script_goes_before_the_end_of_body() -> None:
    page = with_reload_script("<html><body><p>x</p></body></html>", 7, "n0nce")
    assert page.index('const shown = "7"') < page.index("</body>")
    assert '<script nonce="n0nce">' in page
    assert "&lt;script&gt;" in error_page("Oops", "<script>")


@pytest.mark.slow
def test_the_preview_command_prints_its_url_and_stops_on_ctrl_c(small_sample: Path) -> None:
    command = [sys.executable, "-m", "datapakke", "preview", "--klynge", "bornholm",
               "--data", str(small_sample), "--port", "0"]  # fmt: skip
    run = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"},
    )  # fmt: skip
    try:
        assert run.stdout is not None
        line = run.stdout.readline()
        assert line.startswith("Previewing Klynge Bornholm at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].split()[0]
        status, page = fetch(url)
        assert status == 200
        assert "Klynge Bornholm" in page
    finally:
        run.send_signal(signal.SIGINT)
        stdout, stderr = run.communicate(timeout=30)
    assert run.returncode == 0, stderr
    assert "Stopped." in stdout


def test_the_preview_command_refuses_an_unknown_cluster(small_sample: Path) -> None:
    result = invoke("preview", "-k", "Atlantis", "--data", small_sample, "--port", "0")
    assert result.exit_code == ExitCode.UNKNOWN_AREA
    assert "datapakke omraader --inddeling klynger-2022" in result.stderr


# --- the HTTP side, hardened: Host check, HEAD, bounded threads, CSP -------------------------


class _StubPreview:
    """A preview whose page is fixed: for testing the HTTP side without computing a pack."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def build(self, change: Change = Change.TEMPLATES) -> tuple[str, bool]:
        return "<html><body><p>Upubliceret tal: 42</p><script>steal()</script></body></html>", True

    def watched(self) -> dict[Path, Change]:
        return {self.folder: Change.TEMPLATES}


@pytest.fixture
def stub_server(tmp_path: Path) -> Iterator[PreviewServer]:
    running = PreviewServer(_StubPreview(tmp_path), port=0)  # type: ignore[arg-type]
    running.start()
    yield running
    running.stop()


def _request(
    server: PreviewServer, path: str = "/", host: str | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a request with the given ``Host`` header."""
    connection = http.client.HTTPConnection("127.0.0.1", server.http.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_only_requests_addressed_to_localhost_are_served(stub_server: PreviewServer) -> None:
    port = stub_server.http.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        status, _, body = _request(stub_server, host=host)
        assert status == 200, host
        assert b"Upubliceret tal: 42" in body
    # DNS rebinding: a page at evil.example resolves its name to 127.0.0.1.
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}",
                 f"127.0.0.1.evil.example:{port}", f"[::1]:{port}", "", None):  # fmt: skip
        for path in ("/", "/events", "/favicon.ico"):
            status, _, body = _request(stub_server, path, host=host)
            assert status == 403, (host, path)
            assert b"42" not in body


def test_head_is_answered_without_a_body(stub_server: PreviewServer) -> None:
    host = f"127.0.0.1:{stub_server.http.port}"
    _, _, page = _request(stub_server, host=host)
    status, headers, body = _request(stub_server, host=host, method="HEAD")
    assert status == 200
    assert body == b""
    assert int(headers["Content-Length"]) == len(page)
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    status, headers, body = _request(stub_server, "/events", host=host, method="HEAD")
    assert (status, headers["Content-Type"], body) == (200, "text/event-stream", b"")
    assert _request(stub_server, "/nothing", host=host, method="HEAD")[0] == 404


def test_only_the_previews_own_script_may_run(stub_server: PreviewServer) -> None:
    _, headers, body = _request(stub_server, host=f"localhost:{stub_server.http.port}")
    policy = headers["Content-Security-Policy"]
    nonce = stub_server.http.nonce
    assert f"script-src 'nonce-{nonce}'" in policy
    assert "default-src 'none'" in policy
    assert "connect-src 'self'" in policy
    page = body.decode("utf-8")
    assert page.count(f'<script nonce="{nonce}">') == 1
    assert "<script>steal()</script>" in page  # the template's script has no nonce: blocked
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_idle_connections_cannot_exhaust_the_server(stub_server: PreviewServer) -> None:
    from datapakke.preview.http import REQUEST_THREADS

    host = f"127.0.0.1:{stub_server.http.port}"
    idle = [socket.create_connection(("127.0.0.1", stub_server.http.port)) for _ in range(8)]
    try:
        # Every request thread waits on a silent client; the next connections are told so
        # at once (or, if the refusal races their request, reset), never queued or served.
        for _ in range(3):
            try:
                status, headers, _ = _request(stub_server, host=host)
            except ConnectionError:
                continue
            assert status == 503
            assert headers["Retry-After"] == "1"
        assert threading.active_count() < 30  # no thread per connection
    finally:
        for connection in idle:
            connection.close()
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:  # the threads are free again
        if _request(stub_server, host=host)[0] == 200:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the {REQUEST_THREADS} request threads did not come back")


def test_event_streams_do_not_hold_request_threads(stub_server: PreviewServer) -> None:
    from datapakke.preview.http import MAX_STREAMS, REQUEST_THREADS

    host = f"127.0.0.1:{stub_server.http.port}"
    streams = []
    try:
        for _ in range(MAX_STREAMS):
            stream = socket.create_connection(("127.0.0.1", stub_server.http.port), timeout=10)
            stream.sendall(f"GET /events HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            assert stream.recv(1024).startswith(b"HTTP/1.0 200 OK")
            streams.append(stream)
        assert MAX_STREAMS > REQUEST_THREADS
        assert _request(stub_server, host=host)[0] == 200  # pages are still served
        assert _request(stub_server, "/events", host=host)[0] == 503  # but no more streams
        assert len(stub_server.streams) == MAX_STREAMS
    finally:
        for stream in streams:
            stream.close()
