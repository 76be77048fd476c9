"""The PDF's URL fetcher: only data: URIs and files inside the template folders, whatever
the spelling; every other reference stops the build (exit 3) and no PDF is written."""

from __future__ import annotations

import base64
import datetime as dt
import io
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from datapakke.cli import app
from datapakke.errors import ExitCode
from datapakke.render.fetch import FetchRefusedError, RefusedURLError, confined_file
from datapakke.render.pdf import write_pdf

CREATED = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
SECRET = b"pnr;cpr\n0101011234;secret\n"
# A 1x1 PNG: an image the PDF would embed if the fetcher let it through.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A template folder, and beside it a data folder the templates must not reach."""
    templates = tmp_path / "templates"
    templates.mkdir()
    data = tmp_path / "data"
    data.mkdir()
    (data / "befolkning.parquet").write_bytes(SECRET)
    (data / "secret.png").write_bytes(PNG)
    (data / "evil.css").write_text("body { color: red }", encoding="utf-8")
    (data / "font.ttf").write_bytes(b"\x00\x01\x00\x00")
    return templates, data


def _pdf(templates: Path, body: str, head: str = "") -> Path:
    """Write ``body`` as the user's pack template and render it to a PDF."""
    html = f"<!DOCTYPE html><html><head>{head}</head><body><p>Datapakke</p>{body}</body></html>"
    (templates / "pack.html.j2").write_text(html + "\n", encoding="utf-8")
    target = templates.parent / "out" / "pack.pdf"
    write_pdf(html, target, created=CREATED, user_templates=templates)
    return target


def _refused(templates: Path, body: str, head: str = "") -> FetchRefusedError:
    with pytest.raises(FetchRefusedError) as caught:
        _pdf(templates, body, head)
    assert not (templates.parent / "out").exists() or not any(
        (templates.parent / "out").iterdir()
    ), "a refused fetch must leave no file"
    assert caught.value.exit_code is ExitCode.INVALID_INPUT
    return caught.value


ATTACHMENT_ATTACKS = {
    "percent-encoded dots": '<link rel="attachment" href="%2e%2e/data/befolkning.parquet">',
    "upper-case percent": '<link rel="attachment" href="%2E%2E/data/befolkning.parquet">',
    "encoded slash": '<link rel="attachment" href="..%2fdata%2fbefolkning.parquet">',
    "double encoding": '<link rel="attachment" href="%252e%252e/data/befolkning.parquet">',
    "plain dots": '<link rel="attachment" href="../data/befolkning.parquet">',
    "backslashes": '<link rel="attachment" href="..\\data\\befolkning.parquet">',
    "system file": '<link rel="attachment" href="file:///etc/passwd">',
    "a host": '<link rel="attachment" href="file://fileserver/share/befolkning.parquet">',
    "localhost": '<link rel="attachment" href="file://localhost/etc/passwd">',
    "no slashes": '<link rel="attachment" href="file:/etc/passwd">',
    "a link element": '<a rel="attachment" href="%2e%2e/data/befolkning.parquet">data</a>',
}


@pytest.mark.parametrize("tag", ATTACHMENT_ATTACKS.values(), ids=ATTACHMENT_ATTACKS.keys())
def test_no_attachment_leaves_the_template_folder(folders: tuple[Path, Path], tag: str) -> None:
    templates, _ = folders
    error = _refused(templates, tag)
    assert "befolkning.parquet" in error.message or "passwd" in error.message
    # The message says which template holds the reference, and what it pointed at.
    assert "pack.html.j2:1:" in error.message
    assert "the PDF cannot load" in error.message


def test_an_absolute_path_outside_is_refused(folders: tuple[Path, Path]) -> None:
    templates, data = folders
    error = _refused(templates, f'<link rel="attachment" href="{data}/befolkning.parquet">')
    assert f"{data.as_uri()}/befolkning.parquet" in error.message
    assert "outside the template folder" in error.message


def test_a_symlink_out_of_the_template_folder_is_refused(folders: tuple[Path, Path]) -> None:
    templates, data = folders
    (templates / "leak.parquet").symlink_to(data / "befolkning.parquet")
    (templates / "img").symlink_to(data, target_is_directory=True)
    error = _refused(templates, '<link rel="attachment" href="leak.parquet">')
    assert "symbolic link" in error.message
    _refused(templates, '<img src="img/secret.png" alt="">')


