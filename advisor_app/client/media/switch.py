"""What a sender sends: one track for the whole connection, its source switched underneath.

aiortc's ``RTCRtpSender.replaceTrack`` only swaps the track the sender reads *next*: a sender
already waiting in ``recv()`` of the old track keeps waiting there. For a relayed track that
was stopped (the camera switched off, the shared screen paused) no frame ever comes, so the
sender hangs and sends nothing again, even after a new track was put in (aiortc 1.16). A
source that ends instead (``MediaStreamError``) ends the sender's loop for good.

:class:`SwitchTrack` is set on the sender once per connection and never ends while the call
runs: :meth:`SwitchTrack.set_source` stops waiting for the old source at once, and a source
that ends is simply gone until the next one is set. A video frame whose time is not after the
last one sent is dropped (with one log line per source): libvpx would refuse it and end the
sender; the local tracks share one timeline (``media/clock.py``), so this is only a guard.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import logging

from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

log = logging.getLogger(__name__)


def _seconds(frame: object) -> fractions.Fraction | None:
    """When a frame was taken, in seconds. Its pts alone says nothing: the frames of a relayed
    track are shared by every link, and PyAV's encoder rebases the pts and time base of the
    frame it encodes in place (to microseconds for libvpx), so the next link may get a frame
    in another time base than the one before."""
    pts, base = getattr(frame, "pts", None), getattr(frame, "time_base", None)
    return None if pts is None or base is None else pts * fractions.Fraction(base)


class SwitchTrack(MediaStreamTrack):
    """Frames of whichever source is set now; none while there is none."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self._source: MediaStreamTrack | None = None
        self._changed = asyncio.Event()
        self._last_at: fractions.Fraction | None = None
        self._warned: MediaStreamTrack | None = None

    @property
    def source(self) -> MediaStreamTrack | None:
        return self._source

    def set_source(self, source: MediaStreamTrack | None) -> None:
        """Send ``source`` from now on (None: nothing); the previous source is stopped."""
        old, self._source = self._source, source
        self._changed.set()
        if old is not None and old is not source:
            old.stop()

    async def recv(self):  # type: ignore[no-untyped-def]  # Frame | Packet, as aiortc's
        while True:
            if self.readyState != "live":
                raise MediaStreamError
            self._changed.clear()
            source = self._source
            if source is None:
                await self._changed.wait()
                continue
            frame = asyncio.ensure_future(source.recv())
            changed = asyncio.ensure_future(self._changed.wait())
            try:
                await asyncio.wait({frame, changed}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                changed.cancel()
                if not frame.done():
                    frame.cancel()
                    with contextlib.suppress(asyncio.CancelledError, MediaStreamError):
                        await frame
            if frame.cancelled():
                continue  # switched meanwhile
            try:
                result = frame.result()
            except MediaStreamError:
                if self._source is source:  # it ended by itself: wait for the next one
                    self._source = None
                continue
            at = _seconds(result) if self.kind == "video" else None
            if at is not None:
                if self._last_at is not None and at <= self._last_at:
                    if self._warned is not source:
                        self._warned = source
                        log.warning("video frames dropped: their time goes back (%s)", source)
                    continue
                self._last_at = at
            return result

    def stop(self) -> None:
        super().stop()
        source, self._source = self._source, None
        self._changed.set()
        if source is not None:
            source.stop()
