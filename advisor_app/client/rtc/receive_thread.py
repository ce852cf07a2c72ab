"""Reads the console's UDP sockets and sends transport feedback on a thread of its own.

With transport feedback, Chromium counts the bytes it sent and has no feedback for yet; when
that exceeds its congestion window (the round trip + 350 ms of its target rate), it lowers
its encoder's rate and drops frames. Feedback sent from the event loop is as late as the loop,
so a console whose loop is seconds late (a loaded PC) would still stall the citizen.
This thread takes the reading of aioice's host sockets off the loop
(``transport.pause_reading()``; each datagram is handed to the loop with
``call_soon_threadsafe``), records each packet's arrival as it reads it, and every 50 ms
protects and sends the feedback itself: with its own SRTCP session (the DTLS-SRTP keys, a
sender SSRC of its own, so its SRTCP index never meets aiortc's) straight to the nominated
remote address. A relayed (TURN) path has no socket of its own here: feedback then goes
through the loop (:class:`~advisor_app.client.rtc.feedback.FeedbackLoop`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import logging
import secrets
import select
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from pylibsrtp import Policy, Session

from advisor_app.client.rtc.feedback import INTERVAL_S, FeedbackReporter
from advisor_app.client.rtc.receive_clock import ArrivalRecorder, enable_kernel_stamps, kernel_stamp

log = logging.getLogger(__name__)

#: Datagrams handed to the loop in one call at most (a burst after a stall).
BATCH = 64


def srtcp_session(dtls: Any) -> Session:
    """A second outbound SRTP session with the keys aiortc derived for ``dtls`` (aiortc 1.16
    ``RTCDtlsTransport._setup_srtp``). Call on the event loop: it uses the DTLS connection."""
    from aiortc.rtcdtlstransport import SRTP_PROFILES

    selected = dtls._ssl.get_selected_srtp_profile()
    profile = next(p for p in SRTP_PROFILES if p.openssl_profile == selected)
    view = dtls._ssl.export_keying_material(
        b"EXTRACTOR-dtls_srtp", 2 * (profile.key_length + profile.salt_length)
    )
    key = profile.get_key_and_salt(view, 1 if dtls._role == "server" else 0)
    policy = Policy(
        key=key, ssrc_type=Policy.SSRC_ANY_OUTBOUND, srtp_profile=profile.libsrtp_profile
    )
    return Session(policy)


def _resume(transport: Any) -> None:
    if not transport.is_closing():
        transport.resume_reading()


class ReceiveThread:
    """One thread for the host sockets of one aioice connection."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        connection: Any,
        recorder: ArrivalRecorder,
        reporter: FeedbackReporter,
    ) -> None:
        self.loop = loop
        self.connection = connection
        self.recorder = recorder
        self.reporter = reporter
        self.ssrc = secrets.randbits(32) or 1
        self.reporter.builder.sender_ssrc = self.ssrc
        self.session: Session | None = None
        self.kernel = False
        self.sent = 0
        self.fallback: Callable[[bytes], object] | None = None
        #: The sender SSRC of feedback sent through aiortc's own SRTCP session (never ours:
        #: two sessions must not count SRTCP indexes for one SSRC).
        self.fallback_ssrc = 0
        #: Feedback is sent only once transport-cc is agreed.
        self.active = False
        self._sockets: dict[Any, tuple[socket.socket, Any]] = {}  # protocol → (dup, transport)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rtc-receive", daemon=True)

    def start(self) -> bool:
        """Take over the host sockets; False when there is none (then nothing changed)."""
        for protocol in list(getattr(self.connection, "_protocols", [])):
            transport = getattr(protocol, "transport", None)
            if not hasattr(transport, "pause_reading"):
                continue  # a TURN relay: its datagrams come through the TURN client
            raw = transport.get_extra_info("socket")  # type: ignore[union-attr]
            if raw is None or raw.type != socket.SOCK_DGRAM:
                continue
            dup = socket.fromfd(raw.fileno(), raw.family, raw.type)
            dup.setblocking(False)
            self.kernel = enable_kernel_stamps(dup) or self.kernel
            self._sockets[protocol] = (dup, transport)
        if not self._sockets:
            return False
        for _dup, transport in self._sockets.values():
            transport.pause_reading()
        self._thread.start()
        return True

    def _run(self) -> None:
        try:
            self._serve()
        finally:
            if not self._stop.is_set():  # an unexpected end: the loop reads again
                log.warning("receive thread ended; the event loop reads the sockets again")
                for _dup, transport in self._sockets.values():
                    with contextlib.suppress(RuntimeError):
                        self.loop.call_soon_threadsafe(_resume, transport)

    def _serve(self) -> None:
        next_tick = time.monotonic() + INTERVAL_S
        socks = {dup: protocol for protocol, (dup, _t) in self._sockets.items()}
        while not self._stop.is_set():
            timeout = max(0.0, next_tick - time.monotonic())
            try:
                ready, _, _ = select.select(list(socks), [], [], timeout)
            except InterruptedError:
                continue
            except (OSError, ValueError) as exc:
                log.info("receive thread ends: %r", exc)
                self._stop.set()  # a socket closed under us: the connection is going away
                return
            for sock in ready:
                self._drain(sock, socks[sock])
            if time.monotonic() >= next_tick:
                next_tick = max(next_tick + INTERVAL_S, time.monotonic())
                try:
                    self._send_feedback()
                except Exception:  # the thread must go on reading whatever happens
                    log.exception("transport feedback failed")

    def _drain(self, sock: socket.socket, protocol: Any) -> None:
        batch: list[tuple[bytes, Any, int]] = []
        while len(batch) < BATCH:
            try:
                data, addr = sock.recvfrom(65536)
            except (BlockingIOError, InterruptedError):
                break
            except OSError as exc:
                if sock.fileno() < 0 or exc.errno == errno.EBADF:
                    log.info("receive thread ends: %r", exc)
                    self._stop.set()  # closed: the connection is going away
                    break
                # An ICMP error of an earlier send (ECONNREFUSED …): as asyncio's transport does
                with contextlib.suppress(RuntimeError):
                    self.loop.call_soon_threadsafe(protocol.error_received, exc)
                continue
            arrival = (kernel_stamp(sock) if self.kernel else None) or time.time_ns()
            self.recorder.record(data, arrival)
            batch.append((data, addr, arrival))
        if batch:
            with contextlib.suppress(RuntimeError):  # the loop is closing
                self.loop.call_soon_threadsafe(self._deliver, protocol, batch)

    def _deliver(self, protocol: Any, batch: list[tuple[bytes, Any, int]]) -> None:
        """On the loop: each datagram to aioice, as its transport would have done."""
        now = time.time_ns()
        for data, addr, arrival in batch:
            self.recorder.note_lag(data, arrival, now)
            try:
                protocol.datagram_received(data, addr)
            except Exception:  # as asyncio's transport would, log and go on
                log.exception("datagram handling failed")

    @property
    def protocols(self) -> list[Any]:
        return list(self._sockets)

    def _send_feedback(self) -> None:
        if not self.active:
            return
        packets = self.reporter.take()
        if not packets:
            return
        pair = getattr(self.connection, "_nominated", {}).get(1)
        own = self._sockets.get(getattr(pair, "protocol", None))
        for packet in packets:
            data = bytes(packet)
            if own is not None and self.session is not None and pair is not None:
                try:
                    own[0].sendto(self.session.protect_rtcp(data), pair.remote_addr)
                    self.sent += 1
                    continue
                except OSError:
                    log.debug("feedback not sent", exc_info=True)
            if self.fallback is not None and self.fallback_ssrc:
                self.fallback(bytes(dataclasses.replace(packet, sender_ssrc=self.fallback_ssrc)))

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=1.0)
        for dup, transport in self._sockets.values():
            dup.close()
            with contextlib.suppress(Exception):
                _resume(transport)
        self._sockets.clear()
