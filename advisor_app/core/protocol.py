"""Every message that crosses the network, as pydantic models shared by service and console.

The service validates requests with these models and the console validates responses with the
same ones, so a change of the protocol is a change in one place.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from advisor_app.core.appointments import clean_customer_number, clean_topic
from advisor_app.core.domain import (
    MAX_DURATION_MIN,
    MAX_GUESTS,
    MIN_DURATION_MIN,
    AppointmentStatus,
    Language,
    MailKind,
    MailStatus,
    Role,
    clean_email,
    clean_name,
    clean_text,
)
from advisor_app.core.errors import RuleCode, RuleViolation
from advisor_app.core.statistics_periods import PeriodKind

#: Largest JSON body the service accepts on its REST routes.
MAX_BODY_BYTES = 64 * 1024
#: The line ``serve`` prints on stdout once it listens; the console waits for it.
SERVICE_READY_PREFIX = "ADVISOR-SERVICE-LISTENING "
#: The console hands the embedded service its token through this variable, never on argv.
EMBEDDED_TOKEN_ENV = "ADVISOR_EMBEDDED_TOKEN"  # noqa: S105 - a variable name


class Model(BaseModel):
    """Base of all protocol models: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _name(value: str) -> str:
    return clean_name(value)


Email = Annotated[str | None, AfterValidator(clean_email)]
PersonName = Annotated[str, Field(max_length=1000), AfterValidator(_name)]


# --- errors -------------------------------------------------------------------------------


class ErrorReply(Model):
    """What the service answers for every refused request.

    ``error`` is the stable code (``validation``, ``overlap``, ``not_found``…) and
    ``details`` its parameters: ``details.reason`` names the variant of a code (for
    ``validation`` the broken rule, see :class:`~advisor_app.core.errors.RuleCode`), the other
    entries fill the words. Clients show their own words for the code; ``message`` (German)
    and ``message_en`` are the service's, from ``i18n/errors``.
    """

    error: str
    message: str
    message_en: str = ""
    field: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


# --- advisors -----------------------------------------------------------------------------


class LoginRequest(Model):
    username: Annotated[str, Field(min_length=1, max_length=100)]
    password: Annotated[str, Field(min_length=1, max_length=1000)]


class AdvisorOut(Model):
    id: int
    username: str
    display_name: str


class LoginResponse(Model):
    token: str
    advisor: AdvisorOut


class ServiceInfo(Model):
    """Public facts about a service the console connects to (``GET /api/info``)."""

    version: str
    organisation: str
    support_phone: str
    embedded: bool
    public_base_url: str


# --- appointments -------------------------------------------------------------------------


class GuestIn(Model):
    name: PersonName
    role: Role
    email: Email = None
    language: Language = Language.DE

    @field_validator("role")
    @classmethod
    def _guest_role(cls, value: Role) -> Role:
        if value is Role.CITIZEN:
            raise RuleViolation(
                RuleCode.GUEST_ROLE_CITIZEN,
                "Gäste können nicht die Rolle „Bürgerin/Bürger“ haben.",
            )
        return value


class AppointmentIn(Model):
    """Create or replace an appointment."""

    starts_at: AwareDatetime
    duration_min: Annotated[int, Field(ge=MIN_DURATION_MIN, le=MAX_DURATION_MIN)] = 30
    topic: Annotated[str, Field(max_length=1000), AfterValidator(clean_topic)] = ""
    citizen_name: PersonName
    customer_number: Annotated[
        str | None, Field(max_length=1000), AfterValidator(clean_customer_number)
    ] = None
    email: Email = None
    language: Language = Language.DE
    guests: Annotated[list[GuestIn], Field(max_length=MAX_GUESTS)] = Field(default_factory=list)
    #: The advisor saw the overlap warning and wants the appointment anyway.
    allow_overlap: bool = False


