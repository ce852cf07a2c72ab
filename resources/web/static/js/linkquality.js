// The connection's quality in plain words during the call, from the page's own statistics
// (getStats): the round trip and loss the console reports for what we send, the loss of what
// we receive, and the rate the browser thinks it can send. Limits as the console's label
// (advisor_app/core/quality.py: good up to 200 ms / 2 %, limited up to 500 ms / 8 %); a
// send rate below 150 kbit/s, or the console pausing its picture, counts as weak.

export const LIMITS = { good: { rttMs: 200, lossPct: 2 }, fair: { rttMs: 500, lossPct: 8 }, minKbps: 150 };

/** 'good' | 'fair' | 'poor' | null (nothing measured yet) from one reading. */
export function classify({ rttMs = null, lossPct = null, sendKbps = null, paused = false }) {
  if (paused) return 'poor';
  if (rttMs == null && lossPct == null) return null;
  const rtt = rttMs ?? 0;
  const loss = lossPct ?? 0;
  if (sendKbps != null && sendKbps < LIMITS.minKbps) return 'poor';
  if (rtt <= LIMITS.good.rttMs && loss <= LIMITS.good.lossPct) return 'good';
  if (rtt <= LIMITS.fair.rttMs && loss <= LIMITS.fair.lossPct) return 'fair';
  return 'poor';
}

/**
 * Whether the uplink is too weak to send the camera at full resolution: below `weakKbps`
 * (what the browser thinks it can send) in two readings in a row it is weak, above
 * `strongKbps` in two it is not. The first `settleMs` of a connection decide nothing (the
 * estimate still climbing). While weak the camera keeps its frame rate (call.js), so the
 * browser keeps sending what its estimate allows and the estimate climbs by itself when the
 * link recovers: no timed try at full resolution (with `balanced` one was needed, and on a
 * link still slow it froze the picture for the seconds until the estimate fell again).
 */
export const UPLINK = { weakKbps: 900, strongKbps: 1400, settleMs: 4000 };

export class UplinkJudge {
  constructor(now = Date.now()) {
    this.weak = false;
    this.restart(now); // since, lows, highs
  }

  restart(now = Date.now()) {
    this.since = now;
    this.lows = 0;
    this.highs = 0;
  }

  /** One reading: the send estimate (kbit/s); returns the verdict (true: weak). */
  note(kbps, now = Date.now()) {
    if (now - this.since < UPLINK.settleMs || kbps == null) return this.weak;
    this.lows = kbps < UPLINK.weakKbps ? this.lows + 1 : 0;
    this.highs = kbps > UPLINK.strongKbps ? this.highs + 1 : 0;
    if (this.lows >= 2) this.weak = true;
    if (this.highs >= 2) this.weak = false;
    return this.weak;
  }
}

/** Reads the statistics of `connection()` (the current RTCPeerConnection, or null) every
 * `everyMs` and calls `onLevel(level)` (and `onSendRate(kbps, { rttMs, lossPct })` with the send estimate);
 * returns a stop function. */
export function watchQuality(connection, onLevel, { everyMs = 2000, paused = () => false, onSendRate = null } = {}) {
  let last = { received: 0, lost: 0 };
  let levels = [];
  const read = async () => {
    const pc = connection();
    if (!pc || pc.connectionState !== 'connected') return;
    let stats;
    try {
      stats = await pc.getStats();
    } catch {
      return;
    }
    let rttMs = null;
    let sendKbps = null;
    let remoteLoss = null;
    let received = 0;
    let lost = 0;
    stats.forEach((s) => {
      if (s.type === 'remote-inbound-rtp' && typeof s.roundTripTime === 'number') {
        rttMs = Math.max(rttMs ?? 0, s.roundTripTime * 1000);
        if (typeof s.fractionLost === 'number') remoteLoss = Math.max(remoteLoss ?? 0, s.fractionLost * 100);
      } else if (s.type === 'inbound-rtp') {
        received += s.packetsReceived ?? 0;
        lost += Math.max(0, s.packetsLost ?? 0);
      } else if (s.type === 'candidate-pair' && s.nominated && typeof s.availableOutgoingBitrate === 'number') {
        sendKbps = s.availableOutgoingBitrate / 1000;
      }
    });
    const packets = received - last.received + (lost - last.lost);
    const inLoss = packets > 0 ? (100 * (lost - last.lost)) / packets : null;
    last = { received, lost };
    const lossPct = inLoss == null && remoteLoss == null ? null : Math.max(inLoss ?? 0, remoteLoss ?? 0);
    if (sendKbps != null) onSendRate?.(sendKbps, { rttMs, lossPct });
    const level = classify({ rttMs, lossPct, sendKbps, paused: paused() });
    if (level == null) return;
    // Two readings in a row decide, so one bad second does not alarm anybody.
    levels = [...levels, level].slice(-2);
    if (levels.length === 2 && levels[0] === levels[1]) onLevel(level);
    else if (level === 'poor' && paused()) onLevel(level);
  };
  const timer = setInterval(read, everyMs);
  return () => clearInterval(timer);
}
