"""A real X screen to share: Xvfb on a free display, showing a picture we choose.

The picture is put on the root window with ImageMagick's ``display -window root``, so the
console's capture code (``mss``) grabs it exactly as it grabs an advisor's desktop. Several
monitors are RandR 1.5 monitors laid over the one screen (``xrandr --setmonitor``), which is
what ``mss`` lists; removing one (``--delmonitor``) is unplugging it. The screen's own output
stays listed as the last monitor (Xvfb refuses to remove it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]


class XScreen:
    """One Xvfb display; :meth:`show` puts a BGR picture on it."""

    def __init__(self, display: str, folder: Path, process: subprocess.Popen[bytes]) -> None:
        self.display = display
        self._folder = folder
        self._process = process
        self._shown = 0

    def unplug_monitor(self, name: str) -> None:
        """One monitor is unplugged (the rest of the desktop stays)."""
        env = {**os.environ, "DISPLAY": self.display}
        subprocess.run(["xrandr", "--delmonitor", name], env=env, check=True, timeout=20)

    def unplug(self) -> None:
        """The screen goes away at once (the X server ends), as an unplugged monitor does."""
        self._process.kill()
        self._process.wait()

    def show(self, picture: Image) -> None:
        self._shown += 1
        path = self._folder / f"screen-{self._shown}.png"
        cv2.imwrite(str(path), picture)
        env = {**os.environ, "DISPLAY": self.display}
        # ``display`` exits with 1 after setting the root background; the grab below checks.
        subprocess.run(["display", "-window", "root", str(path)], env=env, check=False, timeout=20)


def _free_display() -> int:
    for number in range(80, 140):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    raise RuntimeError("no free X display number")


@contextlib.contextmanager
def xvfb_screen(
    width: int = 1920,
    height: int = 1080,
    monitors: dict[str, tuple[int, int, int, int]] | None = None,
) -> Iterator[XScreen]:
    """Xvfb with one ``width`` × ``height`` screen, optionally split into named ``monitors``
    (x, y, width, height); ``DISPLAY`` points at it meanwhile."""
    for program in ("Xvfb", "display", "xrandr"):
        if shutil.which(program) is None:
            raise RuntimeError(f"{program} is missing: make system-test installs it")
    number = _free_display()
    proc = subprocess.Popen(
        [
            "Xvfb",
            f":{number}",
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    old = os.environ.get("DISPLAY")
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        os.environ["DISPLAY"] = f":{number}"
        for name, (x, y, w, h) in (monitors or {}).items():
            geometry = f"{w}/{w * 254 // 960}x{h}/{h * 254 // 960}+{x}+{y}"  # 96 dpi
            subprocess.run(
                ["xrandr", "--setmonitor", name, geometry, "none"], check=True, timeout=20
            )
        with tempfile.TemporaryDirectory(prefix="xscreen-") as folder:
            yield XScreen(f":{number}", Path(folder), proc)
    finally:
        if old is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = old
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def quadrant_pattern(width: int, height: int) -> Image:
    """Four large coloured fields (red, green, blue, white: BGR order below) and a black bar
    across the middle: what arrives can be checked region by region after any scaling."""
    picture = np.zeros((height, width, 3), dtype=np.uint8)
    h2, w2 = height // 2, width // 2
    picture[:h2, :w2] = (40, 40, 220)  # red, top left
    picture[:h2, w2:] = (40, 200, 40)  # green, top right
    picture[h2:, :w2] = (220, 60, 40)  # blue, bottom left
    picture[h2:, w2:] = (235, 235, 235)  # white, bottom right
    return picture


#: Expected colours (RGB, as a canvas reads them) at the centres of the four quadrants.
QUADRANTS_RGB = {
    "top_left": (220, 40, 40),
    "top_right": (40, 200, 40),
    "bottom_left": (40, 60, 220),
    "bottom_right": (235, 235, 235),
}