class ParticipantOut(Model):
    id: int
    role: Role
    name: str
    email: str | None
    language: Language
    link: str
    dial_code: str
    mail_status: MailStatus
    mail_error: str | None = None
    mail_updated_at: datetime | None = None


class AppointmentEventKind(StrEnum):
    """What happened to an appointment that its record keeps (until retention deletes it)."""

    REASSIGNED = "reassigned"
    ADMITTED_BY_COLLEAGUE = "admitted_by_colleague"
    HANDED_OVER = "handed_over"


class AppointmentEventOut(Model):
    """One entry of an appointment's record: who did what, never what was said."""

    at: datetime
    kind: AppointmentEventKind
    actor_name: str
    from_name: str | None = None
    to_name: str | None = None


class AppointmentOut(Model):
    id: int
    starts_at: datetime
    duration_min: int
    topic: str
    citizen_name: str
    customer_number: str | None
    email: str | None
    language: Language
    status: AppointmentStatus
    participants: list[ParticipantOut]
    created_at: datetime
    updated_at: datetime
    #: The ID check's outcome, once the advisor recorded one.
    identity: IdentityOut | None = None
    #: The advisor the appointment belongs to (0: not said, an older service).
    advisor_id: int = 0
    advisor_name: str = ""
    #: Reassignments, admissions by a colleague and handovers, oldest first.
    history: list[AppointmentEventOut] = Field(default_factory=list)

    @property
    def citizen(self) -> ParticipantOut:
        return next(p for p in self.participants if p.role is Role.CITIZEN)


class AppointmentList(Model):
    appointments: list[AppointmentOut]


class ReassignIn(Model):
    """``POST /api/appointments/<id>/reassign``: the colleague who takes the appointment."""

    advisor_id: int


class ReassignDayIn(Model):
    """``POST /api/appointments/reassign-day``: one advisor's open appointments of a day."""

    day: date
    from_advisor_id: int
    to_advisor_id: int


class ReassignDayOut(Model):
    #: The appointments that now belong to the colleague.
    moved: list[int]


class OverlapInfo(Model):
    id: int
    starts_at: datetime
    duration_min: int
    citizen_name: str


# --- teams ----------------------------------------------------------------------------------

#: What a team colleague can see of an advisor right now.
AdvisorState = Literal["free", "busy", "absent"]


class TeamMemberOut(Model):
    advisor_id: int
    display_name: str
    lead: bool
    #: ``free``: a console connected, no call; ``busy``: in a call; ``absent``: no console.
    state: AdvisorState = "absent"


class TeamOut(Model):
    id: int
    name: str
    #: Whether the signed-in advisor leads this team.
    lead: bool
    members: list[TeamMemberOut]


class TeamList(Model):
    """``GET /api/teams``: the signed-in advisor's teams (none: a team of one)."""

    teams: list[TeamOut]


class TeamMemberIn(Model):
    """``POST /api/teams/<id>/members`` (team leads only)."""

    username: Annotated[str, Field(min_length=1, max_length=100)]
    lead: bool = False


class MemberRemovedOut(Model):
    """``DELETE /api/teams/<id>/members/<advisor_id>``: nothing is moved; these open
    appointments of the removed advisor need reassigning."""

    open_appointments: list[AppointmentOut]


# --- mail ---------------------------------------------------------------------------------


class MailOut(Model):
    """One invitation, update or cancellation mail as the console lists it."""

    id: int
    appointment_id: int | None
    #: Whom the mail went to, so that the console can send just this one again.
    participant_id: int | None = None
    kind: MailKind
    to: str
    subject: str
    status: MailStatus
    error: str | None
    created_at: datetime
    text_body: str


class MailList(Model):
    mails: list[MailOut]


# --- citizens -----------------------------------------------------------------------------


class JoinCodeRequest(Model):
    code: Annotated[str, Field(min_length=1, max_length=40)]
    name: PersonName


class JoinCodeResponse(Model):
    link: str


# --- citizen journey (REST) ----------------------------------------------------------------

