"""Icons drawn in code: the window icon and the coloured status dots (no image files needed)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

APP_BLUE = "#1d4f91"


def _camera_pixmap(size: int) -> QPixmap:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(APP_BLUE))
    p.drawRoundedRect(QRectF(0, 0, s, s), s * 0.2, s * 0.2)
    p.setBrush(QColor("#ffffff"))
    body = QRectF(s * 0.16, s * 0.32, s * 0.46, s * 0.36)
    p.drawRoundedRect(body, s * 0.07, s * 0.07)
    lens = QPainterPath()
    lens.moveTo(s * 0.64, s * 0.45)
    lens.lineTo(s * 0.84, s * 0.33)
    lens.lineTo(s * 0.84, s * 0.67)
    lens.lineTo(s * 0.64, s * 0.55)
    lens.closeSubpath()
    p.drawPath(lens)
    p.end()
    return pix


@cache
def app_icon() -> QIcon:
    """The console's window and taskbar icon: a white camera on the agency blue."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addPixmap(_camera_pixmap(size))
    return icon


@cache
def dot_icon(colour: str, size: int = 12) -> QIcon:
    """A filled circle in ``colour`` (status dots in lists)."""
    icon = QIcon()
    for scale in (1, 2):
        px = size * scale
        pix = QPixmap(px, px)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor(colour).darker(115), 1.0 * scale))
        p.setBrush(QColor(colour))
        margin = 1.5 * scale
        p.drawEllipse(QRectF(margin, margin, px - 2 * margin, px - 2 * margin))
        p.end()
        pix.setDevicePixelRatio(scale)
        icon.addPixmap(pix)
    return icon
