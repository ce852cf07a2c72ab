"""A server needs only the service: ``pip install advisor_app`` brings no Qt, OpenCV or media
stack, and ``serve`` imports none of them, from its start through the requests it answers."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.helpers.processes import Serve, child_env, get_json, run
from tests.helpers.server_venv import CONSOLE_MODULES, server_venv, venv_env

pytestmark = pytest.mark.integration

PASSWORD = "ein-langes-Passwort-2026"

#: ``advisor-console`` in this process's interpreter; prints the imported top-level modules
#: once the command returned (``serve``: after SIGTERM).
CHILD = """
import json, sys
from advisor_app.cli import main
code = main(sys.argv[1:])
print("MODULES " + json.dumps(sorted({m.split(".")[0] for m in sys.modules})), flush=True)
sys.exit(code)
"""


def add_advisor(data: Path, cwd: Path, script: Path, env: dict[str, str]) -> None:
    added = run(
        [
            "admin",
            "--data-dir",
            str(data),
            "add",
            "berater",
            "--name",
            "Frau Test",
            "--password-stdin",
        ],
        cwd=cwd,
        script=script,
        stdin=PASSWORD + "\n",
        env=env,
    )
    assert added.returncode == 0, added.stderr


def serve_answers(url: str) -> None:
    """What a server does in its first minute: ready, the dial-in page, a sign-in."""
    status, body = get_json(f"{url}/readyz")
    assert (status, body["database"]) == (200, "ok")
    with urllib.request.urlopen(f"{url}/code", timeout=10) as resp:  # noqa: S310 - loopback
        assert "Mit Einwahlcode anmelden" in resp.read().decode()
    request = urllib.request.Request(  # noqa: S310 - http on loopback
        f"{url}/api/login",
        data=json.dumps({"username": "berater", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json", "Origin": url},
    )
    with urllib.request.urlopen(request, timeout=30) as resp:  # noqa: S310 - loopback
        assert resp.status == 200
        assert json.loads(resp.read())["token"]


def test_serve_imports_nothing_of_the_console(tmp_path: Path) -> None:
    data = tmp_path / "data"
    add_advisor(data, tmp_path, Path(sys.executable).parent / "advisor-console", child_env())
    args = ["-c", CHILD, "serve", "--port", "0", "--data-dir", str(data)]
    with Serve(args, cwd=tmp_path, script=Path(sys.executable)) as serve:
        serve_answers(serve.wait_ready(timeout=120))
        finished = serve.stop(timeout=60)
    assert finished.returncode == 0, finished.stderr
    [line] = [x for x in finished.stdout.splitlines() if x.startswith("MODULES ")]
    imported = set(json.loads(line.removeprefix("MODULES ")))
    assert {"aiohttp", "sqlalchemy", "advisor_app"} <= imported  # the list is the real one
    assert imported & CONSOLE_MODULES == set()


def test_a_venv_with_only_the_server_dependencies_runs_serve(tmp_path: Path) -> None:
    bin_dir = server_venv(tmp_path)
    script, env = bin_dir / "advisor-console", venv_env()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    present = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import importlib.util as u, sys; "
            "print(sorted(m for m in sys.argv[1:] if u.find_spec(m)))",
            *sorted(CONSOLE_MODULES),
        ],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert present.stdout.strip() == "[]", "the service's dependencies pull in console parts"
    driver = run(["-c", "import asyncpg"], cwd=outside, script=bin_dir / "python", env=env)
    assert driver.returncode == 0, "the server extra brings PostgreSQL's driver"

    helped = run(["serve", "--help"], cwd=outside, script=script, env=env)
    assert helped.returncode == 0, helped.stderr
    assert "--database-url" in helped.stdout

    console = run([], cwd=outside, script=script, env=env)
    assert console.returncode == 4
    assert "pip install 'advisor_app[console]'" in console.stderr
    assert "Traceback" not in console.stderr

    selftest = run(["self-test"], cwd=outside, script=script, env=env)
    assert selftest.returncode == 4
    assert "only the service is installed here" in selftest.stderr
    assert "/readyz" in selftest.stderr

    data = tmp_path / "data"
    add_advisor(data, outside, script, env)
    with Serve(
        ["serve", "--port", "0", "--data-dir", str(data)], cwd=outside, script=script, env=env
    ) as serve:
        serve_answers(serve.wait_ready(timeout=120))
        assert serve.stop(timeout=60).returncode == 0

    # the sign-language video is checked with PyAV, an extra of its own: the start says so
    video = tmp_path / "dgs.mp4"
    video.write_bytes(b"\0" * 1024)
    with_video = venv_env(ADVISOR_SERVICE__SIGN_LANGUAGE_VIDEO=str(video))
    with Serve(
        ["serve", "--port", "0", "--data-dir", str(data)],
        cwd=outside,
        script=script,
        env=with_video,
    ) as serve:
        refused = serve.finish(timeout=120)
    assert refused.returncode == 3, refused.stderr
    assert "pip install 'advisor_app[sign-video]'" in refused.stderr