#: Short free texts the advisor sends into the waiting room.
MAX_NOTE_LENGTH = 500


def _short_text(value: str) -> str:
    return clean_text(value, max_length=60, what="Die Angabe")


#: One line without control characters (what a browser reports about itself).
ShortText = Annotated[str, Field(max_length=60), AfterValidator(_short_text)]


class ConsentState(Model):
    """What the citizen has agreed to, and which text versions are current."""

    accepted: bool
    revoked: bool
    consent_version: str  # the version in force, to be accepted
    privacy_version: str
    accepted_consent_version: str | None = None
    accepted_at: datetime | None = None


class CitizenView(Model):
    """``GET /api/citizen/<token>``: everything the citizen page needs to show."""

    organisation: str
    support_phone: str
    support_hours: str
    participant_name: str
    role: Role
    language: Language
    starts_at: datetime
    duration_min: int
    room_opens_at: datetime
    room_closes_at: datetime
    server_now: datetime
    link_state: str  # core.timewindow.LinkState
    consent: ConsentState


class ConsentIn(Model):
    consent_version: Annotated[str, Field(min_length=1, max_length=32)]
    privacy_version: Annotated[str, Field(min_length=1, max_length=32)]
    language: Annotated[str, Field(min_length=2, max_length=8)]


class DeviceStatus(StrEnum):
    OK = "ok"
    MISSING = "missing"
    DENIED = "denied"
    ERROR = "error"
    UNTESTED = "untested"


class Verdict(StrEnum):
    """The device check's traffic light."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class DeviceCheckIn(Model):
    """Only the parameters the consent text lists: system, device, browser, rates, quality."""

    browser: ShortText
    os: ShortText
    device_type: Literal["desktop", "tablet", "phone", "unknown"]
    upload_kbps: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    download_kbps: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    rtt_ms: Annotated[int, Field(ge=0, le=120_000)] | None = None
    camera: DeviceStatus = DeviceStatus.UNTESTED
    microphone: DeviceStatus = DeviceStatus.UNTESTED
    speaker: DeviceStatus = DeviceStatus.UNTESTED
    verdict: Verdict


class DeviceCheckOut(DeviceCheckIn):
    checked_at: datetime


# --- waiting room (WebSocket) ---------------------------------------------------------------


class WaitingEntry(Model):
    """One person in an advisor's waiting room, as the console lists it."""

    participant_id: int
    appointment_id: int
    name: str
    role: Role
    starts_at: datetime
    duration_min: int
    waiting_since: datetime
    online: bool
    device_check: DeviceCheckOut | None = None
    consent_accepted_at: datetime | None = None


class Ping(Model):
    type: Literal["ping"] = "ping"
    seq: int = 0


class Pong(Model):
    type: Literal["pong"] = "pong"
    seq: int = 0


class Hello(Model):
    """First message on either socket: who is speaking (advisor token or personal link)."""

    type: Literal["hello"] = "hello"
    token: Annotated[str, Field(min_length=1, max_length=200)]
    #: Advisor only: the participants this console is in a call with right now (after a
    #: restart: none). Admitted participants it does not name go back to the waiting room
    #: when it is the advisor's only console. None: not said (a citizen, an older console).
    calls: Annotated[list[int], Field(max_length=16)] | None = None


class Enter(Model):
    """The citizen presses "Beratungsraum betreten"."""

    type: Literal["enter"] = "enter"


class Leave(Model):
    """The citizen presses "Abbrechen" in the waiting room."""

    type: Literal["leave"] = "leave"


class Admit(Model):
    type: Literal["admit"] = "admit"
    participant_id: int


class SendNote(Model):
    type: Literal["note"] = "note"
    participant_id: int
    text: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_LENGTH)]


class SendAway(Model):
    type: Literal["send_away"] = "send_away"
    participant_id: int
    reason: Annotated[str, Field(max_length=MAX_NOTE_LENGTH)] = ""