RESOURCE_ATTACKS = {
    "img": ('<img src="%2e%2e/data/secret.png" alt="x">', ""),
    "object": ('<object data="%2e%2e/data/secret.png" type="image/png"></object>', ""),
    "embed": ('<embed src="%2e%2e/data/secret.png" type="image/png">', ""),
    "css url()": ('<div style="background-image: url(%2e%2e/data/secret.png)">x</div>', ""),
    "list-style": ('<ul style="list-style-image: url(../data/secret.png)"><li>x</li></ul>', ""),
    "content url()": ("", "<style>p::before { content: url(%2e%2e/data/secret.png) }</style>"),
    "stylesheet": ("", '<link rel="stylesheet" href="%2e%2e/data/evil.css">'),
    "@import": ("", '<style>@import url("%2e%2e/data/evil.css");</style>'),
    "@font-face": (
        "",
        "<style>@font-face { font-family: Leak; src: url(%2e%2e/data/font.ttf) }"
        " body { font-family: Leak }</style>",
    ),
    "svg in a data: URI": (
        '<img alt="x" src="data:image/svg+xml;utf8,'
        "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>"
        "<image href='file:///etc/passwd' width='10' height='10'/></svg>\">",
        "",
    ),
}


@pytest.mark.parametrize(("body", "head"), RESOURCE_ATTACKS.values(), ids=RESOURCE_ATTACKS.keys())
def test_no_image_style_or_font_leaves_the_template_folder(
    folders: tuple[Path, Path], body: str, head: str
) -> None:
    templates, _ = folders
    error = _refused(templates, body, head)
    assert "the PDF cannot load" in error.message


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A local TCP port that records whatever connects to it."""
    heard: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                heard.append(connection.recv(1024))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], heard
    stop.set()
    thread.join()
    server.close()


@pytest.mark.parametrize("scheme", ["http", "https", "ftp"])
def test_network_schemes_are_refused_without_connecting(
    folders: tuple[Path, Path], listener: tuple[int, list[bytes]], scheme: str
) -> None:
    templates, _ = folders
    port, heard = listener
    error = _refused(templates, f'<img src="{scheme}://127.0.0.1:{port}/pack.png" alt="x">')
    assert f"the {scheme}: scheme is not allowed" in error.message
    assert heard == []


def test_files_inside_the_template_folder_and_data_uris_are_loaded(
    folders: tuple[Path, Path],
) -> None:
    templates, _ = folders
    (templates / "logo.png").write_bytes(PNG)
    (templates / "notes.txt").write_text("Egne noter", encoding="utf-8")
    (templates / "sub").mkdir()
    (templates / "sub" / "style.css").write_text("p { color: #123456 }", encoding="utf-8")
    inline = "data:image/png;base64," + base64.b64encode(PNG).decode("ascii")
    target = _pdf(
        templates,
        f'<img src="logo.png" alt="logo"><img src="{inline}" alt="inline">'
        '<link rel="attachment" href="sub/../notes.txt">',
        '<link rel="stylesheet" href="sub/style.css">',
    )
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    assert reader.attachments["notes.txt"] == [b"Egne noter"]
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 2


def test_a_missing_file_inside_the_folder_stops_the_build(folders: tuple[Path, Path]) -> None:
    templates, _ = folders
    error = _refused(templates, '<img src="logo-missing.png" alt="logo">')
    assert "no such file in the template folder" in error.message


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///t/%2e%2e/x", "outside"),
        ("file:///t/%252e%252e/x", "percent-encoded twice"),
        ("file:///t/%25252e/x", "percent-encoded twice"),
        ("file:///t/a%5c..%5cx", "backslash"),
        ("file:///t/a%00.png", "NUL"),
        ("file:///t/%ff.png", "UTF-8"),
        ("file://h/t/x", "another host"),
        ("javascript:alert(1)", "scheme is not allowed"),
        ("FILE:///etc/passwd", "outside"),
        ("relative/x.png", "not an absolute URL"),
    ],
)
def test_confined_file_decodes_before_it_checks(url: str, reason: str) -> None:
    with pytest.raises(RefusedURLError, match=reason):
        confined_file(url, (Path("/t"),))


def test_confined_file_allows_the_folders_and_data_uris(tmp_path: Path) -> None:
    (tmp_path / "a b.png").write_bytes(PNG)
    assert confined_file("data:text/plain,x", (tmp_path,)) is None
    found = confined_file(f"{tmp_path.as_uri()}/x/..//a%20b.png?v=1#top", (tmp_path,))
    assert found == tmp_path / "a b.png"


@pytest.mark.slow
def test_build_with_a_leaking_template_stops_with_exit_3_and_writes_nothing(
    small_sample: Path, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "pack.html.j2").write_text(
        '{% extends "default:pack.html.j2" %}\n'
        "{% block front_page %}{{ super() }}\n"
        '<link rel="attachment" href="%2e%2e/data/befolkning.parquet">\n'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["build", "--klynge", "Bornholm", "--data", str(small_sample), "--out", str(out),
         "--templates", str(templates)],
    )  # fmt: skip
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "pack.html.j2:3" in result.output
    assert "%2e%2e/data/befolkning.parquet" in result.output
    assert "outside the template folder" in result.output
    # No pack file; the manifest (and its index page) record the failed pack.
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert written == ["index.html", "manifest.json"]
