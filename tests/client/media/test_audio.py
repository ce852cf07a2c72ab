"""Microphone and speaker on real PortAudio streams: a PulseAudio null sink and its monitor.

What the speaker plays into the null sink comes back from its monitor, the default
microphone: so these tests hear the console's own output through the real device path.
"""

from __future__ import annotations

import asyncio
import time

import av
import numpy as np
import numpy.typing as npt
import pytest

from advisor_app.client.media import (
    AudioProcessing,
    MediaUnavailable,
    MicrophoneTrack,
    SpeakerOutput,
    ToneTrack,
    list_microphones,
    list_speakers,
    open_microphone,
)
from advisor_app.client.media.microphone import dbfs
from tests.helpers.media import dominant_hz, no_audio_devices
from tests.helpers.pulse import PulseServer

pytestmark = pytest.mark.audio


class Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, code: str) -> None:
        self.messages.append(code)

    async def wait(self, count: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"only {self.messages}"
            await asyncio.sleep(0.05)


async def _record(mic: MicrophoneTrack, seconds: float) -> list[av.AudioFrame]:
    frames: list[av.AudioFrame] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        frames.append(await asyncio.wait_for(mic.recv(), 5))
    return frames


def _samples(frames: list[av.AudioFrame]) -> npt.NDArray[np.int16]:
    return np.concatenate([f.to_ndarray().reshape(-1) for f in frames])


async def _until_loud(mic: MicrophoneTrack, timeout: float = 10.0) -> None:
    """PulseAudio takes a moment to start the streams: wait until the tone comes back."""
    deadline = time.monotonic() + timeout
    while dbfs(_samples([await asyncio.wait_for(mic.recv(), 5)])) < -40:
        assert time.monotonic() < deadline, "the played tone never came back"


def test_the_null_sink_is_listed_as_microphone_and_speaker(pulse_audio: PulseServer) -> None:
    assert "default" in [d.id for d in list_microphones()]
    assert "default" in [d.id for d in list_speakers()]


async def test_the_microphone_hears_the_tone_the_speaker_plays(pulse_audio: PulseServer) -> None:
    problems = Problems()
    speaker = SpeakerOutput(None, None, problems)
    mic = await open_microphone(None, None, problems)
    try:
        assert await speaker.opened is None
        speaker.add_track(ToneTrack(duration=8))
        await _until_loud(mic)
        frames = await _record(mic, 1.0)
        assert {(f.format.name, f.layout.name, f.sample_rate, f.samples) for f in frames} == {
            ("s16", "mono", 48_000, 960)
        }
        pts = [f.pts for f in frames]
        assert pts == sorted(set(pts)) and all(p % 960 == 0 for p in pts)
        samples = _samples(frames)
        assert dominant_hz(samples) == pytest.approx(440, abs=5)
        assert dbfs(samples) == pytest.approx(-15, abs=4)  # played at −12 dBFS peak
        assert mic.level_dbfs > -25  # the devices page's meter moves
        assert problems.messages == []
    finally:
        mic.stop()
        await speaker.close()
    assert speaker.tracks == []
    assert not speaker.playing


async def test_the_speaker_mixes_several_tracks(pulse_audio: PulseServer) -> None:
    problems = Problems()
    speaker = SpeakerOutput("default", None, problems)
    mic = await open_microphone("default", None, problems)
    try:
        speaker.add_track(ToneTrack(440, -18, duration=8))
        speaker.add_track(ToneTrack(1000, -18, duration=8))
        await _until_loud(mic)
        samples = _samples(await _record(mic, 1.0)).astype(np.float64)
        spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
        freqs = np.fft.rfftfreq(len(samples), 1 / 48_000)

        def power(hz: float) -> float:
            return float(spectrum[np.abs(freqs - hz) < 5].max())

        assert power(440) > 50 * power(700)
        assert power(1000) > 50 * power(700)
        assert power(440) == pytest.approx(power(1000), rel=0.5)  # both at the same level
    finally:
        mic.stop()
        await speaker.close()


async def test_audio_processing_removes_the_played_tone_from_the_real_loopback(
    pulse_audio: PulseServer,
) -> None:
    problems = Problems()
    processing = AudioProcessing(enabled=False)
    speaker = SpeakerOutput(None, processing, problems)
    mic = await open_microphone(None, processing, problems)
    try:
        speaker.add_track(ToneTrack(440, -12, duration=20))
        await _until_loud(mic)
        off = dbfs(_samples(await _record(mic, 1.0)))
        mic.set_processing(True)  # switched while the call runs
        await _record(mic, 3.0)  # the canceller converges
        on = dbfs(_samples(await _record(mic, 1.0)))
        assert on < off - 20, (off, on)  # measured: −15 → −78 dBFS
        assert mic.level_dbfs > -25  # the meter shows the raw microphone, which still hears it
    finally:
        mic.stop()
        await speaker.close()


async def test_unplugged_devices_are_reported_and_the_call_goes_on(
    pulse_audio: PulseServer,
) -> None:
    problems = Problems()
    speaker = SpeakerOutput(None, None, problems)
    mic = await open_microphone(None, None, problems)
    tone = ToneTrack(duration=30)
    try:
        speaker.add_track(tone)
        await _until_loud(mic)
        pulse_audio.unplug()
        await problems.wait(2)
        assert sorted(problems.messages) == ["microphone-lost", "speaker-lost"]
        await _record(mic, 0.2)  # what the device had delivered before it went away
        silent = await _record(mic, 0.5)  # silence, but frames keep coming
        assert len(silent) >= 15
        assert dbfs(_samples(silent)) == -90.0
        assert tone in speaker.tracks  # the received track is still read
        assert not speaker.playing
    finally:
        mic.stop()
        await speaker.close()
        pulse_audio.plug()


async def test_without_audio_devices_the_messages_say_so_and_nothing_raises() -> None:
    problems = Problems()
    with no_audio_devices():
        assert list_microphones() == []
        assert list_speakers() == []
        with pytest.raises(MediaUnavailable) as caught:
            await open_microphone(None, AudioProcessing(), problems)
        assert caught.value.code == "microphone-not-found"
        speaker = SpeakerOutput(None, AudioProcessing(), problems)
        tone = ToneTrack()
        speaker.add_track(tone)
        problem = await speaker.opened
        assert problem is not None and problem.code == "speaker-not-found"
        assert problems.messages[0] == "speaker-not-found"
        await asyncio.sleep(0.3)
        assert tone._pacer.count >= 10  # still read (and dropped), so nothing piles up
        await speaker.close()


async def test_a_chosen_microphone_that_is_gone_is_refused(pulse_audio: PulseServer) -> None:
    with pytest.raises(MediaUnavailable) as caught:
        await open_microphone("USB-Headset (abgezogen)", None, Problems())
    assert caught.value.code == "microphone-not-found"


async def test_a_microphone_nobody_reads_keeps_only_the_newest_200_ms() -> None:
    loop = asyncio.get_running_loop()
    mic = MicrophoneTrack(loop, None, Problems())
    ramp = (np.arange(48_000) % 30_000).astype(np.int16)  # one second, sample = its position
    for start in range(0, len(ramp), 333):  # odd chunk sizes, as a driver may deliver
        mic.feed(ramp[start : start + 333])
    frames = []
    while True:
        try:
            frames.append(await asyncio.wait_for(mic.recv(), 0.2))
        except TimeoutError:
            break
    assert len(frames) == 10  # 200 ms, not the whole second
    assert [f.pts for f in frames] == [960 * i for i in range(40, 50)]
    assert np.array_equal(_samples(frames), ramp[40 * 960 : 50 * 960])
    mic.stop()
