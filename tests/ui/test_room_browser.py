"""The phone page in a real browser: headless Chromium at a phone's size joins the room, rates,
sends, and the desktop's room window shows the submission; and when something goes wrong (a
wrong PIN or code, a lockout, a send refused or unreachable, a name freed) the message is beside
what the person was using and the focus is there, never left on the page body.

Chromium and its driver come from Debian's packages (chromium, chromium-driver); the test set-up
installs them where it can (as root, with apt-get) and otherwise skips, saying why. Every screen
is checked against WCAG 2.2 AA with axe-core, a fixed version fetched once from the npm registry
with npm and kept in pytest's cache (or taken from OPASSESS_AXE_JS, a path to axe.min.js).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from opassess.frameworks import default_framework
from opassess.room import WRONG_TRY_LIMIT, Room
from opassess.room_server import RoomServer
from opassess.session import EditSession
from opassess.workshop import (
    NameDisplay,
    add_participants,
    new_workshop,
    set_scope,
    update_details,
)
from ui.controller import WorkshopController
from ui.steps.rate import RatePage

PHONE = (390, 844)  # a current phone's viewport in CSS pixels
SHOTS = os.environ.get("OPASSESS_ROOM_SCREENSHOTS")  # a folder to keep the screenshots in
AXE_VERSION = "4.10.3"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


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


@pytest.fixture(scope="session")
def axe_source(request, tmp_path_factory) -> str:
    """axe-core's script: from OPASSESS_AXE_JS, else pytest's cache, else npm (then cached;
    in a folder of this run's when the cache is turned off)."""
    given = os.environ.get("OPASSESS_AXE_JS")
    if given:
        return Path(given).read_text(encoding="utf-8")
    cache = getattr(request.config, "cache", None)
    folder = Path(
        cache.mkdir(f"axe-core-{AXE_VERSION}")
        if cache is not None
        else tmp_path_factory.mktemp(f"axe-core-{AXE_VERSION}")
    )
    script = folder / "axe.min.js"
    if not script.exists() and shutil.which("npm"):
        try:
            subprocess.run(
                ["npm", "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(folder)],
                capture_output=True,
                timeout=300,
                check=True,
            )
            with tarfile.open(folder / f"axe-core-{AXE_VERSION}.tgz") as packed:
                member = packed.extractfile("package/axe.min.js")
                script.write_bytes(member.read() if member else b"")
        except (OSError, subprocess.SubprocessError, tarfile.TarError, KeyError):
            pass
    if not script.exists() or not script.stat().st_size:
        pytest.skip(
            f"needs axe-core {AXE_VERSION} (npm could not fetch it; or set OPASSESS_AXE_JS)"
        )
    return script.read_text(encoding="utf-8")


@pytest.fixture
def axe(phone, axe_source):
    """Checks the page as it stands against WCAG 2.2 AA: no violations, each one named if any."""

    def check(where: str) -> None:
        if not phone.execute_script("return !!window.axe"):
            phone.execute_script(axe_source)
        found = phone.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
            ".then((r) => done(r.violations.map((v) => ({id: v.id, help: v.help,"
            " nodes: v.nodes.map((n) => n.target.join(' '))}))))"
            ".catch((e) => done([{id: 'axe failed', help: String(e), nodes: []}]));",
            WCAG_22_AA,
        )
        assert found == [], f"{where}: {json.dumps(found, indent=1)}"

    return check


def _wait_for(browser, css: str, timeout: float = 15):
    """The first element matching `css` once one is shown."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def visible(driver):
        shown = [e for e in driver.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]
        return shown[0] if shown else False

    # a list redrawn while it is looked at is looked at again
    wait = WebDriverWait(browser, timeout, ignored_exceptions=[StaleElementReferenceException])
    return wait.until(visible)


def _wait_until(browser, condition, timeout: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(lambda driver: condition())


def _focused(browser) -> dict:
    """What has the focus, and what a screen reader hears with it."""
    return browser.execute_script(
        "const a = document.activeElement;"
        "const said = (a.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)"
        "  .map((id) => document.getElementById(id).textContent.trim());"
        "return {id: a.id, tag: a.tagName, invalid: a.getAttribute('aria-invalid'),"
        "  described: said.join(' | '), value: a.value === undefined ? null : a.value,"
        "  selected: a.selectionStart === 0 && a.selectionEnd === (a.value || '').length};"
    )


def _in_view(browser, element_id: str) -> bool:
    """Whether the element is wholly inside the phone's screen as it is scrolled now."""
    return browser.execute_script(
        "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;",
        element_id,
    )


def _stored_keys(browser) -> list[str]:
    return browser.execute_script("return Object.keys(localStorage);")


@pytest.fixture
def rooms():
    """Opens rooms straight on the room's server (no desktop window): a named workshop of three,
    or an anonymous one, rating all six barriers so the review is longer than a phone's screen.
    Wrong tries are not slowed here, so a lockout is quick to reach."""
    opened: list[RoomServer] = []

    def open_room(anonymous: bool = False) -> tuple[Room, RoomServer]:
        workshop = new_workshop(default_framework(), title="Corporate management team")
        workshop = add_participants(workshop, [("Ann Baker", ""), ("Bo Chen", ""), ("Cy Diaz", "")])
        workshop = set_scope(workshop, workshop.framework.dimension_ids)
        if anonymous:
            workshop = update_details(workshop, name_display=NameDisplay.ANONYMOUS)
        room = Room(
            lambda: workshop, lambda participant, answers, check: None, sleep=lambda s: None
        )
        server = RoomServer(room, "127.0.0.1")
        server.start()
        opened.append(server)
        return room, server

    yield open_room
    for server in opened:
        server.stop()


def _join_by_name(browser, room: Room, server: RoomServer, name: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url)
    _wait_for(browser, "#pin").send_keys(room.pin)
    browser.find_element(By.ID, "pin-button").click()
    _wait_for(browser, "#name-list button")
    next(
        b for b in browser.find_elements(By.CSS_SELECTOR, "#name-list button") if b.text == name
    ).click()
    _wait_for(browser, "#screen-rating")


def _rate_everything(browser) -> None:
    """Answers every barrier with its first stage, and ends on the review."""
    from selenium.webdriver.common.by import By

    while not phone_shows(browser, "screen-review"):
        _wait_for(browser, "#stage-list button").click()
        browser.find_element(By.ID, "next").click()
    _wait_for(browser, "#submit")


def phone_shows(browser, screen: str) -> bool:
    return browser.find_element("id", screen).is_displayed()


def test_a_phone_joins_rates_two_barriers_and_the_desktop_sees_it(qtbot, phone, page, axe):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def wait_for(css: str):
        return _wait_for(phone, css)

    page.show_room()
    dialog = page.room_dialog
    dialog.addresses.setCurrentIndex(dialog.addresses.findData("127.0.0.1"))
    dialog.open_button.click()
    server, room = page.rooms.server, page.rooms.room
    phone.get(server.url)
    wait_for("#pin").send_keys(room.pin)
    _shot(phone, "1-pin")
    axe("the PIN screen")
    phone.find_element(By.ID, "pin-button").click()
    wait_for("#name-list button")
    names = [b.text for b in phone.find_elements(By.CSS_SELECTOR, "#name-list button")]
    assert names == ["Ann Baker", "Bo Chen", "Cy Diaz"]
    _shot(phone, "2-names")
    axe("the names")
    next(
        b for b in phone.find_elements(By.CSS_SELECTOR, "#name-list button") if b.text == "Bo Chen"
    ).click()

    first, second = page.controller.workshop.scope
    wait_for('#stage-list button[data-stage="developing"]').click()
    phone.find_element(By.ID, "evidence").send_keys("Targets are discussed monthly")
    _shot(phone, "3-rating")
    axe("a barrier")
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
    axe("the review")
    phone.find_element(By.ID, "submit").click()

    # the desktop runs the edit on its own thread; the phone waits for it
    qtbot.waitUntil(lambda: "1 submitted" in dialog.summary.text(), timeout=20000)
    wait_for("#screen-received")
    _shot(phone, "5-received")
    axe("received")
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


def test_a_wrong_pin_keeps_the_person_on_the_pin_with_the_focus_and_the_message(phone, rooms, axe):
    from selenium.webdriver.common.by import By

    room, server = rooms()
    wrong = "111111" if room.pin != "111111" else "222222"
    phone.get(server.url)
    _wait_for(phone, "#pin").send_keys(wrong)
    phone.find_element(By.ID, "pin-button").click()
    message = _wait_for(phone, "#pin-message")
    assert "PIN is not right" in message.text
    focus = _focused(phone)
    assert focus["id"] == "pin" and focus["invalid"] == "true"
    assert "PIN is not right" in focus["described"]
    assert focus["value"] == wrong and focus["selected"]  # typed over at once
    assert _in_view(phone, "pin-message")
    _shot(phone, "error-1-wrong-pin")
    axe("a wrong PIN")

    # nothing typed: the same place, the field marked
    phone.find_element(By.ID, "pin").clear()
    phone.find_element(By.ID, "pin-button").click()
    _wait_until(phone, lambda: "Type the PIN" in phone.find_element(By.ID, "pin-message").text)
    assert _focused(phone)["id"] == "pin"

    # the right PIN clears the mark on the way to the names
    phone.find_element(By.ID, "pin").send_keys(room.pin)
    phone.find_element(By.ID, "pin-button").click()
    _wait_for(phone, "#name-list button")
    assert phone.find_element(By.ID, "pin").get_attribute("aria-invalid") is None
    assert not phone.find_element(By.ID, "pin-message").is_displayed()


def test_a_mistyped_code_stays_on_the_code_screen_until_the_phone_is_locked_out(phone, rooms, axe):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    room, server = rooms(anonymous=True)
    phone.get(server.url)
    _wait_for(phone, "#pin").send_keys(room.pin)
    phone.find_element(By.ID, "pin-button").click()
    code = _wait_for(phone, "#code")
    assert "ABCD EFGH" in phone.find_element(By.ID, "code-hint").text
    assert _focused(phone)["tag"] == "H1"
    _shot(phone, "error-0-code")
    axe("the code screen")

    typed = "zzzz zzzz"  # Z is not in a code's alphabet, so never one of this room's
    code.send_keys(typed + Keys.ENTER)  # from the keyboard, as with a screen reader
    message = _wait_for(phone, "#code-message")
    assert "code is not one of this room's" in message.text
    assert phone_shows(phone, "screen-code") and not phone_shows(phone, "screen-pin")
    focus = _focused(phone)
    assert focus["id"] == "code" and focus["invalid"] == "true"
    assert focus["value"] == typed and focus["selected"]
    # the message is read first, then the hint
    assert focus["described"].startswith("That code is not") and "ABCD EFGH" in focus["described"]
    _shot(phone, "error-2-wrong-code")
    axe("a wrong code")

    # wrong tries from this phone add up to a lockout, said where the person is
    for _ in range(WRONG_TRY_LIMIT):
        phone.find_element(By.ID, "code-button").click()
        _wait_until(
            phone, lambda: not phone.find_element(By.ID, "code-button").get_attribute("disabled")
        )
    _wait_until(
        phone, lambda: "Too many wrong tries" in phone.find_element(By.ID, "code-message").text
    )
    assert phone_shows(phone, "screen-code")
    focus = _focused(phone)
    assert focus["id"] == "code" and focus["value"] == typed and focus["invalid"] is None
    assert "Too many wrong tries" in focus["described"]
    _shot(phone, "error-3-locked-out")
    axe("locked out")

    # let in again, a right code typed in small letters with a dash is taken
    room.let_everyone_try_again()
    right = room.codes()[0].lower().replace(" ", "-")
    field = phone.find_element(By.ID, "code")
    field.clear()
    field.send_keys(right)
    phone.find_element(By.ID, "code-button").click()
    _wait_for(phone, "#screen-rating")


def test_a_changed_pin_takes_the_person_back_to_the_pin_with_its_message(phone, rooms):
    from selenium.webdriver.common.by import By

    room, server = rooms(anonymous=True)
    phone.get(server.url)
    _wait_for(phone, "#pin").send_keys(room.pin)
    phone.find_element(By.ID, "pin-button").click()
    _wait_for(phone, "#code").send_keys(room.codes()[0])
    room.change_pin()
    phone.find_element(By.ID, "code-button").click()
    _wait_for(phone, "#pin-message")
    assert phone_shows(phone, "screen-pin")
    focus = _focused(phone)
    assert focus["id"] == "pin" and focus["invalid"] == "true"


def test_a_name_taken_meanwhile_refreshes_the_list_and_the_message_has_the_focus(phone, rooms, axe):
    from selenium.webdriver.common.by import By

    room, server = rooms()
    phone.get(server.url)
    _wait_for(phone, "#pin").send_keys(room.pin)
    phone.find_element(By.ID, "pin-button").click()
    _wait_for(phone, "#name-list button")
    ann = room.current_workshop().participants[0].id
    room.claim({"pin": room.pin, "participant_id": ann}, "another phone")
    next(
        b
        for b in phone.find_elements(By.CSS_SELECTOR, "#name-list button")
        if b.text == "Ann Baker"
    ).click()
    message = _wait_for(phone, "#names-message")
    assert "already joined as Ann Baker" in message.text
    assert _focused(phone)["id"] == "names-message"
    names = [b.text for b in phone.find_elements(By.CSS_SELECTOR, "#name-list button")]
    assert names == ["Bo Chen", "Cy Diaz"]
    _shot(phone, "error-7-name-taken")
    axe("a name taken meanwhile")


def test_a_send_that_fails_leaves_the_focus_on_send_with_the_message_in_view(phone, rooms, axe):
    from selenium.webdriver.common.by import By

    room, server = rooms()
    _join_by_name(phone, room, server, "Bo Chen")
    _rate_everything(phone)
    room.close_rating()
    phone.find_element(By.ID, "submit").click()
    message = _wait_for(phone, "#review-message")
    assert "Rating is closed" in message.text
    focus = _focused(phone)
    assert focus["id"] == "submit" and "Rating is closed" in focus["described"]
    assert _in_view(phone, "review-message") and _in_view(phone, "submit")
    _shot(phone, "error-4-send-refused")
    axe("a send refused")

    # the laptop gone: the phone tries a few times by itself, then says so at the same place
    server.stop()
    phone.find_element(By.ID, "submit").click()
    _wait_until(phone, lambda: "Not sent" in phone.find_element(By.ID, "review-message").text, 30)
    focus = _focused(phone)
    assert focus["tag"] != "BODY" and focus["id"] == "submit"
    assert _in_view(phone, "review-message")
    assert phone_shows(phone, "screen-review")
    _shot(phone, "error-5-send-unreachable")
    axe("a send that could not reach the room")


def test_a_freed_name_sends_the_phone_back_to_the_pin_and_forgets_its_draft(phone, rooms, axe):
    from selenium.webdriver.common.by import By

    room, server = rooms()
    _join_by_name(phone, room, server, "Bo Chen")
    _wait_for(phone, "#stage-list button").click()
    phone.find_element(By.ID, "evidence").send_keys("Only Bo should see this")
    assert any(":draft:" in key for key in _stored_keys(phone))
    _rate_everything(phone)
    bo = room.current_workshop().participants[1].id
    room.release(bo)
    phone.find_element(By.ID, "submit").click()
    message = _wait_for(phone, "#pin-message")
    assert "join again" in message.text
    assert phone_shows(phone, "screen-pin")
    assert _focused(phone)["id"] == "pin"
    assert _stored_keys(phone) == []  # neither who this phone was nor the draft
    assert not phone.find_element(By.ID, "person-line").is_displayed()
    assert "Only Bo" not in phone.execute_script("return document.body.innerHTML")
    assert phone.find_element(By.ID, "evidence").get_attribute("value") == ""
    _shot(phone, "error-6-join-again")
    axe("asked to join again")

    # the next person on this phone to choose the name starts afresh
    phone.find_element(By.ID, "pin").clear()
    phone.find_element(By.ID, "pin").send_keys(room.pin)
    phone.find_element(By.ID, "pin-button").click()
    _wait_for(phone, "#name-list button")
    next(
        b for b in phone.find_elements(By.CSS_SELECTOR, "#name-list button") if b.text == "Bo Chen"
    ).click()
    _wait_for(phone, "#screen-rating")
    assert phone.find_element(By.ID, "evidence").get_attribute("value") == ""
    assert phone.find_elements(By.CSS_SELECTOR, '#stage-list [aria-pressed="true"]') == []


def test_a_form_that_cannot_load_offers_try_again_with_the_focus_on_it(phone, rooms, axe):
    from selenium.webdriver.common.by import By

    room, server = rooms()
    _join_by_name(phone, room, server, "Cy Diaz")
    # the room out of reach for the form only, as when the phone drops off the Wi-Fi
    phone.execute_cdp_cmd("Network.enable", {})
    phone.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/api/form"]})
    phone.refresh()
    retry = _wait_for(phone, "#loading-retry")
    focus = _focused(phone)
    assert focus["id"] == "loading-retry" and "Cannot reach the room" in focus["described"]
    _shot(phone, "error-8-cannot-load")
    axe("the form could not load")
    retry.click()  # still out of reach: the focus comes back to Try again
    _wait_until(phone, lambda: _focused(phone)["id"] == "loading-retry")
    phone.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    phone.find_element(By.ID, "loading-retry").click()
    _wait_for(phone, "#screen-rating")
    assert _focused(phone)["id"] == "barrier-name"