class HandOver(Model):
    """The booked advisor hands a waiting citizen to a team colleague; the note is for the
    colleague only, never for the citizen."""

    type: Literal["hand_over"] = "hand_over"
    participant_id: int
    to_advisor_id: int
    note: Annotated[str, Field(max_length=MAX_NOTE_LENGTH)] = ""


# --- call signaling (relayed by the service between an advisor and an admitted participant) ---

#: Largest SDP the service relays (an offer with candidates is a few KiB).
MAX_SDP_LENGTH = 32 * 1024


class Ready(Model):
    """The participant's page has its devices and waits for an offer (also after a reload)."""

    kind: Literal["ready"] = "ready"


class Description(Model):
    """An SDP offer (always the console's) or answer (always the participant's)."""

    kind: Literal["offer", "answer"]
    sdp: Annotated[str, Field(min_length=1, max_length=MAX_SDP_LENGTH)]
    #: The console numbers its offers; the page's answer repeats the number, so an answer to
    #: an offer already replaced (two "ready"s in a row) is not applied to the new one.
    negotiation: Annotated[int, Field(ge=0, le=2**31)] | None = None


class Candidate(Model):
    """A trickled ICE candidate; an empty ``candidate`` means: no more candidates."""

    kind: Literal["candidate"] = "candidate"
    candidate: Annotated[str, Field(max_length=1000)]
    sdp_mid: Annotated[str, Field(max_length=64)] | None = None
    sdp_mline_index: Annotated[int, Field(ge=0, le=64)] | None = None


SignalPayload = Annotated[Ready | Description | Candidate, Field(discriminator="kind")]


class CitizenSignal(Model):
    """Participant to service (and service to participant): one step of the negotiation."""

    type: Literal["signal"] = "signal"
    payload: SignalPayload


class AdvisorSignal(Model):
    """Advisor to service (and service to advisor, naming the participant it came from)."""

    type: Literal["signal"] = "signal"
    participant_id: int
    payload: SignalPayload


class PeerSignal(Model):
    """One negotiation step between two participants of the same call (the mesh).

    To the service ``peer`` names the recipient, from the service the sender. The service
    relays it only while both are admitted into the same running call. Of each pair the one
    with the smaller participant id offers; the other sends ``ready`` (again after a reload or
    a failed connection) and answers.
    """

    type: Literal["peer_signal"] = "peer_signal"
    peer: int
    payload: SignalPayload


class RosterEntry(Model):
    participant_id: int
    name: str
    role: Role


class Roster(Model):
    """Service to participant: who else is in the call (not the advisor, not oneself).

    Sent when the call's participants change, and again after a reconnect."""

    type: Literal["roster"] = "roster"
    you: int
    peers: Annotated[list[RosterEntry], Field(max_length=MAX_GUESTS)]
    #: The advisor's name as the console signed in (empty when not known).
    advisor_name: str = ""


class Hangup(Model):
    """The participant ends the call ("Auflegen")."""

    type: Literal["hangup"] = "hangup"


class EndCall(Model):
    """The advisor ends the call for this participant (for a guest: "Entfernen")."""

    type: Literal["end_call"] = "end_call"
    participant_id: int
    #: Only this participant leaves a call that goes on; their page says the advisor ended
    #: their participation.
    remove: bool = False


class ToWaitingRoom(Model):
    """The advisor sends an admitted participant back to the waiting room (admit again later)."""

    type: Literal["to_waiting"] = "to_waiting"
    participant_id: int


#: Everyone in one call, the advisor included (a mesh: each pair connected directly).
MAX_CALL_PARTICIPANTS = 4


class CallEnded(Model):
    """Service to advisor: a participant's part of the call is over."""

    type: Literal["call_ended"] = "call_ended"
    participant_id: int
    #: ``returned``: the advisor sent the participant back to the waiting room.
    by: Literal["participant", "advisor", "timeout", "closed", "returned"]


class PeerPresence(Model):
    """Service to advisor: an admitted participant's socket dropped (or came back)."""

    type: Literal["presence"] = "presence"
    participant_id: int
    online: bool


