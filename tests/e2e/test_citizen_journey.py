"""The citizen's whole journey in Debian's Chromium against a real service.

Every page runs with the strict CSP on; the guard fails a test on any CSP violation, script
error or request to another host. The phone viewport (360×640) is checked for horizontal
scrolling on every step.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from advisor_app.server import citizen_api
from advisor_app.server.citizen_api import REVOKED_NAME
from advisor_app.server.waiting_room_sockets import HUB
from tests.helpers.citizen_browser import (
    DESKTOP,
    ORGANISATION,
    ROOM_OPEN,
    Live,
    accept_consent,
    finish_device_check,
    new_page,
    no_horizontal_scroll,
    receive,
    receive_type,
    until_green,
    wait_step,
)
from tests.helpers.citizen_page import DENY_CAMERA, LIVE_TRACKS, RECORD_TRACKS, to_room
from tests.helpers.console_call import console_side
from tests.helpers.service import MONDAY_11, T0

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

ROOM_OPENS = MONDAY_11 - timedelta(minutes=5)
ROOM_CLOSES = MONDAY_11 + timedelta(minutes=45)  # 30 minutes plus 15 minutes grace


async def heading(page: Page) -> str:
    return (await page.inner_text("h1")).strip()


async def focused_id(page: Page) -> str:
    return str(await page.evaluate("document.activeElement?.id"))


async def test_from_the_link_to_admission(browser: Browser, live: Live) -> None:
    _, url = await live.appointment(name="Erika Mustermann")
    context, page, guard = await new_page(browser, live)
    await context.add_init_script(RECORD_TRACKS)

    # Start: appointment in Berlin time, organisation, name, steps, documents.
    await page.goto(url)
    await wait_step(page, "start")
    assert await heading(page) == "Willkommen bei „Mein Videotermin“"
    start = await page.inner_text("main")
    assert "Montag, 23. November 2026 um 11:00 Uhr" in start
    assert ORGANISATION in start
    assert "Guten Tag Erika Mustermann," in start
    assert "Schritt 1 von 4: Start" in start
    for doc in ("requirements", "consent", "rights", "privacy", "imprint", "accessibility"):
        assert await page.locator(f'footer a[href="/legal/{doc}?lang=de"]').count() == 1
    footer = await page.inner_text("footer")
    assert "Technischer Support: 0800 4 555501" in footer
    assert "null" not in footer and "[[" not in footer
    await no_horizontal_scroll(page)

    # Consent: the texts inline; both boxes are needed; focus goes to the step's heading.
    await page.click("#start-continue")
    await wait_step(page, "consent")
    assert await focused_id(page) == "step-title"
    legal = page.locator('.legal-text[data-doc="consent"]')
    await expect(legal).not_to_have_attribute("aria-busy", "true")
    assert "Einwilligung" in await legal.inner_text()
    await page.check("#accept-consent")
    await page.click("#consent-submit")
    await expect(page.locator("#consent-error")).to_contain_text("beide Häkchen")
    assert await focused_id(page) == "accept-privacy"
    await no_horizontal_scroll(page)
    await accept_consent(page)
    assert await focused_id(page) == "step-title"

    # Device check with the fake camera and microphone.
    await page.wait_for_function(
        "() => { const v = document.querySelector('video.preview');"
        " return v && v.readyState >= 2 && v.videoWidth > 0 && v.currentTime > 0.2; }"
    )
    await page.wait_for_function("() => document.querySelector('#mic-meter').value > 0.05")
    await expect(page.locator("#network-result")).to_contain_text("Antwortzeit")
    assert await finish_device_check(page) == "green"
    await expect(page.locator("#verdict")).to_contain_text("Alles bereit")
    await expect(page.locator("#saved")).to_be_visible()
    await expect(page.locator("#system-result")).to_contain_text("Chrome")
    await no_horizontal_scroll(page)
    checks = await live.device_checks()
    last = checks[-1]
    assert (last.verdict, last.camera, last.microphone, last.speaker) == ("green", "ok", "ok", "ok")
    assert last.browser.startswith("Chrome ") and last.os == "Linux"
    assert last.device_type == "desktop"
    assert last.download_kbps and last.upload_kbps and last.rtt_ms is not None

    # Entering, two hours early: the button waits, a countdown runs.
    assert await page.evaluate(LIVE_TRACKS) == 2
    await page.click("#devices-continue")
    await wait_step(page, "entering")
    assert await page.locator("video").count() == 0
    assert await page.evaluate(LIVE_TRACKS) == 0  # camera and microphone are released
    await expect(page.locator("#enter-room")).to_be_disabled()
    await expect(page.locator("#countdown")).to_contain_text("Der Beratungsraum öffnet in 1 Stunde")
    await no_horizontal_scroll(page)

    # The room opens; the page takes the service's time on reload.
    advisor = await live.advisor_socket()
    live.clock.set(ROOM_OPEN)
    await page.reload()
    await wait_step(page, "entering")
    await expect(page.locator("#enter-room")).to_be_enabled()
    await page.click("#enter-room")
    await wait_step(page, "waiting")
    waiting = await page.inner_text("main")
    assert "Sie befinden sich im virtuellen Wartebereich" in waiting
    assert "Aktuell wird weder Audio noch Video übertragen." in waiting
    assert "Ihr Videotermin findet am Montag, 23. November 2026 um 11:00 Uhr statt." in waiting
    assert "Ihr Berater / Ihre Beraterin wurde informiert, dass Sie sich im virtuellen " in waiting
    assert "Bitte bleiben Sie zum jetzigen Zeitpunkt auf dieser Seite." in waiting
    await no_horizontal_scroll(page)
    arrived = await receive_type(advisor, "arrived")
    entry = arrived["entry"]
    assert entry["name"] == "Erika Mustermann"
    assert entry["device_check"]["verdict"] == "green"
    pid = entry["participant_id"]

    # A note from the advisor appears with its time, in a live region.
    await advisor.send_json({"type": "note", "participant_id": pid, "text": "Ich komme gleich"})
    note = page.locator("#notes-log li").first
    await expect(note).to_contain_text("Ich komme gleich")
    await expect(note).to_contain_text("10:56 Uhr")
    assert await page.get_attribute("#notes-log", "aria-live") == "polite"

    # Reload: straight back to the waiting room, no consent step; the note is replayed.
    await page.reload()
    await wait_step(page, "waiting")
    await expect(page.locator("#notes-log li")).to_have_count(1)
    assert await page.locator('[data-step="consent"]').count() == 0

    # Network loss: a banner, then back in the waiting room by itself.
    await context.set_offline(True)
    banner = page.locator("#connection")
    await expect(banner).to_contain_text("Verbindung unterbrochen – wird wiederhergestellt")
    await context.set_offline(False)
    await expect(banner).to_be_hidden(timeout=15_000)
    await wait_step(page, "waiting")
    seen_online = False
    for _ in range(10):
        frame = await receive(advisor)
        if frame["type"] == "changed" and frame["entry"]["online"]:
            seen_online = True
            break
    assert seen_online

    # Admission: the call placeholder takes over.
    await advisor.send_json({"type": "admit", "participant_id": pid})
    await wait_step(page, "admitted")
    assert await heading(page) == "Videogespräch"
    await expect(page.get_by_test_id("call-status")).to_contain_text("Verbindung wird aufgebaut")
    assert await focused_id(page) == "step-title"
    await no_horizontal_scroll(page)

    await advisor.close()
    guard.check()
    await context.close()


async def test_cancel_then_sent_away_with_a_reason(browser: Browser, live: Live) -> None:
    _, url = await live.appointment()
    await live.consent(url)
    live.clock.set(ROOM_OPEN)
    advisor = await live.advisor_socket()
    context, page, guard = await new_page(browser, live)
    await page.goto(url)
    await to_room(page)
    await page.click("#enter-room")
    await wait_step(page, "waiting")
    pid = (await receive_type(advisor, "arrived"))["entry"]["participant_id"]

    await page.click("#leave-room")
    await wait_step(page, "entering")
    assert await receive_type(advisor, "departed") == {
        "type": "departed",
        "participant_id": pid,
        "reason": "left",
    }
    await page.click("#enter-room")
    await wait_step(page, "waiting")
    await receive_type(advisor, "arrived")

    reason = "Heute klappt es leider nicht. <b>Wir melden uns.</b>"
    await advisor.send_json({"type": "send_away", "participant_id": pid, "reason": reason})
    await wait_step(page, "sent_away")
    await expect(page.locator("#sent-away-reason")).to_have_text(reason)  # text, not markup
    await no_horizontal_scroll(page)
    await page.reload()
    await wait_step(page, "sent_away")
    await expect(page.locator("#sent-away-reason")).to_have_text(reason)
    await advisor.close()
    guard.check()
    await context.close()


async def test_a_reload_after_the_reconnect_grace_enters_again(
    browser: Browser, live: Live
) -> None:
    """The service forgot the citizen (grace over, or restarted): the page asks for the
    waiting room again by itself, because it remembers that the citizen was waiting."""
    _, url = await live.appointment()
    await live.consent(url)
    live.clock.set(ROOM_OPEN)
    advisor = await live.advisor_socket()
    context, page, guard = await new_page(browser, live)
    await page.goto(url)
    await to_room(page)
    await page.click("#enter-room")
    await wait_step(page, "waiting")
    pid = (await receive_type(advisor, "arrived"))["entry"]["participant_id"]
    live.service.app[HUB].reconnect_grace_s = 0.05
    await page.goto("about:blank")
    assert (await receive_type(advisor, "departed"))["reason"] == "timeout"
    await page.goto(url)
    await wait_step(page, "waiting")
    assert (await receive_type(advisor, "arrived"))["entry"]["participant_id"] == pid
    await advisor.close()
    guard.check()
    await context.close()


async def test_revoking_consent_ends_participation(browser: Browser, live: Live) -> None:
    _, url = await live.appointment()
    await live.consent(url)
    live.clock.set(ROOM_OPEN)
    advisor = await live.advisor_socket()
    context, page, guard = await new_page(browser, live)
    await page.goto(url)
    await to_room(page)
    await page.click("#enter-room")
    await wait_step(page, "waiting")
    pid = (await receive_type(advisor, "arrived"))["entry"]["participant_id"]

    # The dialog asks first; "Nein" changes nothing and gives the focus back.
    await page.click("#revoke")
    dialog = page.locator("dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog).to_contain_text("Ihre Daten zu diesem Termin werden gelöscht")
    await dialog.get_by_role("button", name="Nein, zurück").click()
    await expect(dialog).to_have_count(0)
    assert await focused_id(page) == "revoke"
    await page.keyboard.press("Enter")
    await expect(dialog).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(dialog).to_have_count(0)

    await page.click("#revoke")
    await dialog.get_by_role("button", name="Ja, Einwilligung widerrufen").click()
    await wait_step(page, "revoked")
    ended = await page.inner_text("main")
    assert "Ihre Teilnahme an diesem Videotermin ist beendet" in ended
    assert "Ihre Daten zu diesem Termin wurden gelöscht" in ended
    assert await page.locator("#revoke").count() == 0
    revoked = await receive_type(advisor, "consent_revoked")
    assert revoked["participant_id"] == pid
    assert (await live.participant(pid)).name == REVOKED_NAME
    await no_horizontal_scroll(page)

    await page.reload()
    await wait_step(page, "revoked")
    await advisor.close()
    guard.check()
    await context.close()


async def test_a_changed_consent_text_is_shown_again(
    browser: Browser, live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, url = await live.appointment()
    context, page, guard = await new_page(browser, live)
    await page.goto(url)
    await wait_step(page, "start")
    await page.click("#start-continue")
    await wait_step(page, "consent")
    # The agency publishes a new version while the citizen is reading the old one.
    monkeypatch.setattr(
        citizen_api, "legal_versions", lambda _app: {"consent": "2099-1", "privacy": "2099-1"}
    )
    await page.check("#accept-consent")
    await page.check("#accept-privacy")
    await page.click("#consent-submit")
    await expect(page.locator("#consent-error")).to_contain_text("inzwischen geändert")
    assert not await page.is_checked("#accept-consent")
    await accept_consent(page)
    status, view = await live.service.call("GET", "/api/citizen/" + url.rsplit("/", 1)[1])
    assert status == 200 and view["consent"]["accepted_consent_version"] == "2099-1"
    guard.check()
    await context.close()


NO_DEVICES = """
navigator.mediaDevices.getUserMedia = async () => {
  throw new DOMException('Requested device not found', 'NotFoundError');
};
"""


@pytest.mark.parametrize(
    ("script", "camera", "microphone", "advice"),
    [
        (DENY_CAMERA, "denied", "ok", "Ihre Kamera ist blockiert: Erlauben Sie den Zugriff"),
        (NO_DEVICES, "missing", "missing", "Wir finden kein Mikrofon"),
    ],
    ids=["camera-denied", "nothing-found"],
)
async def test_blocked_or_missing_devices_give_red_advice(
    browser: Browser, live: Live, script: str, camera: str, microphone: str, advice: str
) -> None:
    _, url = await live.appointment()
    await live.consent(url)
    context, page, guard = await new_page(browser, live)
    await context.add_init_script(script)
    await page.goto(url)
    await wait_step(page, "start")
    await page.click("#start-continue")
    await wait_step(page, "devices")
    result = page.locator("#result")
    await expect(result).to_have_attribute("data-verdict", "red", timeout=20_000)
    await expect(page.locator("#advice")).to_contain_text(advice)
    await expect(page.locator("#camera-badge")).not_to_have_text("in Ordnung")
    await expect(page.get_by_text("Kein Kamerabild")).to_be_visible()
    await expect(page.locator("#saved")).to_be_visible()
    last = (await live.device_checks())[-1]
    assert (last.camera, last.microphone, last.verdict) == (camera, microphone, "red")
    await no_horizontal_scroll(page)
    guard.check()
    await context.close()


async def test_too_early_counts_down_and_too_late_closes(browser: Browser, live: Live) -> None:
    _, url = await live.appointment()
    await live.consent(url)
    context, page, guard = await new_page(browser, live)

    # Days before: the link works for the device test; entering shows how long to wait.
    live.clock.set(T0)
    await page.goto(url)
    await to_room(page)
    await expect(page.locator("#countdown")).to_contain_text("3 Tage")
    await expect(page.locator("#enter-room")).to_be_disabled()

    # Two seconds before the room opens: the button comes alive without a reload.
    live.clock.set(ROOM_OPENS - timedelta(seconds=2))
    await page.reload()
    await wait_step(page, "entering")
    await expect(page.locator("#enter-room")).to_be_disabled()
    await expect(page.locator("#countdown")).to_contain_text(re.compile(r"\d Sekunden?"))
    await expect(page.locator("#enter-room")).to_be_enabled(timeout=8_000)
    await expect(page.locator("#enter-status")).to_contain_text("jetzt geöffnet")

    # Just before it closes: the button goes away and the page says why.
    live.clock.set(ROOM_CLOSES - timedelta(seconds=1.5))
    await page.reload()
    await wait_step(page, "entering")
    await expect(page.locator("#room-closed")).to_contain_text(
        "Ihr Termin ist vorbei", timeout=8_000
    )
    await expect(page.locator("#enter-room")).to_be_hidden()

    # After the end plus grace, the link itself is expired (the service's 410 page).
    live.clock.set(ROOM_CLOSES)
    response = await page.goto(url)
    assert response is not None and response.status == 410
    assert await heading(page) == "Dieser Link ist abgelaufen"
    await no_horizontal_scroll(page)
    guard.check()
    await context.close()


async def test_languages_right_to_left_and_switching(browser: Browser, live: Live) -> None:
    _, url = await live.appointment(language="en")
    context, page, guard = await new_page(browser, live)

    # The participant's language from the invitation, without ?lang=.
    await page.goto(url)
    await wait_step(page, "start")
    assert await page.get_attribute("html", "lang") == "en"
    assert await heading(page) == "Welcome to “My video appointment”"
    assert "Monday, 23 November 2026 at 11:00" in await page.inner_text("main")

    # ?lang=ar wins: Arabic, right to left, still no horizontal scrolling.
    await page.goto(url + "?lang=ar")
    await wait_step(page, "start")
    assert await page.get_attribute("html", "lang") == "ar"
    assert await page.get_attribute("html", "dir") == "rtl"
    assert await heading(page) == "مرحبًا بكم في «موعدي بالفيديو»"
    assert "نوفمبر" in await page.inner_text('[data-testid="when"]')
    await no_horizontal_scroll(page)
    await page.click("#start-continue")
    await wait_step(page, "consent")
    await no_horizontal_scroll(page)

    # The switcher: native names, the choice goes into the address; focus stays on it.
    options = await page.locator("#lang-select option").all_inner_texts()
    assert options == ["Deutsch", "English", "Türkçe", "Українська", "العربية"]
    await page.focus("#lang-select")
    await page.select_option("#lang-select", "tr")
    await expect(page.locator("html")).to_have_attribute("lang", "tr")
    assert await page.get_attribute("html", "dir") == "ltr"
    assert await heading(page) == "Onay beyanı"
    assert "lang=tr" in page.url
    assert await focused_id(page) == "lang-select"
    await page.reload()
    await wait_step(page, "consent")
    assert await page.get_attribute("html", "lang") == "tr"
    guard.check()
    await context.close()


async def test_code_page_and_unknown_link(browser: Browser, live: Live) -> None:
    appt, _ = await live.appointment(name="Ali Yılmaz")
    live.clock.set(MONDAY_11 - timedelta(minutes=10))
    context, page, guard = await new_page(browser, live)
    await page.goto(live.base + "/code")
    assert await heading(page) == "Mit Einwahlcode anmelden"
    await no_horizontal_scroll(page)
    await page.fill("#code", appt["participants"][0]["dial_code"])
    await page.fill("#name", "Ali Yılmaz")
    await page.click("button[type=submit]")
    await wait_step(page, "start")
    assert "Guten Tag Ali Yılmaz," in await page.inner_text("main")
    assert "/j/" in page.url

    response = await page.goto(live.base + "/j/AAAAAAAAAAAAAAAAAAAAAA")
    assert response is not None and response.status == 404
    assert await heading(page) == "Dieser Link ist uns nicht bekannt"
    await no_horizontal_scroll(page)
    guard.check()
    await context.close()


async def pressed(button: Locator, state: bool) -> None:
    await expect(button).to_have_attribute("aria-pressed", "true" if state else "false")


async def test_the_printed_guides_words_lead_through_the_whole_visit(
    browser: Browser, live: Live
) -> None:
    """A citizen with the brochure in hand: every control is found by its German words only
    (its role and accessible name), as "Mein Videotermin – Schritt für Schritt" prints them."""
    _, url = await live.appointment(name="Erika Mustermann")
    live.clock.set(ROOM_OPEN)
    async with console_side(live.base, live.advisor_token) as console:
        context, page, guard = await new_page(browser, live, viewport=DESKTOP)
        button = partial(page.get_by_role, "button", exact=True)
        heading = partial(page.get_by_role, "heading", exact=True)
        await page.goto(url)
        await button(name="Weiter").click()
        await page.get_by_role("checkbox", name="Ich stimme der Einwilligungserklärung zu.").check()
        await page.get_by_role(
            "checkbox", name="Die Hinweise zu den technischen Voraussetzungen"
        ).check()
        await button(name="Ich stimme zu").click()

        # "Geräte überprüfen – Hier können Sie einen Testanruf durchführen." The check runs by
        # itself; green means every device works; the speaker test is listed as still to do.
        await expect(heading(name="Geräte überprüfen")).to_be_visible()
        await expect(
            page.get_by_text("Hier können Sie einen Testanruf durchführen.")
        ).to_be_visible()
        tests = [
            "Testen Sie das Mikrofon.",
            "Testen Sie die Kamera.",
            "Testen Sie den Lautsprecher.",
        ]
        for name in tests:
            await expect(heading(name=name)).to_be_visible()
        order = await page.eval_on_selector_all(".device h2", "els => els.map(e => e.textContent)")
        assert order[:3] == tests
        await until_green(page, page.get_by_role("button", name="Erneut prüfen").click)
        todo = page.get_by_role("heading", name="Noch zu tun")
        await expect(todo).to_be_visible()
        await expect(page.locator("#todo")).to_contain_text("Testen Sie den Lautsprecher")
        await expect(page.locator("#speaker-badge")).to_have_text("noch zu tun")
        await button(name="Testton abspielen").click()
        await button(name="Ich habe den Ton gehört").click()
        await expect(todo).to_be_hidden()
        await expect(page.locator("#result")).to_have_attribute("data-verdict", "green")
        await expect(page.locator("#verdict")).to_have_text(
            "Alles bereit: Ihre Geräte sind funktionstüchtig."
        )

        await button(name="Weiter zum Beratungsraum").click()
        await button(name="Beratungsraum betreten").click()
        await expect(heading(name="Sie befinden sich im virtuellen Wartebereich")).to_be_visible()
        await expect(
            page.get_by_text("Ihr Berater / Ihre Beraterin wurde informiert, dass Sie sich im")
        ).to_be_visible()

        link = await console.admit_next()
        await expect(page.locator("#call-status")).to_be_hidden(timeout=20_000)

        # Video freigeben / Videofreigabe beenden
        video = button(name="Videofreigabe beenden")
        await pressed(video, True)
        await video.click()
        await pressed(button(name="Video freigeben"), False)
        await console.wait_for(lambda: not console.remote_media[-1].camera)
        await button(name="Video freigeben").click()
        await pressed(button(name="Videofreigabe beenden"), True)
        await console.wait_for(lambda: console.remote_media[-1].camera)

        # Mikrofon stumm schalten / Stummschaltung aufheben
        await pressed(button(name="Mikrofon stumm schalten"), False)
        await button(name="Mikrofon stumm schalten").click()
        await pressed(button(name="Stummschaltung aufheben"), True)
        await console.wait_for(lambda: not console.remote_media[-1].microphone)
        await button(name="Stummschaltung aufheben").click()
        await pressed(button(name="Mikrofon stumm schalten"), False)
        await console.wait_for(lambda: console.remote_media[-1].microphone)

        # Vollbild / Vollbild beenden
        await pressed(button(name="Vollbild"), False)
        await button(name="Vollbild").click()
        await pressed(button(name="Vollbild beenden"), True)
        await button(name="Vollbild beenden").click()
        await pressed(button(name="Vollbild"), False)

        # Bildschirm präsentieren / Bildschirm präsentieren beenden
        await pressed(button(name="Bildschirm präsentieren"), False)
        await button(name="Bildschirm präsentieren").click()
        await pressed(button(name="Bildschirm präsentieren beenden"), True)
        await console.wait_for(lambda: link.remote_screen.active)
        await button(name="Bildschirm präsentieren beenden").click()
        await pressed(button(name="Bildschirm präsentieren"), False)
        await console.wait_for(lambda: not link.remote_screen.active)

        # Chatnachricht senden
        await page.get_by_role("textbox", name="Ihre Nachricht").fill("Ich sehe Sie gut.")
        await button(name="Chatnachricht senden").click()
        await console.wait_for(lambda: bool(console.chats))
        assert console.chats[0].text == "Ich sehe Sie gut."

        await button(name="Auflegen").click()
        await wait_step(page, "ended")
        guard.check()
        await context.close()
