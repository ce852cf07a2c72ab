"""Transport feedback packets: hand-computed bytes, and a round trip through the parser."""

from __future__ import annotations

import random

import pytest

from advisor_app.client.rtc import twcc
from advisor_app.client.rtc.twcc import (
    LARGE_DELTA,
    NOT_RECEIVED,
    SMALL_DELTA,
    FeedbackBuilder,
    TransportFeedback,
    encode_chunks,
)

pytestmark = pytest.mark.unit


def test_a_two_bit_vector_with_a_loss_and_a_reordered_packet() -> None:
    # seq 100 at 65 ms, 101 lost, 102 at 67 ms, 103 at 66 ms (arrived before 102: negative).
    packet = TransportFeedback(
        sender_ssrc=1,
        media_ssrc=2,
        base_seq=100,
        reference_time=1,
        fb_count=3,
        symbols=(SMALL_DELTA, NOT_RECEIVED, SMALL_DELTA, LARGE_DELTA),
        deltas=(4, 8, -4),
    )
    assert bytes(packet) == bytes.fromhex(
        "afcd000600000001000000020064000400000103d1800408fffc0002"
    )
    assert twcc.parse(bytes(packet)) == packet


def test_run_length_and_one_bit_vector_chunks() -> None:
    assert encode_chunks([SMALL_DELTA] * 20) == [0x2014]
    assert encode_chunks([NOT_RECEIVED] * 8191 + [NOT_RECEIVED]) == [0x1FFF, 0x8000]
    assert encode_chunks([1, 1, 0, 1]) == [0xB400]
    assert encode_chunks([1] * 14 + [0] * 3) == [0x200E, 0x8000]
    # A large delta among the next 14 needs the two-bit vector.
    assert encode_chunks([1, 2, 1]) == [0xC000 | 1 << 12 | 2 << 10 | 1 << 8]


def test_the_builder_keeps_arrivals_to_the_quarter_millisecond() -> None:
    rng = random.Random(7)
    at = 10_000_000
    arrivals: list[int | None] = []
    for _ in range(1000):
        at += rng.choice([0, 300, 1_000, 5_000, 70_000, -2_000])
        arrivals.append(None if rng.random() < 0.1 else at)
    arrivals[0] = 10_000_000
    builder = FeedbackBuilder(sender_ssrc=9, media_ssrc=8, max_status=300)
    packets = builder.build(65_000, arrivals)  # wraps past 65535
    assert [p.fb_count for p in packets] == list(range(len(packets)))
    got: dict[int, int] = {}
    for packet in packets:
        parsed = twcc.parse(bytes(packet))
        assert parsed == packet
        assert len(bytes(packet)) % 4 == 0 and len(bytes(packet)) < 1300
        got.update(parsed.arrivals_us())
    want = {(65_000 + i) & 0xFFFF: a for i, a in enumerate(arrivals) if a is not None}
    assert got.keys() == want.keys()
    for seq, a in want.items():
        assert abs(got[seq] - a) <= 125, seq


def test_a_gap_too_long_for_a_delta_starts_a_new_packet() -> None:
    packets = FeedbackBuilder(1, 2).build(0, [0, 9_000_000])  # 9 s: beyond ±8.19 s
    assert [p.status_count for p in packets] == [1, 1]
    assert packets[1].reference_time == 9_000_000 // 64_000


def test_malformed_feedback_is_refused() -> None:
    good = bytes(FeedbackBuilder(1, 2).build(0, [1000, 2000])[0])
    with pytest.raises(ValueError, match="truncated"):
        twcc.parse(good[:-4])
    with pytest.raises(ValueError, match="not a transport feedback"):
        twcc.parse(b"\x8f\xce" + good[2:])  # FMT 15 of another packet type (PSFB)
