"""The citizen's page and ``core/protocol.py`` agree on every message they exchange.

The page builds every message it sends in ``static/js/protocol.js`` and names there every
message it reads with the fields it reads (``READS``). Node runs that module: each message it
builds must validate against the pydantic models the service and the console validate with;
each model the service or the console sends a citizen must be read by the page, reading only
fields the model has. The page's other scripts must not build a protocol message of their
own, and must dispatch on exactly the types ``READS`` names. A message added on one side only
fails here, not in a browser.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from advisor_app.core import protocol

pytestmark = pytest.mark.unit

JS = Path(__file__).resolve().parents[2] / "resources" / "web" / "static" / "js"

#: Calls every builder of protocol.js with typical arguments and prints what they built.
BUILD = """
import * as p from '%s';
const candidate = { candidate: 'candidate:1 1 udp 2122260223 10.0.0.2 50000 typ host',
                    sdpMid: '0', sdpMLineIndex: 0 };
const sdp = 'v=0\\r\\n';
const out = {
  steps: [p.steps.ready(), p.steps.offer(sdp), p.steps.answer(sdp), p.steps.answer(sdp, 3),
          p.steps.candidate(candidate), p.steps.candidate(null)],
  socket: [p.socket.hello('abc'), p.socket.enter(), p.socket.leave(), p.socket.hangup(),
           p.socket.ping(7), p.socket.signal(p.steps.ready()),
           p.socket.peerSignal(12, p.steps.candidate(candidate))],
  channel: [p.channel.chat('a1b2', 'Guten Tag', new Date(0).toISOString()),
            p.channel.media(true, false), p.channel.screen(true, '2'),
            p.channel.screen(false, null), p.channel.alive(4), p.channel.bye()],
  builders: { steps: Object.keys(p.steps), socket: Object.keys(p.socket),
              channel: Object.keys(p.channel) },
  reads: p.READS,
};
console.log(JSON.stringify(out));
"""


def _members(union: Any) -> list[type[BaseModel]]:
    members = typing.get_args(typing.get_args(union)[0])
    assert all(issubclass(m, BaseModel) for m in members)
    return list(members)


def _type_of(model: type[BaseModel]) -> str:
    [value] = typing.get_args(model.model_fields["type"].annotation)
    return str(value)


@pytest.fixture(scope="module")
def page() -> dict[str, Any]:
    node = shutil.which("node")
    assert node is not None, "node is needed (make test installs it)"
    script = BUILD % (JS / "protocol.js").as_uri()
    done = subprocess.run(
        [node, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _source(name: str) -> str:
    text = name if "\n" in name else (JS / name).read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)  # comments say nothing to the check
    return re.sub(r"(?m)^\s*//.*$", "", text)


def _scripts() -> list[Path]:
    return sorted(p for p in JS.rglob("*.js") if p.name != "protocol.js")


def test_every_message_the_page_sends_on_its_socket_is_a_citizen_message(page: Any) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(protocol.CitizenMessage)
    for message in page["socket"]:
        adapter.validate_python(message)
    sent = {m["type"] for m in page["socket"]}
    assert sent == {_type_of(m) for m in _members(protocol.CitizenMessage)}


def test_every_signal_step_the_page_builds_is_valid(page: Any) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(protocol.SignalPayload)
    for step in page["steps"]:
        adapter.validate_python(step)
    assert {s["kind"] for s in page["steps"]} == {"ready", "offer", "answer", "candidate"}


def test_every_data_channel_message_the_page_sends_is_a_channel_message(page: Any) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(protocol.ChannelMessage)
    for message in page["channel"]:
        adapter.validate_python(message)


def test_the_page_reads_every_event_the_service_sends_it_and_only_its_fields(page: Any) -> None:
    reads = page["reads"]["socket"]
    models = {_type_of(m): m for m in _members(protocol.CitizenEvent)}
    assert set(reads) == set(models)
    for kind, fields in reads.items():
        assert set(fields) <= set(models[kind].model_fields) - {"type"}, kind


def test_the_page_reads_every_channel_message_of_the_console(page: Any) -> None:
    reads = page["reads"]["channel"]
    models = {_type_of(m): m for m in _members(protocol.ChannelMessage)}
    assert set(reads) == set(models)
    for kind, fields in reads.items():
        assert set(fields) <= set(models[kind].model_fields) - {"type"}, kind


def test_the_pages_scripts_dispatch_on_exactly_what_protocol_js_reads(page: Any) -> None:
    room = set(re.findall(r"msg\.type === '(\w+)'", _source("room.js")))
    assert room == set(page["reads"]["socket"])
    call = set(re.findall(r"msg\.type (?:===|!==) '(\w+)'", _source("call.js")))
    assert call == set(page["reads"]["channel"])


def test_the_page_knows_every_advisor_state_and_reads_only_the_status_fields(page: Any) -> None:
    """``advisor_status``: the view names every state the model has (and says for which the
    advisor is still busy); the app reads exactly the fields the model defines."""
    states = set(typing.get_args(protocol.AdvisorStatus.model_fields["state"].annotation))
    [table] = re.findall(r"ADVISOR_BUSY = \{([^}]*)\}", _source("views/room.js"))
    busy = dict(re.findall(r"(\w+): (true|false)", table))
    assert set(busy) == states
    assert {state for state, said in busy.items() if said == "true"} == {"in_call"}
    [read] = re.findall(r"onAdvisorStatus\(\{([^}]*)\}\)", _source("app.js"))
    fields = {name.strip() for name in read.split(",")}
    assert fields == set(protocol.AdvisorStatus.model_fields) - {"type"}
    assert set(page["reads"]["socket"]["advisor_status"]) == fields


#: An object literal that starts a protocol message ({ type: 'enter' …) or a signal step
#: ({ kind: 'ready' …); the page's { type: 'offer', sdp } for RTCPeerConnection is neither.
TYPE_LITERAL = r"\{\s*type:\s*'(\w+)'"
KIND_LITERAL = r"\{\s*kind:\s*'(\w+)'"


def test_no_other_script_builds_a_protocol_message_of_its_own() -> None:
    unions = (protocol.CitizenMessage, protocol.ChannelMessage)
    types = {_type_of(m) for u in unions for m in _members(u)}
    kinds = {"ready", "offer", "answer", "candidate"}
    for script in _scripts():
        text = _source(script.read_text(encoding="utf-8"))
        built = set(re.findall(TYPE_LITERAL, text)) & types
        built |= set(re.findall(KIND_LITERAL, text)) & kinds
        assert not built, f"{script.name} builds {sorted(built)}: use protocol.js"


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


def test_the_checks_see_a_field_or_a_message_the_models_lack() -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(protocol.CitizenMessage).validate_python({"type": "wave"})
    with pytest.raises(ValidationError):  # an unknown field is refused, not ignored
        TypeAdapter(protocol.CitizenMessage).validate_python({"type": "enter", "loud": True})
    js = "const m = { type: 'enter' }; send({ kind: 'ready' }); if (msg.type === 'wave') {}"
    assert re.findall(TYPE_LITERAL, _source(js + "\n")) == ["enter"]
    assert re.findall(KIND_LITERAL, _source(js + "\n")) == ["ready"]
