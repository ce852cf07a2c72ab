"""The advisor's token in the OS keyring (Windows Credential Manager, macOS Keychain, ...)."""

from __future__ import annotations

import contextlib
import logging

import keyring
from keyring.errors import KeyringError

log = logging.getLogger(__name__)
SERVICE_PREFIX = "advisor-console:"


def _service(server_url: str) -> str:
    return SERVICE_PREFIX + server_url.rstrip("/")


def load_token(server_url: str, username: str) -> str | None:
    try:
        return keyring.get_password(_service(server_url), username)
    except KeyringError as exc:
        log.warning("keyring unavailable, token not loaded: %s", type(exc).__name__)
        return None


def store_token(server_url: str, username: str, token: str) -> bool:
    """Keep the token; False when no keyring works (then the advisor signs in every start)."""
    try:
        keyring.set_password(_service(server_url), username, token)
    except KeyringError as exc:
        log.warning("keyring unavailable, token kept in memory only: %s", type(exc).__name__)
        return False
    return True


def forget_token(server_url: str, username: str) -> None:
    with contextlib.suppress(KeyringError):
        keyring.delete_password(_service(server_url), username)
