"""What the console sends, decided from what the link reports: the send-side controller.

Pure and fast (no aiortc, no clock of its own): :meth:`SendController.update` takes one
:class:`LinkSample` – the receiver's bandwidth estimate (REMB), the loss and round trip of the
receiver reports, the pacer's backlog – and returns a :class:`SendPlan`: the camera's step on
the ladder 720p → 540p → 360p → 180p → off, its frame rate and bitrate, the screen share's
frame rate and bitrate (its resolution never changes: text must stay legible), and the Opus
settings. Audio is protected first: its bitrate is reserved before video gets any, and video
steps down, then off, before audio would have to.

The estimate is our own, built the way WebRTC's send-side controller reasons (loss above 10 %
cuts it, 2–10 % holds it, below 2 % lets it grow; a round trip well above the link's quiet
round trip means a queue is building and cuts it) and capped by a *falling* REMB: Chromium's
REMB towards aiortc starts low and climbs slowly, so a rising REMB is no limit, a falling one
is the receiver seeing congestion – when it is near what is sent (Chromium's answer to
congestion is 0.85 × what it receives; a REMB far below what arrives without loss or delay is
its slow climb, seen at 200 kbit/s while a LAN carried 1.5 Mbit/s). Until the first sign of
congestion the estimate grows fast (slow start), so a LAN call reaches 720p within seconds;
after that it grows by 8 % a second, and slowly near the rate that last met congestion.
Steps go up only after the budget has held a margin above the next step's floor for a while
(longer after a step up that did not hold), and down at once.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Step:
    """One rung of the camera's ladder: a picture height, its frame rate and bitrate range."""

    name: str
    height: int
    fps: int
    #: Below this video budget the step is not sent (kbit/s).
    min_kbps: int
    #: More than this buys nothing visible at this size.
    max_kbps: int
    #: Below this bitrate the step is sent at ``low_fps`` (bigger frames, sharper each).
    full_fps_kbps: int
    low_fps: int


#: The camera's ladder, lowest first. 180p is the floor below aiortc's 250 kbit/s clamp.
LADDER: tuple[Step, ...] = (
    Step("180p", 180, 24, 70, 220, 110, 15),
    Step("360p", 360, 30, 260, 700, 350, 25),
    Step("540p", 540, 30, 650, 1100, 800, 25),
    Step("720p", 720, 30, 1050, 1500, 1200, 25),
)
#: Where a call starts before the link has said anything (never 720p blind): 360p at about
#: what a 400 kbit/s mobile link carries (600 overfilled it for the first seconds, before
#: any report); slow start still brings a LAN to 720p within a few seconds.
START_STEP = 1
START_KBPS = 350.0
MAX_KBPS = 2500.0

#: Opus: the bitrate reserved for speech (kbit/s), and below which total it is lowered.
AUDIO_KBPS = 32
AUDIO_LOW_KBPS = 20
AUDIO_LOW_BELOW_KBPS = 150.0
#: RTP/UDP/SRTP headers and retransmissions take about this share of the estimate.
OVERHEAD = 0.12

#: Loss (fraction) above which the estimate is cut, and below which (smoothed over reports)
#: it may grow: WebRTC's 2 %, plus room for the spread of reports on 40–100 packets.
LOSS_CUT = 0.10
LOSS_GROW = 0.025
#: Loss at which video goes off for as long as it lasts (audio keeps what the link has).
LOSS_OFF = 0.20
#: A round trip this much (ms) above the quiet one (or half the quiet one, if more) means a
#: queue is building. The round trip is the shortest of the last :data:`RTT_WINDOW_S`: single
#: reports are late by whatever delays either side's event loop (hundreds of ms on a loaded
#: machine), a queue delays all. A mobile link's queue holds a few hundred ms and drops the
#: rest: a threshold above that (it was max(300 ms, the quiet round trip)) never fires.
RTT_QUEUE_MS = 200.0
RTT_WINDOW_S = 2.0
#: A round trip grows with a queue on either way. While the way to the citizen loses less
#: than :data:`LOSS_GROW` and the receiver's REMB (delay-based, that way alone) is fresh and
#: has not fallen for :data:`REMB_FRESH_S`, the longer round trip is the way back (a citizen's
#: saturated upload delaying the reports): no cut. Without it a 100 kbit/s upload paused the
#: console's video on a 1.5 Mbit/s downlink. A lossy way keeps the round-trip rule: on poor 3G
#: Chromium's REMB did not fall while the console's 360p filled the 300-ms queue.
#: The pacer holding more than this (ms) means video is sent faster than it drains.
BACKLOG_MS = 500.0

