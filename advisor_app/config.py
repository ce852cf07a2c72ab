"""One typed settings object, layered: defaults < machine < user < --config file < env < CLI.

The machine layer is the machine-wide ``config.toml`` (``/etc/xdg/advisor-console`` on Linux,
ProgramData on Windows) and, above it, the values IT presets through the MSI (registry) or a
macOS configuration profile (see :mod:`advisor_app.managed`); user configuration lives in the
user's config folder. Environment variables use the
prefix ``ADVISOR_`` and ``__`` between section and field (``ADVISOR_SMTP__HOST``). Secrets are
never read from configuration files: the SMTP password comes from the environment or from a
file only the service account can read, the advisor token from the OS keyring.
"""

from __future__ import annotations

import contextvars
import ipaddress
import tomllib
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from advisor_app import managed

APP_NAME = "advisor-console"
CONFIG_FILE_NAME = "config.toml"
ENV_PREFIX = "ADVISOR_"

#: The organisation's name until the agency sets one; it is never shown as a signature.
DEFAULT_ORGANISATION = "Videoberatung"

#: Keys that hold secrets and must never appear in a configuration file.
_SECRET_KEYS = {("smtp", "password"), ("ice", "turn_secret")}


class ConfigError(Exception):
    """A configuration file or value that cannot be used; the message is German."""


def machine_config_path() -> Path:
    """Machine-wide configuration (``/etc/xdg/advisor-console``, ProgramData on Windows)."""
    return platformdirs.site_config_path(APP_NAME, appauthor=False) / CONFIG_FILE_NAME


def user_config_path() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / CONFIG_FILE_NAME


