"""The send side's encoders and pacer, on real codecs: VP8 follows its setting, key-frame
requests are rate-limited, Opus packets carry in-band FEC, the pacer spreads a frame out."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import fractions
import itertools
import struct
import time

import av
import numpy as np
import pytest
from aiortc import clock
from aiortc.codecs.opus import OpusEncoder
from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters, RTCRtpParameters
from aiortc.rtp import HeaderExtensionsMap, RtpPacket

from advisor_app.client.rtc.opus_send import LossAwareOpusEncoder
from advisor_app.client.rtc.pacing import (
    ABS_SEND_TIME_URI,
    Pacer,
    restamp_abs_send_time,
    rtp_ssrc,
)
from advisor_app.client.rtc.send_video import AdaptiveVp8Encoder, VideoSetting, scaled_size

pytestmark = pytest.mark.unit

RATE = 48000


def camera_frames(
    n: int, fps: int = 30, width: int = 1280, height: int = 720
) -> list[av.VideoFrame]:
    """A smooth test picture moving a few pixels per frame, as ``yuv420p`` frames."""
    yy, xx = np.mgrid[0:height, 0:width]
    luma = (np.sin(xx / 37) * 60 + np.cos(yy / 19) * 60 + 128).clip(0, 255).astype(np.uint8)
    frames = []
    for i in range(n):
        frame = av.VideoFrame.from_ndarray(np.roll(luma, 4 * i, axis=1), format="gray")
        frame = frame.reformat(format="yuv420p")
        frame.pts = i * 90000 // fps
        frame.time_base = fractions.Fraction(1, 90000)
        frames.append(frame)
    return frames


def test_scaled_size_keeps_the_aspect_and_even_numbers() -> None:
    assert scaled_size(1280, 720, 360) == (640, 360)
    assert scaled_size(1280, 720, 180) == (320, 180)
    assert scaled_size(640, 480, 720) == (640, 480)
    assert scaled_size(1920, 1080, 0) == (1920, 1080)


def test_vp8_follows_size_frame_rate_and_a_bitrate_below_aiortcs_clamp() -> None:
    encoder = AdaptiveVp8Encoder(VideoSetting(180, 15, 90))
    encoder.target_bitrate = 2_000_000  # a REMB: the controller decides, not aiortc
    sent = [encoder.encode(f) for f in camera_frames(60)]
    assert encoder.codec is not None
    assert (encoder.codec.width, encoder.codec.height) == (320, 180)
    assert encoder.codec.bit_rate == 90_000
    encoded = sum(1 for payloads, _ts in sent if payloads)
    assert 28 <= encoded <= 32  # 15 of 30 frames a second for 2 s
    kbps = 8 * sum(len(p) for payloads, _ in sent for p in payloads) / 2.0 / 1000
    assert kbps < 200, kbps  # aiortc's encoder would not go below 250


def test_keyframe_requests_are_answered_at_most_once_per_interval() -> None:
    encoder = AdaptiveVp8Encoder(VideoSetting(360, 30, 300), keyframe_every_s=60.0)
    frames = camera_frames(20)
    encoder.encode(frames[0])  # the first frame is a key frame
    for frame in frames[1:]:
        encoder.encode(frame, force_keyframe=True)  # a PLI with every frame
    assert encoder.keyframes == 1
    encoder.keyframe_every_s = 0.0
    encoder.encode(camera_frames(21)[20], force_keyframe=True)
    assert encoder.keyframes == 2


def test_paused_video_sends_nothing_and_a_full_pacer_skips_frames() -> None:
    encoder = AdaptiveVp8Encoder(None)
    assert all(not encoder.encode(f)[0] for f in camera_frames(5))
    backlog = [1000.0]
    encoder = AdaptiveVp8Encoder(VideoSetting(360, 30, 300), backlog_ms=lambda: backlog[0])
    frames = camera_frames(10)
    assert not encoder.encode(frames[0])[0]
    backlog[0] = 0.0
    assert encoder.encode(frames[1])[0]
    assert encoder.frames_skipped == 1


def speech(seconds: float) -> np.ndarray:
    """Syllables of 100 ms, each at its own pitch: a lost packet at a syllable's start cannot
    be guessed from the one before (concealment repeats the old pitch)."""
    t = np.arange(int(RATE * seconds)) / RATE
    pitches = np.array([120, 210, 150, 260, 110, 190, 240, 130, 170, 220])
    pitch = pitches[(t * 10).astype(int) % len(pitches)]
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    voice = sum(np.sin(k * phase) / k for k in range(1, 15))
    voice = voice * (0.3 + 0.7 * np.sin(np.pi * ((t * 10) % 1.0)) ** 0.5)
    return np.asarray(voice / np.abs(voice).max() * 12000, dtype=np.int16)


def opus_packets(encoder: OpusEncoder, layout: str = "mono") -> list[bytes]:
    pcm = speech(2.0)
    if layout == "stereo":
        pcm = np.repeat(pcm, 2)
    channels = 2 if layout == "stereo" else 1
    out: list[bytes] = []
    for i in range(0, len(pcm), 960 * channels):
        frame = av.AudioFrame.from_ndarray(
            pcm[None, i : i + 960 * channels], format="s16", layout=layout
        )
        frame.sample_rate = RATE
        frame.pts = i // channels
        frame.time_base = fractions.Fraction(1, RATE)
        payloads, _ts = encoder.encode(frame)
        out += payloads
    return out


class Libopus:
    """The system's libopus decoder, which can decode a packet's FEC copy of the one before."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("opus")
        if name is None:
            pytest.fail("libopus is missing (Debian: libopus0)")
        self.lib = ctypes.CDLL(name)
        self.lib.opus_decoder_create.restype = ctypes.c_void_p

    def decode(self, packets: list[bytes], lost: int, fec: bool = True) -> np.ndarray:
        """Decode ``packets`` with packet ``lost`` missing: recovered from the next one's FEC
        copy (``fec``), or concealed (what a decoder does without one)."""
        err = ctypes.c_int()
        dec = ctypes.c_void_p(self.lib.opus_decoder_create(RATE, 1, ctypes.byref(err)))
        buf = (ctypes.c_int16 * 960)()
        out = []
        for i, packet in enumerate(packets):
            if i == lost:
                continue
            if i == lost + 1:
                if fec:
                    n = self.lib.opus_decode(dec, packet, len(packet), buf, 960, 1)
                else:
                    n = self.lib.opus_decode(dec, None, 0, buf, 960, 0)
                out.append(np.array(buf[:n]))
            n = self.lib.opus_decode(dec, packet, len(packet), buf, 960, 0)
            out.append(np.array(buf[:n]))
        self.lib.opus_decoder_destroy(dec)
        return np.concatenate(out)


