// Step "Geräte überprüfen": camera preview, microphone meter, speaker chime, device choice,
// network test, browser/system/device, and a green/yellow/red result with plain advice.

import { h, icon } from '../dom.js';
import { formatMs, formatRate, t } from '../i18n.js';
import { actions, button, status, step } from './common.js';

const VERDICT_ICON = { green: 'check', yellow: 'warn', red: 'cross' };
const BADGE_KIND = { ok: 'ok', untested: 'info', denied: 'error', missing: 'error', error: 'error' };

function deviceCard(id, title, ...children) {
  const badge = h('span', { class: 'badge', id: `${id}-badge` });
  return {
    badge,
    node: h(
      'section',
      { class: 'card device', id: `${id}-card`, 'aria-labelledby': `${id}-title` },
      h('div', { class: 'card-head' }, h('h2', { id: `${id}-title`, text: title }), badge),
      ...children,
    ),
  };
}

function setBadge(badge, kind, text) {
  badge.className = `badge ${kind}`;
  badge.textContent = text;
}

/** A labelled <select> of devices; hidden while there is nothing to choose. */
function deviceSelect(id, label, onChange) {
  const select = h('select', { id });
  select.addEventListener('change', () => onChange(select.value));
  const wrap = h('div', { class: 'field', hidden: true }, h('label', { for: id, text: label }), select);
  const fill = (devices, activeId, fallbackName) => {
    const ids = devices.map((d) => d.deviceId).join('|');
    if (select.dataset.ids !== ids) {
      select.replaceChildren(
        ...devices.map((d, i) => h('option', { value: d.deviceId, text: d.label || `${fallbackName} ${i + 1}` })),
      );
      select.dataset.ids = ids;
    }
    if (activeId && devices.some((d) => d.deviceId === activeId)) select.value = activeId;
    wrap.hidden = devices.length < 2;
  };
  return { wrap, select, fill };
}

