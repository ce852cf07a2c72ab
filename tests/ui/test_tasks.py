"""The task runner: named tasks, superseded ones cancelled, refusals turned into German text."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QObject

from advisor_app.client.service_client import ServiceError, ServiceUnreachable
from advisor_app.core.protocol import ErrorReply
from advisor_app.ui.tasks import Failure, TaskRunner
from tests.helpers.ui import wait_until

pytestmark = pytest.mark.gui


async def _value(value: str, delay: float = 0.0) -> str:
    await asyncio.sleep(delay)
    return value


async def _refuse() -> str:
    raise ServiceError(
        409, ErrorReply(error="overlap", message="Überschneidung.", details={"overlaps": []})
    )


async def _unreachable() -> str:
    raise ServiceUnreachable("Der Dienst ist nicht erreichbar.")


async def _bug() -> str:
    raise ZeroDivisionError


def test_a_newer_task_of_the_same_name_supersedes_the_older(runner: TaskRunner) -> None:
    results: list[str] = []
    old = runner.run("refresh", _value("alt", 5), on_done=results.append)
    new = runner.run("refresh", _value("neu"), on_done=results.append)
    wait_until(new.done)
    wait_until(old.done)
    assert old.cancelled()
    assert results == ["neu"]
    assert not runner.busy


@pytest.mark.logged_errors
def test_refusals_become_failures_with_the_services_words(runner: TaskRunner) -> None:
    failures: list[Failure] = []
    reachable: list[bool] = []
    runner.reachable_changed.connect(reachable.append)
    runner.run("save", _refuse(), on_error=failures.append)
    wait_until(lambda: len(failures) == 1)
    runner.run("load", _unreachable(), on_error=failures.append)
    wait_until(lambda: len(failures) == 2)
    runner.run("oops", _bug(), on_error=failures.append)
    wait_until(lambda: len(failures) == 3)
    refused, unreachable, bug = failures
    assert (refused.status, refused.code, refused.message) == (409, "overlap", "Überschneidung.")
    assert refused.details == {"overlaps": []}
    assert unreachable.unreachable
    assert unreachable.message == "Der Dienst ist nicht erreichbar."
    assert bug.message.startswith("Ein unerwarteter Fehler ist aufgetreten.")
    assert reachable == [True, False]


def test_no_callback_for_a_widget_that_is_gone(runner: TaskRunner) -> None:
    owner = QObject()
    results: list[str] = []
    task = runner.run("x", _value("egal", 0.05), on_done=results.append, owner=owner)
    owner.deleteLater()
    del owner
    wait_until(task.done)
    assert results == []
