"""The server examples IT copies: systemd unit, config.toml, nginx; checked with real tools."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from advisor_app.cli import _parser
from advisor_app.config import load_settings

pytestmark = pytest.mark.integration

SERVER = Path(__file__).resolve().parents[2] / "installers" / "server"
VENV_SCRIPT = Path(sys.executable).parent / "advisor-console"


def unit_values(text: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_systemd_unit_passes_systemd_analyze(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze missing (make system-test installs systemd)"
    unit = tmp_path / "advisor-console.service"
    text = (SERVER / "advisor-console.service").read_text()
    unit.write_text(text.replace("/opt/advisor-console/bin/advisor-console", str(VENV_SCRIPT)))
    verify = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert verify.returncode == 0, verify.stderr
    assert verify.stderr.strip() == ""
    security = subprocess.run(
        [analyze, "security", "--offline=yes", str(unit)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert security.returncode == 0, security.stdout[-2000:]
    score = re.search(r"Overall exposure level for \S+: ([\d.]+)", security.stdout)
    assert score and float(score.group(1)) <= 2.5


def test_systemd_unit_runs_serve_as_its_own_user_with_secrets_as_credentials() -> None:
    values = unit_values((SERVER / "advisor-console.service").read_text())
    assert values["User"] == ["advisor-console"]
    assert values["StateDirectory"] == ["advisor-console"]
    [exec_start] = values["ExecStart"]
    argv = shlex.split(exec_start)
    args = _parser().parse_args(argv[1:])  # the options really exist
    assert args.command == "serve"
    assert str(args.serve_config) == "/etc/advisor-console/config.toml"
    assert str(args.data_dir) == "/var/lib/advisor-console"
    assert sorted(values["LoadCredential"]) == [
        "smtp-password:/etc/advisor-console/smtp-password",
        "turn-secret:/etc/advisor-console/turn-secret",
    ]
    assert sorted(values["Environment"]) == [
        "ADVISOR_ICE__TURN_SECRET_FILE=%d/turn-secret",
        "ADVISOR_SMTP__PASSWORD_FILE=%d/smtp-password",
    ]


def test_example_config_is_valid_and_holds_no_secret(tmp_path: Path) -> None:
    settings = load_settings(
        machine_file=tmp_path / "none.toml",
        user_file=tmp_path / "none.toml",
        config_file=SERVER / "config.toml",
        managed_reader=None,
    )
    assert settings.service.host == "127.0.0.1"
    assert settings.service.trusted_proxies == ["127.0.0.1", "::1"]
    assert settings.service.retention_days == 90
    assert settings.ice.turn_urls[0].startswith("turn:")
    assert settings.smtp.password is None and settings.ice.turn_secret is None


def test_nginx_forwards_websockets_and_the_client_address_to_the_service() -> None:
    conf = (SERVER / "nginx-advisor-console.conf").read_text()
    config = (SERVER / "config.toml").read_text()
    port = re.search(r"^port = (\d+)$", config, re.M)
    assert port and f"server 127.0.0.1:{port.group(1)} " in conf
    upstream = re.search(r"upstream advisor_console \{(.*?)\}", conf, re.S)
    assert upstream, "no upstream"
    # no stickiness: any instance serves any request
    assert not re.search(r"^\s*(ip_hash|hash|sticky)\b", upstream.group(1), re.M)
    ws = re.search(r"location /ws/ \{(.*?)\}", conf, re.S)
    assert ws, "no WebSocket location"
    block = ws.group(1)
    for line in (
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
    ):
        assert line in block
    assert re.search(r"proxy_read_timeout (\d+)s;", block)
    assert "access_log off;" in conf  # personal links stay out of nginx's log


@pytest.mark.parametrize("name", ["advisor-console.service", "config.toml", "turnserver.conf"])
def test_no_example_carries_a_real_secret(name: str) -> None:
    text = (SERVER / name).read_text()
    assert not re.search(r"(?i)^\s*password\s*=", text, re.M)
    if name == "turnserver.conf":
        assert "static-auth-secret=REPLACE-WITH" in text