#: Growth per second before (slow start) and after the first congestion.
SLOW_START_GROWTH = 1.8
GROWTH = 1.08
#: Near the rate at which the link last showed congestion, growth is this (kbit/s per s),
#: and that rate is forgotten after this long (s) without congestion.
NEAR_CAPACITY_KBPS_S = 15.0
CAPACITY_FORGET_S = 30.0
#: While the link has shown congestion within this long (s) – smoothed loss at or above
#: :data:`LOSS_GROW`, a queue, a cut – the receiver's REMB caps the estimate: it is Chromium's
#: delay-based estimate (GCC sends min(delay-based, loss-based)). Without it a 5 % random loss
#: held the estimate (2.5–10 %: hold) above a 400 kbit/s link whose REMB said 150–250.
CONGESTED_S = 10.0
#: A REMB older than this (s) caps nothing (Chromium sends one at least every second).
REMB_FRESH_S = 3.0
#: Loss the link has of its own (Wi-Fi, radio), not a queue's: while the delay-based signs say
#: nothing of congestion for this long (s) – no queue in the round trip, no pacer backlog, no
#: falling REMB, the REMB fresh and not below what is sent – loss below :data:`LOSS_CUT`
#: neither holds the estimate nor blocks a step up (libwebrtc's newer loss-based estimator
#: learns such "inherent" loss). Without it 5 % random loss on a 4 Mbit/s Wi-Fi held the
#: console at 180p, 185 kbit/s, for the whole call (the 2.5–10 % "hold").
INHERENT_LOSS_CALM_S = 10.0
#: The REMB caps only when it is below this share of what the console really sends: Chromium
#: answers overuse with 0.85 × what arrives, and otherwise lets its REMB rise to no more than
#: 1.5 × what arrives – so a REMB above what is sent says nothing about the link. Capped by
#: such a REMB the console (whose encoder sends less than its target on a still picture) went
#: down and down: 180p at 220 kbit/s on a 1.5 Mbit/s 3G link.
REMB_BINDING = 0.95
#: A REMB below this share of the video it measures is no answer to congestion (Chromium
#: answers a queue with 0.85 × what arrives) but its first climb, which sometimes starts at
#: 65–90 kbit/s: it caps nothing. Capped by it, 3G's 720p at 1.35 Mbit/s fell to 180p at
#: 100 kbit/s the moment the smoothed loss touched 2.5 %.
REMB_CREDIBLE = 0.5
#: A cut at most this often (s): the reports that caused one still arrive for a round trip.
CUT_EVERY_S = 1.0
#: A step up needs the budget this far above the next floor, held this long (s).
UP_MARGIN = 1.15
UP_HOLD_S = 5.0
UP_HOLD_MAX_S = 20.0
#: A step down this soon (s) after a step up marks the step up as failed (hold doubles).
FAILED_UP_S = 10.0
#: Video off: try 180p again after this long (s), doubling while it keeps failing.
OFF_HOLD_S = 6.0
#: The camera's encoder busy more than this share of each frame's interval, twice in a row,
#: means the console's CPU cannot keep the step (WebRTC's CPU adaptation): one step down, for
#: at least :data:`CPU_HOLD_S`; below :data:`CPU_CALM` for that long, one step up is allowed.
CPU_BUSY = 0.85
CPU_CALM = 0.45
CPU_HOLD_S = 15.0
#: The encoder's bitrate is changed (a new key frame) only by this much, at most this often.
RETARGET = 0.25
RETARGET_EVERY_S = 4.0

#: The screen share: frame rate by video budget (kbit/s), bitrate share and range.
SHARE_FPS: tuple[tuple[float, int], ...] = ((450.0, 10), (250.0, 5), (0.0, 2))
SHARE_PART = 0.6
SHARE_MIN_KBPS = 100
SHARE_MAX_KBPS = 1000


