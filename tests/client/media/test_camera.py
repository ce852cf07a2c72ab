"""The camera: a video file stands in for the device (CI has no camera)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from aiortc.mediastreams import MediaStreamError

from advisor_app.client.media import MediaUnavailable, open_camera
from advisor_app.client.media.camera import TIME_BASE, CameraTrack
from advisor_app.client.media.devices import _linux_cameras
from tests.helpers.media import FPS, HEIGHT, WIDTH, frame_index, write_video

pytestmark = pytest.mark.unit


class Problems:
    """Collects what the advisor would be told."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.event = asyncio.Event()

    def __call__(self, code: str) -> None:
        self.messages.append(code)
        self.event.set()


def _index(frame: object) -> int:
    import av

    assert isinstance(frame, av.VideoFrame)
    return frame_index(frame.to_ndarray(format="bgr24"))


async def test_a_camera_that_cannot_do_720p_gives_its_own_size_and_rate(video_file: Path) -> None:
    problems = Problems()
    track = await open_camera(str(video_file), problems)
    try:
        assert track.size == (WIDTH, HEIGHT)  # asked for 1280×720, took what it gives
        assert track.capture.fps == pytest.approx(FPS)
        frames = [await track.recv() for _ in range(6)]
        assert all(f.format.name == "yuv420p" for f in frames)
        assert all((f.width, f.height) == (WIDTH, HEIGHT) for f in frames)
        assert all(f.time_base == TIME_BASE for f in frames)
        pts = [f.pts for f in frames]
        assert pts == sorted(set(pts))  # strictly increasing
        step = (pts[-1] - pts[0]) / (len(pts) - 1)
        assert step == pytest.approx(90_000 / FPS, rel=0.25)  # the capture's rate
        indices = [_index(f) for f in frames]
        assert indices == sorted(set(indices))  # each frame once
        preview = track.latest_bgr()
        assert preview is not None and preview.shape == (HEIGHT, WIDTH, 3)
        assert not preview.flags.writeable
        assert problems.messages == []
    finally:
        await track.close()


async def test_a_slow_reader_gets_the_newest_frame_not_a_backlog(video_file: Path) -> None:
    track = await open_camera(str(video_file), Problems())
    try:
        first = _index(await track.recv())
        await asyncio.sleep(1.0)  # 15 frames arrive meanwhile; only the newest is kept
        started = time.monotonic()
        later = _index(await track.recv())
        assert time.monotonic() - started < 0.05  # there already, no waiting
        assert later - first >= 10
        following = _index(await track.recv())  # the next one is new, not a stored one
        assert following - later in (1, 2)
    finally:
        await track.close()


async def test_the_end_of_the_file_is_a_lost_camera_and_the_track_goes_on(
    tmp_path: Path,
) -> None:
    short = write_video(tmp_path / "short.avi", frames=8)  # about half a second
    problems = Problems()
    track = await open_camera(str(short), problems)
    try:
        await asyncio.wait_for(problems.event.wait(), 5)
        assert problems.messages == ["camera-lost"]
        assert track.capture.lost
        await asyncio.to_thread(track.capture.close)
        assert not track.capture.running  # the capture thread ended and released the file
        pts = []
        for _ in range(3):  # the sender keeps getting (dark) frames: the call goes on
            frame = await asyncio.wait_for(track.recv(), 2)
            pts.append(frame.pts)
        assert pts == sorted(set(pts))
    finally:
        await track.close()


async def test_closing_joins_the_capture_thread_and_ends_the_track(video_file: Path) -> None:
    track = await open_camera(str(video_file), Problems())
    await track.recv()
    assert track.capture.running
    await track.close()
    assert not track.capture.running
    assert track.readyState == "ended"
    with pytest.raises(MediaStreamError):
        await track.recv()


@pytest.mark.parametrize("device", ["/dev/video-not-there", "7-not-a-camera"])
async def test_a_missing_camera_is_refused_as_not_found(device: str) -> None:
    with pytest.raises(MediaUnavailable) as caught:
        await open_camera(device, Problems())
    assert caught.value.code == "camera-not-found"


async def test_a_file_that_gives_no_picture_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.avi"
    broken.write_bytes(b"this is not a video")
    with pytest.raises(MediaUnavailable) as caught:
        await open_camera(str(broken), Problems())
    assert caught.value.code == "camera-busy"


def test_linux_cameras_come_from_sysfs_without_opening_a_device(tmp_path: Path) -> None:
    dev, sysfs = tmp_path / "dev", tmp_path / "sys"
    dev.mkdir()
    for node, index, name in (
        ("video0", "0", "HD Pro Webcam C920"),
        ("video1", "1", "HD Pro Webcam C920"),  # the same camera's metadata node
        ("video10", "0", "Integrated Camera"),
        ("video2", None, None),  # no sysfs entry: shown with its node name
    ):
        (dev / node).touch()
        if index is not None:
            (sysfs / node).mkdir(parents=True)
            (sysfs / node / "index").write_text(index + "\n")
            (sysfs / node / "name").write_text(f"{name}\n")
    cameras = _linux_cameras(sysfs, dev)
    assert [(c.id, c.name) for c in cameras] == [
        (str(dev / "video0"), "HD Pro Webcam C920 (video0)"),
        (str(dev / "video2"), "video2 (video2)"),
        (str(dev / "video10"), "Integrated Camera (video10)"),
    ]


def test_the_track_is_an_aiortc_video_track() -> None:
    from aiortc import VideoStreamTrack

    assert issubclass(CameraTrack, VideoStreamTrack)
    assert CameraTrack.kind == "video"
