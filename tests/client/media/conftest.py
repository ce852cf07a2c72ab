"""Fixtures of the media tests: a video file as camera."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.media import write_video


@pytest.fixture(scope="session")
def video_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four seconds of test video (60 frames at 15 fps)."""
    return write_video(tmp_path_factory.mktemp("video") / "camera.avi")
