"""The preview in a real browser: headless Chromium, driven through its own ChromeDriver.

Needs Debian's ``chromium`` and ``chromium-driver`` (``make browser-deps`` installs
them); skipped, with the reason, where they are missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from datapakke.engine.compute import Results
from datapakke.preview.server import PackPreview, PreviewServer, set_area
from datapakke.run.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
WAIT = 30  # seconds


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("chromium and chromedriver are not installed (run 'make browser-deps')")
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # never let Selenium Manager download drivers
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # Flags that keep Chromium from phoning home (and hanging) on a closed network.
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-sync",
                 "--disable-component-update", "--disable-dev-shm-usage",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def server(small_sample: Path, small_results: Results, tmp_path: Path) -> Iterator[PreviewServer]:
    templates = tmp_path / "templates"
    templates.mkdir()
    sources = Settings(small_sample, templates=templates)
    running = PreviewServer(
        PackPreview(
            set_area("klynger-2022", "Horsensklyngen"), sources, small_results, synthetic=True
        ),
        port=0,
    )
    running.start()
    yield running
    running.stop()


def _console_errors(driver: Any) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_the_browser_shows_every_section_and_reloads_after_a_template_change(
    browser: Any, server: PreviewServer
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    pack = server.preview.pack
    assert pack is not None
    browser.get(server.url)
    assert browser.title == pack.title
    assert browser.find_element(By.ID, "forside-titel").text == "Horsensklyngen"
    for section in pack.sections:
        element = browser.find_element(By.ID, section.id)
        assert element.is_displayed()
        assert element.find_element(By.TAG_NAME, "h2").text == section.title
    images = browser.find_elements(By.CSS_SELECTOR, "img")
    assert len(images) >= len(pack.charts) > 0
    for image in images:
        # Every chart decoded and has a size: it is drawn, not a broken image.
        assert browser.execute_script("return arguments[0].naturalWidth", image) > 0
    assert _console_errors(browser) == []

    templates = server.preview.settings.templates
    assert templates is not None
    (templates / "pack.html.j2").write_text(
        '{% extends "default:pack.html.j2" %}{% block front_page %}'
        '<p id="udkast">Udkast til klyngemødet</p>{{ super() }}{% endblock %}',
        encoding="utf-8",
    )
    # The page reloads by itself (server-sent event) ...
    note = WebDriverWait(browser, WAIT).until(
        expected_conditions.presence_of_element_located((By.ID, "udkast"))
    )
    assert note.text == "Udkast til klyngemødet"
    # ... and a reload by hand shows the same.
    browser.refresh()
    assert browser.find_element(By.ID, "udkast").text == "Udkast til klyngemødet"
    for section in pack.sections:
        assert browser.find_element(By.ID, section.id).is_displayed()
    assert _console_errors(browser) == []
