"""Check a frozen or installed console the way IT would after installing it.

    python installers/check_frozen.py PATH/TO/advisor-console[.exe]

Runs ``--version``, ``self-test`` and ``serve`` (a free port, a temporary data folder) and
fetches ``/readyz`` (its database answers) and the dial-in page. Exits 0 only when all of them
pass. Used by ``make dist`` and by the installer workflow after a silent install.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

READY = "ADVISOR-SERVICE-LISTENING "  # advisor_app.core.protocol.SERVICE_READY_PREFIX
#: Every part the frozen build ships has its line in the self-test ("[OK    ]", or "[INFO  ]"
#: where this machine's session cannot offer it, e.g. no desktop), judged by the mode.
SHIPPED_PARTS = (
    "Ressourcen",
    "Qt (PySide6)",
    "PyAV (FFmpeg)",
    "OpenCV",
    "PortAudio (sounddevice)",
    "Echounterdrückung (APM)",
    "Kamera (OpenCV)",
    "aiortc (WebRTC)",
    "Schlüsselbund (keyring)",
    "Bildschirmfreigabe (mss)",
    "Texterkennung Ausweis (tesseract)",
    "Desktop-Benachrichtigung",
)
LINUX_PARTS = ("Fensterfreigabe (X11 Composite)",)


def _run(exe: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def check_version(exe: Path) -> str:
    result = _run(exe, "--version", timeout=60)
    line = result.stdout.strip()
    if result.returncode != 0 or not line.startswith("advisor-console "):
        raise SystemExit(f"--version failed ({result.returncode}): {line} {result.stderr}")
    return line


def missing_parts(lines: list[str], platform: str = sys.platform) -> list[str]:
    """The shipped parts the self-test's output has no line for (and the mode line)."""
    parts = SHIPPED_PARTS + (LINUX_PARTS if platform.startswith("linux") else ())
    missing = [
        part
        for part in parts
        if not any(line[2:].startswith("[") and line[11:].startswith(part + " ") for line in lines)
    ]
    if not any(line.startswith("Betriebsart: ") for line in lines):
        missing.append("Betriebsart")
    return missing


def check_self_test(exe: Path) -> list[str]:
    result = _run(exe, "self-test")
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"self-test failed with exit code {result.returncode}")
    lines = result.stdout.splitlines()
    missing = missing_parts(lines)
    if missing:
        raise SystemExit(f"self-test of the frozen build checks no: {', '.join(missing)}")
    return lines


def check_serve(exe: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="advisor-frozen-") as tmp:
        proc = subprocess.Popen(
            [str(exe), "serve", "--port", "0", "--data-dir", str(Path(tmp) / "data")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout is not None
            deadline = time.monotonic() + 60
            url = ""
            while time.monotonic() < deadline:
                line = proc.stdout.readline()
                if not line:
                    break
                if line.startswith(READY):
                    url = line.removeprefix(READY).strip()
                    break
            if not url:
                proc.kill()
                _, err = proc.communicate(timeout=10)
                raise SystemExit(f"serve did not get ready: {err}")
            with urllib.request.urlopen(f"{url}/readyz", timeout=10) as resp:  # noqa: S310
                health = json.loads(resp.read())
            with urllib.request.urlopen(f"{url}/code", timeout=10) as resp:  # noqa: S310
                page = resp.read().decode()
            if health.get("status") != "ok" or "Einwahlcode" not in page:
                raise SystemExit(f"serve answered wrongly: {health}")
            print(f"serve: {url}/readyz {health['status']}, dial-in page rendered")
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.communicate(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.communicate(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exe", type=Path)
    parser.add_argument("--no-serve", action="store_true", help="skip the serve check")
    args = parser.parse_args()
    print(check_version(args.exe))
    check_self_test(args.exe)
    if not args.no_serve:
        check_serve(args.exe)
    print("frozen build: all checks passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