LOST = range(53, 93, 3)


def recovery(packets: list[bytes], fec: bool) -> list[float]:
    """The lost packets' 20 ms as recovered, each as its SNR (dB) against the undamaged
    decode, one packet lost at a time."""
    opus = Libopus()
    whole = opus.decode(packets, lost=-5).astype(float)
    snrs = []
    for lost in LOST:
        part = slice(lost * 960, (lost + 1) * 960)
        got = opus.decode(packets, lost=lost, fec=fec).astype(float)[part]
        noise = float(np.sum((whole[part] - got) ** 2)) + 1e-9
        snrs.append(10 * np.log10(float(np.sum(whole[part] ** 2)) / noise))
    return snrs


def test_opus_packets_carry_fec_that_recovers_a_lost_packet() -> None:
    ours = opus_packets(LossAwareOpusEncoder(kbps=32, loss_pct=10))
    assert len(ours) == 100
    # Speech at 32 kbit/s, not aiortc's 96 kbit/s stereo.
    assert 8 * sum(map(len, ours)) / 2.0 / 1000 < 40
    with_fec, concealed = recovery(ours, fec=True), recovery(ours, fec=False)
    assert with_fec != concealed  # the packets carry a copy of the one before
    assert np.mean(with_fec) > np.mean(concealed) + 3.0, (with_fec, concealed)
    # aiortc's own encoder sends no FEC: "recovering" it is concealment, to the bit.
    theirs = opus_packets(OpusEncoder(), layout="stereo")
    assert recovery(theirs, fec=True) == recovery(theirs, fec=False)


def test_opus_setting_changes_keep_the_timestamps_running() -> None:
    encoder = LossAwareOpusEncoder(kbps=32, loss_pct=5)
    pcm = speech(0.2)
    stamps = []
    for i in range(0, len(pcm), 960):
        if i == 960 * 5:
            encoder.set_target(20, 20)
        frame = av.AudioFrame.from_ndarray(pcm[None, i : i + 960], format="s16", layout="mono")
        frame.sample_rate = RATE
        frame.pts = i
        frame.time_base = fractions.Fraction(1, RATE)
        payloads, ts = encoder.encode(frame)
        if payloads:
            stamps.append(ts)
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert all(b - a == 960 for a, b in itertools.pairwise(stamps))


def rtp(ssrc: int, size: int, seq: int = 0) -> bytes:
    return struct.pack("!BBHII", 0x80, 96, seq, 0, ssrc) + bytes(size - 12)


def test_rtp_ssrc_tells_rtcp_apart() -> None:
    assert rtp_ssrc(rtp(1234, 100)) == 1234
    rtcp_sr = struct.pack("!BBHI", 0x80, 200, 6, 1234) + bytes(20)
    assert rtp_ssrc(rtcp_sr) is None


