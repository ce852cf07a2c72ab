"""The MSI as wixl builds it, read back with msiinfo: what Windows Installer will do with it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from advisor_app import __version__, managed
from installers.windows.build_msi import (
    PUBLIC_PROPERTIES,
    BuildError,
    build,
    msi_version,
)

pytestmark = pytest.mark.integration

UPGRADE_CODE = "{6F1D3C2A-8B4E-4C7D-9A15-3E2B7C9D0A41}"
HKLM = "2"
KEY = r"SOFTWARE\Videoberatung\advisor-console"


def table(msi: Path, name: str) -> list[dict[str, str]]:
    """One table of the MSI as rows of column name to value (msiinfo's .idt export)."""
    out = subprocess.run(
        ["msiinfo", "export", str(msi), name], capture_output=True, text=True, check=True
    ).stdout
    lines = out.splitlines()
    columns = lines[0].split("\t")
    rows = [dict(zip(columns, line.split("\t"), strict=False)) for line in lines[3:]]
    for row in rows:
        for column in columns:
            row.setdefault(column, "")
    return rows


def properties(msi: Path) -> dict[str, str]:
    return {r["Property"]: r["Value"] for r in table(msi, "Property")}


def stage(root: Path) -> Path:
    """A folder shaped like the PyInstaller build: the executable and its _internal files."""
    folder = root / "advisor-console"
    (folder / "_internal" / "resources" / "web").mkdir(parents=True)
    (folder / "advisor-console.exe").write_bytes(b"MZ stand-in for the frozen console")
    (folder / "_internal" / "python311.dll").write_bytes(b"dll")
    (folder / "_internal" / "resources" / "web" / "index.html").write_text("<!doctype html>")
    return folder


@pytest.fixture(scope="module")
def msi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("msi")
    return build(stage(root), root / "out")


def test_product_version_comes_from_the_package_version() -> None:
    assert msi_version("0.1.0") == "0.1.0"
    assert msi_version("2.3") == "2.3.0"
    assert msi_version("1.4.2.dev3") == "1.4.2"
    assert msi_version("1.4.2rc1") == "1.4.2"
    with pytest.raises(BuildError, match="MSI limits"):
        msi_version("300.0.0")
    with pytest.raises(BuildError, match=r"major\.minor"):
        msi_version("latest")


def test_per_machine_package_with_a_stable_upgrade_code(msi: Path) -> None:
    assert msi.name == f"advisor-console-{msi_version(__version__)}-x64.msi"
    props = properties(msi)
    assert props["ProductVersion"] == msi_version(__version__)
    assert props["UpgradeCode"] == UPGRADE_CODE
    assert props["ALLUSERS"] == "1"  # per machine
    assert props["ProductName"] == "Beratungskonsole"
    info = subprocess.run(
        ["msiinfo", "suminfo", str(msi)], capture_output=True, text=True, check=True
    ).stdout
    assert "Template: x64;" in info  # a 64-bit package: Program Files, the 64-bit registry
    assert props["ProductLanguage"] == "1031"


def test_major_upgrade_replaces_every_older_version(msi: Path, tmp_path: Path) -> None:
    upgrade = table(msi, "Upgrade")
    older = [r for r in upgrade if r["ActionProperty"] == "WIX_UPGRADE_DETECTED"]
    newer = [r for r in upgrade if r["ActionProperty"] == "WIX_DOWNGRADE_DETECTED"]
    assert [r["UpgradeCode"] for r in older + newer] == [UPGRADE_CODE, UPGRADE_CODE]
    assert older[0]["VersionMin"] == "" and older[0]["VersionMax"] == msi_version(__version__)
    assert newer[0]["VersionMin"] == msi_version(__version__)
    sequence = {r["Action"]: int(r["Sequence"]) for r in table(msi, "InstallExecuteSequence")}
    assert sequence["FindRelatedProducts"] < sequence["RemoveExistingProducts"]
    assert sequence["RemoveExistingProducts"] < sequence["InstallInitialize"]
    # A later release: same upgrade code, a new product code.
    later = build(stage(tmp_path), tmp_path / "out", version="0.9.1")
    assert properties(later)["UpgradeCode"] == UPGRADE_CODE
    assert properties(later)["ProductCode"] != properties(msi)["ProductCode"]
    assert properties(later)["ProductVersion"] == "0.9.1"


def test_presets_land_in_the_registry_values_the_console_reads(msi: Path) -> None:
    registry = table(msi, "Registry")
    values = {r["Name"]: r for r in registry if r["Key"] == KEY}
    by_property = {k.msi_property: k.name for k in managed.KEYS}
    assert set(by_property) == set(PUBLIC_PROPERTIES)
    for prop, name in by_property.items():
        row = values[name]
        assert row["Root"] == HKLM
        assert row["Value"] == f"[{prop}]"
    assert managed.REGISTRY_KEY == KEY
    # Secure: passed from the command line or a transform to the elevated install.
    secure = properties(msi)["SecureCustomProperties"].split(";")
    assert set(PUBLIC_PROPERTIES) <= set(secure)
    assert "WIX_UPGRADE_DETECTED" in secure


def test_an_upgrade_without_presets_keeps_the_values_already_there(msi: Path) -> None:
    locators = {r["Signature_"]: r for r in table(msi, "RegLocator")}
    searches = {r["Property"]: locators[r["Signature_"]] for r in table(msi, "AppSearch")}
    names = {k.msi_property: k.name for k in managed.KEYS}
    for prop in PUBLIC_PROPERTIES:
        assert searches[prop]["Root"] == HKLM
        assert searches[prop]["Key"] == KEY
        assert searches[prop]["Name"] == names[prop]
    # ... while a value from the command line survives AppSearch: kept aside before, put back
    # after, and both before the registry is written.
    actions = {r["Action"]: r for r in table(msi, "CustomAction")}
    for seq_table in ("InstallExecuteSequence", "InstallUISequence"):
        seq = {r["Action"]: r for r in table(msi, seq_table)}
        for prop in PUBLIC_PROPERTIES:
            keep = next(a for a in actions.values() if a["Source"] == f"CMD_{prop}")
            put_back = next(a for a in actions.values() if a["Source"] == prop)
            assert int(keep["Type"]) & 0x3F == 51 and int(keep["Type"]) & 0x400 == 0
            assert keep["Target"] == f"[{prop}]"
            assert put_back["Target"] == f"[CMD_{prop}]"
            assert seq[keep["Action"]]["Condition"] == prop
            assert seq[put_back["Action"]]["Condition"] == f"CMD_{prop}"
            order = [int(seq[a]["Sequence"]) for a in (keep["Action"], "AppSearch")]
            order.append(int(seq[put_back["Action"]]["Sequence"]))
            order.append(int(seq["CostFinalize"]["Sequence"]))
            assert order == sorted(order), (seq_table, prop, order)


def test_start_menu_shortcut_starts_the_installed_console(msi: Path) -> None:
    [shortcut] = table(msi, "Shortcut")
    assert shortcut["Directory_"] == "ProgramMenuFolder"
    assert shortcut["Name"] == "Beratungskonsole"
    assert shortcut["Target"] == "[INSTALLDIR]advisor-console.exe"
    assert shortcut["WkDir"] == "INSTALLDIR"
    files = {r["FileName"].split("|")[-1]: r for r in table(msi, "File")}
    assert {"advisor-console.exe", "python311.dll", "index.html"} <= set(files)
    directories = {r["Directory"]: r for r in table(msi, "Directory")}
    exe_dir = directories[
        next(
            c
            for c in table(msi, "Component")
            if c["Component"] == files["advisor-console.exe"]["Component_"]
        )["Directory_"]
    ]
    assert exe_dir["Directory_Parent"] == "INSTALLDIR"  # right in the install folder
    assert directories["INSTALLDIR"]["DefaultDir"].endswith("Beratungskonsole")
    assert directories["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"


def test_a_folder_without_the_windows_executable_is_refused(tmp_path: Path) -> None:
    (tmp_path / "advisor-console").mkdir()
    with pytest.raises(BuildError, match=r"advisor-console\.exe"):
        build(tmp_path / "advisor-console", tmp_path / "out")
