"""A real ``serve`` closes idle and slow (slowloris) connections and caps
the connections of one address."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers.processes import Serve, child_env

pytestmark = pytest.mark.integration


@pytest.fixture
def serve_url(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, int]]:
    env = child_env(**getattr(request, "param", {}))
    args = ["serve", "--port", "0", "--data-dir", str(tmp_path / "data")]
    with Serve(args, cwd=tmp_path, env=env) as serve:
        url = urlsplit(serve.wait_ready(timeout=180))
        assert url.hostname and url.port
        yield url.hostname, url.port
        serve.stop(timeout=120)


def closed_by_server(sock: socket.socket, timeout: float = 15.0) -> bool:
    """True once the server closed the connection (EOF or reset) within ``timeout``."""
    sock.settimeout(timeout)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


def healthz(sock: socket.socket) -> bytes:
    sock.settimeout(15)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    return sock.recv(4096)


@pytest.mark.parametrize("serve_url", [{"ADVISOR_SERVICE__IDLE_TIMEOUT_S": "1"}], indirect=True)
def test_idle_and_slow_header_connections_are_closed(serve_url: tuple[str, int]) -> None:
    host, port = serve_url
    with (
        socket.create_connection((host, port)) as idle,
        socket.create_connection((host, port)) as slow,
        socket.create_connection((host, port)) as kept,
    ):
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")  # never ends
        assert healthz(kept).startswith(b"HTTP/1.1 200")  # a served connection, then idle
        assert closed_by_server(idle)
        assert closed_by_server(slow)
        assert closed_by_server(kept)


@pytest.mark.parametrize(
    "serve_url", [{"ADVISOR_SERVICE__MAX_CONNECTIONS_PER_ADDRESS": "5"}], indirect=True
)
def test_one_address_holds_a_bounded_number_of_connections(serve_url: tuple[str, int]) -> None:
    host, port = serve_url
    first = [socket.create_connection((host, port)) for _ in range(5)]
    try:
        assert healthz(first[0]).startswith(b"HTTP/1.1 200")
        with socket.create_connection((host, port)) as sixth:
            assert closed_by_server(sixth)
        assert healthz(first[4]).startswith(b"HTTP/1.1 200")  # the others still work
        first.pop().close()
        for _ in range(100):  # until the service has seen the close: a place became free
            with socket.create_connection((host, port)) as again:
                try:
                    answer = healthz(again)
                except ConnectionResetError:
                    answer = b""
            if answer:
                break
        assert answer.startswith(b"HTTP/1.1 200")
    finally:
        for sock in first:
            sock.close()
