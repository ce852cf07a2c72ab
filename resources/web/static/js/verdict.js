// The device check's traffic light and its advice, from the measured results.

/** Below these a video call does not work (red) or works with trouble (yellow). */
export const LIMITS = {
  red: { download: 400, upload: 200, rtt: 1000 },
  yellow: { download: 1500, upload: 800, rtt: 300 },
};

/**
 * results: { camera, microphone, speaker (DeviceStatus), micHeard, mediaDone,
 *            network: null | {failed} | {rtt_ms, download_kbps, upload_kbps}, env }
 * Returns { verdict: 'green'|'yellow'|'red'|null (still running), advice: [catalog keys],
 *           todo: [catalog keys] }.
 *
 * The verdict is what the automatic check found, as the brochure says: green means every
 * device works (camera and microphone open, the browser and the connection good enough).
 * What only the citizen can do (speak so the meter moves, play the test sound and say
 * whether it was heard) is listed as still to do and does not turn the light yellow; a
 * speaker the citizen did not hear does.
 */
export function assess(r) {
  const red = [];
  const yellow = [];
  if (!r.env.capable) red.push('advice.browser_unsupported');
  else if (!r.env.official) yellow.push('advice.browser_other');
  for (const [kind, prefix] of [
    ['camera', 'advice.camera_'],
    ['microphone', 'advice.mic_'],
  ]) {
    if (['denied', 'missing', 'error'].includes(r[kind])) red.push(prefix + r[kind]);
  }
  const todo = [];
  if (r.microphone === 'ok' && !r.micHeard) todo.push('advice.mic_silent');
  if (r.speaker === 'untested') todo.push('advice.speaker_untested');
  if (r.speaker === 'error') yellow.push('advice.speaker_error');
  const net = r.network;
  if (net?.failed) red.push('advice.network_offline');
  else if (net) {
    const { download_kbps: down, upload_kbps: up, rtt_ms: rtt } = net;
    if (down < LIMITS.red.download || up < LIMITS.red.upload || rtt > LIMITS.red.rtt) {
      red.push('advice.network_too_slow');
    } else if (
      down < LIMITS.yellow.download ||
      up < LIMITS.yellow.upload ||
      rtt > LIMITS.yellow.rtt
    ) {
      yellow.push('advice.network_slow');
    }
  }
  const done = r.mediaDone && net !== null;
  if (!done) return { verdict: red.length ? 'red' : null, advice: [...red, ...yellow], todo };
  const verdict = red.length ? 'red' : yellow.length ? 'yellow' : 'green';
  return { verdict, advice: [...red, ...yellow], todo };
}
