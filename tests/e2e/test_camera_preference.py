"""What the citizen's browser gives up first when its uplink is short: the page's own rule
(``linkquality.js`` ``UplinkJudge``, ``call.js`` ``CallConnection.preference``), run in
Chromium on the service's page. The camera keeps its resolution while the uplink carries it
and during the ID check, and keeps its frame rate (a smaller picture) on a weak uplink, until
two readings of the send estimate say the uplink is strong again; a shared screen always
keeps its resolution. A call through a real weak link:
tests/benchmarks/test_bench_network.py."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser

from tests.helpers.citizen_browser import Live, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

SCENARIOS = """
async () => {
  const { UplinkJudge, UPLINK } = await import('/static/js/linkquality.js');
  const { CallConnection } = await import('/static/js/call.js');
  const out = {};
  const S = UPLINK.settleMs;
  const judge = new UplinkJudge(0);
  // The start value of a fresh connection's estimate decides nothing.
  out.settling = [judge.note(300, 1000), judge.note(300, 3000)];
  // Two low readings make it weak; one high reading does not undo it, two do.
  out.low = [judge.note(500, S + 1), judge.note(500, S + 2)];
  out.oneHigh = judge.note(2000, S + 3);
  out.between = [judge.note(1200, S + 4), judge.note(1200, S + 5)];
  out.high = [judge.note(2000, S + 6), judge.note(2000, S + 7)];
  judge.note(500, S + 8); judge.note(500, S + 9);
  judge.restart(S + 10);  // a new connection keeps the verdict and waits again
  out.restarted = [judge.weak, judge.note(2000, S + 11)];
  out.unknown = judge.note(null, 3 * S);
  // No timed try at full resolution: a low estimate keeps it weak for as long as it lasts
  // (the camera keeps its frame rate meanwhile, so the estimate can climb by itself) ...
  let t = 3 * S;
  const held = [];
  for (let i = 0; i < 60; i += 1) { t += 2000; held.push(judge.note(500, t)); }
  out.heldWeak = held.every((w) => w);
  // ... and two readings above the strong limit end it at once.
  out.climbed = [judge.note(1500, t + 2000), judge.note(1500, t + 4000)];

  const call = new CallConnection({ send: () => true }, null, {});
  const prefs = () => [call.preference('video'), call.preference('screen')];
  out.strong = prefs();
  call.uplink.weak = true;
  out.weak = prefs();
  call.idCheck = true;
  out.idCheckOnWeak = prefs();
  call.idCheck = false;

  // The page's own path on a real sender: the quality watch's readings switch the camera.
  const canvas = document.createElement('canvas');
  canvas.width = 320; canvas.height = 180;
  canvas.getContext('2d').fillRect(0, 0, 320, 180);
  const track = canvas.captureStream(10).getVideoTracks()[0];
  call.pc = new RTCPeerConnection();
  call.pc.addTransceiver(track, { direction: 'sendrecv' });
  const sent = () => call.pc.getTransceivers()[0].sender.getParameters().degradationPreference;
  call.uplink = new UplinkJudge(Date.now() - S);
  await call.noteSendRate(2000); await call.noteSendRate(2000);
  out.sentStrong = sent() ?? null;
  await call.noteSendRate(300); await call.noteSendRate(300);
  out.sentWeak = sent();
  await call.onIdCheckStep('front');
  out.sentIdCheck = sent();
  await call.noteSendRate(300);
  out.sentIdCheckStillWeak = sent();
  await call.onIdCheckStep('done');
  out.sentAfterIdCheck = sent();
  await call.noteSendRate(1500); await call.noteSendRate(1500);
  out.sentRecovered = sent();
  call.pc.close();
  track.stop();
  return out;
}
"""


async def test_the_camera_keeps_its_frame_rate_on_a_weak_uplink_and_resolution_in_the_id_check(
    browser: Browser, live: Live
) -> None:
    context, page, guard = await new_page(browser, live)
    await page.goto(live.base + "/")
    out = await page.evaluate(SCENARIOS)
    assert out["settling"] == [False, False]
    assert out["low"] == [False, True]
    assert out["oneHigh"] is True
    assert out["between"] == [True, True]
    assert out["high"] == [True, False]
    assert out["restarted"] == [True, True]
    assert out["unknown"] is True
    assert out["heldWeak"] is True
    assert out["climbed"] == [True, False]
    assert out["strong"] == ["maintain-resolution", "maintain-resolution"]
    assert out["weak"] == ["maintain-framerate", "maintain-resolution"]
    assert out["idCheckOnWeak"] == ["maintain-resolution", "maintain-resolution"]
    # A strong uplink changes nothing the page has set (no verdict changed).
    assert out["sentStrong"] in (None, "maintain-resolution"), out
    assert out["sentWeak"] == "maintain-framerate", out
    assert out["sentIdCheck"] == "maintain-resolution", out
    assert out["sentIdCheckStillWeak"] == "maintain-resolution", out
    assert out["sentAfterIdCheck"] == "maintain-framerate", out
    assert out["sentRecovered"] == "maintain-resolution", out
    guard.check()
    await context.close()
