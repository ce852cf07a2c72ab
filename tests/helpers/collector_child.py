"""Child process of ``test_collector``: dialogs with running timers become cyclic garbage
while a worker thread allocates. ``guarded`` runs the console's collector, ``bare`` does not."""

from __future__ import annotations

import os
import sys
import threading

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from advisor_app.ui.collector import MainThreadCollector


class Dialog(QDialog):
    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._on_tick)
        self.timer.start()
        self.me = self  # a reference cycle: only the cycle collector frees it

    def _on_tick(self) -> None:
        pass


def _allocate() -> None:
    """What a capture or analysis thread does: allocate, and so cross gc thresholds."""
    junk = []
    for i in range(200_000):
        junk.append([i])
        if len(junk) > 1000:
            junk.clear()


def main(mode: str, rounds: int) -> None:
    app = QApplication([])
    if mode == "guarded":
        MainThreadCollector(app, interval_ms=20).start()
    for _ in range(rounds):
        dialog = Dialog()
        dialog.show()
        QTest.qWait(15)
        dialog = None
        worker = threading.Thread(target=_allocate)
        worker.start()
        worker.join()
        QTest.qWait(40)  # the GUI thread runs its timers (and the collector)
    print("survived", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
