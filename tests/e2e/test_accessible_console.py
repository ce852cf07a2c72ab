"""An advisor's day by screen reader and keyboard alone, against the real console.

The console runs as the advisor starts it (``advisor-console``, embedded service) on Xvfb,
with a private D-Bus and AT-SPI. The test only finds things by their accessible role and
name and only presses keys, as a blind advisor with Orca would: it schedules an appointment,
reads the citizen's link off the screen, lets a real Chromium join, admits the citizen from
the waiting room, chats, ends the call and opens the statistics. Its AT-SPI listener hears
the console's announcements (arrival, admission, chat message, end of the call).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from advisor_app.core.domain import BERLIN
from tests.helpers.atspi import ScreenReader, a11y_bus
from tests.helpers.citizen_browser import citizen_call
from tests.helpers.processes import VENV_SCRIPT, child_env
from tests.helpers.screen import xvfb_screen

pytestmark = [pytest.mark.gui, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]


class Citizen:
    """Chromium in its own process: joins by the link, then follows commands."""

    def __init__(self, link: str) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.reached: multiprocessing.Queue[str] = ctx.Queue()
        self.commands: multiprocessing.Queue[str] = ctx.Queue()
        self.process = ctx.Process(
            target=citizen_call, args=(link, self.reached, self.commands, None), name="citizen"
        )
        self.process.start()

    def expect(self, step: str, timeout: float = 120) -> None:
        try:
            got = self.reached.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the browser did not reach {step!r}") from None
        assert got == step, got

    def ask(self, command: str, timeout: float = 120) -> str:
        self.commands.put(command)
        try:
            return self.reached.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the browser did not answer {command!r}") from None

    def stop(self) -> None:
        self.commands.put("close")
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


@pytest.fixture
def reader(tmp_path: Path) -> Iterator[ScreenReader]:
    """The console on Xvfb with AT-SPI, and the screen reader attached to it."""
    with xvfb_screen(1600, 1000), a11y_bus(tmp_path / "bus") as bus:
        # a window manager gives the keyboard back to the main window after a dialog
        manager = subprocess.Popen(
            ["matchbox-window-manager", "-use_titlebar", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        home = tmp_path / "home"
        home.mkdir()
        env = child_env(
            **bus,
            DISPLAY=os.environ["DISPLAY"],
            QT_QPA_PLATFORM="xcb",
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            PYTHONPATH=str(ROOT),
            ADVISOR_SERVICE__DATA_DIR=str(tmp_path / "service"),
            ADVISOR_CONSOLE__EMBEDDED_PORT="0",
            # as IT presets it: no first-run dialog (tests/ui/test_first_run.py drives that one)
            ADVISOR_CONSOLE__SETUP_DONE="true",
            ADVISOR_CONSOLE__DISPLAY_NAME="Frau Beispiel",
        )
        log = (tmp_path / "console.log").open("wb")
        console = subprocess.Popen(
            [str(VENV_SCRIPT)], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path
        )
        screen_reader = ScreenReader(env, tmp_path / "atspi-driver.log")
        try:
            yield screen_reader
        finally:
            if console.poll() is None:
                console.terminate()
            try:
                console.wait(timeout=30)
            except subprocess.TimeoutExpired:
                console.kill()
                console.wait()
            screen_reader.close()
            log.close()
            manager.terminate()
            manager.wait(timeout=10)


def test_an_advisors_day_by_screen_reader_and_keyboard_only(reader: ScreenReader) -> None:
    reader.need("app", name="advisor-console", timeout=120)
    # The console starts with the keyboard in its page list.
    reader.find("list", "Seiten", timeout=120)
    reader.find("label", "Verbunden", timeout=120)
    focus = reader.focused()
    assert "Seiten" in (focus["name"], focus["parent_name"]), focus

    # --- schedule an appointment: Ctrl+N, Alt+letter to each labelled entry, Enter saves.
    reader.key("ctrl+1")
    reader.key("ctrl+n")
    reader.need("find", role="dialog", name_prefix="Neuer Termin", timeout=60)
    start = datetime.now(BERLIN) + timedelta(minutes=2)  # the room opens 5 minutes before
    reader.key("alt+t")  # "Termin": the date (today)
    assert reader.focused()["name"] == "Datum"
    reader.tab_to(None, "Beginn", limit=6)  # Tab goes through day, month and year first
    reader.type(start.strftime("%H%M"))  # the hour is selected; the minutes follow
    assert reader.focused()["text"] == start.strftime("%H:%M"), reader.focused()
    reader.key("alt+h")
    assert reader.focused()["name"] == "Thema"
    reader.type("Weiterbewilligung")
    reader.key("alt+b")
    assert reader.focused()["name"] == "Bürgerin/Bürger"
    reader.type("Erika Mustermann")
    reader.key("Return")  # the dialog's default button: "Termin anlegen"
    row = reader.need(
        "find", role="table cell", name_prefix=f"{start:%H:%M}, 30 Min., Erika Mustermann"
    )
    assert "Weiterbewilligung" in row["name"] and "Einladung" in row["name"], row
    link = reader.find("text", "Persönlicher Link")["text"]
    assert link.startswith("http"), link

    # --- the citizen joins in Chromium; the waiting room by Ctrl+2; the arrival is heard.
    citizen = Citizen(link)
    try:
        citizen.expect("waiting")
        arrival = reader.hear("Erika Mustermann ist im Wartezimmer", timeout=120)
        assert f"Termin um {start:%H:%M}" in arrival, arrival
        reader.key("ctrl+2")
        reader.need(
            "find", role="table cell", name_prefix=f"{start:%H:%M}, Erika Mustermann, wartet seit"
        )
        # Tab into the list (the first person is selected) and Enter lets her in.
        reader.tab_to("tree", "Personen im Wartezimmer")
        reader.key("Return")
        reader.hear("Erika Mustermann ist eingelassen", timeout=120)
        citizen.expect("connected")
        reader.find("push button", "Gespräch beenden", timeout=60)

        # --- chat: Tab to the message entry, type, Enter sends; her answer is announced.
        reader.tab_to("text", "Chatnachricht", limit=60)
        reader.type("Guten Tag, Frau Mustermann! Unterlagen: https://www.arbeitsagentur.de")
        reader.key("Return")
        assert citizen.ask("expect-chat:Guten Tag, Frau Mustermann") == "chat seen"
        assert citizen.ask("chat:Hallo, ich sehe Sie!") == "sent"
        reader.need("find", role="list item", name_prefix="Erika Mustermann, ", timeout=60)
        said = reader.hear("Chatnachricht von Erika Mustermann", timeout=60)
        assert said.endswith("Hallo, ich sehe Sie!"), said
        messages = reader.need("rows", role="list", name="Chatverlauf")["rows"]
        assert any(m.endswith("https://www.arbeitsagentur.de, 1 Link") for m in messages), messages
        # the history is reached by keys, too (Shift+Tab from the entry goes back into it)
        reader.tab_to("list", "Chatverlauf", key="shift+Tab")

        # --- end the call by its key, from whatever has the focus.
        reader.key("ctrl+shift+h")
        reader.hear("Das Gespräch ist beendet", timeout=60)
        reader.need("find", role="label", name="Wartezimmer", timeout=60)

        # --- the statistics by Ctrl+6.
        reader.key("ctrl+6")
        reader.find("label", "Statistik")
        reader.find("push button", "Als CSV speichern …")
        heard = reader.heard()
        # the call's announcements came in the order they happened
        order = [
            next(i for i, text in enumerate(heard) if text.startswith(start))
            for start in ("Erika Mustermann ist im", "Erika Mustermann ist ein", "Chatnachricht")
        ]
        assert order == sorted(order), heard
    finally:
        citizen.stop()