CitizenMessage = Annotated[
    Hello | Enter | Leave | Ping | CitizenSignal | Hangup | PeerSignal, Field(discriminator="type")
]
AdvisorMessage = Annotated[
    Hello | Admit | SendNote | SendAway | Ping | AdvisorSignal | EndCall | ToWaitingRoom | HandOver,
    Field(discriminator="type"),
]


class RoomPhase(StrEnum):
    LOBBY = "lobby"  # signed in by link, not (yet) in the waiting room
    WAITING = "waiting"
    ADMITTED = "admitted"
    SENT_AWAY = "sent_away"
    REVOKED = "revoked"
    ENDED = "ended"  # the call is over; the participant may enter the waiting room again
    CLOSED = "closed"  # the appointment is over or cancelled


class RoomState(Model):
    """Server to citizen: where the citizen is now."""

    type: Literal["state"] = "state"
    phase: RoomPhase
    reason: str | None = None


class Note(Model):
    """Server to citizen: a short message of the advisor."""

    type: Literal["note"] = "note"
    text: str
    at: datetime


class WaitingSnapshot(Model):
    """Server to advisor: the whole waiting room (after hello and on resync)."""

    type: Literal["waiting"] = "waiting"
    entries: list[WaitingEntry]


class Arrived(Model):
    type: Literal["arrived"] = "arrived"
    entry: WaitingEntry


class EntryChanged(Model):
    type: Literal["changed"] = "changed"
    entry: WaitingEntry


class Departed(Model):
    type: Literal["departed"] = "departed"
    participant_id: int
    reason: Literal["left", "timeout", "admitted", "sent_away", "revoked", "closed", "handed_over"]


class ConsentRevoked(Model):
    type: Literal["consent_revoked"] = "consent_revoked"
    participant_id: int
    appointment_id: int


class SocketError(Model):
    """Either socket: a refused message; the state did not change.

    ``error`` is the stable code and ``details`` its parameters (as in :class:`ErrorReply`);
    ``message`` (German) and ``message_en`` are the service's words for it."""

    type: Literal["error"] = "error"
    error: str
    message: str
    message_en: str = ""
    details: dict[str, Any] = Field(default_factory=dict)


class TeamWaitingEntry(Model):
    """A citizen waiting for a colleague of one of the advisor's teams."""

    participant_id: int
    appointment_id: int
    name: str
    starts_at: datetime
    duration_min: int = 30
    waiting_since: datetime
    advisor_id: int
    advisor_name: str
    advisor_state: AdvisorState
    #: Whether this advisor may admit the citizen now (``core.teams.colleague_may_admit``).
    may_admit: bool
    #: The colleague's note of a handover (for the receiving advisor's team only).
    handover_note: str | None = None


class TeamWaiting(Model):
    """Server to advisor: the whole team waiting room (after hello and on every change),
    without the advisor's own citizens (those are in ``waiting``/``arrived``/…)."""

    type: Literal["team_waiting"] = "team_waiting"
    entries: list[TeamWaitingEntry]


class AdmittedByColleague(Model):
    """Server to the booked advisor: a colleague admitted one of their citizens."""

    type: Literal["admitted_by_colleague"] = "admitted_by_colleague"
    appointment_id: int
    participant_id: int
    colleague_name: str


class HandedToYou(Model):
    """Server to the colleague: a waiting citizen was handed to them (now in their own
    waiting room; the appointment belongs to them)."""

    type: Literal["handed_to_you"] = "handed_to_you"
    appointment_id: int
    participant_id: int
    from_name: str
    note: str = ""


class AppointmentsChanged(Model):
    """Server to advisor: appointments of theirs changed elsewhere; reload the schedule."""

    type: Literal["appointments_changed"] = "appointments_changed"


