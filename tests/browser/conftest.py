"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Screenshots of each step go to test-artifacts/browser/<test name>/.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture
def browser_page(request, live_server):
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    folder = ARTIFACTS / re.sub(r"[^\w-]", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.set_default_timeout(15000)
        steps = iter(range(1, 100))

        def shot(name: str):
            page.screenshot(path=str(folder / f"{next(steps):02d}-{name}.png"), full_page=True)

        page.shot = shot
        page.base = live_server.url
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def login(page, username, password="pw-for-tests-1"):
    page.goto(f"{page.base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")


def logout(page):
    page.click("text=退出")
    page.wait_for_url(re.compile(r".*/accounts/(logout|login)/.*"))