class Pause(StrEnum):
    """Why the camera is not sent although it is on."""

    WEAK = "weak"  # the link cannot carry the lowest step
    CHOSEN = "chosen"  # the advisor chose "Nur Ton"


@dataclass(frozen=True, slots=True)
class LinkSample:
    """What the link reported since the last sample."""

    at: float
    #: The receiver's REMB (kbit/s), if it sent one.
    remb_kbps: float | None = None
    #: Loss fraction (0–1) of the receiver reports, None when none arrived.
    loss: float | None = None
    #: Round trip (ms) of the newest receiver report.
    rtt_ms: float | None = None
    #: How long (ms) the pacer's queue takes to drain.
    backlog_ms: float = 0.0
    #: The camera encoder's share of each frame interval spent encoding (CPU), if known.
    encode_load: float | None = None
    #: What the console really sent since the last sample (kbit/s, all packets), if known.
    sent_kbps: float | None = None
    #: Of that, what the receiver's REMB estimator counts (kbit/s): the video packets and their
    #: retransmissions, which carry abs-send-time (audio does not), if known.
    remb_scope_kbps: float | None = None


@dataclass(frozen=True, slots=True)
class VideoTarget:
    height: int
    fps: int
    kbps: int
    step: str


@dataclass(frozen=True, slots=True)
class AudioTarget:
    kbps: int
    #: The loss (%) the Opus encoder protects against with in-band FEC.
    loss_pct: int


@dataclass(frozen=True, slots=True)
class SendPlan:
    """What to send now; ``camera`` is None while paused (see ``pause``)."""

    camera: VideoTarget | None
    share: VideoTarget | None
    audio: AudioTarget
    pause: Pause | None
    estimate_kbps: float


def _loss_pct(loss: float) -> int:
    """A loss bracket for Opus (changed rarely: a new setting means a new encoder)."""
    pct = 100.0 * loss
    for bracket in (5, 10, 20):
        if pct < bracket:
            return bracket
    return 30


