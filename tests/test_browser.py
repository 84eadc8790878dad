"""End-to-end: the page in headless Chromium (Debian's package) against a store filled from the samples.

Screenshots land in tests/artifacts/ (git-ignored); set MARSAD_DOCS_SCREENSHOT=1 to refresh the
README's docs/img/web.png too.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    pytest.skip(
        "needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)", allow_module_level=True
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

from marsad.web.app import create_app, vendor_missing  # noqa: E402

if vendor_missing():
    pytest.skip("front-end libraries not built: run scripts/build_web_assets.sh", allow_module_level=True)


def _fill_from_samples(path: Path) -> int:
    from marsad.pipeline import extract_article
    from marsad.sources import InputProblem, read_inputs
    from marsad.store import Store

    with Store(path) as st:
        for item in read_inputs([str(ROOT / "examples" / "articles")]):
            if not isinstance(item, InputProblem):
                st.add_article(item, extract_article(item))
    import sqlite3

    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT COUNT(*) FROM incidents WHERE deleted_at IS NULL").fetchone()[0])
    finally:
        db.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    db = tmp_path_factory.mktemp("browser") / "samples.db"
    if _fill_from_samples(db) == 0:
        pytest.skip("the store wrote no incidents for the sample articles")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, base_url: str) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    external: list[str] = []

    def guard(route) -> None:  # the page must work offline: any request off this server fails the test
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    pg.route("**/*", guard)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(base_url + "/")
    pg.wait_for_selector("body[data-ready='1']", timeout=20000)
    yield pg
    ctx.close()
    assert not external, f"requests left the server: {external}"
    assert not errors, f"JavaScript errors: {errors}"


def _shot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n")
    out = ARTIFACTS / name
    pg.screenshot(path=str(out), full_page=False)
    return out


def test_markers_filter_and_evidence(page) -> None:
    pg = page
    # markers (or clusters of them) are drawn from the store's incidents
    pg.wait_for_selector(".event-marker, .marker-cluster", timeout=10000)
    assert pg.locator(".event-marker, .marker-cluster").count() > 0
    rows_before = pg.locator("#table tbody tr").count()
    assert rows_before > 1
    assert pg.locator("#timeline rect").count() > 1
    shot = _shot(pg, "desktop.png")
    if os.environ.get("MARSAD_DOCS_SCREENSHOT"):
        (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, ROOT / "docs" / "img" / "web.png")

    # a filter narrows the table to one event type
    options = pg.locator("#f-event_type option").all_inner_texts()[1:]
    assert options, "event types should be offered as filter values"
    chosen = options[0]
    pg.select_option("#f-event_type", label=chosen)
    pg.click("#apply")
    pg.wait_for_function("document.querySelector('#summary').textContent.includes('matching')")
    pg.wait_for_timeout(300)
    rows = pg.locator("#table tbody tr")
    assert 0 < rows.count() < rows_before
    summary = pg.locator("#summary").inner_text()
    assert summary.startswith(f"{rows.count()} ")
    _shot(pg, "filtered.png")

    # opening an event shows its detail with highlighted evidence in the article text
    rows.first.locator("button.open").click()
    pg.wait_for_selector("#detail:not([hidden]) .article-text mark.ev", timeout=10000)
    marks = pg.locator("#detail .article-text mark.ev")
    assert marks.count() > 0
    assert marks.first.get_attribute("data-fields")
    assert pg.locator("#detail .sources li").count() >= 1
    _shot(pg, "detail.png")
    pg.keyboard.press("Escape")
    assert pg.locator("#detail").is_hidden()


def test_keyboard_and_phone_width(browser, base_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    pg.goto(base_url + "/")
    pg.wait_for_selector("body[data-ready='1']", timeout=20000)
    # nothing wider than the screen but the scrollable table
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    _shot(pg, "phone.png")
    # the first event opens from the keyboard alone
    pg.locator("#table tbody button.open").first.focus()
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#detail:not([hidden])")
    assert pg.evaluate("document.activeElement.id") == "detail-close"
    pg.keyboard.press("Enter")
    assert pg.locator("#detail").is_hidden()
    # the trends view is a real button and renders a table
    pg.click("button[data-view='trends']")
    pg.wait_for_selector("#trend-table tbody tr")
    _shot(pg, "trends-phone.png")
    ctx.close()


def test_timeline_brush_sets_date_range(page) -> None:
    pg = page
    box = pg.locator("#timeline").bounding_box()
    assert box
    y = box["y"] + box["height"] * 0.4
    pg.mouse.move(box["x"] + box["width"] * 0.3, y)
    pg.mouse.down()
    pg.mouse.move(box["x"] + box["width"] * 0.6, y, steps=5)
    pg.mouse.up()
    pg.wait_for_timeout(500)
    start, end = pg.input_value("#f-date_from"), pg.input_value("#f-date_to")
    assert start and end and start <= end
    assert pg.locator("#timeline .brush").get_attribute("visibility") == "visible"
    assert pg.locator("#clear-range").is_visible()