def default_data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConsoleSettings(_Section):
    #: Address of the signaling service; empty means: start the bundled service locally.
    server_url: str | None = None
    #: Language of the console's user interface.
    language: Literal["de", "en"] = "de"
    #: Extra CA certificates to trust for the service (a PEM file), e.g. an agency's own CA.
    ca_bundle: Path | None = None
    #: User name remembered from the last sign-in (never the password or token).
    username: str | None = None
    #: Port the embedded service tries first; a free port is taken when it is in use.
    embedded_port: int = Field(default=8470, ge=0, le=65535)
    #: The advisor's name as citizens and guests see it (embedded service). Empty: the OS
    #: account's full name, never the bare login.
    display_name: str | None = Field(default=None, max_length=120)
    #: The first run ("Einrichtung") was answered; IT may preset it with the other values.
    setup_done: bool = False

    @field_validator("server_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("Die Serveradresse muss mit https:// (oder http://) beginnen.")
        return value


class ServiceSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8470, ge=0, le=65535)
    #: Folder for the SQLite database, the mail outbox and logs.
    data_dir: Path = Field(default_factory=lambda: default_data_dir() / "service")
    #: SQLAlchemy URL; default is SQLite in ``data_dir``. PostgreSQL:
    #: ``postgresql+asyncpg://user@host/db``.
    database_url: str | None = None
    #: Address citizens use to reach the service, used in invitation links.
    public_base_url: str | None = None
    #: The agency's name as citizens read it. The default stands for "not set": legal texts
    #: and mails then phrase the sentence without a name (see :attr:`organisation_name`).
    organisation: str = DEFAULT_ORGANISATION
    #: The technical support's telephone number; empty: the pages and mails leave the
    #: support sentence out.
    support_phone: str = ""
    support_hours: str = "Montag bis Freitag, 8 bis 18 Uhr"
    #: Where the accessibility statement's feedback form sends barrier reports; shown to
    #: citizens as the e-mail alternative. Empty: reports go to ``smtp.from_address`` (the
    #: outbox in the embedded mode) and the statement names no address.
    accessibility_email: str = ""
    #: Date of the last review of the accessibility statement; empty: the date of the
    #: product's own review that the bundled statement was written on.
    accessibility_reviewed: date | None = None
    #: Barrier reports per client address.
    feedback_rate_limit: str = "3/minute;10/hour"
    #: The agency's video in German Sign Language (DGS) for the "Gebärdensprache" page: an
    #: MP4/WebM file of at least 320×240 pixels and 25 frames per second, checked at start.
    #: Empty: the page says that there is no video yet and the header has no entry for it.
    sign_language_video: Path | None = None
    #: Start a service reachable from other machines although the legal texts still hold
    #: ``[[…]]`` placeholders (tests, a trial before the imprint is written).
    allow_placeholder_legal: bool = False
    #: Days after an appointment when its personal data is deleted.
    retention_days: int = Field(default=90, ge=1, le=3650)
    retention_interval_min: int = Field(default=60, ge=1)
    #: Minutes after an appointment's end during which links still work.
    grace_min: int = Field(default=15, ge=0, le=240)
    #: Rate limits in the ``limits`` notation ("5/minute;30/hour").
    join_rate_limit: str = "5/minute;30/hour"
    login_rate_limit: str = "10/minute;100/hour"
    #: Survey answers per client address (one per call is normal; several share an address).
    survey_rate_limit: str = "20/minute;200/hour"
    #: Dial-in code attempts of all addresses together, and wrong names per dial-in code
    #: (code and name must both match; after these the code rests, the link still works).
    join_global_rate_limit: str = "60/minute;600/hour"
    join_code_rate_limit: str = "5/hour;10/day"
    #: Sign-ins per account from one address (strangers elsewhere cannot lock it), and sign-ins
    #: with unknown account names, all addresses together (caps the password-hashing work).
    login_account_rate_limit: str = "10/minute;60/hour"
    login_unknown_rate_limit: str = "30/minute;300/hour"
    #: Network-test requests (a device check makes seven) per link, and per client address
    #: (higher: several citizens may share one address).
    nettest_rate_limit: str = "30/minute;100/hour"
    nettest_address_rate_limit: str = "120/minute;1000/hour"
    #: Where rate limits are counted (``limits`` storage URI): ``memory://`` for one instance.
    rate_limit_storage: str = "memory://"
    #: Several instances: the Redis they share (``redis://:password@host:6379/0``, also
    #: ``rediss://``). The waiting room's live state and events go through it, and rate limits
    #: are counted in it unless ``rate_limit_storage`` names another. Empty: one instance.
    redis_url: str = ""
    #: Seconds a connection may stay idle, and the most time to send a request's headers.
    idle_timeout_s: float = Field(default=20.0, gt=0, le=600)
    #: Open connections per client address (IPv6: per /64); trusted proxies are not counted.
    max_connections_per_address: int = Field(default=200, ge=1)
    #: Write client addresses into the access log (off: the log holds none).
    log_client_addresses: bool = False
    #: Log file, rotated daily and kept ``log_keep_days`` days (empty: standard error only).
    log_file: Path | None = None
    log_keep_days: int = Field(default=7, ge=1, le=90)
    #: Folder of the legal texts (``manifest.json`` plus ``<lang>/<doc>.html``) that replaces
    #: the bundled ``resources/legal``; checked at service start.
    legal_dir: Path | None = None
    #: WebSocket connections per client address. Reloads and reconnects are normal; only
    #: floods are refused. Raise it when many citizens share one address (a proxy, a benchmark).
    socket_rate_limit: str = "60/minute"
    #: Seconds a citizen whose socket dropped keeps the place (waiting or in the call), and a
    #: console whose socket dropped keeps its calls; afterwards they go back to the waiting room.
    reconnect_grace_s: float = Field(default=30.0, gt=0, le=600)
    #: Minutes after an appointment's start from which a team colleague may admit the citizen
    #: when the booked advisor is absent or in another call (the booked advisor always may).
    team_admit_grace_minutes: int = Field(default=5, ge=0, le=240)
    #: TLS without a reverse proxy: certificate chain and private key (PEM). The key file is
    #: readable only by the service account; it must not be protected by a password.
    tls_cert: Path | None = None
    tls_key: Path | None = None
    #: Reverse proxies (addresses or networks) whose ``X-Forwarded-For`` and
    #: ``X-Forwarded-Proto`` are believed, e.g. ``["127.0.0.1"]`` for nginx on the same host.
    trusted_proxies: list[str] = Field(default_factory=list)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError as exc:
                raise ValueError(f"„{item}“ ist keine IP-Adresse und kein Netz.") from exc
        return value

    @property
    def organisation_name(self) -> str | None:
        """The configured name, or None while it is unset (the default "Videoberatung")."""
        name = self.organisation.strip()
        return name if name and name != DEFAULT_ORGANISATION else None

    @property
    def server_mode(self) -> bool:
        """Reachable by citizens on other machines: a public address or a non-loopback host."""
        if self.public_base_url:
            return True
        try:
            return not ipaddress.ip_address(self.host.strip("[]")).is_loopback
        except ValueError:
            return self.host not in ("localhost",)

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None or self.tls_key is not None

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'advisor.db'}"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    def resolved_public_base_url(self, bound_port: int | None = None) -> str:
        if self.public_base_url:
            return self.public_base_url.rstrip("/")
        return self.local_url(bound_port if bound_port else self.port)

    def local_url(self, port: int) -> str:
        """How a program on this machine reaches the service bound to ``host``."""
        host = self.host
        if host in ("0.0.0.0", ""):  # noqa: S104 - all IPv4 (or all) interfaces
            host = "127.0.0.1"
        elif host == "::":  # asyncio binds "::" to IPv6 only
            host = "::1"
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"{'https' if self.tls else 'http'}://{host}:{port}"


