"""A private PulseAudio server with one null sink: real audio devices where there is no sound card.

The sink ("Testlautsprecher") plays into nothing; its monitor is the default source, so what
the console plays comes back as its microphone input: a loopback through the real PortAudio →
ALSA → PulseAudio path. The server listens on a socket in the test's temporary folder
(``PULSE_SERVER``, set by ``tests/conftest.py`` before anything loads PortAudio), runs as
root as well (CI), and is stopped after the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

SINK = "advisor_test"
SINK_ARGS = f"sink_name={SINK} rate=48000 channels=1 sink_properties=device.description=Test"


def reinit_portaudio() -> None:
    """Make PortAudio list the devices anew (it enumerates them only when initialised)."""
    import sounddevice as sd

    from advisor_app.client.media.portaudio import PORTAUDIO

    with PORTAUDIO:  # never while a stream is being opened or closed somewhere
        sd._terminate()
        sd._initialize()


class PulseServer:
    def __init__(self, root: Path, socket: Path) -> None:
        self.root = root
        self.socket = socket
        self.process: subprocess.Popen[bytes] | None = None
        self.log = root / "pulseaudio.log"

    def start(self) -> None:
        binary = shutil.which("pulseaudio")
        if binary is None:
            raise RuntimeError(
                "pulseaudio is missing: `make test` installs it (APT_TEST in the Makefile)"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        script = self.root / "test.pa"
        script.write_text(
            f"load-module module-native-protocol-unix auth-anonymous=1 socket={self.socket}\n"
            f"load-module module-null-sink {SINK_ARGS}\n"
            f"set-default-sink {SINK}\n"
            f"set-default-source {SINK}.monitor\n",
            encoding="utf-8",
        )
        env = dict(os.environ)
        env.update(
            HOME=str(self.root),
            PULSE_RUNTIME_PATH=str(self.root / "run"),
            PULSE_STATE_PATH=str(self.root / "state"),
        )
        env.pop("PULSE_SERVER", None)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    binary,
                    "-n",
                    "-F",
                    str(script),
                    "--daemonize=no",
                    "--exit-idle-time=-1",
                    "--use-pid-file=no",
                    "--disable-shm=yes",
                    "--log-target=stderr",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=env,
            )
        deadline = time.monotonic() + 20
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"pulseaudio did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)

    def _answers(self) -> bool:
        if not self.socket.exists():
            return False
        return self.pactl("info", check=False).returncode == 0

    def pactl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pactl", "--server", f"unix:{self.socket}", *args],
            capture_output=True,
            text=True,
            timeout=20,
            check=check,
        )

    def unplug(self) -> None:
        """Remove the sink (and with it its monitor): both devices vanish as if unplugged."""
        self.pactl("unload-module", "module-null-sink")

    def plug(self) -> None:
        """Bring the sink back as the default speaker and (monitor) microphone."""
        self.pactl("load-module", "module-null-sink", *SINK_ARGS.split())
        self.pactl("set-default-sink", SINK)
        self.pactl("set-default-source", f"{SINK}.monitor")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None
