"""Media helpers of the tests: a video file that stands in for a camera, and signal checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

#: The test video: 640×360 at 15 fps (a camera that cannot do 1280×720 at 30 fps).
WIDTH, HEIGHT, FPS = 640, 360, 15.0


def grey(index: int) -> int:
    """The grey level of frame ``index`` in the test video (JPEG keeps flat areas exact).

    It repeats after 75 frames (five seconds); :func:`frame_index` is exact below that.
    """
    return 20 + 3 * (index % 75)


def frame_index(bgr: npt.NDArray[np.uint8]) -> int:
    """Which test-video frame a BGR picture shows (its mean brightness)."""
    return round((float(np.mean(bgr)) - 20) / 3)


def write_video(path: Path, frames: int = 60) -> Path:
    """An MJPG AVI whose frame ``i`` is a flat grey of :func:`grey` (i)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, (WIDTH, HEIGHT))
    assert writer.isOpened()
    for index in range(frames):
        writer.write(np.full((HEIGHT, WIDTH, 3), grey(index), dtype=np.uint8))
    writer.release()
    return path


def dominant_hz(samples: npt.NDArray[np.int16], rate: int = 48_000) -> float:
    data = samples.astype(np.float64)
    spectrum = np.abs(np.fft.rfft(data * np.hanning(len(data))))
    return float(np.fft.rfftfreq(len(data), 1 / rate)[int(np.argmax(spectrum))])


@contextmanager
def no_audio_devices() -> Iterator[None]:
    """PortAudio without any device (no sound server reachable), restored afterwards."""
    import os

    from tests.helpers.pulse import reinit_portaudio

    saved = os.environ["PULSE_SERVER"]
    os.environ["PULSE_SERVER"] = "unix:/nonexistent/pulse/native"
    reinit_portaudio()
    try:
        yield
    finally:
        os.environ["PULSE_SERVER"] = saved
        reinit_portaudio()


def write_pattern_video(path: Path, seconds: float = 20.0) -> Path:
    """A camera-like MJPG AVI (640×360, 15 fps): the moving test pattern."""
    from advisor_app.client.media.synthetic import TestPatternTrack

    pattern = TestPatternTrack(WIDTH, HEIGHT, FPS)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, (WIDTH, HEIGHT))
    assert writer.isOpened()
    for index in range(int(seconds * FPS)):
        writer.write(pattern.render(index, index))
    writer.release()
    return path
