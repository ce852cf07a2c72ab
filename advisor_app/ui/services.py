"""The console's services, built once the service is connected and before the main window.

:func:`advisor_app.ui.app.run_console` connects (embedded service or sign-in), builds one
:class:`ConsoleServices` and hands it to :class:`~advisor_app.ui.main_window.MainWindow`, which
passes the parts to its pages. Nothing in the window is built later or may be missing; tests
build the same object with recording chimes, notifiers and generated media.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from advisor_app.client.call_media import CallMedia, DeviceMedia
from advisor_app.client.service_client import ServiceClient
from advisor_app.client.site import LocalSite
from advisor_app.core.clock import Clock
from advisor_app.logfile import console_log_path
from advisor_app.ui.alerts import Notifier
from advisor_app.ui.call_controller import CallController, MediaFactory
from advisor_app.ui.chime import ChimePlayer, SoundDeviceChime
from advisor_app.ui.media_prefs import load_media_preferences
from advisor_app.ui.room_feed import RoomFeed
from advisor_app.ui.tasks import TaskRunner
from advisor_app.ui.team_directory import TeamDirectory


def device_media() -> CallMedia:
    """The devices chosen on the "Geräte" page, read when a call starts."""
    return DeviceMedia(load_media_preferences())


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who is signed in where, as the status bar says it."""

    advisor_name: str
    #: How the status bar names the service ("Lokaler Dienst", or the server's address).
    connection: str
    username: str | None = None
    #: A central service: when it no longer accepts the token, the sign-in dialog asks for the
    #: password again (the embedded service never signs anyone out).
    can_sign_in: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsoleServices:
    """Everything the main window and its pages work with, built before the window."""

    runner: TaskRunner
    client: ServiceClient
    #: The waiting room's connection (also the calls' signaling).
    room: RoomFeed
    #: The console's calls (the call page's controller); the waiting room asks it who is in
    #: the call when it reconnects.
    calls: CallController
    signed_in: SignedIn
    #: The advisor's teams (colleagues for handover and substitution, teams they lead).
    teams: TeamDirectory
    #: Makes the media of each call (camera, microphone, speaker, or generated in tests).
    media: MediaFactory = device_media
    chime: ChimePlayer = field(default_factory=SoundDeviceChime)
    #: Announces arrivals outside the window; ``None``: the system tray, built by the window.
    notifier: Notifier | None = None
    #: The embedded service, whose values the settings page changes (``None``: a server).
    site: LocalSite | None = None
    clock: Clock | None = None
    #: The console's log file, which the Hilfe menu opens for IT.
    log_file: Path = field(default_factory=console_log_path)

    @classmethod
    def build(
        cls,
        client: ServiceClient,
        runner: TaskRunner,
        signed_in: SignedIn,
        *,
        media: MediaFactory = device_media,
        chime: ChimePlayer | None = None,
        notifier: Notifier | None = None,
        site: LocalSite | None = None,
        clock: Clock | None = None,
        log_file: Path | None = None,
    ) -> ConsoleServices:
        """The services for a signed-in ``client``, its waiting-room connection not started."""
        calls: CallController | None = None

        def in_call() -> list[int]:  # who is in the call, told to a restarted service
            return calls.coordinator.participants() if calls is not None else []

        room = RoomFeed(client, runner, calls=in_call)
        calls = CallController(client, room, runner, media)
        return cls(
            runner=runner,
            client=client,
            room=room,
            calls=calls,
            signed_in=signed_in,
            teams=TeamDirectory(client, runner),
            media=media,
            chime=chime or SoundDeviceChime(),
            notifier=notifier,
            site=site,
            clock=clock,
            log_file=log_file or console_log_path(),
        )
