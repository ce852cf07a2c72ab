"""The device tester without a window: what is open while testing, and the late arrivals."""

from __future__ import annotations

import pytest

from advisor_app.console.devices import DeviceEvents, DeviceKind, DeviceTester
from tests.helpers.call_fakes import Tasks
from tests.helpers.device_fakes import Drawer

pytestmark = pytest.mark.unit


class Seen:
    def __init__(self) -> None:
        self.events: list[str] = []

    def events_(self) -> DeviceEvents:
        say = self.events.append
        return DeviceEvents(
            listed=lambda kind, devices: say(f"{kind} listed: {[d.id for d in devices]}"),
            opening=lambda kind: say(f"{kind} opening"),
            released=lambda kind: say(f"{kind} released"),
            camera=lambda cam: say(f"camera open: {cam.name}"),
            microphone=lambda mic: say(f"microphone open: {mic.name}"),
            speaker=lambda spk: say(f"speaker open: {spk.name}"),
            unavailable=lambda kind, problem: say(f"{kind} unavailable: {problem.code}"),
            problem=lambda kind, code: say(f"{kind} problem: {code}"),
        )


@pytest.fixture
def drawer() -> Drawer:
    return Drawer()


@pytest.fixture
def tasks() -> Tasks:
    return Tasks()


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
def tester(drawer: Drawer, tasks: Tasks, seen: Seen) -> DeviceTester:
    return DeviceTester(tasks, seen.events_(), drawer.access())


async def test_scan_lists_every_kind(tester: DeviceTester, tasks: Tasks, seen: Seen) -> None:
    assert tester.start() and not tester.start()
    tester.scan(processing=True)
    await tasks.settle()
    assert sorted(seen.events) == [
        "camera listed: ['cam0']",
        "microphone listed: ['mic0']",
        "speaker listed: []",
    ]


async def test_a_chosen_device_is_open_while_testing_and_released_after(
    tester: DeviceTester, drawer: Drawer, tasks: Tasks, seen: Seen
) -> None:
    tester.start()
    tester.open(DeviceKind.CAMERA, "cam0")
    tester.open(DeviceKind.MICROPHONE, None)
    for gate in ("cam0", "default"):
        drawer.gate(gate).set()
    await tasks.settle()
    assert tester.camera is not None and tester.microphone is not None
    assert "camera open: cam0" in seen.events and "microphone open: default" in seen.events
    camera, microphone = tester.camera, tester.microphone
    tester.stop()
    await tasks.settle()
    assert tester.camera is None and tester.microphone is None
    assert camera.closed and microphone.stopped  # type: ignore[attr-defined]


async def test_a_device_superseded_while_opening_is_closed_when_it_arrives(
    tester: DeviceTester, drawer: Drawer, tasks: Tasks, seen: Seen
) -> None:
    tester.start()
    tester.open_camera("slow")
    tester.open_camera("cam0")  # chosen again before the first one opened
    drawer.gate("cam0").set()
    await tasks.finished("devices-camera-2")
    drawer.gate("slow").set()
    await tasks.settle()
    slow = next(d for d in drawer.opened if d.name == "slow")
    assert slow.stopped and slow.closed
    assert tester.camera is not None and tester.camera.name == "cam0"  # type: ignore[attr-defined]
    assert "camera open: slow" not in seen.events


async def test_a_device_arriving_after_testing_stopped_is_closed(
    tester: DeviceTester, drawer: Drawer, tasks: Tasks, seen: Seen
) -> None:
    tester.start()
    tester.open_speaker(None)
    tester.stop()  # the page was left while the speaker was opening
    drawer.gate("default").set()
    await tasks.settle()
    assert tester.speaker is None
    assert drawer.opened[0].stopped and drawer.opened[0].closed
    assert "speaker open: default" not in seen.events


async def test_nothing_is_reported_once_the_view_is_gone(drawer: Drawer, tasks: Tasks) -> None:
    seen = Seen()
    alive = [True]
    tester = DeviceTester(tasks, seen.events_(), drawer.access(), alive=lambda: alive[0])
    tester.start()
    tester.open_camera("cam0")
    alive[0] = False
    drawer.gate("cam0").set()
    await tasks.settle()
    assert drawer.opened[0].closed
    assert seen.events == ["camera released", "camera opening"]


async def test_no_camera_or_a_refused_one_is_said(
    tester: DeviceTester, drawer: Drawer, tasks: Tasks, seen: Seen
) -> None:
    tester.start()
    tester.open_camera(None)
    assert seen.events[-1].startswith("camera unavailable: camera-not-found")
    drawer.broken.add("cam0")
    drawer.gate("cam0").set()
    tester.open_camera("cam0")
    await tasks.settle()
    assert seen.events[-1].startswith("camera unavailable:") and tester.camera is None


async def test_a_running_device_reports_its_problems(
    tester: DeviceTester, drawer: Drawer, tasks: Tasks, seen: Seen
) -> None:
    tester.start()
    tester.open_microphone("mic0")
    drawer.gate("mic0").set()
    await tasks.settle()
    drawer.opened[0].problem("microphone-lost")
    assert seen.events[-1] == "microphone problem: microphone-lost"


async def test_processing_follows_the_choice_and_the_tone_needs_a_speaker(
    tester: DeviceTester, drawer: Drawer, tasks: Tasks
) -> None:
    tester.start()
    tester.scan(processing=False)
    assert not tester.play_tone()
    tester.open_speaker(None)
    drawer.gate("default").set()
    await tasks.settle()
    assert [p.enabled for p in drawer.processing] == [False]  # made once, as chosen
    tester.set_processing(True)
    assert drawer.processing[0].enabled
    assert tester.play_tone() and drawer.opened[0].tones == 1
