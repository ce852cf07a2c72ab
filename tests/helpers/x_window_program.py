"""A small X11 program with one window, for the window-sharing tests (run as a child process).

    python -m tests.helpers.x_window_program TITLE X Y WIDTH HEIGHT PATTERN [--no-repaint]

PATTERN is ``quadrants`` (the four coloured fields of ``tests.helpers.screen``) or a colour
``#rrggbb`` filling the window. The program paints on every Expose, as any toolkit does; with
``--no-repaint`` it paints once and never again (a program that hangs). Once the window is
mapped and painted it prints its window id; then it obeys one command per line on stdin:
``resize W H``, ``unmap``, ``map``, ``raise``, ``close`` (destroys the window, prints
``closed``); it ends at the end of stdin.
"""

from __future__ import annotations

import os
import select
import sys

from Xlib import X, Xatom
from Xlib import display as xdisplay

#: The quadrant colours as X pixels (0xRRGGBB), matching ``tests.helpers.screen``.
QUADRANT_PIXELS = (0xDC2828, 0x28C828, 0x283CDC, 0xEBEBEB)


def _paint(window: object, gcs: dict[int, object], pattern: str, w: int, h: int) -> None:
    def fill(pixel: int, x: int, y: int, width: int, height: int) -> None:
        window.fill_rectangle(gcs[pixel], x, y, width, height)  # type: ignore[attr-defined]

    if pattern == "quadrants":
        w2, h2 = w // 2, h // 2
        fill(QUADRANT_PIXELS[0], 0, 0, w2, h2)
        fill(QUADRANT_PIXELS[1], w2, 0, w - w2, h2)
        fill(QUADRANT_PIXELS[2], 0, h2, w2, h - h2)
        fill(QUADRANT_PIXELS[3], w2, h2, w - w2, h - h2)
    else:
        fill(int(pattern[1:], 16), 0, 0, w, h)


def main(argv: list[str]) -> None:
    title, x, y, w, h, pattern = argv[0], *map(int, argv[1:5]), argv[5]
    repaint = "--no-repaint" not in argv
    display = xdisplay.Display()
    screen = display.screen()
    window = screen.root.create_window(
        x,
        y,
        w,
        h,
        0,
        screen.root_depth,
        X.InputOutput,
        X.CopyFromParent,
        background_pixmap=X.NONE,  # as Qt and GTK windows: nothing painted by the server
        event_mask=X.ExposureMask | X.StructureNotifyMask,
    )
    window.set_wm_name(title.encode("latin-1", "replace").decode("latin-1"))  # ICCCM
    utf8 = display.intern_atom("UTF8_STRING")
    window.change_property(display.intern_atom("_NET_WM_NAME"), utf8, 8, title.encode())
    window.change_property(display.intern_atom("_NET_WM_PID"), Xatom.CARDINAL, 32, [os.getpid()])
    pixels = {*QUADRANT_PIXELS, 0} if pattern == "quadrants" else {int(pattern[1:], 16)}
    gcs = {p: window.create_gc(foreground=p) for p in pixels}
    window.map()
    size = [w, h]
    announced = False
    painted_once = False
    while True:
        while display.pending_events():
            event = display.next_event()
            if event.type == X.ConfigureNotify:
                size = [event.width, event.height]
            if event.type == X.Expose and (repaint or not painted_once):
                _paint(window, gcs, pattern, *size)
                painted_once = True
                display.sync()
                if not announced:
                    print(hex(window.id), flush=True)
                    announced = True
        ready, _, _ = select.select([sys.stdin, display.fileno()], [], [], 0.5)
        if sys.stdin not in ready:
            continue
        line = sys.stdin.readline()
        if not line:
            return
        command, *args = line.split()
        if command == "resize":
            window.configure(width=int(args[0]), height=int(args[1]))
        elif command == "unmap":
            window.unmap()
        elif command == "map":
            window.map()
        elif command == "raise":
            window.configure(stack_mode=X.Above)
        elif command == "close":
            window.destroy()
            display.sync()
            print("closed", flush=True)
            continue
        display.sync()
        print("ok", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
