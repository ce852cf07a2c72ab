"""The first start of the embedded console asks for the site's values ("Einrichtung"), the
embedded service takes them, and the settings page changes them later."""

from __future__ import annotations

import asyncio
import os
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from advisor_app.client.service_client import ServiceClient
from advisor_app.config import Settings, load_settings, user_config_path
from advisor_app.core.protocol import SiteSettingsOut
from advisor_app.core.site import SiteValues
from advisor_app.os_account import advisor_name
from advisor_app.ui.app import run_console
from advisor_app.ui.dialogs.setup_dialog import SetupDialog
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.pages.settings import SettingsPage
from advisor_app.ui.tasks import TaskRunner
from tests.helpers.ui import clipped_labels, drive_console, wait_until

pytestmark = [pytest.mark.gui, pytest.mark.integration]


def _shot(widget: QWidget, name: str) -> None:
    if directory := os.environ.get("SCREENSHOT_DIR"):
        widget.grab().save(str(Path(directory) / name))


def _type(edit: QWidget, text: str) -> None:
    edit.selectAll()  # type: ignore[attr-defined]
    QTest.keyClicks(edit, text)


def _visible(qapp: QApplication, kind: type) -> QWidget | None:
    return next((w for w in qapp.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


@pytest.fixture
def fresh_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], Settings]:
    """A user with no config.toml yet; returns how the console loads its settings."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert not user_config_path().exists()
    cli = {"console": {"embedded_port": 0}, "service": {"data_dir": str(tmp_path / "service")}}
    return lambda: load_settings(cli=cli, managed_reader=None)


def _connected(qapp: QApplication) -> MainWindow | None:
    window = _visible(qapp, MainWindow)
    if isinstance(window, MainWindow) and window.state_label.text() == "Verbunden":
        return window
    return None


def test_first_start_asks_once_and_the_service_uses_the_answers(
    qapp: QApplication, fresh_profile: Callable[[], Settings]
) -> None:
    seen: dict[str, object] = {}

    def first(step: list[int] = [0]) -> bool:  # noqa: B006 - the step counter of this run
        dialog = _visible(qapp, SetupDialog)
        if isinstance(dialog, SetupDialog):
            form = dialog.form
            if "errors" not in seen:
                seen["title"] = dialog.windowTitle()
                seen["prefilled"] = form.values()
                _type(form.organisation, "Jobcenter Region Hannover")
                _type(form.support_phone, "null")
                form.support_hours.clear()
                form.display_name.clear()
                dialog.save_button.click()
                seen["errors"] = form.error_texts()
                seen["still_open"] = dialog.isVisible()
                _shot(dialog, "first_run_errors.png")
                return False
            _type(form.support_phone, "0800 4 555501")
            _type(form.support_hours, "Montag bis Freitag, 8 bis 18 Uhr")
            _type(form.display_name, "Erika Beispiel")
            form.retention_days.setValue(30)
            _shot(dialog, "first_run.png")
            dialog.save_button.click()
            return False
        window = _connected(qapp)
        if window is None or window.settings is None:
            return False
        page = window.settings
        if page.loaded is None:
            window.show_page(page)  # the settings page reads the service's values
            return False
        seen["status"] = window.advisor_label.text()
        seen["service"] = page.loaded
        window.close()
        return True

    deadline = drive_console(qapp, first, give_up_s=120)
    assert run_console(fresh_profile()) == 0
    deadline.stop()
    assert seen["title"] == "Einrichtung"
    prefilled = seen["prefilled"]
    assert isinstance(prefilled, SiteValues)
    assert prefilled.organisation == ""  # never the built-in "Videoberatung"
    assert seen["still_open"] is True
    assert seen["errors"] == {
        "support_phone": "Eine Telefonnummer besteht aus Ziffern, Leerzeichen und + - / ( ), "
        "z. B. 0800 4 555501.",
        "display_name": "Bitte geben Sie Ihren Namen ein, wie Bürgerinnen und Bürger Sie "
        "ansprechen.",
    }
    assert seen["status"] == "Angemeldet: Erika Beispiel"
    assert seen["service"] == SiteSettingsOut(
        organisation="Jobcenter Region Hannover",
        support_phone="0800 4 555501",
        support_hours="Montag bis Freitag, 8 bis 18 Uhr",
        retention_days=30,
        legal_dir=None,
        embedded=True,
        advisor_name="Erika Beispiel",
    )
    with user_config_path().open("rb") as fh:
        written = tomllib.load(fh)
    assert written["console"] == {"display_name": "Erika Beispiel", "setup_done": True}
    assert written["service"]["support_phone"] == "0800 4 555501"

    # The second start asks nothing; the settings page changes the values, the service
    # restarts with them and the status bar shows the new name.
    seen.clear()

    def second() -> bool:
        if _visible(qapp, SetupDialog) is not None:
            seen["asked again"] = True
        window = _connected(qapp)
        if window is None or window.settings is None:
            return False
        page = window.settings
        if "changed" not in seen:
            if page.loaded is None:
                window.show_page(page)
                return False
            seen["editable"] = (
                page.save_button.isVisible() and not page.form.organisation.isReadOnly()
            )
            _shot(window, "settings_page.png")
            seen["clipped"] = clipped_labels(page)
            seen["choose"] = page.form.choose_button.isEnabled()
            _type(page.form.support_phone, "0511 123 4567")
            _type(page.form.display_name, "Frau Beispiel")
            page.save_button.click()
            seen["changed"] = True
            return False
        seen["last"] = (page.message_bar.text, page.busy_label.text(), page.form.error_texts())
        if page.loaded is None or page.loaded.support_phone != "0511 123 4567":
            return False
        if window.advisor_label.text() != "Angemeldet: Frau Beispiel":
            return False
        seen["note"] = page.message_bar.text
        seen["waiting room"] = window.room is not None
        window.close()
        return True

    deadline = drive_console(qapp, second, give_up_s=180)  # two service starts on a busy machine
    assert run_console(fresh_profile()) == 0
    deadline.stop()
    assert "asked again" not in seen, seen
    assert "note" in seen, seen
    assert seen["editable"] is True
    assert seen["clipped"] == []
    assert seen["choose"] is False  # the bundled templates are chosen: no folder to pick
    assert seen["note"] == "Gespeichert. Der Termindienst nutzt die neuen Angaben."
    settings = fresh_profile()
    assert settings.service.support_phone == "0511 123 4567"
    assert settings.console.display_name == "Frau Beispiel"


def test_later_changes_nothing_and_asks_again(
    qapp: QApplication, fresh_profile: Callable[[], Settings]
) -> None:
    asked: list[str] = []
    names: list[str] = []

    def step() -> bool:
        dialog = _visible(qapp, SetupDialog)
        if isinstance(dialog, SetupDialog):
            asked.append(dialog.windowTitle())
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
            return False
        window = _connected(qapp)
        if window is None:
            return False
        names.append(window.advisor_label.text())
        window.close()
        return True

    for _ in range(2):
        deadline = drive_console(qapp, step)
        assert run_console(fresh_profile()) == 0
        deadline.stop()
    assert asked == ["Einrichtung", "Einrichtung"]
    assert not user_config_path().exists()
    # no name given: the account's full name, never the bare login ("root" here)
    assert names == [f"Angemeldet: {advisor_name(None)}"] * 2
    assert "root" not in names[0]


def test_the_setup_dialog_grows_with_its_error_sentences(qtbot: QtBot) -> None:
    dialog = SetupDialog(
        SiteValues(
            organisation="Videoberatung",
            support_phone="null",
            support_hours="",
            display_name="",
            retention_days=90,
        )
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert clipped_labels(dialog) == []
    dialog.save_button.click()
    assert set(dialog.form.error_texts()) == {"support_phone", "display_name"}
    wait_until(lambda: clipped_labels(dialog) == [], message=str(clipped_labels(dialog)))
    assert dialog.isVisible()
    assert not user_config_path().exists() or "null" not in user_config_path().read_text()


def test_with_a_central_service_the_settings_are_read_only_and_name_it(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, client: ServiceClient, runner: TaskRunner
) -> None:
    page = SettingsPage(client, runner)  # no local site: the service belongs to IT
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    wait_until(lambda: page.loaded is not None, message="values loaded")
    assert page.form.organisation.text() == "Videoberatung"
    assert page.form.organisation.isReadOnly() and page.form.support_phone.isReadOnly()
    assert page.save_button.isHidden()
    assert "Ändern kann sie nur die IT-Administration" in page.note.text()
    wait_until(lambda: clipped_labels(page) == [], message=str(clipped_labels(page)))


@pytest.mark.usefixtures("english")
def test_the_setup_dialog_in_english(qtbot: QtBot) -> None:
    dialog = SetupDialog(
        SiteValues("Jobcenter Region Hannover", "0800 4 555501", "", "Erika Beispiel", 90)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Setup"
    assert dialog.save_button.text() == "Save and start"
    assert dialog.form.retention_days.suffix() == " days"
    _type(dialog.form.support_phone, "12")
    dialog.save_button.click()
    assert dialog.form.error_texts() == {
        "support_phone": "A telephone number has 6 to 15 digits, e.g. 0800 4 555501."
    }
    wait_until(lambda: clipped_labels(dialog) == [], message=str(clipped_labels(dialog)))
    _shot(dialog, "first_run_en.png")