export function devicesView(app) {
  const check = app.deviceCheckController();

  // camera
  const video = h('video', { class: 'preview', autoplay: true, playsinline: true, 'aria-label': t('devices.preview_label') });
  video.muted = true;
  const videoOff = h('div', { class: 'preview-off', hidden: true }, icon('cross'), h('span', { text: t('devices.no_picture') }));
  const camSelect = deviceSelect('camera-select', t('devices.camera_select'), (id) => check.choose('camera', id));
  const camAdvice = h('div', { class: 'card-advice' });
  const cam = deviceCard('camera', t('devices.camera_test'), h('div', { class: 'preview-box' }, video, videoOff), camAdvice, camSelect.wrap);

  // microphone
  const meter = h('meter', { id: 'mic-meter', min: '0', max: '1', low: '0.3', high: '0.9', optimum: '0.6', value: '0' });
  const micHint = h('p', { class: 'hint', text: t('devices.mic_hint') });
  const micSelect = deviceSelect('mic-select', t('devices.mic_select'), (id) => check.choose('microphone', id));
  const micAdvice = h('div', { class: 'card-advice' });
  const meterLabel = h('label', { for: 'mic-meter', text: t('devices.mic_level') });
  const mic = deviceCard('mic', t('devices.mic_test'), meterLabel, meter, micHint, micAdvice, micSelect.wrap);

  // speaker
  const speakerSelect = deviceSelect('speaker-select', t('devices.speaker_select'), (id) => check.choose('speaker', id));
  const play = button(t('devices.speaker_play'), () => void check.playChime(), { kind: 'secondary', id: 'play-chime' });
  const yes = button(t('devices.speaker_yes'), () => check.confirmSpeaker(true), { kind: 'secondary', id: 'heard-yes' });
  const no = button(t('devices.speaker_no'), () => check.confirmSpeaker(false), { kind: 'secondary', id: 'heard-no' });
  const question = h('div', { class: 'question', hidden: true }, h('p', { text: t('devices.speaker_question') }), h('div', { class: 'actions tight' }, yes, no));
  const defaultSpeaker = h('p', { class: 'hint', hidden: true, text: t('devices.speaker_default') });
  const spk = deviceCard('speaker', t('devices.speaker_test'), h('p', { text: t('devices.speaker_intro') }), speakerSelect.wrap, defaultSpeaker, play, question);

  // network and system
  const netText = h('p', { id: 'network-result' });
  const net = deviceCard('network', t('devices.network_heading'), netText);
  const env = check.env;
  const sysText = h('p', {
    id: 'system-result',
    text: t('devices.system_result', {
      browser: env.known.browser ? env.browser : t('devices.unknown'),
      os: env.known.os ? env.os : t('devices.unknown'),
      device: t(`devices.device_${env.device_type}`),
    }),
  });
  const sys = deviceCard('system', t('devices.system_heading'), sysText);

  // result
  const verdictText = h('p', { class: 'verdict-text', id: 'verdict' });
  const advice = h('ul', { class: 'advice', id: 'advice' });
  const todoList = h('ul', { class: 'todo', id: 'todo' });
  const todoBox = h('div', { class: 'todo-box', id: 'todo-box', hidden: true }, h('h3', { text: t('devices.todo_heading') }), todoList);
  const saved = h('p', { class: 'hint', id: 'saved' });
  const help = h('p', { class: 'hint', text: t('devices.help') });
  const result = h(
    'section',
    { class: 'card result', 'aria-labelledby': 'result-title', id: 'result' },
    h('h2', { id: 'result-title', text: t('devices.result_heading') }),
    verdictText,
    advice,
    todoBox,
    saved,
    help,
  );
  const announcer = h('p', { class: 'visually-hidden', role: 'status', id: 'verdict-status' });

  let lastVerdict;
  const refresh = () => {
    const st = check.status;
    // camera
    const stream = check.stream;
    const hasVideo = st.camera === 'ok' && stream?.getVideoTracks().length;
    if (hasVideo && video.srcObject !== stream) {
      video.srcObject = stream;
      void video.play().catch(() => {});
    }
    if (!hasVideo) video.srcObject = null;
    video.hidden = !hasVideo;
    videoOff.hidden = Boolean(hasVideo) || !check.mediaDone;
    const badgeText = (s) => (check.mediaDone || s !== 'untested' ? t(`devices.status_${s}`) : t('devices.status_checking'));
    setBadge(cam.badge, check.mediaDone ? BADGE_KIND[st.camera] : 'info', badgeText(st.camera));
    camSelect.fill(check.devices.videoinput, check.activeId('camera'), t('devices.camera_heading'));
    // microphone
    const micKind = st.microphone === 'ok' && !check.micHeard ? 'info' : BADGE_KIND[st.microphone];
    const micText = st.microphone === 'ok' ? (check.micHeard ? t('devices.mic_heard') : t('devices.status_todo')) : badgeText(st.microphone);
    setBadge(mic.badge, check.mediaDone ? micKind : 'info', micText);
    micSelect.fill(check.devices.audioinput, check.activeId('microphone'), t('devices.mic_heading'));
    meter.hidden = st.microphone !== 'ok';
    meterLabel.hidden = st.microphone !== 'ok';
    micHint.hidden = st.microphone !== 'ok';
    // The fix right where the problem shows, not only in the result further down.
    const broken = (s) => ['denied', 'missing', 'error'].includes(s);
    camAdvice.replaceChildren(...(broken(st.camera) ? [status('error', t(`advice.camera_${st.camera}`))] : []));
    micAdvice.replaceChildren(...(broken(st.microphone) ? [status('error', t(`advice.mic_${st.microphone}`))] : []));
    // speaker
    const outputs = check.sinkSupported ? check.devices.audiooutput : [];
    speakerSelect.fill(outputs, check.activeId('speaker'), t('devices.speaker_heading'));
    defaultSpeaker.hidden = outputs.length > 1;
    question.hidden = !check.speakerPlayed || st.speaker !== 'untested';
    // Still to do (not a fault): the citizen plays the test sound and says whether it was heard.
    setBadge(spk.badge, st.speaker === 'error' ? 'warn' : BADGE_KIND[st.speaker], st.speaker === 'untested' ? t('devices.status_todo') : t(`devices.status_${st.speaker}`));
    // network
    const n = check.networkRunning ? null : check.network;
    if (!n) {
      setBadge(net.badge, 'info', t('devices.status_checking'));
      netText.textContent = t('devices.network_running');
    } else if (n.failed) {
      setBadge(net.badge, 'error', t('devices.status_error'));
      netText.textContent = t('devices.network_failed');
    } else {
      const { advice: items } = check.assessment();
      const slow = items.some((key) => key.startsWith('advice.network'));
      setBadge(net.badge, slow ? 'warn' : 'ok', slow ? t('devices.status_slow') : t('devices.status_ok'));
      netText.textContent = t('devices.network_result', {
        download: formatRate(n.download_kbps),
        upload: formatRate(n.upload_kbps),
        rtt: formatMs(n.rtt_ms),
      });
    }
    setBadge(sys.badge, env.capable ? (env.official ? 'ok' : 'warn') : 'error', env.capable ? (env.official ? t('devices.status_ok') : t('devices.status_other')) : t('devices.status_error'));
    // result
    const { verdict, advice: items, todo } = check.assessment();
    todoList.replaceChildren(...todo.map((key) => h('li', { text: t(key) })));
    todoBox.hidden = todo.length === 0;
    result.dataset.todo = String(todo.length);
    result.className = `card result ${verdict ?? 'pending'}`;
    result.dataset.verdict = verdict ?? 'pending';
    verdictText.replaceChildren(
      icon(verdict ? VERDICT_ICON[verdict] : 'wait'),
      h('span', { text: verdict ? t(`devices.verdict_${verdict}`) : t('devices.verdict_pending') }),
    );
    advice.replaceChildren(...items.map((key) => h('li', { text: t(key) })));
    advice.hidden = items.length === 0;
    saved.textContent = check.saved === 'ok' ? t('devices.saved') : check.saved === 'failed' ? t('devices.save_failed') : '';
    saved.hidden = !check.saved || check.saved === 'saving';
    if (verdict && verdict !== lastVerdict) {
      announcer.textContent = t(`devices.verdict_${verdict}`);
    }
    lastVerdict = verdict;
  };
  const onLevel = () => {
    meter.value = check.level;
  };
  check.addEventListener('change', refresh);
  check.addEventListener('level', onLevel);

  const node = step(
    'devices',
    t('devices.title'),
    h('p', { class: 'lead', text: t('devices.intro') }),
    status('info', t('devices.permission')),
    // The brochure's order: microphone, camera, speaker.
    h('div', { class: 'device-grid' }, mic.node, cam.node, spk.node, net.node, sys.node),
    result,
    announcer,
    actions(
      button(t('devices.continue'), () => app.go('entering'), { id: 'devices-continue' }),
      button(t('devices.retry'), () => check.restart(), { kind: 'secondary', id: 'devices-retry' }),
      button(t('devices.back'), () => app.go('start'), { kind: 'secondary' }),
    ),
  );
  refresh();
  return {
    node,
    title: t('devices.title'),
    dispose() {
      check.removeEventListener('change', refresh);
      check.removeEventListener('level', onLevel);
      video.srcObject = null;
    },
  };
}
