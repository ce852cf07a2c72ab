"""WebRTC's audio processing (livekit's APM) really removes the echo of what was played."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from advisor_app.client.media import AudioProcessing
from advisor_app.client.media.processing import BLOCK, SAMPLE_RATE

pytestmark = pytest.mark.unit

SECONDS = 10
Signal = npt.NDArray[np.float64]


def _speech_like(seed: int, syllables_hz: float) -> Signal:
    """Noise in bursts: broadband like a voice, not a steady tone (which noise suppression eats)."""
    t = np.arange(SAMPLE_RATE * SECONDS) / SAMPLE_RATE
    envelope = np.clip(np.sin(2 * np.pi * syllables_hz * t), 0, None) ** 2
    return np.random.default_rng(seed).standard_normal(len(t)) * 0.15 * envelope


FAR = _speech_like(1, 1.7)  # the citizen, played by the speaker
DELAY = int(0.04 * SAMPLE_RATE)
ECHO = np.concatenate((np.zeros(DELAY), 0.4 * FAR[:-DELAY]))  # what the microphone hears back
VOICE = _speech_like(2, 1.1)
VOICE[: 6 * SAMPLE_RATE] = 0  # the advisor speaks in the last four seconds only


def _process(apm: AudioProcessing, mic: Signal, *, reference: bool) -> Signal:
    apm.set_render_delay(0.04)
    out = np.zeros_like(mic)
    for i in range(0, len(mic), BLOCK):
        if reference:
            apm.process_render((FAR[i : i + BLOCK] * 32767).astype(np.int16))
        block = apm.process_capture((mic[i : i + BLOCK] * 32767).astype(np.int16))
        out[i : i + BLOCK] = block / 32767
    return out


def _db(signal: Signal, start: int, end: int) -> float:
    part = signal[start * SAMPLE_RATE : end * SAMPLE_RATE]
    return float(10 * np.log10(np.mean(part**2) + 1e-12))


def test_the_echo_of_the_played_audio_drops_by_far_more_than_20_db() -> None:
    out = _process(AudioProcessing(), ECHO, reference=True)
    assert _db(out, 3, 6) - _db(ECHO, 3, 6) < -25  # after converging (measured: about −53 dB)


def test_without_the_reference_the_echo_stays_so_the_reference_is_what_removes_it() -> None:
    out = _process(AudioProcessing(), ECHO, reference=False)
    assert _db(out, 3, 6) - _db(ECHO, 3, 6) > -10  # noise suppression alone barely touches it


def test_the_advisor_s_own_voice_stays_while_the_echo_goes() -> None:
    out = _process(AudioProcessing(), ECHO + VOICE, reference=True)
    assert _db(out, 6, 10) > _db(VOICE, 6, 10) - 10


def test_switched_off_the_microphone_passes_unchanged_and_on_again_it_works() -> None:
    apm = AudioProcessing(enabled=False)
    assert not apm.enabled
    mic = (ECHO[: 50 * BLOCK] * 32767).astype(np.int16)
    for i in range(0, len(mic), BLOCK):
        apm.process_render((FAR[i : i + BLOCK] * 32767).astype(np.int16))
        assert np.array_equal(apm.process_capture(mic[i : i + BLOCK]), mic[i : i + BLOCK])
    apm.set_enabled(True)
    out = _process(apm, ECHO, reference=True)
    assert _db(out, 3, 6) - _db(ECHO, 3, 6) < -25
