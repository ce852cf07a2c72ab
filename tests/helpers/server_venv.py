"""A fresh virtual environment holding only what ``pip install advisor_app[server]`` would
bring: the project's wheel plus the distributions that pyproject.toml's ``dependencies`` and
the named extras need, followed through their own requirements and markers. They are linked
from the project's environment (no download, no index), so a module outside that set is
simply not there.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import Distribution, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers.processes import child_env

PROJECT = Path(__file__).resolve().parents[2]

#: Top-level modules of the console, its media stack and their native helpers: a server-only
#: install has none of them, and ``serve`` must not import them.
CONSOLE_MODULES = frozenset(
    {
        "PySide6",
        "shiboken6",
        "qasync",
        "keyring",
        "numpy",
        "aiortc",
        "aioice",
        "pylibsrtp",
        "av",
        "cv2",
        "sounddevice",
        "livekit",
        "mss",
        "Xlib",
        "jeepney",
    }
)


def project_requirements(*extras: str) -> list[Requirement]:
    """``[project] dependencies`` of pyproject.toml, plus the named extras."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in extras:
        specs += project["optional-dependencies"][extra]
    return [Requirement(spec) for spec in specs]


def _applies(requirement: Requirement, extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": e}) for e in {"", *extras})


def closure(requirements: list[Requirement]) -> list[Distribution]:
    """The installed distributions that ``requirements`` pull in, each once."""
    found: dict[str, tuple[Distribution, set[str]]] = {}
    todo = [(r, set[str]()) for r in requirements if _applies(r, set())]
    while todo:
        requirement, _ = todo.pop()
        name = canonicalize_name(requirement.name)
        dist, extras = found.get(name, (distribution(requirement.name), set()))
        if name in found and requirement.extras <= extras:
            continue
        extras |= requirement.extras
        found[name] = (dist, extras)
        for spec in dist.requires or []:
            nested = Requirement(spec)
            if _applies(nested, extras):
                todo.append((nested, set()))
    return [dist for dist, _ in found.values()]


def link_distributions(dists: list[Distribution], target: Path) -> None:
    """Symlink every file of ``dists`` that lives in site-packages (not their scripts)."""
    for dist in dists:
        for file in dist.files or []:
            if file.parts[0] == "..":
                continue
            source = Path(str(dist.locate_file(file)))
            if not source.exists():
                continue
            link = target / file
            link.parent.mkdir(parents=True, exist_ok=True)
            if not link.exists():
                link.symlink_to(source)


def build_wheel(out: Path) -> Path:
    """The project's wheel, built offline."""
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
            str(out),
            ".",
        ],
        cwd=PROJECT,
        check=True,
        timeout=300,
    )
    [wheel] = out.glob("advisor_app-*.whl")
    return wheel


def server_venv(root: Path, extras: tuple[str, ...] = ("server",)) -> Path:
    """A venv with the wheel and only the service's dependencies (as
    ``pip install advisor_app[server]``); returns its bin folder."""
    wheel = build_wheel(root / "wheels")
    venv = root / "venv"
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
    deps = root / "server-deps"
    link_distributions(closure(project_requirements(*extras)), deps)
    (site / "server-deps.pth").write_text(f"{deps}\n")
    # pip itself only for this one step, linked alone: it sees no other installed project
    pip = root / "pip"
    link_distributions(closure([Requirement("pip")]), pip)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        check=True,
        timeout=120,
        env=venv_env(PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONPATH=str(pip)),
    )
    return venv / "bin"


def venv_env(**extra: str) -> dict[str, str]:
    """The test's environment without the checkout on ``PYTHONPATH``: the wheel is used."""
    env = {k: v for k, v in child_env().items() if k != "PYTHONPATH"}
    env.update(extra)
    return env
