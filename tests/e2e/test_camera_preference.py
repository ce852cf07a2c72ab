"""What the citizen's browser gives up first when its uplink is short: the page's own rule
(``linkquality.js`` ``UplinkJudge``, ``call.js`` ``CallConnection.preference``), run in
Chromium on the service's page. The camera keeps its resolution while the uplink carries it
and during the ID check, and is balanced (smaller picture, fluent frame rate) on a weak
uplink; a shared screen always keeps its resolution. A call through a real weak link:
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
  const busy = { rttMs: 400, lossPct: 3 };  // a congested link: no try at full resolution
  const calm = { rttMs: 20, lossPct: 0 };
  const judge = new UplinkJudge(0);
  // The start value of a fresh connection's estimate decides nothing.
  out.settling = [judge.note(300, 1000, busy), judge.note(300, 3000, busy)];
  // Two low readings make it weak; one high reading does not undo it, two do.
  out.low = [judge.note(500, S + 1, busy), judge.note(500, S + 2, busy)];
  out.oneHigh = judge.note(2000, S + 3, busy);
  out.between = [judge.note(1200, S + 4, busy), judge.note(1200, S + 5, busy)];
  out.high = [judge.note(2000, S + 6, busy), judge.note(2000, S + 7, busy)];
  judge.note(500, S + 8, busy); judge.note(500, S + 9, busy);
  judge.restart(S + 10);  // a new connection keeps the verdict and waits again
  out.restarted = [judge.weak, judge.note(2000, S + 11, busy)];
  out.unknown = judge.note(null, 3 * S, busy);
  out.congested = judge.note(500, 3 * S + UPLINK.calmMs * 4, busy);

  // Weak, with a low estimate that cannot climb while little is sent, on a quiet link: full
  // resolution is tried after calmMs; weak again at once, the next try waits twice as long.
  const stuck = new UplinkJudge(0);
  let t = S;
  const step = (ms, kbps = 500) => { t += ms; return stuck.note(kbps, t, calm); };
  out.stuck = [step(1), step(1)];
  step(1);
  out.beforeCalm = step(UPLINK.calmMs - 2);
  out.tried = step(2);
  out.retrySettles = step(UPLINK.settleMs - 2);
  out.failedTry = [step(UPLINK.settleMs), step(1)];
  out.calmMs = stuck.calmMs;
  step(1);
  out.secondTry = [step(UPLINK.calmMs), step(UPLINK.calmMs)];
  out.held = [step(UPLINK.settleMs, 2000), step(1, 2000)];

  const call = new CallConnection({ send: () => true }, null, {});
  const prefs = () => [call.preference('video'), call.preference('screen')];
  out.strong = prefs();
  call.uplink.weak = true;
  out.weak = prefs();
  call.idCheck = true;
  out.idCheckOnWeak = prefs();
  return out;
}
"""


async def test_the_camera_is_balanced_only_on_a_weak_uplink_and_never_in_the_id_check(
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
    assert out["congested"] is True  # never tried again while the link is congested
    assert out["stuck"] == [False, True]
    assert out["beforeCalm"] is True
    assert out["tried"] is False
    assert out["retrySettles"] is False
    assert out["failedTry"] == [False, True]
    assert out["calmMs"] == 2 * 10_000
    assert out["secondTry"] == [True, False]
    assert out["held"] == [False, False]
    assert out["strong"] == ["maintain-resolution", "maintain-resolution"]
    assert out["weak"] == ["balanced", "maintain-resolution"]
    assert out["idCheckOnWeak"] == ["maintain-resolution", "maintain-resolution"]
    guard.check()
    await context.close()
