"""The rules for the site's values, and the advisor's name from the operating system."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor_app import os_account
from advisor_app.client.site import save_site_values, site_values
from advisor_app.config import Settings, load_settings, user_config_path
from advisor_app.core.site import Problem, SiteValues, check_site, phone_problem

pytestmark = pytest.mark.unit


def _values(**changes: object) -> SiteValues:
    base: dict[str, object] = {
        "organisation": "Jobcenter Region Hannover",
        "support_phone": "0800 4 555501",
        "support_hours": "Montag bis Freitag, 8 bis 18 Uhr",
        "display_name": "Frau Beispiel",
        "retention_days": 90,
        "legal_dir": None,
    }
    base.update(changes)
    return SiteValues(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "phone", ["0800 4 555501", "+49 511 123-456", "(0511) 12 34 56", "0511/123456", ""]
)
def test_plausible_phone_numbers_pass(phone: str) -> None:
    assert phone_problem(phone) is None


@pytest.mark.parametrize(
    ("phone", "problem"),
    [
        ("null", Problem.PHONE_CHARACTERS),
        ("0800 HOTLINE", Problem.PHONE_CHARACTERS),
        ("49+511 123456", Problem.PHONE_CHARACTERS),
        ("[[Telefon]]", Problem.PLACEHOLDER),
        ("115", Problem.PHONE_DIGITS),
        ("0049 511 1234 5678 9012", Problem.PHONE_DIGITS),
    ],
)
def test_implausible_phone_numbers_are_named(phone: str, problem: Problem) -> None:
    assert phone_problem(phone) is problem


def test_good_values_have_no_problems() -> None:
    assert check_site(_values()) == {}


def test_each_wrong_value_is_named_by_its_field(tmp_path: Path) -> None:
    problems = check_site(
        _values(
            organisation="  ",
            support_phone="abc",
            support_hours="[[Zeiten]]",
            display_name="x" * 121,
            retention_days=0,
            legal_dir=tmp_path / "missing",
        )
    )
    assert problems == {
        "organisation": Problem.REQUIRED,
        "support_phone": Problem.PHONE_CHARACTERS,
        "support_hours": Problem.PLACEHOLDER,
        "display_name": Problem.TOO_LONG,
        "retention_days": Problem.RETENTION_RANGE,
        "legal_dir": Problem.LEGAL_DIR_MISSING,
    }
    assert check_site(_values(retention_days=3651)) == {"retention_days": Problem.RETENTION_RANGE}
    assert check_site(_values(legal_dir=tmp_path)) == {"legal_dir": Problem.LEGAL_DIR_NO_MANIFEST}
    (tmp_path / "manifest.json").write_text(json.dumps({}), encoding="utf-8")
    assert check_site(_values(legal_dir=tmp_path)) == {}


def test_the_built_in_organisation_is_not_offered_as_an_answer() -> None:
    assert site_values(Settings()).organisation == ""
    named = Settings(service={"organisation": "Jobcenter Region Hannover"})
    assert site_values(named).organisation == "Jobcenter Region Hannover"


def test_saved_values_are_read_back_and_other_settings_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = user_config_path()
    path.parent.mkdir(parents=True)
    path.write_text('# from IT\n[console]\nlanguage = "en"\n', encoding="utf-8")
    save_site_values(_values(display_name="  Erika   Beispiel ", legal_dir=tmp_path))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# from IT\n")
    settings = load_settings(managed_reader=None)
    assert settings.console.language == "en"
    assert settings.console.setup_done
    assert site_values(settings) == _values(display_name="Erika Beispiel", legal_dir=tmp_path)
    save_site_values(_values())  # back to the bundled texts: the folder is removed
    assert load_settings(managed_reader=None).service.legal_dir is None


class _Entry:
    def __init__(self, gecos: str) -> None:
        self.pw_gecos = gecos


@pytest.mark.parametrize(
    ("login", "gecos", "expected"),
    [
        ("root", "root", None),
        ("mueller", "", None),
        ("mueller", "Mueller", None),
        ("emuster", "Erika Mustermann,Raum 3,,", "Erika Mustermann"),
    ],
)
def test_the_os_full_name_is_never_the_bare_login(
    monkeypatch: pytest.MonkeyPatch, login: str, gecos: str, expected: str | None
) -> None:
    import pwd

    monkeypatch.setattr(pwd, "getpwuid", lambda _uid: _Entry(gecos))
    monkeypatch.setattr(os_account.getpass, "getuser", lambda: login)
    assert os_account.full_name() == expected
    name = os_account.advisor_name(None)
    assert name == (expected or os_account.FALLBACK_NAME)
    assert name != login
    assert os_account.advisor_name("  Frau   Beispiel ") == "Frau Beispiel"
