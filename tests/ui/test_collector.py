"""Cycle collection on the GUI thread: a dialog that becomes garbage while a worker thread
allocates is destroyed on the GUI thread, and the console does not crash."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from advisor_app.ui.collector import MainThreadCollector
from tests.helpers.ui import wait_until

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def _child(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.helpers.collector_child", mode, "25"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_collector_a_worker_thread_frees_a_dialog_and_the_timer_crashes() -> None:
    """The failure the collector exists for (Qt says so before the crash)."""
    done = _child("bare")
    assert done.returncode != 0, done.stdout
    assert "Timers cannot be stopped from another thread" in done.stderr
    assert "survived" not in done.stdout


def test_with_the_collector_the_same_program_runs_to_the_end() -> None:
    done = _child("guarded")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "survived" in done.stdout
    assert "another thread" not in done.stderr


def test_garbage_cycles_are_freed_on_the_gui_thread(qtbot: QtBot) -> None:
    collector = MainThreadCollector(interval_ms=20)
    was_enabled = gc.isenabled()
    collector.start()
    try:
        assert not gc.isenabled()  # no collection can start in another thread now
        freed_in: list[int] = []

        class Holder(QObject):
            pass

        holder = Holder()
        holder.me = holder  # type: ignore[attr-defined]
        weakref.finalize(holder, lambda: freed_in.append(threading.get_ident()))
        del holder

        kept: list[list[int]] = []  # objects that stay alive: they count towards a collection
        worker = threading.Thread(target=lambda: kept.extend([i] for i in range(50_000)))
        worker.start()
        worker.join()
        assert gc.get_count()[0] > gc.get_threshold()[0]  # a collection is long due ...
        assert freed_in == []  # ... but the worker's allocations did not start one
        wait_until(lambda: bool(freed_in), timeout=5, message="the cycle was never collected")
        assert freed_in == [threading.get_ident()]
        errors: list[BaseException] = []

        def collect_elsewhere() -> None:
            try:
                collector.collect()
            except RuntimeError as exc:
                errors.append(exc)

        elsewhere = threading.Thread(target=collect_elsewhere)
        elsewhere.start()
        elsewhere.join()
        assert len(errors) == 1 and "outside the GUI thread" in str(errors[0])
    finally:
        collector.stop()
        if not was_enabled:
            gc.disable()
