"""Keep a window out of screenshots and screen sharing where the operating system allows.

* Windows 10 2004+: ``SetWindowDisplayAffinity(hwnd, WDA_EXCLUDEFROMCAPTURE)``.
* macOS: ``[[view window] setSharingType:NSWindowSharingNone]`` through the Objective-C
  runtime (ctypes, no extra dependency). Honoured by the classic capture APIs; ScreenCaptureKit
  on macOS 15 and later may ignore it.
* Linux (X11 and Wayland): there is no such API; the function returns False and the dialog says so.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)

WDA_NONE = 0x0
WDA_EXCLUDEFROMCAPTURE = 0x11
NS_WINDOW_SHARING_NONE = 0
NS_WINDOW_SHARING_READ_ONLY = 1


def exclusion_supported() -> bool:
    """Can this platform keep a window out of captures at all? (Not Linux: no such API.)"""
    return sys.platform in ("win32", "darwin")


def exclude_from_capture(win_id: int) -> bool:
    """Ask the OS to leave the window ``win_id`` (``QWidget.winId()``) out of captures."""
    return _set_capture(win_id, excluded=True)


def include_in_capture(win_id: int) -> bool:
    """Undo :func:`exclude_from_capture` (after a screen share ends)."""
    return _set_capture(win_id, excluded=False)


def _set_capture(win_id: int, *, excluded: bool) -> bool:
    try:
        if sys.platform == "win32":
            user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
            affinity = WDA_EXCLUDEFROMCAPTURE if excluded else WDA_NONE
            return bool(user32.SetWindowDisplayAffinity(ctypes.c_void_p(win_id), affinity))
        if sys.platform == "darwin":
            return _macos(
                win_id, NS_WINDOW_SHARING_NONE if excluded else NS_WINDOW_SHARING_READ_ONLY
            )
    except (OSError, AttributeError) as exc:
        log.warning("could not change the window's screen-capture setting: %s", exc)
    return False


def _macos(view: int, sharing: int = NS_WINDOW_SHARING_NONE) -> bool:
    path = ctypes.util.find_library("objc")
    if path is None:
        return False
    objc = ctypes.cdll.LoadLibrary(path)
    objc.sel_registerName.restype = ctypes.c_void_p
    objc.sel_registerName.argtypes = [ctypes.c_char_p]
    send = objc.objc_msgSend
    send.restype = ctypes.c_void_p
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    window = send(ctypes.c_void_p(view), objc.sel_registerName(b"window"))
    if not window:
        return False
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong]
    send(ctypes.c_void_p(window), objc.sel_registerName(b"setSharingType:"), sharing)
    return True
