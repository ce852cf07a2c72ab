"""The camera's and the screen share's VP8 encoder, following the send controller.

A subclass of aiortc's ``Vp8Encoder`` (installed on a sender by :mod:`.send`). aiortc's own
encoder keeps the picture's size whatever the link, clamps the bitrate to 250–1500 kbit/s and
re-creates itself – a new key frame – whenever the receiver's REMB moves by more than 10 %
(FFmpeg's libvpx wrapper reads the bitrate only when it opens). This one

- scales the picture down to the controller's height (the screen share keeps its size: its
  setting has height 0) and drops frames down to the controller's frame rate;
- takes the bitrate from the controller alone, down to 70 kbit/s, and re-creates the codec
  only when the size or that bitrate changes (the controller changes it rarely);
- limits a key frame's size (libvpx ``max-intra-rate``, as WebRTC does) so it does not flood
  a slow link's queue, and answers key-frame requests (PLI/FIR) at most once per
  ``keyframe_every_s`` – Chromium repeats them every round trip while it waits;
- skips a frame while the pacer still holds more than :data:`MAX_BACKLOG_MS` of video, so a
  backlog turns into a lower frame rate for a moment rather than seconds of delay;
- sends nothing while its setting is ``None`` (video paused, audio only).

``encode`` runs in aiortc's executor thread; the setting is replaced whole (one reference),
never changed in place.
"""

from __future__ import annotations

import fractions
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import av
from aiortc.codecs.vpx import Vp8Encoder, number_of_threads
from aiortc.mediastreams import VIDEO_TIME_BASE, convert_timebase
from av import VideoFrame
from av.video.reformatter import VideoReformatter

#: Frames are skipped while the pacer holds more video than this (ms).
MAX_BACKLOG_MS = 250.0
#: A key frame may be up to this share of a frame's budget (libvpx ``max-intra-rate``, %),
#: per frame per second: 600 % (six average frames) at 30 fps, never below 300 %. WebRTC
#: allows 900 % at 30 fps; a slow link's queue is smaller than WebRTC's 600 ms buffer.
INTRA_PCT_PER_FPS = 20
MIN_INTRA_PCT = 300


@dataclass(frozen=True, slots=True)
class VideoSetting:
    """What to encode: at most ``height`` lines (0: keep the size), ``fps``, ``kbps``."""

    height: int
    fps: int
    kbps: int


def scaled_size(width: int, height: int, max_height: int) -> tuple[int, int]:
    """The size of a ``width``×``height`` picture at most ``max_height`` high (even numbers,
    aspect kept); unchanged when it is already small enough or ``max_height`` is 0."""
    if max_height <= 0 or height <= max_height:
        return width, height
    new_w = max(2, round(width * max_height / height / 2) * 2)
    return new_w, max_height - max_height % 2


