"""A small video file written with PyAV, standing in for an agency's sign-language video."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def write_video(
    path: Path, *, width: int = 320, height: int = 240, fps: int = 25, seconds: float = 2.0
) -> Path:
    """An H.264 MP4 (or VP8 WebM by suffix) of moving colour bars."""
    codec = "libvpx" if path.suffix == ".webm" else "h264"
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        if codec == "libvpx":
            stream.options = {"deadline": "realtime", "cpu-used": "8"}
        for i in range(round(fps * seconds)):
            img = np.zeros((height, width, 3), np.uint8)
            img[:, : width // 2] = (0, 69, 125)
            img[:, width // 2 :, 1] = (i * 7) % 256
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