#: Everything the service sends on the advisor's socket.
AdvisorEvent = Annotated[
    WaitingSnapshot
    | Arrived
    | EntryChanged
    | Departed
    | ConsentRevoked
    | Pong
    | SocketError
    | AdvisorSignal
    | CallEnded
    | PeerPresence
    | TeamWaiting
    | AdmittedByColleague
    | HandedToYou
    | AppointmentsChanged,
    Field(discriminator="type"),
]


class SurveyOffer(Model):
    """Service to citizen, after the call: a one-time ticket for the anonymous survey.

    The service keeps only the ticket's digest, with no appointment and no person.
    """

    type: Literal["survey"] = "survey"
    ticket: str


class AdvisorStatus(Model):
    """Server to a waiting citizen: whether their advisor is still in another call.

    ``next``: this citizen is the first waiting for that advisor; ``minutes_left``: minutes
    (rounded up) to the scheduled end of the advisor's current appointment, None when not
    known or already past. Nothing about anyone else, no name."""

    type: Literal["advisor_status"] = "advisor_status"
    state: Literal["in_call", "available", "away"]
    next: bool = False
    minutes_left: int | None = None


class HandedOver(Model):
    """Server to a waiting citizen: a colleague of the advisor will take the consultation
    (the citizen keeps the place)."""

    type: Literal["handed_over"] = "handed_over"


#: Everything the service sends on a citizen's socket.
CitizenEvent = Annotated[
    RoomState
    | Note
    | Pong
    | SocketError
    | CitizenSignal
    | SurveyOffer
    | Roster
    | PeerSignal
    | AdvisorStatus
    | HandedOver,
    Field(discriminator="type"),
]


# --- legal texts (GET /api/legal/<doc>?lang=xx) -----------------------------------------------

#: The legal texts every deployment has; an agency's manifest may add further ones.
LEGAL_DOCUMENTS = (
    "requirements",
    "consent",
    "rights",
    "privacy",
    "imprint",
    "accessibility",
    "leichte-sprache",
)


class LegalText(Model):
    """One legal text in one language, rendered with the agency's settings."""

    doc: str
    #: The language of ``html``: the requested one, or the binding one when none exists.
    lang: str
    title: str
    #: Trusted HTML fragment (h2/h3, p, lists, links) from the legal folder; no script.
    html: str
    version: str
    binding_lang: str
    #: True when ``lang`` is not the binding language: only the binding text is legally valid.
    is_translation: bool


# --- barrier report (POST /legal/accessibility/feedback, the statement's form) ----------------

#: Longest barrier report, in characters (the form's ``maxlength``; longer is refused).
MAX_BARRIER_REPORT_LENGTH = 3000


def _report_text(raw: str) -> str:
    """A report as it is mailed: NFC, line breaks kept, other control characters dropped."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or not unicodedata.category(ch).startswith("C"))
    text = text.strip()
    if not text:
        raise ValueError("Bitte beschreiben Sie die Barriere.")
    if len(text) > MAX_BARRIER_REPORT_LENGTH:
        raise ValueError(
            f"Ihre Nachricht ist zu lang (höchstens {MAX_BARRIER_REPORT_LENGTH} Zeichen)."
        )
    return text


def _optional_line(value: str) -> str:
    return clean_text(value, max_length=200, what="Die Angabe")


class BarrierReport(Model):
    """A citizen's report of a barrier: plain text, mailed to the agency, stored nowhere."""

    message: Annotated[
        str, Field(max_length=4 * MAX_BARRIER_REPORT_LENGTH), AfterValidator(_report_text)
    ]
    #: Where the barrier was (a page, a step); optional.
    page: Annotated[str, Field(max_length=800), AfterValidator(_optional_line)] = ""
    #: Optional: for an answer.
    name: Annotated[str, Field(max_length=800), AfterValidator(_optional_line)] = ""
    email: Email = None
    #: The language the page was read in.
    lang: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")] = "de"


# --- call: ICE servers (GET /api/ice, GET /api/citizen/<token>/ice) -------------------------