@dataclass
class SendController:
    """The state machine; feed it a :class:`LinkSample` every half second or so."""

    sharing: bool = False
    audio_only: bool = False
    #: Step down while the encoder cannot keep up. Off by default for now: on the shared
    #: 2-core test machine (load 20-45) it held the picture at 180p, and the call tests and
    #: ``make bench-call`` expect 720p; to be switched on once measured on advisor PCs.
    cpu_adaptation: bool = False
    estimate_kbps: float = START_KBPS
    step: int | None = START_STEP
    slow_start: bool = True
    _min_rtt: float | None = None
    _last_rtt: float | None = None
    _rtts: deque[tuple[float, float]] = field(default_factory=deque)
    #: What was sent when the link last showed congestion (kbit/s): near it, grow slowly.
    _capacity: float | None = None
    _capacity_at: float = -1e9
    _last_remb: float | None = None
    _remb_at: float = -1e9
    _remb_fell_at: float = -1e9
    #: What the console really sends (kbit/s, smoothed), None before it is known.
    _actual_kbps: float | None = None
    #: What the REMB measures of it (video and its retransmissions, smoothed), None: unknown.
    _remb_scope_kbps: float | None = None
    _congested_at: float = -1e9
    #: When the delay-based signs (queue, backlog, falling REMB) last said congestion.
    _delayed_at: float = -1e9
    _delayed_kbps: float = MAX_KBPS
    #: Loss below the cut is the link's own, not congestion (see :data:`INHERENT_LOSS_CALM_S`).
    _inherent_loss: bool = False
    _last_at: float | None = None
    _last_cut: float = -1e9
    _changed_at: float = -1e9
    _up_at: float = -1e9
    _up_hold: float = UP_HOLD_S
    _off_hold: float = OFF_HOLD_S
    _off_since: float | None = None
    _heavy: int = 0
    #: The highest step the CPU keeps (None: no limit seen), when set, how often it was busy.
    _cpu_cap: int | None = None
    _cpu_at: float = -1e9
    _cpu_busy: int = 0
    _above_since: float | None = None
    _kbps: int | None = None
    _retarget_at: float = -1e9
    _loss: float = 0.0
    _loss_known: bool = False
    _audio: AudioTarget = field(default_factory=lambda: AudioTarget(AUDIO_KBPS, 5))
    plan: SendPlan | None = None

    # --- the estimate ---------------------------------------------------------------------

    def _estimate(self, s: LinkSample) -> None:
        # Growth covers the time since it was last judged (reports come every second or so).
        dt = 0.0 if self._last_at is None else max(0.0, min(s.at - self._last_at, 2.0))
        if s.loss is not None:
            self._loss = 0.5 * self._loss + 0.5 * s.loss
            self._loss_known = True
        rtt: float | None = None
        if s.rtt_ms is not None:
            self._min_rtt = s.rtt_ms if self._min_rtt is None else min(self._min_rtt, s.rtt_ms)
            self._rtts.append((s.at, s.rtt_ms))
            while self._rtts and s.at - self._rtts[0][0] > RTT_WINDOW_S:
                self._rtts.popleft()
            if len(self._rtts) >= 2:  # one report alone may be a stalled event loop's
                rtt = min(r for _at, r in self._rtts)
        # A queue that is building (a long round trip, not shrinking); one that drains after
        # a cut is left to drain.
        queued = (
            rtt is not None
            and self._min_rtt is not None
            and rtt > self._min_rtt + max(RTT_QUEUE_MS, 0.5 * self._min_rtt)
            and (self._last_rtt is None or rtt > 0.9 * self._last_rtt)
            and not self._forward_has_room(s)
        )
        if rtt is not None:
            self._last_rtt = rtt
        remb_falling = (
            s.remb_kbps is not None
            and self._last_remb is not None
            and s.remb_kbps < 0.95 * self._last_remb
            and 0.5 * self._in_remb_scope() < s.remb_kbps < 0.9 * self._in_remb_scope()
        )
        if s.remb_kbps is not None:
            if self._last_remb is not None and s.remb_kbps < 0.95 * self._last_remb:
                self._remb_fell_at = s.at
            self._last_remb = s.remb_kbps
            self._remb_at = s.at
        if s.sent_kbps is not None:
            old = self._actual_kbps
            self._actual_kbps = s.sent_kbps if old is None else 0.6 * old + 0.4 * s.sent_kbps
        if s.remb_scope_kbps is not None:
            old = self._remb_scope_kbps
            new = s.remb_scope_kbps
            self._remb_scope_kbps = new if old is None else 0.6 * old + 0.4 * new
        loss = s.loss if s.loss is not None else 0.0
        cut: float | None = None
        if loss > LOSS_CUT:
            cut = self.estimate_kbps * (1.0 - 0.5 * loss)
        if queued or s.backlog_ms > BACKLOG_MS:
            sent = self._sent_kbps()
            cut = min(cut or self.estimate_kbps, 0.85 * min(self.estimate_kbps, sent))
        if remb_falling and s.remb_kbps is not None:
            cut = min(cut or self.estimate_kbps, self._allowed_by_remb(s.remb_kbps))
        if cut is not None or queued or self._loss >= LOSS_GROW:
            self._congested_at = s.at
        if queued or s.backlog_ms > BACKLOG_MS or remb_falling:
            self._delayed_at = s.at
            self._delayed_kbps = self._sent_kbps()
        elif self._delayed_at < 0:  # the call's first sample: nothing is known yet
            self._delayed_at = s.at
            self._delayed_kbps = MAX_KBPS
        self._inherent_loss = self._loss_is_inherent(s.at)
        if self.slow_start and s.loss is not None and s.loss >= LOSS_GROW:
            # Slow start ends at the first loss, as TCP's: on a 400 kbit/s link it had
            # doubled to 720p (1.5 Mbit/s) within 3 s before the smoothed loss said anything.
            self.slow_start = False
            self._congested_at = s.at
        if cut is not None:
            self._last_at = s.at
            if s.at - self._last_cut >= CUT_EVERY_S:
                self.estimate_kbps = max(cut, 30.0)
                self._last_cut = s.at
                self.slow_start = False
                self._capacity = self._sent_kbps()
                self._capacity_at = s.at
            self._cap_by_remb(s.at)
            return
        self._grow(s, dt)
        self._cap_by_remb(s.at)

    def _forward_has_room(self, s: LinkSample) -> bool:
        """The way to the citizen shows no congestion: it loses (almost) nothing, and the
        receiver's REMB is fresh and has not fallen for a while (Chromium answers a queue it
        sees building with 0.85 × what arrives), while enough video is sent for the REMB to
        measure anything. A REMB still climbing slowly below what is sent counts as room."""
        remb = s.remb_kbps if s.remb_kbps is not None else self._fresh_remb(s.at)
        return (
            remb is not None
            and s.at - self._remb_fell_at >= REMB_FRESH_S
            and self._loss < LOSS_GROW
            and self._in_remb_scope() >= LADDER[0].min_kbps
        )

    def _loss_is_inherent(self, now: float) -> bool:
        """Loss, but below the cut, and the delay-based signs calm for a while: the link's own."""
        remb = self._fresh_remb(now)
        return (
            self._loss_known
            and self._loss < LOSS_CUT
            and now - self._delayed_at >= INHERENT_LOSS_CALM_S
            and remb is not None
            and remb >= REMB_BINDING * self._in_remb_scope()
        )

    def _fresh_remb(self, now: float) -> float | None:
        """The last REMB, unless it is older than :data:`REMB_FRESH_S`."""
        return self._last_remb if now - self._remb_at < REMB_FRESH_S else None

    def _in_remb_scope(self) -> float:
        """What the REMB measures of what is sent (kbit/s): video with its headers and
        retransmissions. A REMB compared with everything sent (audio, RTCP too) looked binding
        while the receiver saw room: on lossy Wi-Fi it held the picture at 180p."""
        if self._remb_scope_kbps is not None:
            return self._remb_scope_kbps
        actual = self._actual_kbps if self._actual_kbps is not None else self._sent_kbps()
        return max(actual - self._audio.kbps / (1.0 - OVERHEAD), 0.0)

    def _allowed_by_remb(self, remb: float) -> float:
        """The estimate (audio and overhead included) at which video sends what the REMB says."""
        return remb + self._audio.kbps / (1.0 - OVERHEAD)

    def _cap_by_remb(self, now: float) -> None:
        """On a congested link the receiver's (delay-based) REMB is the limit when it is below
        what the console sends (:data:`REMB_BINDING`) – down to what the lowest step needs:
        REMB never rises above 1.5 × what arrives, so it cannot tell when paused video could
        return; loss and the queue pause it."""
        remb = self._fresh_remb(now)
        scope = self._in_remb_scope()
        if (
            remb is None
            or now - self._congested_at >= CONGESTED_S
            or not REMB_CREDIBLE * scope <= remb < REMB_BINDING * scope
        ):
            return
        cap = max(self._allowed_by_remb(remb), self._lowest_need())
        if self.estimate_kbps > cap:
            self.estimate_kbps = cap
            self.slow_start = False

    def _lowest_need(self) -> float:
        """The estimate at which the lowest step fits."""
        return (LADDER[0].min_kbps + self._audio.kbps) / (1.0 - OVERHEAD)

    def _grow(self, s: LinkSample, dt: float) -> None:
        if s.at - self._capacity_at > CAPACITY_FORGET_S or (
            self._capacity is not None and self.estimate_kbps > 1.3 * self._capacity
        ):
            self._capacity = None  # long ago, or the old bottleneck is passed
        if s.loss is None:
            if self._last_at is None:
                self._last_at = s.at
            return  # nothing new to judge by: growth waits for the next report
        self._last_at = s.at
        calm = self._loss < LOSS_GROW or self._inherent_loss
        if calm and s.at - self._last_cut >= CUT_EVERY_S:
            if self.slow_start:
                grown = self.estimate_kbps * SLOW_START_GROWTH**dt
            elif self._capacity is not None and self.estimate_kbps > 0.8 * self._capacity:
                grown = self.estimate_kbps + NEAR_CAPACITY_KBPS_S * dt
            else:
                grown = self.estimate_kbps * GROWTH**dt + 10.0 * dt
            # The link says nothing about rates far above what is sent (video off: nothing).
            # Up to what the next step needs, so that the step up probes the link.
            factor = 2.0 if self.slow_start else 1.5
            ceiling = max(factor * self._sent_kbps(), self._next_need() * UP_MARGIN)
            if self._loss >= LOSS_GROW and s.at - self._delayed_at < CAPACITY_FORGET_S:
                # Growing through the link's own loss: not past where a queue last built.
                ceiling = min(ceiling, max(self.estimate_kbps, 0.9 * self._delayed_kbps))
            self.estimate_kbps = min(max(self.estimate_kbps, min(grown, ceiling)), MAX_KBPS)

    def _next_need(self) -> float:
        """The estimate at which the next step up fits."""
        nxt = 0 if self.step is None else min(self.step + 1, len(LADDER) - 1)
        share = self.plan.share.kbps if self.plan and self.plan.share else 0
        return (LADDER[nxt].min_kbps + share + self._audio.kbps) / (1.0 - OVERHEAD)

    def _sent_kbps(self) -> float:
        video = self._kbps or 0
        share = self.plan.share.kbps if self.plan and self.plan.share else 0
        return float(video + share + self._audio.kbps)

    # --- the ladder -----------------------------------------------------------------------

    def _video_budget(self) -> float:
        return self.estimate_kbps * (1.0 - OVERHEAD) - self._audio.kbps

    def _share_target(self, budget: float) -> VideoTarget | None:
        if not self.sharing:
            return None
        kbps = int(max(SHARE_MIN_KBPS, min(SHARE_PART * budget, SHARE_MAX_KBPS)))
        fps = next(f for floor, f in SHARE_FPS if budget >= floor)
        return VideoTarget(height=0, fps=fps, kbps=kbps, step="share")

    def _fitting(self, budget: float) -> int | None:
        fitting = [i for i, step in enumerate(LADDER) if step.min_kbps <= budget]
        if not fitting:
            return None
        cap = len(LADDER) - 1 if self._cpu_cap is None else self._cpu_cap
        return min(fitting[-1], cap)

    def _cpu(self, s: LinkSample) -> None:
        """Lower the highest step while the encoder cannot keep up; raise it when calm."""
        load = s.encode_load
        if load is None or self.step is None or not self.cpu_adaptation:
            return
        self._cpu_busy = self._cpu_busy + 1 if load > CPU_BUSY else 0
        if self._cpu_busy >= 2 and self.step > 0 and s.at - self._cpu_at >= 2.0:
            self._cpu_cap = self.step - 1
            self._cpu_at = s.at
            self._cpu_busy = 0
        elif self._cpu_cap is not None and load < CPU_CALM and s.at - self._cpu_at >= CPU_HOLD_S:
            self._cpu_cap = self._cpu_cap + 1 if self._cpu_cap + 2 < len(LADDER) else None
            self._cpu_at = s.at

    def _choose(self, s: LinkSample, budget: float) -> None:
        now = s.at
        loss = s.loss if s.loss is not None else 0.0
        self._heavy = self._heavy + 1 if loss > LOSS_OFF else 0
        fit = self._fitting(budget)
        current = self.step
        if self._heavy >= 2:  # heavy loss: the lowest step first, then off
            fit = None if current is None or current == 0 else 0
        if current is None:
            # Paused, the receiver reports little (no video, no report on it): after the hold,
            # without fresh signs of congestion, the lowest step is tried again.
            if now - (self._off_since or now) < self._off_hold:
                return
            if loss >= LOSS_CUT or self._heavy or now - self._last_cut < CUT_EVERY_S * 2:
                return
            self._set_step(0, now)  # a careful try at the lowest step
            self.estimate_kbps = max(self.estimate_kbps, self._lowest_need() * UP_MARGIN)
            return
        if fit is None or fit < current:
            if now - self._up_at < FAILED_UP_S:
                self._up_hold = min(self._up_hold * 2, UP_HOLD_MAX_S)
            if fit is None:
                if self._off_since is not None and now - self._off_since < FAILED_UP_S * 3:
                    self._off_hold = min(self._off_hold * 2, UP_HOLD_MAX_S)
                self._off_since = now
            self._set_step(fit, now)
            return
        if current + 1 >= len(LADDER) or (self._cpu_cap is not None and current >= self._cpu_cap):
            self._above_since = None
            return
        nxt = LADDER[current + 1]
        too_lossy = loss >= (LOSS_CUT if self._inherent_loss else LOSS_GROW * 2)
        if budget < nxt.min_kbps * UP_MARGIN or too_lossy:
            self._above_since = None
            return
        if self._above_since is None:
            self._above_since = now
        hold = 0.0 if self.slow_start else self._up_hold
        if now - self._above_since >= hold and now - self._changed_at >= 1.0:
            self._set_step(current + 1, now)
            self._up_at = now

    def _set_step(self, step: int | None, now: float) -> None:
        self.step = step
        self._changed_at = now
        self._above_since = None
        self._kbps = None  # a new step: a new encoder anyway
        if step is not None and now - self._off_since_or_never() > FAILED_UP_S * 3:
            self._off_hold = OFF_HOLD_S

    def _off_since_or_never(self) -> float:
        return self._off_since if self._off_since is not None else -1e9

    def _bitrate(self, now: float, budget: float, share: VideoTarget | None) -> int | None:
        if self.step is None:
            return None
        step = LADDER[self.step]
        left = budget - (share.kbps if share else 0)
        wanted = int(max(step.min_kbps, min(left, step.max_kbps)))
        old = self._kbps
        since = now - self._retarget_at
        due = since >= RETARGET_EVERY_S or (old is not None and wanted < old and since >= 1.0)
        if old is None or (abs(wanted - old) / old >= RETARGET and due):
            self._kbps = wanted
            self._retarget_at = now
        return self._kbps

    def _audio_target(self) -> AudioTarget:
        weak = self.step is None and not self.audio_only
        low = weak or self.estimate_kbps < AUDIO_LOW_BELOW_KBPS
        kbps = AUDIO_LOW_KBPS if low else AUDIO_KBPS
        pct = _loss_pct(self._loss)
        old = self._audio
        if pct < old.loss_pct and 100.0 * self._loss > 0.6 * old.loss_pct:
            pct = old.loss_pct  # hysteresis: keep the protection until loss is well below it
        return AudioTarget(kbps, pct)

    # --- one sample in, one plan out ------------------------------------------------------

    def update(self, sample: LinkSample) -> SendPlan:
        """The plan after ``sample``."""
        self._estimate(sample)
        self._audio = self._audio_target()
        budget = self._video_budget()
        share = self._share_target(budget)
        camera_budget = budget - (share.kbps if share else 0)
        self._cpu(sample)
        self._choose(sample, camera_budget)
        kbps = self._bitrate(sample.at, budget, share)
        camera: VideoTarget | None = None
        if self.step is not None and kbps is not None and not self.audio_only:
            step = LADDER[self.step]
            fps = step.fps if kbps >= step.full_fps_kbps else step.low_fps
            camera = VideoTarget(step.height, fps, kbps, step.name)
        pause = Pause.CHOSEN if self.audio_only else (Pause.WEAK if self.step is None else None)
        self.plan = SendPlan(camera, share, self._audio, pause, self.estimate_kbps)
        return self.plan

    @property
    def loss(self) -> float | None:
        """The loss the reports said, smoothed (0–1); None before the first report."""
        return self._loss if self._loss_known else None

    def rtt_high_ms(self) -> float | None:
        """The longest round trip of the last :data:`RTT_WINDOW_S` of reports: what a
        retransmission may take while the queues on the way vary."""
        return max((r for _at, r in self._rtts), default=self._last_rtt)

    def choose_audio_only(self, on: bool) -> None:
        """The advisor's "Nur Ton": the camera is not sent until they switch it back."""
        self.audio_only = on

    def with_sharing(self, sharing: bool) -> None:
        self.sharing = sharing


__all__ = [
    "LADDER",
    "AudioTarget",
    "LinkSample",
    "Pause",
    "SendController",
    "SendPlan",
    "Step",
    "VideoTarget",
]
