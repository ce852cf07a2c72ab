"""The appointment form and the service ask the same rules and give the same verdict."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from pytestqt.qtbot import QtBot

from advisor_app.core.clock import ManualClock
from advisor_app.core.domain import to_berlin
from advisor_app.core.protocol import AppointmentIn
from advisor_app.ui.dialogs.appointment_dialog import AppointmentDialog
from tests.helpers.fixtures import MakeService, make_service
from tests.helpers.service import T0, appointment_body

__all__ = ["make_service"]  # the fixture

pytestmark = [pytest.mark.gui]


def _dialog_verdict(qtbot: QtBot, clock: ManualClock, starts_at: datetime, **typed: str) -> Any:
    """What the form does with the input: the AppointmentIn it sends, or the fields it marks."""
    dialog = AppointmentDialog(clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    local = to_berlin(starts_at)
    dialog.date_edit.setDate(QDate(local.year, local.month, local.day))
    dialog.time_edit.setTime(QTime(local.hour, local.minute))
    # as typed (keyClicks knows no umlauts)
    dialog.citizen_name.insert(typed.get("name", "Erika Mustermann"))
    dialog.email.insert(typed.get("email", ""))
    sent: list[AppointmentIn] = []
    dialog.save_requested.connect(sent.append)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    if sent:
        return "accepted"
    marked = {
        "starts_at": dialog.when_error,
        "citizen_name": dialog.name_error,
        "email": dialog.email_error,
    }
    return sorted(field for field, label in marked.items() if not label.isHidden())


@pytest.mark.parametrize(
    ("offset", "typed", "verdict"),
    [
        (-timedelta(minutes=1), {}, "accepted"),  # the service's 2 minutes hold in the form too
        (-timedelta(minutes=3), {}, ["starts_at"]),
        (timedelta(hours=1), {"email": "jürgen@example.de"}, ["email"]),  # needs SMTPUTF8
        (timedelta(hours=1), {"email": "erika@bücher.de"}, "accepted"),  # IDN: fine
        (timedelta(hours=1), {"email": "keine-adresse"}, ["email"]),
        (timedelta(hours=1), {"name": "Erika\u202eMustermann"}, ["citizen_name"]),
    ],
)
async def test_the_form_and_the_service_agree(
    qtbot: QtBot,
    make_service: MakeService,
    offset: timedelta,
    typed: dict[str, str],
    verdict: Any,
) -> None:
    clock = ManualClock(T0)
    service = await make_service(clock=clock)
    token = await service.signed_in()
    starts_at = T0.replace(second=0) + offset

    assert _dialog_verdict(qtbot, clock, starts_at, **typed) == verdict

    body = appointment_body(
        starts_at, name=typed.get("name", "Erika Mustermann"), email=typed.get("email") or None
    )
    status, reply = await service.call("POST", "/api/appointments", token, json=body)
    if verdict == "accepted":
        assert status == 201, reply
    else:
        assert status == 422, reply
        assert [reply["field"]] == verdict
