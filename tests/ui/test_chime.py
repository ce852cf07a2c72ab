"""The arrival chime: generated here, audible, short, and silent without a sound device."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from advisor_app.ui.chime import DEFAULT_RATE, SoundDeviceChime, chime_samples

pytestmark = pytest.mark.unit


def _dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


@pytest.mark.parametrize("rate", [DEFAULT_RATE, 44_100])
def test_chime_is_a_short_audible_two_tone_without_clicks(rate: int) -> None:
    samples = chime_samples(rate)
    assert samples.dtype == np.float32
    assert samples.ndim == 1
    assert 0.6 < len(samples) / rate < 1.5  # a hint, not a melody
    peak = float(np.max(np.abs(samples)))
    assert 0.2 < peak <= 0.5  # clearly audible, far from clipping
    assert float(np.sqrt(np.mean(samples**2))) > 0.03  # not silent
    assert abs(float(samples[0])) < 1e-3  # fades in and out: no click at either end
    assert abs(float(samples[-1])) < 1e-3
    first = samples[: int(0.3 * rate)]
    second = samples[int(0.45 * rate) : int(0.75 * rate)]
    assert _dominant_hz(first, rate) == pytest.approx(659.25, abs=5)  # "ding" (E5)
    assert _dominant_hz(second, rate) == pytest.approx(523.25, abs=5)  # "dong" (C5)


def test_chime_samples_are_shared_and_read_only() -> None:
    samples = chime_samples()
    assert chime_samples() is samples
    with pytest.raises(ValueError, match="read-only"):
        samples[0] = 1.0


def test_playing_without_a_usable_device_logs_once_and_raises_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    player = SoundDeviceChime(device="no such output device")
    with caplog.at_level(logging.DEBUG, logger="advisor_app.ui.chime"):
        for _ in range(3):
            player.play()  # returns at once; the device is opened in a worker thread
            player.wait()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "arrival chime not played" in warnings[0].getMessage()


def test_the_default_device_plays_or_fails_quietly() -> None:
    """On a machine without sound (CI) nothing is raised; with sound the chime is heard."""
    player = SoundDeviceChime()
    player.play()
    player.wait(timeout=5)
