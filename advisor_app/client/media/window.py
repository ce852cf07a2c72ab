"""One application window as a video track on X11, with the Composite extension.

``mss`` grabs rectangles of the desktop, so a window's rectangle would show whatever lies on
top of it. Here the X server keeps the shared window's own picture in an off-screen pixmap
(``XCompositeRedirectWindow`` automatic + ``NameWindowPixmap``, as OBS's "Xcomposite window
capture" does), and each frame is a ``GetImage`` of that pixmap: a window on top of it, the
console's waiting room for instance, never reaches the picture.

:func:`window_capture_available` says whether this session can do it (Linux, an X11 session,
Composite ≥ 0.2); :func:`list_windows` names the top-level application windows
(``_NET_CLIENT_LIST``, or the root's mapped children without a window manager), without the
console's own windows, minimised, tiny, desktop and dock windows; :func:`window_previews`
takes one small picture of each for the picker; :func:`open_window` starts a
:class:`WindowCapture` and returns its :class:`~advisor_app.client.media.screen.ScreenTrack`.

Sent as monitors are (``docs/decisions.md``): at most 1280×720 with the window's aspect, even
sizes, ``INTER_AREA``, :data:`SHARE_FPS` frames a second, newest frame only, in a thread of its
own. The sent size is fixed when the share starts; a window resized later is scaled into it
with black bars, so the encoder and the citizen's page never change size. A window that is
closed or unmapped (minimised) during the share ends it, reported once through ``on_problem``.

Redirecting a window makes the server copy what the screen shows at its place into the new
pixmap, covering windows included, until the window's program paints itself again. So after
every (re-)naming the pixmap is filled black and the program asked to repaint (an Expose):
parts it has not painted yet are black, never another window.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from advisor_app.client.media.problems import (
    WINDOW_CLOSED,
    WINDOW_HIDDEN,
    WINDOW_NOT_FOUND,
    WINDOW_UNAVAILABLE,
    MediaUnavailable,
    Problem,
    ProblemCallback,
)
from advisor_app.client.media.screen import (
    SHARE_FPS,
    CaptureThread,
    Image,
    Monitor,
    ScreenTrack,
    open_screen,
    send_size,
    start_capture,
)

log = logging.getLogger(__name__)

#: Time the window's program gets to repaint after its pixmap was (re-)named and blacked out.
SETTLE_S = 0.12
#: Bytes fetched per ``GetImage``: python-xlib joins a reply's chunks one by one, so one large
#: reply costs quadratic copying (1280×720 in one piece: 35 ms; in 256 KiB strips: 4 ms).
_STRIP_BYTES = 256 * 1024
#: An unmapped window destroyed within this time was closed, not minimised.
_CLOSE_GRACE_S = 0.3


@dataclass(frozen=True, slots=True)
class Window:
    """One top-level application window (``id`` is its X11 window id)."""

    id: int
    title: str
    width: int
    height: int


def window_capture_available() -> bool:
    """True on Linux in an X11 session whose server has Composite ≥ 0.2."""
    if not sys.platform.startswith("linux") or not os.environ.get("DISPLAY"):
        return False
    if os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland":
        return False  # XWayland shows only X11 programs' windows: not offered (decisions.md)
    if not _local_server_there(os.environ["DISPLAY"]):
        return False
    try:
        with _display() as display:
            return _has_composite(display)
    except Exception as exc:  # no python-xlib, no X server
        log.info("window capture unavailable: %s", exc)
        return False


def _local_server_there(name: str) -> bool:
    """False for a local display (``:N``) without its socket: no X server to ask (python-xlib
    would try and leave its sockets open)."""
    if not name.startswith(":"):
        return True  # host:N, a remote server: ask it
    number = name[1:].split(".")[0]
    return Path(f"/tmp/.X11-unix/X{number}").exists()  # noqa: S108 (the X11 socket folder)


@contextlib.contextmanager
def _display() -> Iterator[Any]:
    from Xlib import display as xdisplay  # here: python-xlib is a Linux-only dependency

    display = xdisplay.Display()
    display.set_error_handler(lambda error, _request: log.debug("X error: %s", error))
    try:
        yield display
    finally:
        display.close()


def _has_composite(display: Any) -> bool:
    if not display.has_extension("Composite"):
        return False
    version = display.composite_query_version()
    return bool((version.major_version, version.minor_version) >= (0, 2))


class _Atoms:
    def __init__(self, display: Any) -> None:
        for name in (
            "_NET_CLIENT_LIST",
            "_NET_WM_NAME",
            "UTF8_STRING",
            "_NET_WM_PID",
            "_NET_WM_STATE",
            "_NET_WM_STATE_HIDDEN",
            "_NET_WM_WINDOW_TYPE",
            "_NET_WM_WINDOW_TYPE_DESKTOP",
            "_NET_WM_WINDOW_TYPE_DOCK",
            "WM_STATE",
            "WM_CLIENT_MACHINE",
        ):
            setattr(self, name, display.intern_atom(name))

    def __getattr__(self, name: str) -> int:  # for mypy: the atoms set above
        raise AttributeError(name)


def _values(window: Any, atom: int, kind: int = 0) -> list[Any]:
    prop = window.get_full_property(atom, kind)
    return list(prop.value) if prop is not None else []


def _title(window: Any, atoms: _Atoms) -> str:
    prop = window.get_full_property(atoms._NET_WM_NAME, atoms.UTF8_STRING)
    if prop is not None and prop.value:
        raw = prop.value
        return (raw if isinstance(raw, str) else bytes(raw).decode("utf-8", "replace")).strip()
    name = window.get_wm_name()
    if isinstance(name, bytes):
        name = name.decode("latin-1", "replace")
    return str(name or "").strip()


def _client_windows(display: Any, atoms: _Atoms) -> list[Any]:
    """The window manager's client list; without one, the root's children (or the client
    inside each frame of an ICCCM window manager without EWMH)."""
    root = display.screen().root
    ids = _values(root, atoms._NET_CLIENT_LIST)
    if ids:
        return [display.create_resource_object("window", int(i)) for i in ids]

    def client(window: Any, depth: int) -> Any:
        if window.get_full_property(atoms.WM_STATE, 0) is not None or depth == 0:
            return window
        for child in window.query_tree().children:
            found = client(child, depth - 1)
            if found is not None and found.get_full_property(atoms.WM_STATE, 0) is not None:
                return found
        return window

    return [client(child, 2) for child in root.query_tree().children]


def _is_own(window: Any, atoms: _Atoms) -> bool:
    pids = _values(window, atoms._NET_WM_PID)
    if not pids or int(pids[0]) != os.getpid():
        return False
    machine = window.get_full_property(atoms.WM_CLIENT_MACHINE, 0)
    if machine is None or not machine.value:
        return True  # same pid, no machine said: ours, to be safe
    raw = machine.value
    host = raw if isinstance(raw, str) else bytes(raw).decode("latin-1", "replace")
    return host.strip("\0") == socket.gethostname()


def _shareable(display: Any, window: Any, atoms: _Atoms, exclude: Collection[int]) -> Window | None:
    from Xlib import X

    if window.id in exclude or _is_own(window, atoms):
        return None
    attributes = window.get_attributes()
    if (
        attributes.map_state != X.IsViewable
        or attributes.win_class != X.InputOutput
        or attributes.override_redirect
    ):
        return None
    if atoms._NET_WM_STATE_HIDDEN in _values(window, atoms._NET_WM_STATE):
        return None
    kinds = set(_values(window, atoms._NET_WM_WINDOW_TYPE))
    if kinds & {atoms._NET_WM_WINDOW_TYPE_DESKTOP, atoms._NET_WM_WINDOW_TYPE_DOCK}:
        return None
    geometry = window.get_geometry()
    if geometry.width < 16 or geometry.height < 16 or _bytes_per_pixel(display, geometry) != 4:
        return None
    title = _title(window, atoms)
    if not title:
        return None  # nothing the advisor could recognise it by
    return Window(int(window.id), title, int(geometry.width), int(geometry.height))


def _bytes_per_pixel(display: Any, geometry: Any) -> int:
    for form in display.display.info.pixmap_formats:
        if form.depth == geometry.depth:
            return int(form.bits_per_pixel) // 8
    return 0


def list_windows(exclude: Collection[int] = ()) -> list[Window]:
    """The application windows that can be shared, in the window manager's order; never the
    console's own (same process) nor those in ``exclude``. Raises :class:`MediaUnavailable`
    when window capture is not possible here."""
    from Xlib.error import XError

    try:
        with _display() as display:
            if not _has_composite(display):
                raise MediaUnavailable(WINDOW_UNAVAILABLE)
            atoms = _Atoms(display)
            found: list[Window] = []
            for window in _client_windows(display, atoms):
                try:
                    shareable = _shareable(display, window, atoms, exclude)
                except XError:  # closed while we looked
                    continue
                if shareable is not None:
                    found.append(shareable)
            return found
    except MediaUnavailable:
        raise
    except Exception as exc:
        log.warning("no windows to capture: %s", exc)
        raise MediaUnavailable(WINDOW_UNAVAILABLE) from exc


class _Redirected:
    """One window redirected into its pixmap on one X connection; :meth:`grab` reads it."""

    def __init__(self, display: Any, window_id: int) -> None:
        from Xlib import X
        from Xlib.ext import composite

        self.display = display
        self.window = display.create_resource_object("window", window_id)
        self.window.change_attributes(event_mask=X.StructureNotifyMask)
        self.window.composite_redirect_window(composite.RedirectAutomatic)
        self.pixmap: Any = None
        self.width = self.height = self.border = 0
        self.named_at = 0.0
        self.name()

    def name(self) -> None:
        """(Re-)name the window's pixmap, black it out and ask its program to repaint."""
        if self.pixmap is not None:
            self.pixmap.free()
        geometry = self.window.get_geometry()
        self.width, self.height = int(geometry.width), int(geometry.height)
        border = self.border = int(geometry.border_width)
        self.pixmap = self.window.composite_name_window_pixmap()
        gc = self.pixmap.create_gc(foreground=0, graphics_exposures=False)
        self.pixmap.fill_rectangle(gc, 0, 0, self.width + 2 * border, self.height + 2 * border)
        gc.free()
        self.window.clear_area(0, 0, 0, 0, exposures=True)  # an Expose for the whole window
        self.display.sync()
        self.named_at = time.monotonic()

    def grab(self) -> Image:
        """The window's own picture (BGRX, border left out)."""
        from Xlib import X

        stride = self.width * 4
        rows = max(1, _STRIP_BYTES // stride)
        parts = []
        for top in range(0, self.height, rows):
            strip = self.pixmap.get_image(
                self.border,
                self.border + top,
                self.width,
                min(rows, self.height - top),
                X.ZPixmap,
                0xFFFFFFFF,
            )
            parts.append(strip.data)
        data = b"".join(parts)
        return np.frombuffer(data, dtype=np.uint8).reshape(self.height, self.width, 4)

    def release(self) -> None:
        from Xlib.ext import composite

        with contextlib.suppress(Exception):  # the window may be gone already
            if self.pixmap is not None:
                self.pixmap.free()
            self.window.composite_unredirect_window(composite.RedirectAutomatic)
            self.display.sync()


def window_previews(windows: Collection[Window], width: int = 256) -> dict[int, Image]:
    """A small BGR picture of each window that could be grabbed (by window id); all windows
    are redirected at once, so the program's repaint is awaited only once."""
    from Xlib.error import XError

    pictures: dict[int, Image] = {}
    try:
        with _display() as display:
            redirected: list[tuple[Window, _Redirected]] = []
            for window in windows:
                try:
                    redirected.append((window, _Redirected(display, window.id)))
                except XError:
                    continue
            time.sleep(SETTLE_S)
            for window, grabbed in redirected:
                try:
                    bgrx = grabbed.grab()
                except XError:
                    continue
                finally:
                    grabbed.release()
                height = max(2, round(width * grabbed.height / grabbed.width))
                small = cv2.resize(bgrx, (width, height), interpolation=cv2.INTER_AREA)
                pictures[window.id] = np.ascontiguousarray(small[:, :, :3])
    except Exception as exc:
        log.warning("window previews failed: %s", exc)
    return pictures


def fit(picture: Image, size: tuple[int, int]) -> Image:
    """``picture`` (BGRX) scaled into ``size`` keeping its aspect, black bars around it."""
    width, height = size
    h, w = picture.shape[:2]
    if (w, h) == (width, height):
        return picture
    scale = min(width / w, height / h)
    inner = (max(1, min(width, round(w * scale))), max(1, min(height, round(h * scale))))
    canvas = np.zeros((height, width, 4), dtype=np.uint8)
    left, top = (width - inner[0]) // 2, (height - inner[1]) // 2
    canvas[top : top + inner[1], left : left + inner[0]] = cv2.resize(
        picture, inner, interpolation=cv2.INTER_AREA
    )
    return canvas


class WindowCapture(CaptureThread):
    """Grabs one window :data:`SHARE_FPS` times a second in a daemon thread (the same
    interface as :class:`~advisor_app.client.media.screen.ScreenCapture`)."""

    def __init__(
        self,
        window: Window,
        *,
        fps: int = SHARE_FPS,
        on_problem: Callable[[Problem], None] = lambda _p: None,
    ) -> None:
        super().__init__(send_size(window.width, window.height), fps, on_problem, "window-capture")
        self.source = window
        self._unmapped_at = 0.0

    def _run(self) -> None:
        from Xlib.error import XError

        try:
            with _display() as display:
                try:
                    redirected = _Redirected(display, self.source.id)
                except XError as exc:
                    log.info("window to share is gone: %s", exc)
                    self._fail(WINDOW_NOT_FOUND)
                    return
                try:
                    self._loop(display, redirected)
                finally:
                    redirected.release()
        except Exception as exc:  # no display, python-xlib missing, the X server gone
            log.warning("window capture failed: %s", exc)
            self._fail(WINDOW_CLOSED if self.opened.done() else WINDOW_UNAVAILABLE)

    def _loop(self, display: Any, redirected: _Redirected) -> None:
        from Xlib.error import XError

        period = 1.0 / self.fps
        seq = 0
        due = time.monotonic()
        self._stop.wait(SETTLE_S)
        while not self._stop.is_set():
            started = time.monotonic()
            problem = self._events(display, redirected)
            if problem is not None:
                self._fail(problem)
                return
            if started - redirected.named_at >= SETTLE_S:
                try:
                    bgrx = redirected.grab()
                except XError as exc:  # destroyed between the event check and the grab
                    log.info("window grab failed: %s", exc)
                    self._fail(WINDOW_CLOSED if self.opened.done() else WINDOW_NOT_FOUND)
                    return
                framed = fit(bgrx, self.size)
                i420: Image = np.asarray(
                    cv2.cvtColor(framed, cv2.COLOR_BGRA2YUV_I420), dtype=np.uint8
                )
                seq += 1
                self._publish(seq, started, i420)
            due = max(due + period, time.monotonic())
            self._stop.wait(due - time.monotonic())

    def _events(self, display: Any, redirected: _Redirected) -> Problem | None:
        """Closed or unmapped: the problem; resized: the pixmap named anew."""
        from Xlib import X

        resized = unmapped = False
        while display.pending_events() or (unmapped and self._destroy_may_follow()):
            if not display.pending_events():
                continue
            event = display.next_event()
            if getattr(event, "window", None) != redirected.window:
                continue
            if event.type == X.DestroyNotify:
                return WINDOW_CLOSED if self.opened.done() else WINDOW_NOT_FOUND
            if event.type == X.UnmapNotify and not unmapped:
                unmapped = True  # a program closing a window often hides it first
                self._unmapped_at = time.monotonic()
            if event.type == X.ConfigureNotify and (event.width, event.height) != (
                redirected.width,
                redirected.height,
            ):
                resized = True
        if unmapped:
            return WINDOW_HIDDEN if self.opened.done() else WINDOW_NOT_FOUND
        if resized:
            redirected.name()
        return None

    def _destroy_may_follow(self) -> bool:
        """Within :data:`_CLOSE_GRACE_S` of an unmap (waits a little; False after)."""
        if time.monotonic() - self._unmapped_at >= _CLOSE_GRACE_S:
            return False
        self._stop.wait(0.02)
        return True


async def open_window(
    window: Window,
    on_problem: ProblemCallback,
    *,
    fps: int = SHARE_FPS,
    open_timeout: float = 5.0,
) -> ScreenTrack:
    """Start capturing ``window``; raises :class:`MediaUnavailable` when it cannot be grabbed.
    A later loss is reported once through ``on_problem(code)`` on the loop."""
    return await start_capture(
        lambda problem: WindowCapture(window, fps=fps, on_problem=problem),
        on_problem,
        unavailable=WINDOW_UNAVAILABLE,
        open_timeout=open_timeout,
    )


#: What the advisor can share: a whole monitor (``mss``) or one window (Composite).
ShareSource = Monitor | Window


async def open_share(source: ShareSource, on_problem: ProblemCallback) -> ScreenTrack:
    """Start sharing ``source``, a monitor or a window (the same track, the same rules)."""
    if isinstance(source, Window):
        return await open_window(source, on_problem)
    return await open_screen(source, on_problem)