class SmtpSettings(_Section):
    #: Without a host, mails are written to the outbox folder instead of being sent.
    host: str | None = None
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    #: Only from the environment (``ADVISOR_SMTP__PASSWORD``), never from a file of settings.
    password: SecretStr | None = None
    #: A file holding the password, readable only by the service account.
    password_file: Path | None = None
    from_address: str = "videotermin@localhost"
    from_name: str = "Videotermin"
    timeout_s: float = Field(default=20.0, gt=0)
    #: Extra CA certificates for the SMTP server (PEM).
    ca_bundle: Path | None = None

    def read_password(self) -> str | None:
        if self.password is not None:
            return self.password.get_secret_value()
        if self.password_file is not None:
            try:
                return self.password_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(
                    f"Die SMTP-Passwortdatei {self.password_file} ist nicht lesbar: {exc.strerror}"
                ) from exc
        return None


class IceSettings(_Section):
    """STUN and TURN servers handed to every participant of a call.

    On one machine or a LAN, host candidates are enough and both lists stay empty. TURN uses
    the time-limited credentials of the TURN REST scheme (coturn's ``use-auth-secret``): the
    shared secret comes only from ``ADVISOR_ICE__TURN_SECRET`` or ``turn_secret_file``.
    """

    #: e.g. ``["stun:turn.example.de:3478"]``
    stun_urls: list[str] = Field(default_factory=list)
    #: e.g. ``["turn:turn.example.de:3478?transport=udp", "turns:turn.example.de:5349"]``
    turn_urls: list[str] = Field(default_factory=list)
    #: Only from the environment, never from a file of settings.
    turn_secret: SecretStr | None = None
    #: A file holding the shared secret, readable only by the service account.
    turn_secret_file: Path | None = None
    #: How long handed-out TURN credentials stay valid.
    turn_ttl_s: int = Field(default=6 * 3600, ge=60, le=7 * 24 * 3600)
    #: "relay" forces every call through TURN (strict networks); "all" lets ICE choose.
    transport_policy: Literal["all", "relay"] = "all"

    @field_validator("stun_urls", "turn_urls")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(("stun:", "stuns:", "turn:", "turns:")):
                raise ValueError(
                    f"„{url}“ ist keine STUN/TURN-Adresse (stun:, stuns:, turn:, turns:)."
                )
        return value

    def read_turn_secret(self) -> str | None:
        if self.turn_secret is not None:
            return self.turn_secret.get_secret_value()
        if self.turn_secret_file is not None:
            try:
                return self.turn_secret_file.read_text(encoding="utf-8").strip() or None
            except OSError as exc:
                raise ConfigError(
                    f"Die TURN-Geheimnisdatei {self.turn_secret_file} ist nicht lesbar: "
                    f"{exc.strerror}"
                ) from exc
        return None


