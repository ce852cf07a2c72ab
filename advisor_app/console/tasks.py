"""How a use case starts asynchronous work: through a spawn function the UI hands in.

The UI's task runner keeps named task references, logs every failure and turns it into a
:class:`Failure` whose message is in the interface's language; a use case only names the
task and says what follows.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a task failed, ready to be shown: ``message`` is in the interface's language."""

    message: str
    status: int | None = None
    code: str | None = None
    field: str | None = None
    details: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def unreachable(self) -> bool:
        return self.status is None and self.code == "unreachable"


class Spawn(Protocol):
    """Start ``coro`` as the task ``name`` (a running task of that name is cancelled);
    ``on_done`` gets its result, ``on_error`` a :class:`Failure`, neither if cancelled."""

    def __call__(
        self,
        name: str,
        coro: Coroutine[Any, Any, T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Failure], None] | None = None,
    ) -> asyncio.Task[T]: ...
