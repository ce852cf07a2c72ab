// The call itself (WebRTC with the advisor) is a later issue. This is its hook: the app calls
// `startCall` once the advisor admitted the citizen and `stop` when the view goes away.

import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * Start the call view inside `container`.
 * ctx: { token, devices: {camera, microphone, speaker} (chosen device ids or null) }
 * Returns a handle with `stop()`.
 */
export function startCall(container, ctx) {
  const status = h('p', { class: 'status busy', role: 'status', 'data-testid': 'call-status' });
  status.textContent = t('call.connecting');
  container.append(status);
  void ctx;
  return {
    stop() {
      status.remove();
    },
  };
}