class Settings(BaseSettings):
    """All settings of console and service."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    ice: IceSettings = Field(default_factory=IceSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # First wins: command line, environment, the files above the machine layer (most
        # specific first), the managed values, the machine file.
        layers = _LAYERS.get() or _Layers()
        files = [TomlConfigSettingsSource(settings_cls, p) for p in reversed(layers.files)]
        machine: list[PydanticBaseSettingsSource] = [_ManagedSource(settings_cls, layers.managed)]
        if layers.machine_file is not None:
            machine.append(TomlConfigSettingsSource(settings_cls, layers.machine_file))
        return (init_settings, env_settings, *files, *machine)


class _ManagedSource(PydanticBaseSettingsSource):
    """The values from the registry or a configuration profile, already nested."""

    def __init__(self, settings_cls: type[BaseSettings], values: Mapping[str, Any]) -> None:
        super().__init__(settings_cls)
        self._values = values

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self._values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self._values)


class _Layers:
    def __init__(
        self,
        machine_file: Path | None = None,
        managed: Mapping[str, Any] | None = None,
        files: Sequence[Path] = (),
    ) -> None:
        self.machine_file = machine_file
        self.managed: Mapping[str, Any] = managed or {}
        self.files = files


_LAYERS: contextvars.ContextVar[_Layers | None] = contextvars.ContextVar("_LAYERS", default=None)
_SECTIONS: dict[str, type[_Section]] = {"console": ConsoleSettings, "ice": IceSettings}


def write_user_settings(values: Mapping[str, Mapping[str, Any]], path: Path | None = None) -> Path:
    """Write ``values`` (section -> field -> value; None removes the field) into the user's
    ``config.toml``, keeping everything else in it, comments included (tomlkit)."""
    import tomlkit

    target = path or user_config_path()
    document = tomlkit.parse(target.read_text(encoding="utf-8")) if target.is_file() else None
    if document is None:
        document = tomlkit.document()
    for section, fields in values.items():
        table = document.get(section)
        if not isinstance(table, tomlkit.items.Table):
            table = tomlkit.table()
            document[section] = table
        for key, value in fields.items():
            if value is None:
                table.pop(key, None)
            else:
                table[key] = str(value) if isinstance(value, Path) else value
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".toml.new")
        temporary.write_text(tomlkit.dumps(document), encoding="utf-8")
        temporary.replace(target)
    except OSError as exc:
        raise ConfigError(
            f"Die Konfigurationsdatei {target} kann nicht geschrieben werden: {exc.strerror}"
        ) from exc
    return target


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Die Konfigurationsdatei {path} ist fehlerhaft: {exc}") from exc
    except OSError as exc:
        raise ConfigError(
            f"Die Konfigurationsdatei {path} ist nicht lesbar: {exc.strerror}"
        ) from exc


def _check_no_secrets(path: Path, data: Mapping[str, Any]) -> None:
    for section, key in _SECRET_KEYS:
        sub = data.get(section)
        if isinstance(sub, Mapping) and key in sub:
            raise ConfigError(
                f"{path}: „{section}.{key}“ ist ein Geheimnis und gehört nicht in eine "
                f"Konfigurationsdatei. Nutzen Sie die Umgebungsvariable "
                f"{ENV_PREFIX}{section.upper()}__{key.upper()} oder eine Passwortdatei."
            )


def read_managed(reader: managed.Reader | None) -> dict[str, Any]:
    """The preset values of IT (registry, configuration profile), checked section by section
    so that a wrong value names where it was set."""
    try:
        origin, values = managed.read(reader)
    except managed.ManagedError as exc:
        raise ConfigError(str(exc)) from exc
    for section, fields in values.items():
        try:
            _SECTIONS[section].model_validate(fields)
        except ValidationError as exc:
            problems = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
            raise ConfigError(f"Voreinstellung in {origin} ungültig: {problems}") from exc
    return values


def load_settings(
    *,
    cli: Mapping[str, Any] | None = None,
    config_file: Path | None = None,
    machine_file: Path | None = None,
    user_file: Path | None = None,
    managed_reader: managed.Reader | Literal["platform"] | None = "platform",
) -> Settings:
    """Build the settings from all layers. ``cli`` is a nested mapping of command-line values;
    ``managed_reader`` reads IT's preset values (default: this platform's registry or
    configuration profile; tests pass their own)."""
    machine = machine_file or machine_config_path()
    layers = [user_file or user_config_path()]
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(f"Die Konfigurationsdatei {config_file} gibt es nicht.")
        layers.append(config_file)
    existing = [p for p in layers if p.is_file()]
    for path in [machine, *existing] if machine.is_file() else existing:
        _check_no_secrets(path, _read_toml(path))
    reader = managed.platform_reader() if managed_reader == "platform" else managed_reader
    preset = read_managed(reader)
    token = _LAYERS.set(_Layers(machine if machine.is_file() else None, preset, existing))
    try:
        return Settings(**dict(cli or {}))
    except ConfigError:
        raise
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise ConfigError(f"Ungültige Einstellungen: {problems}") from exc
    except Exception as exc:
        raise ConfigError(f"Ungültige Einstellungen: {exc}") from exc
    finally:
        _LAYERS.reset(token)
