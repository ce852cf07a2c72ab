"""Build the Windows MSI from a staged PyInstaller folder with wixl (Debian's msitools).

    python -m installers.windows.build_msi --source dist/advisor-console --out dist

The folder must hold ``advisor-console.exe`` (a Windows build of
``installers/advisor-console.spec``). The file list is harvested with ``wixl-heat``, the
package built with ``wixl`` from ``advisor-console.wxs``; then the public properties IT presets
are added to ``SecureCustomProperties`` (wixl's ``MajorUpgrade`` writes that property itself and
has no ``Secure`` attribute), so a per-machine install passes them to its elevated part.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WXS = HERE / "advisor-console.wxs"
EXE_NAME = "advisor-console.exe"
#: Public properties IT sets on the command line or in a transform; see advisor_app/managed.py.
PUBLIC_PROPERTIES = ("SERVER_URL", "STUN_SERVERS", "TURN_SERVERS", "CA_BUNDLE", "UI_LANGUAGE")
_UPGRADE_PROPERTIES = ("WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED")


class BuildError(Exception):
    """The MSI cannot be built; the message says why."""


def msi_version(version: str) -> str:
    """The MSI ProductVersion (major.minor.build) of a package version such as ``1.4.2.dev3``.

    Windows Installer compares only the first three fields; a pre-release gets the numbers of
    its release, which replaces it (the MSI allows upgrades within the same version).
    """
    match = re.match(r"^(\d+)\.(\d+)(?:\.(\d+))?", version)
    if not match:
        raise BuildError(f"version {version!r} does not start with major.minor")
    major, minor, build = (int(part or 0) for part in match.groups())
    if major > 255 or minor > 255 or build > 65535:
        raise BuildError(f"version {version!r} is beyond MSI limits (255.255.65535)")
    return f"{major}.{minor}.{build}"


def package_version() -> str:
    sys.path.insert(0, str(HERE.parents[1]))
    from advisor_app import __version__

    return __version__


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BuildError(f"{name} not found: apt-get install wixl msitools")
    return path


def harvest(source: Path, work: Path) -> Path:
    """A WiX fragment with one component per file of ``source`` (component group AppFiles)."""
    files = sorted(p for p in source.rglob("*") if p.is_file())
    listing = "".join(f"{source.name}/{p.relative_to(source).as_posix()}\n" for p in files)
    result = subprocess.run(
        [
            _tool("wixl-heat"),
            "-p",
            f"{source.name}/",
            "--directory-ref",
            "INSTALLDIR",
            "--component-group",
            "AppFiles",
            "--var",
            "var.SourceDir",
            "--win64",
        ],
        input=listing,
        capture_output=True,
        text=True,
        cwd=source.parent,
        check=False,
    )
    if result.returncode != 0:
        raise BuildError(f"wixl-heat failed: {result.stderr.strip()}")
    fragment = work / "files.wxs"
    fragment.write_text(result.stdout, encoding="utf-8")
    return fragment


def build(source: Path, out_dir: Path, version: str | None = None) -> Path:
    """Build the MSI for ``source``; returns its path."""
    source = source.resolve()
    if not (source / EXE_NAME).is_file():
        raise BuildError(f"{source} has no {EXE_NAME}: stage a Windows build of the console")
    product_version = msi_version(version or package_version())
    out_dir.mkdir(parents=True, exist_ok=True)
    msi = out_dir.resolve() / f"advisor-console-{product_version}-x64.msi"
    with tempfile.TemporaryDirectory(prefix="advisor-msi-") as tmp:
        fragment = harvest(source, Path(tmp))
        # wixl resolves File/@Source relative to the working folder, not absolute paths.
        result = subprocess.run(
            [
                _tool("wixl"),
                "--arch",
                "x64",
                "-D",
                f"Version={product_version}",
                "-D",
                f"SourceDir={source.name}",
                "-D",
                "Win64=yes",
                "-o",
                str(msi),
                str(WXS),
                str(fragment),
            ],
            capture_output=True,
            text=True,
            cwd=source.parent,
            check=False,
        )
        if result.returncode != 0 or not msi.is_file():
            raise BuildError(f"wixl failed: {result.stderr.strip()}")
    secure = ";".join((*PUBLIC_PROPERTIES, *_UPGRADE_PROPERTIES))
    query = (  # constants only, no outside input
        f"UPDATE `Property` SET `Value` = '{secure}' WHERE `Property` = 'SecureCustomProperties'"  # noqa: S608
    )
    result = subprocess.run(
        [_tool("msibuild"), str(msi), "-q", query], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BuildError(f"msibuild failed: {result.stderr.strip()}")
    return msi


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the advisor console's MSI with wixl.")
    parser.add_argument("--source", type=Path, required=True, help="staged PyInstaller folder")
    parser.add_argument("--out", type=Path, default=Path("dist"), help="output folder")
    parser.add_argument("--version", help="package version (default: advisor_app.__version__)")
    args = parser.parse_args()
    try:
        msi = build(args.source, args.out, args.version)
    except BuildError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    print(msi)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
