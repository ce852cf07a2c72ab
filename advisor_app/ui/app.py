"""Start of the console: QApplication first, then the asyncio side on a qasync loop.

Shutdown runs through one future. It is resolved when the last window closes, when anything
asks the application to quit (``QEvent.Quit``: ``QApplication.quit()``, the desktop session
ending) and, as a last resort, on ``aboutToQuit``. The quit event is held back so that the
loop is still running while the embedded service is stopped and the connections are closed;
``aboutToQuit`` alone fires after Qt's event loop has ended, too late for asynchronous cleanup.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import qasync
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from advisor_app import __version__
from advisor_app.client.credentials import forget_token, load_token
from advisor_app.client.embedded import EmbeddedService, EmbeddedStartError, site_environment
from advisor_app.client.preflight import check_server
from advisor_app.client.service_client import NotSignedIn, ServiceClient, ServiceUnreachable
from advisor_app.client.site import LocalSite, site_values, with_site_values
from advisor_app.config import APP_NAME, Settings
from advisor_app.logfile import configure_console_logging, console_log_path
from advisor_app.paths import i18n_dir
from advisor_app.ui.collector import MainThreadCollector
from advisor_app.ui.dialogs.setup_dialog import SetupDialog
from advisor_app.ui.dialogs.sign_in import SignInDialog
from advisor_app.ui.dialogs.start_problem import Choice, StartProblemBox
from advisor_app.ui.icons import app_icon
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.services import ConsoleServices, SignedIn
from advisor_app.ui.start_window import StartWindow
from advisor_app.ui.style import apply_style
from advisor_app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

ORGANISATION = "advisor-console"
EXIT_EMBEDDED_FAILED = 3
EXIT_SERVER_PROBLEM = 4
_LAST_USER_KEY = "signin/last_username"


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Set the default locale and, for English, load ``i18n/console_en.qm``.

    German is the source language, so German needs no translator. A missing ``.qm`` is logged
    and the console stays German (the build compiles it with ``pyside6-lrelease``).
    """
    if language != "en":
        QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
        return None
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    translator = QTranslator(app)
    if not translator.load("console_en", str(i18n_dir())):
        log.warning("English translation console_en.qm not found in %s", i18n_dir())
        return None
    app.installTranslator(translator)
    return translator


