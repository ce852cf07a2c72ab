"""The built wheel works from a fresh virtual environment: resources and catalogs inside."""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import urllib.request
from pathlib import Path

import pytest

from tests.helpers.processes import Serve, child_env, get_json, run

pytestmark = pytest.mark.integration

PROJECT = Path(__file__).resolve().parents[2]


def test_wheel_in_a_fresh_venv(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(wheels),
            ".",
        ],
        cwd=PROJECT,
        check=True,
        timeout=300,
    )
    [wheel] = wheels.glob("advisor_app-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # The dependencies come from the project's environment (no downloads). Only the folder is
    # added, so its .pth files (among them the editable install of the checkout) do not run.
    (site / "project-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        check=True,
        timeout=120,
        env=child_env(PIP_DISABLE_PIP_VERSION_CHECK="1"),
    )

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import advisor_app, advisor_app.paths as p; "
            "print(advisor_app.__file__); print(p.resources_dir()); print(p.i18n_dir())",
        ],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    installed = site / "advisor_app"
    assert where == [
        str(installed / "__init__.py"),
        str(installed / "_data" / "resources"),
        str(installed / "_data" / "i18n"),
    ]
    assert (installed / "_data" / "i18n" / "mail" / "de.json").is_file()
    assert (installed / "storage" / "migrations" / "versions").is_dir()

    script = venv / "bin" / "advisor-console"
    version = run(["--version"], cwd=outside, script=script)
    assert version.returncode == 0
    assert version.stdout.startswith("advisor-console ")

    selftest = run(["self-test"], cwd=outside, script=script, timeout=120)
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr
    resources = re.escape(str(installed / "_data" / "resources"))
    assert re.search(rf"^ *\[OK +\] Ressourcen +{resources}$", selftest.stdout, re.M), (
        selftest.stdout
    )

    with Serve(
        ["serve", "--port", "0", "--data-dir", str(tmp_path / "data")], cwd=outside, script=script
    ) as serve:
        url = serve.wait_ready()
        assert get_json(f"{url}/healthz")[0] == 200
        # a page rendered from the wheel's templates
        with urllib.request.urlopen(f"{url}/code", timeout=10) as resp:  # noqa: S310 - loopback
            assert resp.status == 200
            assert "Mit Einwahlcode anmelden" in resp.read().decode()
        assert serve.stop().returncode == 0
