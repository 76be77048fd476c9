"""The preview server over HTTP: the page, live rebuilds, error pages and recovery.

The servers start from the session's results (``small_results``), so only a data
change computes. The tests that edit templates share one server (drawing a pack's
charts takes seconds), and each leaves the template folder empty again; the tests
that change the data get a server and a copy of the sample of their own.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
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


def _wait_until_ok(server: PreviewServer, version: int) -> Page:
    """Wait for rebuilds after ``version`` until one shows the pack again."""
    deadline = time.monotonic() + WAIT
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
    assert _wait_until_ok(server, version).ok


def test_the_event_stream_announces_new_versions(server: PreviewServer) -> None:
    templates = _templates(server)
    with urllib.request.urlopen(server.url + "events", timeout=WAIT) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        assert stream.readline() == b"retry: 1000\n"
        assert stream.readline() == f"data: {server.page.version}\n".encode()
        assert stream.readline() == b"\n"
        version = _edit_and_wait(server, templates / "pack.css", "body { color: #123456; }\n")
        assert stream.readline() == f"data: {version}\n".encode()
    assert "#123456" in fetch(server.url)[1]


def test_an_unchanged_result_does_not_reload(server: PreviewServer) -> None:
    version = server.page.version
    assert server.rebuild(Change.TEMPLATES).version == version


def test_reload_script_goes_before_the_end_of_body() -> None:
    page = with_reload_script("<html><body><p>x</p></body></html>", 7)
    assert page.index('const shown = "7"') < page.index("</body>")
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
