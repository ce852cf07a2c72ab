"""The one place where widgets start asynchronous work: named tasks, German failure messages.

Widgets have no ``async def``. They hand a coroutine to :class:`TaskRunner.run` together with
plain callbacks; the runner keeps a reference to every task (so none is garbage-collected
half-way), cancels a task that a newer one with the same name supersedes, logs every failure
and turns the service's refusals into a :class:`Failure` that carries the console's words.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal

from advisor_app.client.embedded import EmbeddedStartError
from advisor_app.client.service_client import NotSignedIn, ServiceError, ServiceUnreachable
from advisor_app.config import ConfigError
from advisor_app.console.tasks import Failure as Failure
from advisor_app.ui.refusals import refusal_text, unreachable_text

log = logging.getLogger(__name__)

T = TypeVar("T")


def _unexpected() -> str:
    return QCoreApplication.translate(
        "TaskRunner",
        "Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut; "
        "bleibt der Fehler, wenden Sie sich an die IT.",
    )


def failure_for(exc: BaseException) -> Failure:
    """Turn an exception into what the advisor reads (never a stack trace): a refusal of the
    service in the console's own words for its code (:mod:`advisor_app.ui.refusals`)."""
    if isinstance(exc, ServiceError):
        reply = exc.reply
        message = refusal_text(reply.error, reply.details, reply.field, reply.message)
        return Failure(message, exc.status, exc.code, reply.field, dict(reply.details))
    if isinstance(exc, ServiceUnreachable):
        return Failure(unreachable_text(exc.code, exc.url, str(exc)), None, "unreachable")
    if isinstance(exc, ConfigError | EmbeddedStartError):  # German, names the file
        return Failure(str(exc), None, "local")
    return Failure(_unexpected(), None, "unexpected")


class TaskRunner(QObject):
    """Runs coroutines for widgets on the console's asyncio loop (a qasync loop)."""

    #: The service answered (True) or could not be reached (False); drives the status bar.
    reachable_changed = Signal(bool)
    #: The advisor's token is no longer accepted.
    signed_out = Signal()

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        *,
        language: str = "de",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._loop = loop
        self._language = language
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        self._reachable: bool | None = None

    @property
    def language(self) -> str:
        """The interface's language ("de" or "en"), for the media layer's messages."""
        return self._language

    @property
    def reachable(self) -> bool | None:
        """Whether the last task reached the service (None: no task has finished yet)."""
        return self._reachable

    @property
    def busy(self) -> bool:
        return any(not task.done() for task in self._tasks.values())

    def running(self, name: str) -> bool:
        task = self._tasks.get(name)
        return task is not None and not task.done()

    def run(
        self,
        name: str,
        coro: Coroutine[Any, Any, T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Failure], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> asyncio.Task[T]:
        """Start ``coro`` as task ``name``; a running task of that name is cancelled first.

        ``on_done`` gets the result, ``on_error`` a :class:`Failure`. Neither is called when
        the task was cancelled, nor when ``owner`` (usually the calling widget) is already gone.
        """
        old = self._tasks.get(name)
        if old is not None and not old.done():
            old.cancel()
        task = self._loop.create_task(coro, name=name)
        self._tasks[name] = task

        def finished(done: asyncio.Task[T]) -> None:
            if self._tasks.get(name) is done:
                del self._tasks[name]
            self._finished(done, on_done, on_error, owner)

        task.add_done_callback(finished)
        return task

    def _finished(
        self,
        task: asyncio.Task[T],
        on_done: Callable[[T], None] | None,
        on_error: Callable[[Failure], None] | None,
        owner: QObject | None,
    ) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        alive = owner is None or shiboken6.isValid(owner)
        if exc is None:
            self._set_reachable(True)
            if on_done is not None and alive:
                on_done(task.result())
            return
        if isinstance(exc, ServiceUnreachable):
            log.warning("task %s: service unreachable: %s", task.get_name(), exc.__cause__ or exc)
            self._set_reachable(False)
        elif isinstance(exc, ServiceError):
            log.info("task %s: refused (%s %s)", task.get_name(), exc.status, exc.code)
            self._set_reachable(True)
            if isinstance(exc, NotSignedIn):
                self.signed_out.emit()
        else:
            log.error("task %s failed", task.get_name(), exc_info=exc)
        if on_error is not None and alive:
            on_error(failure_for(exc))

    def _set_reachable(self, reachable: bool) -> None:
        if reachable != self._reachable:
            self._reachable = reachable
            self.reachable_changed.emit(reachable)

    def cancel_all(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()

    async def shutdown(self) -> None:
        """Cancel every task and wait until they are gone (at quit)."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()
