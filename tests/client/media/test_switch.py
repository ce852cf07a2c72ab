"""The track a sender reads for a whole connection, its source switched underneath."""

from __future__ import annotations

import asyncio
import fractions

import av
import numpy as np
import pytest
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from advisor_app.client.media.switch import SwitchTrack

pytestmark = pytest.mark.unit


class Source(MediaStreamTrack):
    """Frames put in by the test, with the pts it chooses; ``end()`` ends it."""

    kind = "video"

    def __init__(self, value: int) -> None:
        super().__init__()
        self.value = value
        self.queue: asyncio.Queue[tuple[int, int] | None] = asyncio.Queue()

    def put(self, pts: int, rate: int = 90_000) -> None:
        self.queue.put_nowait((pts, rate))

    def end(self) -> None:
        self.queue.put_nowait(None)

    async def recv(self) -> av.VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        item = await self.queue.get()
        if item is None:
            raise MediaStreamError
        frame = av.VideoFrame.from_ndarray(
            np.full((4, 4, 3), self.value, dtype=np.uint8), format="bgr24"
        )
        frame.pts, rate = item
        frame.time_base = fractions.Fraction(1, rate)
        return frame


def value(frame: av.VideoFrame) -> int:
    return int(frame.to_ndarray(format="bgr24")[0, 0, 0])


async def test_a_switch_while_the_sender_waits_for_a_stalled_source_delivers_the_new_one() -> None:
    switch = SwitchTrack("video")
    old, new = Source(10), Source(200)
    switch.set_source(old)
    old.put(100)
    assert value(await switch.recv()) == 10
    waiting = asyncio.ensure_future(switch.recv())  # the sender waits; the old one stalls
    await asyncio.sleep(0.05)
    switch.set_source(new)
    assert old.readyState == "ended"  # the old source is let go at once
    new.put(200)
    frame = await asyncio.wait_for(waiting, 1)
    assert (value(frame), frame.pts) == (200, 200)


async def test_no_source_means_no_frames_and_an_ended_source_does_not_end_the_switch() -> None:
    switch = SwitchTrack("video")
    waiting = asyncio.ensure_future(switch.recv())
    await asyncio.sleep(0.05)
    assert not waiting.done()  # nothing to send: it waits (the camera is off)
    camera = Source(50)
    switch.set_source(camera)
    camera.put(1)
    assert value(await asyncio.wait_for(waiting, 1)) == 50
    camera.end()  # the device went away
    waiting = asyncio.ensure_future(switch.recv())
    await asyncio.sleep(0.05)
    assert not waiting.done() and switch.readyState == "live"
    assert switch.source is None
    again = Source(60)
    switch.set_source(again)
    again.put(2)
    assert value(await asyncio.wait_for(waiting, 1)) == 60


async def test_frames_whose_time_goes_back_are_dropped_and_stop_ends_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    switch = SwitchTrack("video")
    first = Source(10)
    switch.set_source(first)
    first.put(9000)
    assert (await switch.recv()).pts == 9000
    second = Source(20)
    switch.set_source(second)
    for pts in (3000, 6000, 9000, 12000):
        second.put(pts)
    frame = await asyncio.wait_for(switch.recv(), 1)
    assert (value(frame), frame.pts) == (20, 12000)
    assert sum("time goes back" in r.message for r in caplog.records) == 1
    switch.stop()
    assert second.readyState == "ended"
    with pytest.raises(MediaStreamError):
        await switch.recv()


async def test_a_frame_rebased_by_another_links_encoder_is_still_sent() -> None:
    """Relayed frames are shared by every link; PyAV's encoder rebases the one it encodes in
    place (microseconds for libvpx). The same moment in another time base is no step back."""
    switch = SwitchTrack("video")
    camera = Source(30)
    switch.set_source(camera)
    camera.put(1_000_000, rate=1_000_000)  # 1.0 s, already rebased by the other link
    assert (await switch.recv()).pts == 1_000_000
    camera.put(93_000)  # 1.033 s in 90 kHz: a smaller number, a later time
    frame = await asyncio.wait_for(switch.recv(), 1)
    assert frame.pts == 93_000
    camera.put(1_000_000, rate=1_000_000)  # but 1.0 s again is a step back
    camera.put(96_000)
    assert (await asyncio.wait_for(switch.recv(), 1)).pts == 96_000
