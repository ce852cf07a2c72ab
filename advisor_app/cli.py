"""``advisor-console``: the one entry point (console, service, admin, self-test)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from advisor_app import __version__
from advisor_app.config import ConfigError, Settings, load_settings
from advisor_app.core.protocol import EMBEDDED_TOKEN_ENV


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="advisor-console",
        description="Beratungskonsole für Videotermine / advisor console for video appointments",
    )
    parser.add_argument("--version", action="version", version=f"advisor-console {__version__}")
    parser.add_argument("--config", type=Path, help="zusätzliche Konfigurationsdatei (TOML)")
    parser.add_argument("--server-url", help="Adresse des Dienstes (leer: eingebetteter Dienst)")
    parser.add_argument("--language", choices=["de", "en"], help="Sprache der Oberfläche")
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="den Signalisierungsdienst ohne Oberfläche starten")
    serve.add_argument("--host", help="Adresse, auf der gelauscht wird (Standard 127.0.0.1)")
    serve.add_argument("--port", type=int, help="Port (0: frei wählen)")
    serve.add_argument("--data-dir", type=Path, help="Ordner für Datenbank und Postausgang")
    serve.add_argument("--config", type=Path, dest="serve_config", help="Konfigurationsdatei")
    serve.add_argument("--database-url", help="SQLAlchemy-URL, z. B. postgresql+asyncpg://…")
    serve.add_argument("--public-url", help="Adresse, unter der Bürger den Dienst erreichen")
    serve.add_argument("--tls-cert", type=Path, help="TLS-Zertifikatskette (PEM)")
    serve.add_argument("--tls-key", type=Path, help="privater TLS-Schlüssel (PEM, ohne Passwort)")
    serve.add_argument("--log-file", type=Path, help="Protokolldatei (täglich neu, begrenzt)")
    serve.add_argument("--stop-on-stdin-eof", action="store_true", help=argparse.SUPPRESS)

    admin = sub.add_parser("admin", help="Beraterkonten eines Dienstes verwalten")
    admin.add_argument("--data-dir", type=Path, help="Datenordner des Dienstes")
    admin.add_argument("--database-url", help="SQLAlchemy-URL der Dienst-Datenbank")
    admin.add_argument("--config", type=Path, dest="serve_config", help="Konfigurationsdatei")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    add = admin_sub.add_parser("add", help="Konto anlegen")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="angezeigter Name, z. B. „Frau Beispiel“")
    add.add_argument("--password-stdin", action="store_true", help="Passwort von stdin lesen")
    admin_sub.add_parser("list", help="Konten auflisten")
    for name, text in (("disable", "Konto sperren"), ("enable", "Konto entsperren")):
        p = admin_sub.add_parser(name, help=text)
        p.add_argument("username")
    reset = admin_sub.add_parser("reset-password", help="Passwort neu setzen")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help="Passwort von stdin lesen")
    team = admin_sub.add_parser("team", help="Teams verwalten (Vertretung, Team-Wartezimmer)")
    team_sub = team.add_subparsers(dest="team_command", required=True)
    team_add = team_sub.add_parser("add", help="Team anlegen")
    team_add.add_argument("team")
    team_sub.add_parser("list", help="Teams mit ihren Mitgliedern auflisten")
    member = team_sub.add_parser("member", help="Mitglieder eines Teams")
    member_sub = member.add_subparsers(dest="member_command", required=True)
    member_add = member_sub.add_parser("add", help="Konto in ein Team aufnehmen")
    member_add.add_argument("team")
    member_add.add_argument("username")
    member_add.add_argument("--lead", action="store_true", help="als Teamleitung")
    member_remove = member_sub.add_parser(
        "remove", help="Konto aus einem Team nehmen (Termine bleiben, wo sie sind)"
    )
    member_remove.add_argument("team")
    member_remove.add_argument("username")

    selftest = sub.add_parser(
        "self-test",
        help="alle Bestandteile laden, Einstellungen und (mit --server-url) den Dienst prüfen",
    )
    selftest.add_argument("--part", choices=["qt"], help=argparse.SUPPRESS)
    return parser


def _cli_overrides(args: argparse.Namespace) -> dict[str, Any]:
    console: dict[str, Any] = {}
    service: dict[str, Any] = {}
    if args.server_url is not None:
        console["server_url"] = args.server_url
    if args.language:
        console["language"] = args.language
    for attr, key in (
        ("host", "host"),
        ("port", "port"),
        ("data_dir", "data_dir"),
        ("database_url", "database_url"),
        ("public_url", "public_base_url"),
        ("tls_cert", "tls_cert"),
        ("tls_key", "tls_key"),
        ("log_file", "log_file"),
    ):
        value = getattr(args, attr, None)
        if value is not None:
            service[key] = value
    out: dict[str, Any] = {}
    if console:
        out["console"] = console
    if service:
        out["service"] = service
    return out


def _settings(args: argparse.Namespace) -> Settings:
    config_file = getattr(args, "serve_config", None) or args.config
    return load_settings(cli=_cli_overrides(args), config_file=config_file)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "self-test":
        from advisor_app.selftest import run_self_test

        return run_self_test(args.part, config_file=args.config, server_url=args.server_url)
    try:
        settings = _settings(args)
    except ConfigError as exc:
        print(f"Fehler in der Konfiguration: {exc}", file=sys.stderr)
        if args.command is None:
            # the console is started from a menu, where nobody reads stderr
            from advisor_app.ui.dialogs.start_problem import show_config_problem

            show_config_problem(str(exc))
        return 2
    if args.command == "serve":
        return _serve(settings, args)
    if args.command == "admin":
        from advisor_app.admin import run_admin

        return run_admin(settings, args)
    from advisor_app.ui.app import run_console

    return int(run_console(settings))


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from advisor_app.server.logs import configure
    from advisor_app.server.serve import StartupError, run

    os.umask(0o077)  # database, outbox, logs: for the service account only
    configure(settings.log_level, settings.service.log_file, settings.service.log_keep_days)
    token = os.environ.pop(EMBEDDED_TOKEN_ENV, None) or None
    try:
        asyncio.run(run(settings, embedded_token=token, stop_on_stdin_eof=args.stop_on_stdin_eof))
    except StartupError as exc:
        if settings.service.log_file is not None:  # the log file names it too
            logging.getLogger("advisor_app.server").error("service not started: %s", exc)
        print(f"Fehler: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        pass
    return 0
