"""A video picture: draws the newest frame of a source, scaled to fit, never queueing frames.

The view asks its source for the newest frame on a timer (the display rate, not the network's)
and converts only what it shows, at the size it shows it. A frame already drawn is not
converted again. Without a frame it shows a short text ("Kamera aus", "Verbindung …").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

FrameSource = Callable[[], Any]  # returns an av.VideoFrame, a BGR ndarray or None


def fit(frame_size: QSize, box: QSize) -> QSize:
    """The largest size of ``frame_size``'s aspect that fits into ``box`` (even numbers)."""
    if frame_size.isEmpty() or box.isEmpty():
        return QSize(0, 0)
    scaled = frame_size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
    return QSize(max(2, scaled.width() & ~1), max(2, scaled.height() & ~1))


def to_image(frame: Any, size: QSize) -> QImage | None:
    """Convert a frame to an RGB image of ``size`` (swscale does the scaling for av frames)."""
    if frame is None or size.isEmpty():
        return None
    if isinstance(frame, np.ndarray):
        rgb = cv2.cvtColor(
            cv2.resize(frame, (size.width(), size.height()), interpolation=cv2.INTER_AREA),
            cv2.COLOR_BGR2RGB,
        )
    else:
        rgb = frame.reformat(width=size.width(), height=size.height(), format="rgb24").to_ndarray()
    rgb = np.ascontiguousarray(rgb)
    height, width = rgb.shape[:2]
    image = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.copy()  # the image must not point into the array, which is freed


def frame_size(frame: Any) -> QSize:
    if isinstance(frame, np.ndarray):
        return QSize(int(frame.shape[1]), int(frame.shape[0]))
    return QSize(int(frame.width), int(frame.height))


class VideoView(QWidget):
    """Shows a :data:`FrameSource` at up to ``fps`` frames per second."""

    def __init__(
        self, fps: int = 30, *, mirror: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._source: FrameSource | None = None
        self._image: QImage | None = None
        self._shown: Any = None
        self._placeholder = ""
        self._mirror = mirror
        self.frames_drawn = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._timer = QTimer(self)
        self._timer.setInterval(max(10, 1000 // fps))
        self._timer.timeout.connect(self._on_tick)

    def set_source(self, source: FrameSource | None) -> None:
        self._source = source
        self._shown = None
        self._image = None
        if source is None:
            self._timer.stop()
        else:
            self._timer.start()
        self.update()

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        self.update()

    @property
    def placeholder(self) -> str:
        return self._placeholder

    @property
    def showing_video(self) -> bool:
        return self._image is not None

    def image(self) -> QImage | None:
        return self._image

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    # --- drawing ----------------------------------------------------------------------------

    def _on_tick(self) -> None:
        if self._source is None or not self.isVisible():
            return
        frame = self._source()
        if frame is None:
            if self._image is not None:
                self._image = None
                self._shown = None
                self.update()
            return
        if frame is self._shown:
            return
        self._shown = frame
        self._image = to_image(frame, fit(frame_size(frame), self.size()))
        self.frames_drawn += 1
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._shown = None  # draw the next frame at the new size

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#1b1f24"))
        image = self._image
        if image is not None:
            x = (self.width() - image.width()) // 2
            y = (self.height() - image.height()) // 2
            target = QRect(x, y, image.width(), image.height())
            if self._mirror:
                image = image.flipped(Qt.Orientation.Horizontal)
            painter.drawImage(target, image)
        elif self._placeholder:
            painter.setPen(QColor("#ffffff"))
            font = painter.font()
            font.setPointSizeF(max(9.0, min(14.0, self.height() / 18)))
            painter.setFont(font)
            painter.drawText(
                self.rect().adjusted(8, 8, -8, -8),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._placeholder,
            )
        painter.end()