def create_application(settings: Settings) -> QApplication:
    """The QApplication with name, organisation, icon, locale, translation and style."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(ORGANISATION)
    app.setDesktopFileName(APP_NAME)
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)
    install_translator(app, settings.console.language)  # before any text is translated
    app.setApplicationDisplayName(QCoreApplication.translate("Console", "Beratungskonsole"))
    apply_style(app)
    if app.findChild(MainThreadCollector) is None:
        MainThreadCollector(app).start()  # Qt objects must never be collected in a worker
    return app


def run_console(settings: Settings) -> int:
    """Run the console until its window is closed; the return value is the exit code."""
    log_file = configure_console_logging(settings.log_level) or console_log_path()
    create_application(settings)
    return int(qasync.run(_main(settings, log_file)))


class _QuitGuard(QObject):
    """Turns the application's quit request into the resolution of the shutdown future."""

    def __init__(self, future: asyncio.Future[None]) -> None:
        super().__init__()
        self._future = future

    def resolve(self) -> None:
        if not self._future.done():
            self._future.set_result(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Quit:
            self.resolve()
            return True
        return False


async def wait_for_dialog(dialog: QDialog) -> int:
    """Open ``dialog`` window-modal without blocking the loop; its result when closed."""
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(finished)
    dialog.open()
    return await future


async def show_error(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    await wait_for_dialog(box)


@dataclass
class Connection:
    """A signed-in client and how the status bar names it."""

    client: ServiceClient
    advisor_name: str
    label: str
    site: LocalSite | None = None
    username: str | None = None

    @property
    def signed_in(self) -> SignedIn:
        """Who is signed in where; a central service may ask for the password again."""
        return SignedIn(self.advisor_name, self.label, self.username, can_sign_in=self.site is None)

    @property
    def embedded(self) -> EmbeddedService | None:
        """The embedded service running now (the settings page may have restarted it)."""
        return self.site.service if self.site is not None else None


async def first_run(settings: Settings, window: StartWindow) -> Settings:
    """Ask for the site's values on the first start of the embedded console ("Einrichtung");
    the answer is in the user's ``config.toml`` and in the settings returned."""
    if settings.console.setup_done:
        return settings
    dialog = SetupDialog(site_values(settings), parent=window)
    if await wait_for_dialog(dialog) != QDialog.DialogCode.Accepted or dialog.saved is None:
        log.info("first run postponed; the console asks again at the next start")
        return settings
    return with_site_values(settings, dialog.saved)


async def connect_embedded(settings: Settings, window: StartWindow) -> Connection:
    """Start the bundled service; raises :class:`EmbeddedStartError` with a German message."""
    window.show_starting(
        QCoreApplication.translate("Console", "Lokaler Termindienst wird gestartet…")
    )
    log_path = settings.service.data_dir / "service.log"
    try:
        service = await EmbeddedService.start(
            settings.service.data_dir,
            settings.console.embedded_port,
            site_env=site_environment(settings),
        )
    except OSError as exc:  # the data folder or the program itself is not usable
        log.error("embedded service could not be started: %s", exc)
        raise EmbeddedStartError(
            QCoreApplication.translate(
                "Console",
                "Der lokale Termindienst konnte nicht gestartet werden. Details stehen in {log}.",
            ).format(log=log_path)
        ) from exc
    client = ServiceClient(service.url, token=service.token)
    try:
        advisor = await client.me()
    except (ServiceUnreachable, NotSignedIn) as exc:
        await client.close()
        await service.stop()
        raise EmbeddedStartError(
            QCoreApplication.translate(
                "Console", "Der lokale Termindienst antwortet nicht. Details stehen in {log}."
            ).format(log=service.log_path)
        ) from exc
    return Connection(
        client,
        advisor.display_name,
        QCoreApplication.translate("Console", "Lokaler Dienst"),
        LocalSite(settings, service),
    )


def remembered_username(settings: Settings) -> str | None:
    if settings.console.username:
        return settings.console.username
    value = QSettings().value(_LAST_USER_KEY)
    return str(value) if value else None


async def server_usable(settings: Settings, window: StartWindow) -> bool:
    """Check the configured service before signing in; on a problem, ask what to do.

    False: the advisor quit. True: the service answers, or it is unreachable and the advisor
    chose to open the console anyway (it keeps trying to connect).
    """
    url = settings.console.server_url
    assert url is not None
    while True:
        window.show_starting(
            QCoreApplication.translate("Console", "Verbindung zu {url} wird geprüft…").format(
                url=url
            )
        )
        problem = await check_server(url, settings.console.ca_bundle)
        if problem is None:
            return True
        log.warning("service at start: %s", problem.for_it.replace("\n", "; "))
        box = StartProblemBox(problem, parent=window)
        await wait_for_dialog(box)
        if box.choice is Choice.OFFLINE:
            return True
        if box.choice is Choice.QUIT:
            return False


async def connect_server(
    settings: Settings, runner: TaskRunner, window: StartWindow
) -> Connection | None:
    """Sign in with the keyring's token or, failing that, the sign-in dialog (None: given up)."""
    url = settings.console.server_url
    assert url is not None
    window.show_starting(
        QCoreApplication.translate("Console", "Verbindung zu {url} wird hergestellt…").format(
            url=url
        )
    )
    client = ServiceClient(url, ca_bundle=settings.console.ca_bundle)
    username = remembered_username(settings)
    token = load_token(url, username) if username else None
    if token and username:
        client.token = token
        try:
            advisor = await client.me()
            return Connection(client, advisor.display_name, url, username=advisor.username)
        except NotSignedIn:
            forget_token(url, username)
            client.token = None
        except ServiceUnreachable as exc:
            # The token may well be valid: open the console, it keeps trying to reach the service.
            log.warning("service unreachable at start: %s", exc.__cause__ or exc)
            return Connection(client, username, url, username=username)
    dialog = SignInDialog(client, runner, username=username, parent=window)
    if await wait_for_dialog(dialog) != QDialog.DialogCode.Accepted or dialog.advisor is None:
        await client.close()
        return None
    QSettings().setValue(_LAST_USER_KEY, dialog.advisor.username)
    return Connection(client, dialog.advisor.display_name, url, username=dialog.advisor.username)


async def _main(settings: Settings, log_file: Path) -> int:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    loop = asyncio.get_running_loop()
    shutdown: asyncio.Future[None] = loop.create_future()
    guard = _QuitGuard(shutdown)
    app.installEventFilter(guard)
    app.lastWindowClosed.connect(guard.resolve)
    app.aboutToQuit.connect(guard.resolve)

    runner = TaskRunner(loop, language=settings.console.language)
    start = StartWindow(log_file)
    start.restore_geometry()
    start.show()
    connection: Connection | None = None
    window: MainWindow | None = None
    try:
        if settings.console.server_url is None:
            settings = await first_run(settings, start)
            try:
                connection = await connect_embedded(settings, start)
            except EmbeddedStartError as exc:
                await show_error(
                    start, QCoreApplication.translate("Console", "Start nicht möglich"), str(exc)
                )
                return EXIT_EMBEDDED_FAILED
        else:
            if not await server_usable(settings, start):
                return EXIT_SERVER_PROBLEM
            connection = await connect_server(settings, runner, start)
            if connection is None:
                return 0
        if not shutdown.done():
            services = ConsoleServices.build(
                connection.client,
                runner,
                connection.signed_in,
                site=connection.site,
                log_file=log_file,
            )
            window = MainWindow(services)
            window.restoreGeometry(start.saveGeometry())  # where the start window was
            window.show()
            window.activateWindow()  # the keyboard goes to the console's page list
            start.hide()  # the main window is shown first, so this is not the last window
            await shutdown
        return 0
    finally:
        app.removeEventFilter(guard)
        start.close()
        if window is not None:
            window.close()
            await window.call_controller.close()  # goodbye to everyone in a running call
            await window.room.close()  # the waiting-room socket says goodbye properly
        await runner.shutdown()
        if connection is not None:
            await connection.client.close()
            if connection.embedded is not None:
                await connection.embedded.stop()