async def test_the_pacer_spreads_a_key_frame_and_lets_audio_pass() -> None:
    sent: list[tuple[float, int]] = []

    async def send(data: bytes) -> None:
        sent.append((time.monotonic(), rtp_ssrc(data) or 0))

    pacer = Pacer(send, rate_kbps=800.0)
    pacer.paced = {1}
    start = time.monotonic()
    for seq in range(30):  # a 36 KB key frame: 360 ms at 800 kbit/s
        await pacer.send(rtp(1, 1200, seq))
    await pacer.send(rtp(2, 100))  # audio: at once
    assert sent[-1][1] == 2 and sent[-1][0] - start < 0.05
    assert pacer.backlog_ms() > 200
    while len(sent) < 31:
        await asyncio.sleep(0.01)
    video = [at for at, ssrc in sent if ssrc == 1]
    spread = video[-1] - video[0]
    assert 0.25 < spread < 2.0, spread  # a loaded machine wakes late, never early
    await pacer.close()


@pytest.mark.parametrize(("wanted", "low", "high"), [(25, 48, 52), (24, 46, 50), (15, 29, 31)])
def test_a_frame_rate_below_the_cameras_keeps_its_share_of_frames(
    wanted: int, low: int, high: int
) -> None:
    """Of a 30 fps camera, 25 fps wanted sends 25 (it once sent 15: a minimum gap of 0.85
    intervals dropped every other frame for any rate above 15)."""
    encoder = AdaptiveVp8Encoder(VideoSetting(180, wanted, 100))
    sent = [encoder.encode(f) for f in camera_frames(60, width=320, height=180)]
    encoded = sum(1 for payloads, _ts in sent if payloads)
    assert low <= encoded <= high, encoded  # two seconds


def _stamped(abs_send_time: int) -> tuple[bytes, HeaderExtensionsMap]:
    """A video packet as aiortc serializes it: mid and abs-send-time extensions."""
    params = RTCRtpParameters(
        headerExtensions=[
            RTCRtpHeaderExtensionParameters(id=1, uri="urn:ietf:params:rtp-hdrext:sdes:mid"),
            RTCRtpHeaderExtensionParameters(id=3, uri=ABS_SEND_TIME_URI),
        ]
    )
    extensions = HeaderExtensionsMap()
    extensions.configure(params)
    packet = RtpPacket(payload_type=96, sequence_number=7, timestamp=9, ssrc=1234)
    packet.extensions.mid = "1"
    packet.extensions.abs_send_time = abs_send_time
    packet.payload = bytes(900)
    return packet.serialize(extensions), extensions


def test_a_paced_packet_carries_the_time_it_leaves_not_when_it_was_queued() -> None:
    data, extensions = _stamped(0x123456)
    ntp = 0xABCDEF12_34567890
    out = restamp_abs_send_time(data, 3, ntp)
    parsed = RtpPacket.parse(out, extensions)
    assert parsed.extensions.abs_send_time == (ntp >> 14) & 0xFFFFFF
    assert parsed.extensions.mid == "1"
    assert (parsed.sequence_number, parsed.ssrc, parsed.payload) == (7, 1234, bytes(900))
    # Another id, or a packet without extensions: unchanged.
    assert restamp_abs_send_time(data, 5, ntp) == data
    plain = rtp(1, 100)
    assert restamp_abs_send_time(plain, 3, ntp) == plain


async def test_the_pacer_restamps_what_waited() -> None:
    sent: list[bytes] = []

    async def send(data: bytes) -> None:
        sent.append(data)

    pacer = Pacer(send, rate_kbps=100.0)  # 900 bytes: 72 ms each
    pacer.paced = {1234}
    pacer.abs_send_time_id = 3
    data, extensions = _stamped(0)
    for _ in range(4):
        await pacer.send(data)
    while len(sent) < 4:
        await asyncio.sleep(0.01)
    stamps = [RtpPacket.parse(d, extensions).extensions.abs_send_time for d in sent]
    assert stamps[-1] != 0 and len(set(stamps[1:])) == 3, stamps  # each its own time
    await pacer.close()


async def test_a_retransmission_carries_the_time_it_is_resent() -> None:
    """aiortc's RTX packet copies the lost packet's abs-send-time; the receiver's estimator
    read it as a packet queued for a round trip (overuse, a falling REMB)."""
    sent: list[bytes] = []

    async def send(data: bytes) -> None:
        sent.append(data)

    pacer = Pacer(send, rate_kbps=100.0)
    pacer.paced = {4321}  # the camera's media SSRC; 1234 is its RTX stream: not paced
    pacer.abs_send_time_id = 3
    data, extensions = _stamped(0x000001)
    before = (clock.current_ntp_time() >> 14) & 0xFFFFFF
    await pacer.send(data)
    after = (clock.current_ntp_time() >> 14) & 0xFFFFFF
    stamp = RtpPacket.parse(sent[0], extensions).extensions.abs_send_time
    assert stamp is not None  # (a 24-bit clock of 64 s: compared modulo its wrap)
    assert (stamp - before) & 0xFFFFFF <= (after - before) & 0xFFFFFF, (before, stamp, after)
    await pacer.close()
