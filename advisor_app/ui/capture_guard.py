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

WDA_EXCLUDEFROMCAPTURE = 0x11
NS_WINDOW_SHARING_NONE = 0


def exclude_from_capture(win_id: int) -> bool:
    """Ask the OS to leave the window ``win_id`` (``QWidget.winId()``) out of captures."""
    try:
        if sys.platform == "win32":
            user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
            return bool(
                user32.SetWindowDisplayAffinity(ctypes.c_void_p(win_id), WDA_EXCLUDEFROMCAPTURE)
            )
        if sys.platform == "darwin":
            return _macos(win_id)
    except (OSError, AttributeError) as exc:
        log.warning("could not exclude the window from screen capture: %s", exc)
    return False


def _macos(view: int) -> bool:
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
    send(ctypes.c_void_p(window), objc.sel_registerName(b"setSharingType:"), NS_WINDOW_SHARING_NONE)
    return True
