"""The phone page in a real browser: headless Chromium at a phone's size joins the room, rates,
sends, and the desktop's room window shows the submission.

Chromium and its driver come from Debian's packages (chromium, chromium-driver); the test set-up
installs them where it can (as root, with apt-get) and otherwise skips, saying why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from opassess.frameworks import default_framework
from opassess.session import EditSession
from opassess.workshop import add_participants, new_workshop, set_scope
from ui.controller import WorkshopController
from ui.steps.rate import RatePage

PHONE = (390, 844)  # a current phone's viewport in CSS pixels
SHOTS = os.environ.get("OPASSESS_ROOM_SCREENSHOTS")  # a folder to keep the screenshots in


def _browser() -> tuple[str, str]:
    """Paths of chromium and chromedriver, installing them if this machine allows."""
    found = shutil.which("chromium"), shutil.which("chromedriver")
    if None in found and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        for command in (
            ["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"],
            ["apt-get", "update", "-q"],
            ["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"],
        ):
            try:
                done = subprocess.run(command, capture_output=True, timeout=900, check=False)
            except (OSError, subprocess.TimeoutExpired):
                break
            if done.returncode == 0 and command[1] == "install":
                break
        found = shutil.which("chromium"), shutil.which("chromedriver")
    chromium, driver = found
    if chromium is None or driver is None:
        pytest.skip("needs Debian's chromium and chromium-driver, which could not be installed")
    return chromium, driver


@pytest.fixture
def phone():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    chromium, driver = _browser()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={PHONE[0]},{PHONE[1]}",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "mobileEmulation",
        {"deviceMetrics": {"width": PHONE[0], "height": PHONE[1], "pixelRatio": 2}},
    )
    try:
        browser = webdriver.Chrome(service=Service(driver), options=options)
    except Exception as exc:  # a browser that cannot start here is a reason to skip, said
        pytest.skip(f"headless Chromium could not start: {str(exc).splitlines()[0]}")
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()


@pytest.fixture
def page(qtbot, library):
    workshop = new_workshop(default_framework(), title="Corporate management team")
    workshop = add_participants(workshop, [("Ann Baker", ""), ("Bo Chen", ""), ("Cy Diaz", "")])
    workshop = set_scope(workshop, workshop.framework.dimension_ids[:2])
    library.add(workshop)
    controller = WorkshopController(EditSession.open(library, workshop.id))
    rate = RatePage(controller)
    qtbot.addWidget(rate)
    rate.show()
    yield rate
    rate.closing()


def _shot(browser, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(SHOTS) / f"{name}.png"))


def test_a_phone_joins_rates_two_barriers_and_the_desktop_sees_it(qtbot, phone, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def wait_for(css: str):
        def visible(driver):
            shown = [e for e in driver.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]
            return shown[0] if shown else False

        return WebDriverWait(phone, 15).until(visible)

    page.show_room()
    dialog = page.room_dialog
    dialog.addresses.setCurrentIndex(dialog.addresses.findData("127.0.0.1"))
    dialog.open_button.click()
    server, room = page.rooms.server, page.rooms.room
    phone.get(server.url)
    wait_for("#pin").send_keys(room.pin)
    _shot(phone, "1-pin")
    phone.find_element(By.ID, "pin-button").click()
    wait_for("#name-list button")
    names = [b.text for b in phone.find_elements(By.CSS_SELECTOR, "#name-list button")]
    assert names == ["Ann Baker", "Bo Chen", "Cy Diaz"]
    _shot(phone, "2-names")
    next(
        b for b in phone.find_elements(By.CSS_SELECTOR, "#name-list button") if b.text == "Bo Chen"
    ).click()

    first, second = page.controller.workshop.scope
    wait_for('#stage-list button[data-stage="developing"]').click()
    phone.find_element(By.ID, "evidence").send_keys("Targets are discussed monthly")
    _shot(phone, "3-rating")
    phone.find_element(By.ID, "next").click()
    WebDriverWait(phone, 10).until(
        lambda d: (
            d.find_element(By.ID, "barrier-name").text
            == page.controller.workshop.framework.dimension(second).name
        )
    )
    wait_for('#stage-list button[data-stage="not-sure"]').click()
    phone.find_element(By.ID, "next").click()
    wait_for("#submit")
    _shot(phone, "4-review")
    phone.find_element(By.ID, "submit").click()

    # the desktop runs the edit on its own thread; the phone waits for it
    qtbot.waitUntil(lambda: "1 submitted" in dialog.summary.text(), timeout=20000)
    wait_for("#screen-received")
    _shot(phone, "5-received")
    assert "Received" in phone.find_element(By.ID, "received-heading").text
    rows = [dialog.people.item(i).text() for i in range(dialog.people.count())]
    assert "Bo Chen — ✓ submitted" in rows
    bo = page.controller.workshop.participants[1].id
    ratings = page.controller.workshop.ratings
    assert ratings[(bo, first)].stage == "developing"
    assert ratings[(bo, first)].evidence == "Targets are discussed monthly"
    assert ratings[(bo, second)].stage == "not-sure"
    # a reload keeps the phone in the room, at its answers, with no second join
    phone.refresh()
    wait_for("#screen-received, #screen-review, #screen-rating")
    assert not phone.find_element(By.ID, "screen-pin").is_displayed()
