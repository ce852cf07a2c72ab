"""Lost audio packets are filled with the last sound, fading, instead of silence."""

from __future__ import annotations

import fractions

import av
import numpy as np
import pytest

from advisor_app.client.rtc.receive_audio import MAX_CONCEALED, AudioConcealer

pytestmark = pytest.mark.unit

SAMPLES = 960  # 20 ms at 48 kHz


def tone(index: int) -> av.AudioFrame:
    t = (np.arange(SAMPLES) + index * SAMPLES) / 48_000
    mono = (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    frame = av.AudioFrame.from_ndarray(
        np.repeat(mono, 2).reshape(1, -1), format="s16", layout="stereo"
    )
    frame.sample_rate = 48_000
    frame.pts = index * SAMPLES
    frame.time_base = fractions.Fraction(1, 48_000)
    return frame


def rms(frame: av.AudioFrame) -> float:
    return float(np.sqrt(np.mean(frame.to_ndarray().astype(np.float64) ** 2)))


def test_one_lost_packet_is_filled_and_the_timeline_has_no_hole() -> None:
    concealer = AudioConcealer()
    played = concealer.frames(tone(0)) + concealer.frames(tone(1)) + concealer.frames(tone(3))
    assert [f.pts for f in played] == [0, 960, 1920, 2880]
    filled = played[2]
    assert 0.4 * rms(tone(1)) < rms(filled) < rms(tone(1))  # heard, a little softer
    assert concealer.concealed == 1
    # The first good frame after the loss starts from silence: no click.
    assert abs(int(played[3].to_ndarray()[0, 0])) <= 1


def test_a_long_loss_fades_out_after_100_ms() -> None:
    concealer = AudioConcealer()
    concealer.frames(tone(0))
    played = concealer.frames(tone(20))
    assert len(played) == MAX_CONCEALED + 1
    levels = [rms(f) for f in played[:-1]]
    assert levels == sorted(levels, reverse=True) and levels[-1] < 0.1 * rms(tone(0))


def test_nothing_lost_nothing_added() -> None:
    concealer = AudioConcealer()
    frames = [tone(i) for i in range(5)]
    assert [f for i in range(5) for f in concealer.frames(frames[i])] == frames
    assert concealer.concealed == 0