class IceServer(Model):
    """One STUN or TURN server as ``RTCPeerConnection`` takes it."""

    urls: list[str]
    username: str | None = None
    credential: str | None = None


class IceConfig(Model):
    """The ICE servers of a call; TURN credentials expire at ``expires_at``."""

    ice_servers: list[IceServer] = Field(default_factory=list)
    ice_transport_policy: Literal["all", "relay"] = "all"
    expires_at: datetime | None = None


# --- call: the data channel (console and participant's browser, peer to peer) ----------------

#: Longest chat message, in characters.
MAX_CHAT_LENGTH = 2000
#: Label of the one data channel the console opens with every participant.
CHANNEL_LABEL = "call"


def clean_chat_text(raw: str) -> str:
    """A chat text as it is sent and shown: NFC, line breaks kept, other control characters
    dropped, blank lines at the ends removed; empty or too long is an error."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or not unicodedata.category(ch).startswith("C"))
    text = text.strip()
    if not text:
        raise ValueError("Die Nachricht ist leer.")
    if len(text) > MAX_CHAT_LENGTH:
        raise ValueError(f"Die Nachricht ist zu lang (höchstens {MAX_CHAT_LENGTH} Zeichen).")
    return text


class ChatSender(Model):
    """Who wrote a chat line the console passes on in a group call (name as typed: text)."""

    name: Annotated[str, Field(max_length=1000)]
    role: Role


class ChatMessage(Model):
    """A chat line; only the people in the call see it, nothing stores it.

    In a group call the console passes each participant's line on to the others with
    ``sender`` set; a line a participant sends with ``sender`` set has it removed first (a
    page cannot write in somebody else's name)."""

    type: Literal["chat"] = "chat"
    id: Annotated[str, Field(min_length=1, max_length=64)]
    text: Annotated[str, Field(max_length=4 * MAX_CHAT_LENGTH), AfterValidator(clean_chat_text)]
    at: AwareDatetime
    sender: ChatSender | None = None


class MediaState(Model):
    """What the sender transmits right now, so the other side can say "Kamera aus"."""

    type: Literal["media"] = "media"
    camera: bool
    microphone: bool


class ScreenShare(Model):
    """What the sender's screen transceiver carries: a shared screen (``active``) or nothing.

    The console's offer has two video transceivers, the camera first and the screen second;
    ``mid`` names the one that carries the screen, so each side routes the received tracks by
    the transceiver they arrive on, never by their order of arrival.
    """

    type: Literal["screen"] = "screen"
    active: bool
    mid: Annotated[str, Field(min_length=1, max_length=16)] | None = None


class Alive(Model):
    """Sent every second by both ends; silence for a few seconds means the peer is gone."""

    type: Literal["alive"] = "alive"
    seq: Annotated[int, Field(ge=0)] = 0


class Bye(Model):
    """The sender hangs up now (the service is told as well)."""

    type: Literal["bye"] = "bye"


class IdCheckStep(Model):
    """Console to participant: show the ID-check instruction for this step."""

    type: Literal["idcheck"] = "idcheck"
    step: Literal["front", "back", "done", "cancelled"]


class VideoPause(Model):
    """Console to participant: its camera video is paused while the connection is too weak
    (``weak``) or because the advisor chose audio only (``chosen``); None: sent again."""

    type: Literal["video_pause"] = "video_pause"
    reason: Literal["weak", "chosen"] | None = None


ChannelMessage = Annotated[
    ChatMessage | MediaState | ScreenShare | Alive | Bye | IdCheckStep | VideoPause,
    Field(discriminator="type"),
]

# --- ID check (POST /api/appointments/<id>/identity) ------------------------------------------


class IdentityOutcome(StrEnum):
    VERIFIED = "verified"  # "Identität geprüft"
    NOT_VERIFIED = "not_verified"  # "nicht geprüft"


class IdentityDocument(StrEnum):
    ID_CARD = "id_card"
    PASSPORT = "passport"
    OTHER = "other"


class IdentityIn(Model):
    """What the console records after an ID check. Deliberately nothing from the document."""

    outcome: IdentityOutcome
    document_type: IdentityDocument


class IdentityOut(Model):
    outcome: IdentityOutcome
    document_type: IdentityDocument
    advisor_id: int
    advisor_name: str
    checked_at: datetime


# --- survey and anonymous statistics -----------------------------------------------------

#: A survey ticket: 32 random bytes, URL-safe base64 without padding (43 characters).
SURVEY_TICKET_PATTERN = r"^[A-Za-z0-9_-]{43}$"


class UseAgain(StrEnum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


Rating = Annotated[int, Field(ge=1, le=5)]


class SurveyIn(Model):
    """The three answers (5 = best); any of them may stay unanswered, but not all."""

    ticket: Annotated[str, Field(pattern=SURVEY_TICKET_PATTERN)]
    satisfaction: Rating | None = None
    av_quality: Rating | None = None
    use_again: UseAgain | None = None

    @model_validator(mode="after")
    def _something_answered(self) -> SurveyIn:
        if self.satisfaction is None and self.av_quality is None and self.use_again is None:
            raise RuleViolation(
                RuleCode.SURVEY_EMPTY,
                "Bitte beantworten Sie mindestens eine Frage oder wählen Sie „Überspringen“.",
            )
        return self


class SurveyThanks(Model):
    message: str
    message_en: str


Seconds = Annotated[int, Field(ge=0, le=24 * 3600)]


class QualitySeconds(Model):
    """Seconds of a call per quality label (gut / mittel / schlecht)."""

    good: Seconds = 0
    fair: Seconds = 0
    poor: Seconds = 0


class CallReportIn(Model):
    """Console to service when a call ends: how long it took and how the connection was."""

    participant_ids: Annotated[list[int], Field(min_length=1, max_length=MAX_GUESTS + 1)]
    duration_s: Seconds
    quality_s: QualitySeconds


class CallReportOut(Model):
    #: Appointments whose figures the report added to (0: none of them had a call).
    appointments: int


class SurveyFigures(Model):
    responses: int = 0
    #: Counts of the answers 1 … 5 (index 0 is "1 = sehr unzufrieden").
    satisfaction: list[int] = Field(default_factory=lambda: [0] * 5)
    av_quality: list[int] = Field(default_factory=lambda: [0] * 5)
    use_again_yes: int = 0
    use_again_no: int = 0
    use_again_unsure: int = 0

    @staticmethod
    def _average(counts: list[int]) -> float | None:
        total = sum(counts)
        return sum((i + 1) * n for i, n in enumerate(counts)) / total if total else None

    @property
    def satisfaction_avg(self) -> float | None:
        return self._average(self.satisfaction)

    @property
    def av_quality_avg(self) -> float | None:
        return self._average(self.av_quality)


class PeriodFigures(Model):
    """One week or month of anonymous figures."""

    key: str  # "2026-W48" or "2026-11"
    starts_on: date
    held: int = 0
    no_show: int = 0
    #: Average length of the held calls the console reported, in minutes.
    avg_duration_min: float | None = None
    quality_s: QualitySeconds = QualitySeconds()
    survey: SurveyFigures = SurveyFigures()


class StatisticsOut(Model):
    period: PeriodKind
    periods: list[PeriodFigures]


AppointmentOut.model_rebuild()
MemberRemovedOut.model_rebuild()


# --- the site's values (first run, settings page) -----------------------------------------


class SiteSettingsOut(Model):
    """The values the service uses for citizens' pages and mails (``GET /api/settings``).

    ``embedded``: the console's own service, which its settings page changes; otherwise the
    IT administrator changes them in the service's configuration.
    """

    organisation: str
    support_phone: str
    support_hours: str
    retention_days: int
    #: None: the bundled templates (``resources/legal``).
    legal_dir: str | None
    embedded: bool
    advisor_name: str
