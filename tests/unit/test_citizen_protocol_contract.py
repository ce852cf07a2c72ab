"""The citizen's page and ``core/protocol.py`` agree on every message they exchange.

The page's JavaScript keeps its own copy of the protocol; these tests read the message types
it sends and handles straight from its source and compare them with the ``type`` (and the
signals' ``kind``) literals of the pydantic models the service and the console validate with.
A message added on one side only fails here, not in a browser.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from advisor_app.core import protocol

pytestmark = pytest.mark.unit

JS = Path(__file__).resolve().parents[2] / "resources" / "web" / "static" / "js"


def _source(name: str) -> str:
    text = (JS / name).read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)  # comments say nothing to the check
    return re.sub(r"(?m)^\s*//.*$", "", text)


def _found(pattern: str, *files: str) -> set[str]:
    return {m for name in files for m in re.findall(pattern, _source(name))}


def _literals(union: Any, field: str) -> set[str]:
    """The values of ``field``'s Literal in every model of a discriminated union."""
    members = typing.get_args(typing.get_args(union)[0])
    values: set[str] = set()
    for model in members:
        assert issubclass(model, BaseModel)
        values.update(typing.get_args(model.model_fields[field].annotation))
    return values


#: The page's waiting-room socket: what it sends (room.js's own sends, and the call's and the
#: mesh's signals through it) and which messages from the service it acts on.
SOCKET_SENT = (r"\.send\(\{\s*type:\s*'(\w+)'", r"send\(JSON\.stringify\(\{\s*type:\s*'(\w+)'")
SOCKET_HANDLED = r"msg\.type === '(\w+)'"


def test_every_message_the_page_sends_on_its_socket_is_a_citizen_message() -> None:
    sent = _found(SOCKET_SENT[0], "room.js") | _found(SOCKET_SENT[1], "room.js")
    sent |= _found(r"this\.room\.send\(\{\s*type:\s*'(\w+)'", "call.js", "mesh.js")
    assert sent == _literals(protocol.CitizenMessage, "type")


def test_the_page_handles_every_event_the_service_sends_it() -> None:
    assert _found(SOCKET_HANDLED, "room.js") == _literals(protocol.CitizenEvent, "type")


def test_the_page_knows_every_advisor_state_and_reads_only_the_status_fields() -> None:
    """``advisor_status``: the view names every state the model has (and says for which the
    advisor is still busy); the app reads exactly the fields the model defines; the socket
    hands both messages on."""
    states = set(typing.get_args(protocol.AdvisorStatus.model_fields["state"].annotation))
    [table] = re.findall(r"ADVISOR_BUSY = \{([^}]*)\}", _source("views/room.js"))
    busy = dict(re.findall(r"(\w+): (true|false)", table))
    assert set(busy) == states
    assert {state for state, said in busy.items() if said == "true"} == {"in_call"}
    [read] = re.findall(r"onAdvisorStatus\(\{([^}]*)\}\)", _source("app.js"))
    fields = {name.strip() for name in read.split(",")}
    assert fields == set(protocol.AdvisorStatus.model_fields) - {"type"}
    assert {"advisor_status", "handed_over"} <= _found(SOCKET_HANDLED, "room.js")


def test_the_calls_signals_are_the_kinds_the_console_and_the_service_know() -> None:
    kinds = _literals(protocol.SignalPayload, "kind")
    sent = _found(r"\{\s*kind:\s*'(\w+)'", "call.js", "mesh.js")
    handled = _found(r"payload\.kind === '(\w+)'", "call.js", "mesh.js")
    assert sent == kinds
    assert handled <= kinds
    assert "offer" in handled


def test_the_data_channel_carries_the_console_s_channel_messages() -> None:
    types = _literals(protocol.ChannelMessage, "type")
    handled = _found(r"msg\.type (?:===|!==) '(\w+)'", "call.js")
    sent = _found(r"this\.send\(\{\s*type:\s*'(\w+)'", "call.js")
    sent |= _found(r"const msg = \{\s*type:\s*'(\w+)'", "call.js")
    sent |= _found(r"channel\.send\(JSON\.stringify\(\{\s*type:\s*'(\w+)'", "mesh.js")
    assert handled == types  # a new console message is shown, or knowingly ignored
    assert sent <= types
    assert {"chat", "media", "alive", "bye"} <= sent


def test_the_id_check_steps_and_pause_reasons_match() -> None:
    """The page shows an instruction for the steps that need the document in the picture and
    hides it on every other step; the pause reasons it names are the console's."""
    steps = set(typing.get_args(protocol.IdCheckStep.model_fields["step"].annotation))
    reason = protocol.VideoPause.model_fields["reason"].annotation
    reasons = set(typing.get_args(typing.get_args(reason)[0]))
    call = _source("call.js")
    [shown] = re.findall(r"ID_CHECK_STEPS = new Set\(\[([^\]]*)\]\)", call)
    assert set(re.findall(r"'(\w+)'", shown)) == steps - {"done", "cancelled"}
    [named] = re.findall(r"\[([^\]]*)\]\.includes\(msg\.reason\)", call)
    assert set(re.findall(r"'(\w+)'", named)) == reasons


def test_the_extraction_sees_a_message_type_the_models_lack(tmp_path: Path) -> None:
    js = "room.send({ type: 'wave' }); if (msg.type === 'wave') {}"
    assert re.findall(r"\.send\(\{\s*type:\s*'(\w+)'", js) == ["wave"]
    assert "wave" not in _literals(protocol.CitizenMessage, "type")
