"""Typed refusals of the domain rules: a stable code and its parameters, no words for people.

A rule that refuses raises :class:`RuleViolation`. Its ``code`` is part of the protocol (the
service sends it to the console and the citizen page as ``details.reason`` of a
``validation`` error); the words belong to whoever talks to a person: the console's Qt
Linguist catalogue, the web app's JSON catalogues, the service's error catalogue
(``i18n/errors``). The German text given to the exception is only its ``str()`` for logs
and for callers that predate the codes.
"""

from __future__ import annotations

from enum import StrEnum


class RuleCode(StrEnum):
    """Why a value breaks a domain rule."""

    NAME_MISSING = "name_missing"
    NAME_TOO_LONG = "name_too_long"  # max_length
    NAME_CONTROL_CHARACTERS = "name_control_characters"
    TEXT_TOO_LONG = "text_too_long"  # max_length
    TEXT_CONTROL_CHARACTERS = "text_control_characters"
    EMAIL_INVALID = "email_invalid"  # value
    GUEST_ROLE_CITIZEN = "guest_role_citizen"
    IN_PAST = "in_past"
    OVERLAP = "overlap"  # count, first (HH:MM, Berlin)
    SURVEY_EMPTY = "survey_empty"


Param = str | int


class RuleViolation(ValueError):
    """A value breaks a rule; ``code`` says which, ``params`` fill the words of each language."""

    def __init__(self, code: RuleCode, text: str, **params: Param) -> None:
        super().__init__(text)
        self.code = code
        self.params: dict[str, Param] = params

    def __reduce__(self) -> tuple[object, ...]:  # pydantic may deep-copy its error contexts
        return (_rebuild, (self.code, str(self), self.params))


def _rebuild(code: RuleCode, text: str, params: dict[str, Param]) -> RuleViolation:
    return RuleViolation(code, text, **params)
