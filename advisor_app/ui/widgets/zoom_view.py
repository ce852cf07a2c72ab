"""A picture that can be zoomed (wheel, buttons) and panned, for the rectified ID still."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap, QWheelEvent
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsScene, QGraphicsView, QWidget


class ZoomView(QGraphicsView):
    """Shows one image; the wheel zooms around the pointer, dragging pans."""

    MIN_ZOOM = 0.2
    MAX_ZOOM = 8.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self._item: QGraphicsPixmapItem | None = None
        self.setScene(self._scene)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setMinimumSize(320, 200)

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    @property
    def has_image(self) -> bool:
        return self._item is not None

    def set_image(self, image: QImage) -> None:
        self.clear()
        self._item = self._scene.addPixmap(QPixmap.fromImage(image))
        self._scene.setSceneRect(self._item.boundingRect())
        self.fit()

    def clear(self) -> None:
        """Drop the picture (the pixmap is released with the scene's item)."""
        self._scene.clear()
        self._item = None
        self.resetTransform()

    def fit(self) -> None:
        if self._item is not None:
            self.fitInView(self._item, Qt.AspectRatioMode.KeepAspectRatio)

    def zoom_by(self, factor: float) -> None:
        target = min(self.MAX_ZOOM, max(self.MIN_ZOOM, self.zoom * factor))
        self.scale(target / self.zoom, target / self.zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self._item is None:
            return
        self.zoom_by(1.25 if event.angleDelta().y() > 0 else 0.8)
