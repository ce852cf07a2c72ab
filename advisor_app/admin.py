"""``advisor-console admin``: manage advisor accounts directly in the service's database."""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys

from sqlalchemy.ext.asyncio import AsyncSession

from advisor_app.config import Settings
from advisor_app.core.clock import SystemClock
from advisor_app.core.domain import clean_name, to_berlin
from advisor_app.server.auth import hash_password
from advisor_app.storage.db import create_engine, migrate, session_factory
from advisor_app.storage.repositories import AdvisorRepo
from advisor_app.storage.teams import TeamRepo

MIN_PASSWORD_LENGTH = 12


class AdminError(Exception):
    pass


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """The new password and whether it was generated (and must be shown once)."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AdminError(f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen haben.")
        return password, False
    return secrets.token_urlsafe(12), True


async def _run(settings: Settings, args: argparse.Namespace) -> str:
    engine = create_engine(settings.service.resolved_database_url)
    try:
        await migrate(engine)
        async with session_factory(engine)() as session:
            repo = AdvisorRepo(session)
            cmd = args.admin_command
            if cmd == "team":
                return await _team(session, args)
            if cmd == "list":
                rows = await repo.all()
                if not rows:
                    return "Keine Konten vorhanden."
                return "\n".join(
                    f"{a.username:<24} {'aktiv' if a.active else 'gesperrt':<9} {a.display_name}"
                    for a in rows
                )
            advisor = await repo.by_username(args.username)
            if cmd == "add":
                if advisor is not None:
                    raise AdminError(f"Das Konto „{args.username}“ gibt es schon.")
                try:
                    name = clean_name(args.name)
                except ValueError as exc:
                    raise AdminError(str(exc)) from exc
                password, generated = _password(args)
                await repo.add(
                    username=args.username,
                    display_name=name,
                    password_hash=hash_password(password),
                    now=SystemClock().now(),
                )
                await session.commit()
                shown = f"\nErstes Passwort (nur jetzt sichtbar): {password}" if generated else ""
                return f"Konto „{args.username}“ angelegt.{shown}"
            if advisor is None:
                raise AdminError(f"Das Konto „{args.username}“ gibt es nicht.")
            if cmd in ("disable", "enable"):
                advisor.active = cmd == "enable"
                if not advisor.active:
                    await repo.drop_sessions(advisor)
                await session.commit()
                state = "entsperrt" if advisor.active else "gesperrt (alle Anmeldungen beendet)"
                return f"Konto „{args.username}“ {state}."
            if cmd == "reset-password":
                password, generated = _password(args)
                advisor.password_hash = hash_password(password)
                await repo.drop_sessions(advisor)
                await session.commit()
                shown = f"\nNeues Passwort (nur jetzt sichtbar): {password}" if generated else ""
                return f"Passwort für „{args.username}“ neu gesetzt.{shown}"
            raise AdminError(f"Unbekannter Befehl {cmd}")
    finally:
        await engine.dispose()


async def _team(session: AsyncSession, args: argparse.Namespace) -> str:
    """``admin team add|list|member add|member remove``."""
    teams = TeamRepo(session)
    now = SystemClock().now()
    if args.team_command == "list":
        rows = await teams.all()
        if not rows:
            return "Keine Teams vorhanden."
        lines = []
        for row in rows:
            lines.append(f"{row.name} ({len(row.members)} Mitglieder)")
            for m in row.members:
                role = " (Teamleitung)" if m.lead else ""
                lines.append(f"  {m.advisor.username:<24} {m.advisor.display_name}{role}")
        return "\n".join(lines)
    try:
        name = clean_name(args.team)
    except ValueError as exc:
        raise AdminError(str(exc)) from exc
    team = await teams.by_name(name)
    if args.team_command == "add":
        if team is not None:
            raise AdminError(f"Das Team „{name}“ gibt es schon.")
        await teams.add(name, now)
        await session.commit()
        return f"Team „{name}“ angelegt."
    if team is None:
        raise AdminError(f"Das Team „{name}“ gibt es nicht.")
    advisor = await AdvisorRepo(session).by_username(args.username)
    if advisor is None:
        raise AdminError(f"Das Konto „{args.username}“ gibt es nicht.")
    if args.member_command == "add":
        await teams.set_member(team, advisor, lead=args.lead)
        await session.commit()
        role = " als Teamleitung" if args.lead else ""
        return f"„{args.username}“ ist jetzt{role} im Team „{name}“."
    if not await teams.remove_member(team, advisor.id):
        raise AdminError(f"„{args.username}“ ist nicht im Team „{name}“.")
    await session.commit()
    lines = [f"„{args.username}“ ist nicht mehr im Team „{name}“."]
    open_ones = await teams.open_appointments(advisor.id, now)
    if open_ones:
        lines.append(
            f"Offene Termine von „{args.username}“ (nichts wurde verschoben; bitte in der"
            " Konsole neu zuweisen):"
        )
        for appt in open_ones:
            when = to_berlin(appt.starts_at).strftime("%d.%m.%Y %H:%M")
            lines.append(f"  #{appt.id}  {when}  {appt.duration_min} Min.")
    else:
        lines.append(f"„{args.username}“ hat keine offenen Termine.")
    return "\n".join(lines)


def run_admin(settings: Settings, args: argparse.Namespace) -> int:
    try:
        print(asyncio.run(_run(settings, args)))
    except AdminError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    return 0