class AdaptiveVp8Encoder(Vp8Encoder):
    """VP8 at the controller's size, frame rate and bitrate (see the module's docstring)."""

    def __init__(
        self,
        setting: VideoSetting | None,
        backlog_ms: Callable[[], float] = lambda: 0.0,
        keyframe_every_s: float = 1.0,
    ) -> None:
        super().__init__()
        self.setting = setting
        self.backlog_ms = backlog_ms
        self.keyframe_every_s = keyframe_every_s
        self._opened: tuple[int, int, int] | None = None  # width, height, kbps
        self._reformatter = VideoReformatter()
        self._next_pts: float | None = None
        self._last_keyframe = -1e9
        self._keyframe_wanted = False
        #: Counters for tests and the benchmark.
        self.frames_encoded = 0
        self.keyframes = 0
        self.frames_skipped = 0
        #: Seconds an encoded frame takes (scaling included), smoothed: the CPU it costs.
        self.encode_s: float | None = None

    # aiortc sets this from every REMB: the controller decides instead.
    @property
    def target_bitrate(self) -> int:
        setting = self.setting
        return setting.kbps * 1000 if setting is not None else 0

    @target_bitrate.setter
    def target_bitrate(self, bitrate: int) -> None:
        pass

    def encode(
        self, frame: av.frame.Frame, force_keyframe: bool = False
    ) -> tuple[list[bytes], int]:
        assert isinstance(frame, VideoFrame)
        setting = self.setting
        if force_keyframe:
            self._keyframe_wanted = True
        if setting is None or setting.fps <= 0:
            return [], 0
        base = frame.time_base or VIDEO_TIME_BASE
        seconds = float(frame.pts * base) if frame.pts is not None else time.monotonic()
        interval = 1.0 / setting.fps
        if self._next_pts is not None and seconds < self._next_pts - 0.2 * interval:
            return [], 0  # above the frame rate wanted
        now = time.monotonic()
        keyframe_due = self._keyframe_wanted and now - self._last_keyframe >= self.keyframe_every_s
        if self.backlog_ms() > MAX_BACKLOG_MS and not keyframe_due:
            self.frames_skipped += 1
            return [], 0
        # The next frame is due one interval after this one was: a source a little faster
        # than the rate wanted loses one frame now and then (25 of 30 fps), not every other
        # one (a minimum gap of 0.85 intervals sent 15 of 30 fps for 25 wanted).
        due = self._next_pts
        if due is None or seconds - due >= interval:  # the first frame, or far behind
            due = seconds
        self._next_pts = due + interval
        pts = convert_timebase(frame.pts or 0, base, VIDEO_TIME_BASE)
        width, height = scaled_size(frame.width, frame.height, setting.height)
        if (width, height) != (frame.width, frame.height) or frame.format.name != "yuv420p":
            # Our own reformatter: frame.reformat() keeps one on the frame, and a camera frame
            # relayed to several links (a group call) is scaled by their encoders in several
            # threads at once, which crashed libswscale (a segfault in tests/e2e/test_mesh_call).
            frame = self._reformatter.reformat(
                frame, width=width, height=height, format="yuv420p", interpolation="AREA"
            )
        frame.pts = pts
        frame.time_base = VIDEO_TIME_BASE
        wanted = (width, height, setting.kbps)
        if self.codec is None or self._opened != wanted:
            self._open(width, height, setting)
            keyframe_due = True  # a new codec starts with one
        elif keyframe_due:
            frame.pict_type = av.video.frame.PictureType.I
        if keyframe_due:
            self._keyframe_wanted = False
            self._last_keyframe = now
            self.keyframes += 1
        assert self.codec is not None
        data = b"".join(bytes(p) for p in self.codec.encode(frame))
        if not keyframe_due:  # a key frame (and a new codec) costs more: not the usual load
            took = time.monotonic() - now
            self.encode_s = took if self.encode_s is None else 0.8 * self.encode_s + 0.2 * took
        self.frames_encoded += 1
        payloads = self._packetize(data, self.picture_id)
        self.picture_id = (self.picture_id + 1) % (1 << 15)
        return payloads, pts

    def load(self) -> float | None:
        """The share of each frame's interval spent encoding (1: no time left), or None."""
        setting = self.setting
        if self.encode_s is None or setting is None or setting.fps <= 0:
            return None
        return self.encode_s * setting.fps

    def _open(self, width: int, height: int, setting: VideoSetting) -> None:
        bitrate = setting.kbps * 1000
        codec = av.CodecContext.create("libvpx", "w")
        codec.width = width
        codec.height = height
        codec.bit_rate = bitrate
        codec.pix_fmt = "yuv420p"
        codec.time_base = fractions.Fraction(1, 90000)
        codec.framerate = fractions.Fraction(setting.fps, 1)
        codec.gop_size = 3000
        codec.qmin = 2
        codec.qmax = 56
        intra = max(MIN_INTRA_PCT, INTRA_PCT_PER_FPS * setting.fps)
        codec.options = {
            "bufsize": str(bitrate),
            "cpu-used": "-6",
            "deadline": "realtime",
            "lag-in-frames": "0",
            "minrate": str(bitrate),
            "maxrate": str(bitrate),
            "max-intra-rate": str(intra),
            "noise-sensitivity": "4",
            "overshoot-pct": "15",
            "partitions": "0",
            "static-thresh": "1",
            "undershoot-pct": "100",
        }
        codec.thread_count = number_of_threads(width * height, os.cpu_count() or 1)
        self.codec = codec
        self._opened = (width, height, setting.kbps)
        self.encode_s = None  # another size, another load
