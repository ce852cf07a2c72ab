"""The embedded service keeps its port across a console restart, so invitation links stay valid."""

from __future__ import annotations

import socket

import pytest

from advisor_app.client.embedded import port_is_free

pytestmark = pytest.mark.unit


def _listener() -> socket.socket:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp listens
    server.bind(("127.0.0.1", 0))
    server.listen()
    return server


def test_a_port_in_use_is_not_free_and_a_just_closed_one_is() -> None:
    server = _listener()
    port = server.getsockname()[1]
    assert not port_is_free(port)  # the service still runs there
    # A page was connected when the service ended: the service's side closes first, so its
    # end of the connection waits in TIME_WAIT for a minute.
    page = socket.create_connection(("127.0.0.1", port))
    served, _ = server.accept()
    served.close()
    server.close()
    page.recv(1)
    page.close()
    # The restarted console's service may listen there again at once (as aiohttp will).
    assert port_is_free(port)
