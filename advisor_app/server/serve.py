"""``advisor-console serve``: run the signaling service until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
import threading

from aiohttp import web

from advisor_app import __version__
from advisor_app.config import ConfigError, Settings
from advisor_app.core.protocol import SERVICE_READY_PREFIX
from advisor_app.server import keys
from advisor_app.server.app import create_app
from advisor_app.server.connections import ConnectionCap, handler_args
from advisor_app.server.logs import access_logger
from advisor_app.server.tls import TlsError, server_context

log = logging.getLogger(__name__)


class StartupError(Exception):
    """The service cannot start; the message says why in German."""


def _raise_open_file_limit() -> None:
    """Every waiting citizen holds a socket: lift the soft limit (often 1024) to the hard one."""
    try:
        import resource
    except ImportError:  # Windows has no such limit to lift
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            log.info("open-file limit raised from %s to %s", soft, hard)


def _freeze_startup_objects() -> None:
    """Move everything built at start-up (modules, models, the app) out of the garbage
    collector's way: a full collection then scans only what connections and requests add,
    which keeps its pauses short with thousands of sockets open."""
    gc.collect()
    gc.freeze()


#: Seconds between full garbage collections (see :func:`_full_collections`).
FULL_COLLECTION_EVERY_S = 600.0
#: A third-generation threshold no service reaches: no automatic full collection.
_NEVER = 1_000_000_000


async def _full_collections() -> None:
    """CPython starts a full collection whenever what survived the young collections grew by
    a quarter. With thousands of waiting citizens that is every few hundred arrivals, and each
    one scans every connection's objects, all alive: 0.6 s at 10,000 citizens on 2 cores
    (benchmarks/README.md), holding up every event. Young collections stay as they are (they
    free a closed connection's cycles within seconds); full ones run every
    :data:`FULL_COLLECTION_EVERY_S` instead, for what outlived them."""
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, _NEVER)
    try:
        while True:
            await asyncio.sleep(FULL_COLLECTION_EVERY_S)
            gc.collect()
    finally:
        gc.set_threshold(young, middle, full)


def _watch_stdin(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    """Stop when the parent closes our stdin (the console quit or crashed)."""

    def reader() -> None:
        try:
            while sys.stdin.buffer.read(1024):
                pass
        except (OSError, ValueError):
            pass
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=reader, name="stdin-watch", daemon=True).start()


async def run(
    settings: Settings, *, embedded_token: str | None = None, stop_on_stdin_eof: bool = False
) -> None:
    svc = settings.service
    try:
        svc.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        svc.data_dir.chmod(0o700)  # database, outbox and logs: the service account's only
    except OSError as exc:
        raise StartupError(
            f"Der Datenordner {svc.data_dir} kann nicht angelegt werden: {exc.strerror}"
        ) from exc
    try:
        ssl_context = server_context(svc.tls_cert, svc.tls_key)
    except TlsError as exc:
        raise StartupError(str(exc)) from exc
    _raise_open_file_limit()
    try:
        app = create_app(settings, embedded_token=embedded_token)
    except ConfigError as exc:
        raise StartupError(str(exc)) from exc
    runner = web.AppRunner(
        app,
        access_log_class=access_logger(svc.log_client_addresses),
        handle_signals=False,
        **handler_args(svc.idle_timeout_s),
    )
    try:
        await runner.setup()
    except Exception as exc:
        await runner.cleanup()
        raise StartupError(f"Der Dienst konnte nicht starten: {exc}") from exc
    assert runner.server is not None
    ConnectionCap(svc.max_connections_per_address, svc.trusted_proxies).install(runner.server)
    site = web.TCPSite(runner, svc.host, svc.port, shutdown_timeout=5, ssl_context=ssl_context)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise StartupError(
            f"Der Dienst kann nicht auf {svc.host}:{svc.port} lauschen: {exc.strerror}"
        ) from exc
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    port = sockets[0].getsockname()[1] if sockets else svc.port
    if not svc.public_base_url:
        app[keys.RUNTIME].base_url = svc.resolved_public_base_url(port)
    url = svc.local_url(port)
    _freeze_startup_objects()

    # Handlers first: whoever reads the ready line may stop the service right away.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
    log.info("advisor-console %s service listening on %s", __version__, url)
    print(f"{SERVICE_READY_PREFIX}{url}", flush=True)
    if stop_on_stdin_eof:
        _watch_stdin(loop, stop)
    collections = asyncio.create_task(_full_collections(), name="full-gc")
    try:
        await stop.wait()
    finally:
        log.info("service stopping")
        collections.cancel()
        await runner.cleanup()
