"""The set-up part of ``self-test``: configuration, folders, log file, the configured service.

Each check names the part that fails and says what to fix, so IT can read the result of a
silent install (``advisor-console self-test``) without knowing the program.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

from advisor_app import managed
from advisor_app.client.preflight import check_server
from advisor_app.config import ConfigError, Settings, load_settings, machine_config_path
from advisor_app.logfile import console_log_path
from advisor_app.selftest import Check

LOG_FILE = "Protokolldatei"
NO_LOG = "die Konsole schreibt dann kein Protokoll"


def load(config_file: Path | None, server_url: str | None) -> tuple[Check, Settings | None]:
    """The settings of all layers, or the failing layer's message."""
    cli = {"console": {"server_url": server_url}} if server_url else None
    try:
        settings = load_settings(cli=cli, config_file=config_file)
    except ConfigError as exc:
        return Check("Konfiguration", False, str(exc)), None
    machine = machine_config_path()
    where = [f"{machine}" + ("" if machine.is_file() else " (nicht vorhanden)")]
    reader = managed.platform_reader()
    if reader is not None:
        origin, values = managed.read(reader)
        where.append(f"{origin} ({len(values)} Abschnitt(e))" if values else f"{origin} (leer)")
    return Check("Konfiguration", True, "; ".join(where)), settings


def check_data_dir(settings: Settings) -> Check:
    """The data folder must be writable (database of the embedded service, logs)."""
    folder = settings.service.data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".selftest-"):
            pass
    except OSError as exc:
        return Check(
            "Datenordner",
            False,
            f"{folder} ist nicht beschreibbar ({exc.strerror}); Rechte des Benutzers prüfen",
        )
    return Check("Datenordner", True, f"{folder} beschreibbar")


def check_install_dir() -> Check:
    """A read-only program folder is right for an installed console; only report it."""
    folder = Path(sys.executable).absolute().parent
    state = "schreibgeschützt (in Ordnung)" if not os.access(folder, os.W_OK) else "beschreibbar"
    return Check("Programmordner", True, f"{folder} {state}")


def check_log_file(path: Path | None = None) -> Check:
    """Where the console writes its log, so IT knows which file to ask an advisor for; a
    folder that cannot be written is only a note (the console then logs to stderr alone)."""
    target = path or console_log_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        return Check(
            LOG_FILE, True, f"{target} nicht anlegbar ({exc.strerror}); {NO_LOG}", note=True
        )
    if not os.access(target.parent, os.W_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        return Check(LOG_FILE, True, f"{target} nicht beschreibbar; {NO_LOG}", note=True)
    return Check(LOG_FILE, True, str(target))


def check_service(settings: Settings) -> Check:
    url = settings.console.server_url
    if url is None:
        return Check("Termindienst", True, "kein Server eingestellt: eingebetteter lokaler Dienst")
    problem = asyncio.run(check_server(url, settings.console.ca_bundle))
    if problem is not None:
        detail = problem.for_it.splitlines()[1].removeprefix("Fehler: ")
        return Check("Termindienst", False, f"{url}: {problem.message} ({detail})")
    return Check("Termindienst", True, f"{url} erreichbar, Zertifikat geprüft")


def setup_checks(config_file: Path | None = None, server_url: str | None = None) -> list[Check]:
    config, settings = load(config_file, server_url)
    if settings is None:
        return [config, check_install_dir(), check_log_file()]
    return [
        config,
        check_data_dir(settings),
        check_install_dir(),
        check_log_file(),
        check_service(settings),
    ]
