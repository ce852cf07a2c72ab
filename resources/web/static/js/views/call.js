// The call view: the advisor large, oneself small, the other participants of a group call
// (interpreter, legal representative, …) as tiles with name and role under it, the controls,
// the chat. While the advisor
// shares a screen it is shown large and the advisor's camera small (the citizen can swap).
//
// Works at 360×640 (controls in one row under the picture, chat below) and on a desktop
// (chat beside the picture). Chat text only ever goes in as text; only http(s) links become
// links, opened in a new tab without the opener or a referrer.

import { CallConnection, openLocalMedia, openScreen, screenShareSupported, webrtcSupported } from '../call.js';
import { h, icon } from '../dom.js';
import { Mesh } from '../mesh.js';
import { formatTime, t } from '../i18n.js';
import { status } from './common.js';
import { watchQuality } from '../linkquality.js';

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;

/** Chat text as nodes: plain text, with http(s) addresses as safe links. */
export function chatNodes(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let href = match[0].replace(/[.,;:!?)\]]+$/, '');
    if (match.index > last) nodes.push(text.slice(last, match.index));
    let url = null;
    try {
      url = new URL(href);
    } catch {
      url = null;
    }
    if (url && (url.protocol === 'https:' || url.protocol === 'http:')) {
      nodes.push(h('a', { href: url.href, target: '_blank', rel: 'noopener noreferrer' }, href));
    } else {
      nodes.push(href);
    }
    last = match.index + href.length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

function toggle(id, iconName) {
  return h('button', { type: 'button', class: 'ctl', id, 'aria-pressed': 'false' }, icon(iconName), h('span', { class: 'ctl-label' }));
}

/**
 * A toggle with the brochure's words: the label says what a press does ("Video freigeben" /
 * "Videofreigabe beenden"), `aria-pressed` says whether the function is on.
 */
function setToggle(button, pressed, labelToPress, labelToRelease) {
  button.setAttribute('aria-pressed', pressed ? 'true' : 'false');
  button.querySelector('.ctl-label').textContent = pressed ? labelToRelease : labelToPress;
}

export function callView(app) {
  const remoteVideo = h('video', { id: 'remote-video', autoplay: true, playsinline: true, 'aria-label': t('call.remote_label') });
  const remoteOff = h('div', { class: 'remote-off', id: 'remote-off', hidden: true }, icon('camera_off'), h('span', { text: t('call.remote_camera_off') }));
  const selfVideo = h('video', { id: 'self-video', class: 'self', autoplay: true, playsinline: true, muted: true, 'aria-label': t('call.self_label') });
  const callStatus = h('p', { class: 'call-status', role: 'status', id: 'call-status', 'data-testid': 'call-status', 'data-state': 'connecting' }, t('call.connecting'));
  const idOverlay = h('div', { class: 'id-overlay', id: 'id-overlay', hidden: true }, h('div', { class: 'id-frame', 'aria-hidden': 'true' }), h('p', { class: 'id-text', id: 'id-text', role: 'status' }));
  const remoteScreen = h('video', { id: 'remote-screen', autoplay: true, playsinline: true, muted: true, hidden: true, 'aria-label': t('call.remote_screen_label') });
  const advisorLabel = h('p', { class: 'tile-label', id: 'advisor-label', hidden: true, text: t('role.advisor') });
  // The console paused its picture (weak connection, or the advisor chose audio only).
  const pausedNote = h('div', { class: 'remote-off', id: 'video-paused', role: 'status', hidden: true }, icon('camera_off'), h('span'));
  const linkNote = h('p', { class: 'link-quality', id: 'link-quality', role: 'status', hidden: true });
  const stage = h('div', { class: 'stage', id: 'stage' }, remoteVideo, remoteScreen, remoteOff, pausedNote, selfVideo, advisorLabel, idOverlay, callStatus);
  const peerGrid = h('ul', { class: 'peer-tiles', id: 'peer-tiles', hidden: true, 'aria-label': t('call.peers_label') });

  const camera = toggle('toggle-camera', 'camera');
  const microphone = toggle('toggle-microphone', 'mic');
  const flip = h('button', { type: 'button', class: 'ctl', id: 'switch-camera', hidden: true }, icon('flip'), h('span', { class: 'ctl-label', text: t('call.switch_camera') }));
  const fullscreen = h('button', { type: 'button', class: 'ctl', id: 'fullscreen', 'aria-pressed': 'false', hidden: !document.fullscreenEnabled }, icon('fullscreen'), h('span', { class: 'ctl-label', text: t('call.fullscreen') }));
  const hangup = h('button', { type: 'button', class: 'ctl hangup', id: 'hangup' }, icon('hangup'), h('span', { class: 'ctl-label', text: t('call.hangup') }));
  const share = h('button', { type: 'button', class: 'ctl', id: 'share-screen', 'aria-pressed': 'false', hidden: !screenShareSupported() }, icon('screen'), h('span', { class: 'ctl-label', text: t('call.share_screen') }));
  const swap = h('button', { type: 'button', class: 'ctl', id: 'swap-view', hidden: true }, icon('swap'), h('span', { class: 'ctl-label', text: t('call.swap_view') }));
  const controls = h('div', { class: 'controls', role: 'toolbar', 'aria-label': t('call.controls_label') }, camera, microphone, flip, share, swap, fullscreen, hangup);
  const sharing = h('p', { class: 'share-indicator', id: 'share-indicator', role: 'status', hidden: true }, icon('screen'), h('span', { text: t('call.sharing') }));

  const log = h('ol', { class: 'chat-log', id: 'chat-log' });
  const empty = h('p', { class: 'hint', id: 'chat-empty', text: t('call.chat_empty') });
  const input = h('textarea', { id: 'chat-input', rows: 2, maxlength: 2000, 'aria-describedby': 'chat-hint', disabled: true });
  const send = h('button', { type: 'submit', class: 'primary', id: 'chat-send', disabled: true }, t('call.chat_send'));
  const form = h(
    'form',
    { class: 'chat-form', id: 'chat-form' },
    h('label', { for: 'chat-input', text: t('call.chat_label') }),
    input,
    h('p', { class: 'hint', id: 'chat-hint', text: t('call.chat_hint') }),
    send,
  );
  const chat = h(
    'section',
    { class: 'card chat', 'aria-labelledby': 'chat-title' },
    h('h2', { id: 'chat-title', text: t('call.chat_title') }),
    h('div', { role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'chat-title', class: 'chat-scroll' }, empty, log),
    form,
  );
  const notices = h('div', { class: 'notices', id: 'call-notices' });
  const node = h(
    'div',
    { class: 'step step-admitted call-layout', 'data-step': 'admitted' },
    h('h1', { id: 'step-title', tabindex: '-1', class: 'visually-hidden', text: t('call.title') }),
    h('div', { class: 'call-main' }, stage, peerGrid, sharing, linkNote, controls, notices),
    chat,
  );

  let call = null;
  let mesh = null;
  const tiles = new Map(); // participant id -> { node, video, name, role, state }
  let facing = 'user';
  let remoteCamera = true;
  let remoteSharing = false;
  let swapped = false;
  let stopped = false;
  let videoPaused = null;
  let stopQuality = () => {};
  const problems = new Set();

  const notice = (key, kind = 'warn') => {
    if (problems.has(key)) return;
    problems.add(key);
    notices.append(status(kind, t(`call.problem.${key}`), { 'data-problem': key }));
  };

  /** A screen-share notice may come again (a second cancelled picker is news again). */
  const renotice = (key) => {
    problems.delete(key);
    notices.querySelector(`[data-problem="${key}"]`)?.remove();
    notice(key);
  };

  /** The advisor's screen large and the camera small, or swapped by the citizen. */
  const layoutStage = () => {
    stage.classList.toggle('screen-on', remoteSharing);
    remoteScreen.hidden = !remoteSharing;
    swap.hidden = !remoteSharing;
    remoteScreen.classList.toggle('pip', remoteSharing && swapped);
    remoteVideo.classList.toggle('pip', remoteSharing && !swapped);
    remoteOff.hidden = remoteCamera || (remoteSharing && !swapped);
    swap.setAttribute('aria-pressed', swapped ? 'true' : 'false');
  };

  /** The other participants' tiles, with name and role as text (never markup). */
  const showPeers = (peers, advisorName = '') => {
    advisorLabel.textContent = advisorName ? `${advisorName} · ${t('role.advisor')}` : t('role.advisor');
    for (const [id, tile] of tiles) {
      if (peers.some((p) => p.id === id)) continue;
      tile.video.srcObject = null;
      tile.node.remove();
      tiles.delete(id);
    }
    for (const peer of peers) {
      let tile = tiles.get(peer.id);
      if (!tile) {
        const video = h('video', { class: 'peer-video', autoplay: true, playsinline: true });
        const name = h('span', { class: 'peer-name' });
        const role = h('span', { class: 'peer-role' });
        const muted = h('span', { class: 'peer-muted', hidden: true, text: t('call.peer_muted') });
        const state = h('span', { class: 'peer-state', role: 'status', text: t('call.peer_connecting') });
        const node = h('li', { class: 'peer-tile', 'data-peer': String(peer.id), 'data-state': 'connecting' }, video, state, h('p', { class: 'peer-caption' }, name, role, muted));
        tile = { node, video, name, role, state, muted, camera: true };
        tiles.set(peer.id, tile);
        peerGrid.append(node);
      }
      tile.name.textContent = peer.name;
      tile.role.textContent = t(`role.${peer.role}`);
      tile.video.setAttribute('aria-label', t('call.peer_label', { name: peer.name }));
    }
    peerGrid.hidden = tiles.size === 0;
    peerGrid.dataset.count = String(tiles.size);
    advisorLabel.hidden = tiles.size === 0;
  };

  const showPeerState = (id, state) => {
    const tile = tiles.get(id);
    if (!tile) return;
    tile.node.dataset.state = state;
    const text = { connecting: t('call.peer_connecting'), interrupted: t('call.peer_interrupted') }[state];
    tile.state.textContent = text ?? (tile.camera ? '' : t('call.peer_camera_off'));
    tile.state.hidden = !tile.state.textContent;
  };

  /** What the other participant sends: "Kamera aus" on their tile, "Stumm" under the name. */
  const showPeerMedia = (id, media) => {
    const tile = tiles.get(id);
    if (!tile) return;
    tile.camera = media.camera;
    tile.node.dataset.camera = media.camera ? 'on' : 'off';
    tile.muted.hidden = media.microphone;
    showPeerState(id, tile.node.dataset.state);
  };

  const refreshShare = () => {
    const on = !!call?.screen;
    setToggle(share, on, t('call.share_screen'), t('call.stop_sharing'));
    share.classList.toggle('active', on);
    sharing.hidden = !on;
  };

  const refreshFullscreen = () => {
    setToggle(fullscreen, !!document.fullscreenElement, t('call.fullscreen'), t('call.fullscreen_exit'));
  };

  const showState = (state) => {
    callStatus.dataset.state = state;
    const text = { connecting: t('call.connecting'), connected: '', interrupted: t('call.interrupted'), closed: '' }[state] ?? '';
    callStatus.textContent = text;
    callStatus.hidden = !text;
    const live = state === 'connected';
    input.disabled = !live;
    send.disabled = !live;
  };

  /** Who wrote a line: we, the advisor, or (passed on by the console) another participant. */
  const chatAuthor = (msg, mine) => {
    if (mine) return t('call.chat_me');
    if (!msg.sender) return t('call.chat_them');
    const role = t(`role.${msg.sender.role}`);
    return msg.sender.name ? `${msg.sender.name} (${role})` : role;
  };

  const addChat = (msg, mine) => {
    empty.hidden = true;
    log.append(
      h(
        'li',
        { class: mine ? 'mine' : 'theirs' },
        h('span', { class: 'chat-meta' }, `${chatAuthor(msg, mine)} · ${t('time.clock', { time: formatTime(msg.at) })}`),
        h('span', { class: 'chat-text' }, chatNodes(msg.text)),
      ),
    );
    log.parentElement.scrollTop = log.parentElement.scrollHeight;
  };

  const refreshToggles = () => {
    const cam = call?.track('video');
    const mic = call?.track('audio');
    const videoOn = !!cam && cam.enabled && cam.readyState === 'live';
    const micOn = !!mic && mic.enabled && mic.readyState === 'live';
    setToggle(camera, videoOn, t('call.video_share'), t('call.video_stop'));
    camera.classList.toggle('off', !videoOn);
    // Pressed = muted: "Mikrofon stumm schalten" / "Stummschaltung aufheben".
    setToggle(microphone, !micOn, t('call.mute'), t('call.unmute'));
    microphone.classList.toggle('off', !micOn);
    camera.disabled = problems.has('camera_denied');
    microphone.disabled = !mic;
    selfVideo.hidden = !cam || cam.readyState !== 'live';
  };

  const watchEnd = (track, kind) => {
    track.addEventListener('ended', () => {
      if (stopped || call?.track(kind) !== track) return;
      notice(`${kind === 'video' ? 'camera' : 'microphone'}_lost`);
      track.stop(); // already ended when unplugged; released in any case
      call.local.removeTrack(track);
      void call.replaceTrack(kind, null);
      call.setMedia(kind === 'video' ? { camera: false } : { microphone: false });
      refreshToggles();
    });
  };

  const useStream = (stream) => {
    call.setLocal(stream);
    selfVideo.srcObject = stream.getVideoTracks().length ? stream : null;
    for (const track of stream.getTracks()) watchEnd(track, track.kind);
    refreshToggles();
  };

  const cameraOn = async (constraints) => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: constraints });
      const track = stream.getVideoTracks()[0];
      for (const old of call.local.getVideoTracks()) {
        old.stop();
        call.local.removeTrack(old);
      }
      call.local.addTrack(track);
      watchEnd(track, 'video');
      selfVideo.srcObject = call.local;
      await call.replaceTrack('video', track);
      call.setMedia({ camera: true });
    } catch {
      notice('camera_missing');
    }
    refreshToggles();
  };

  camera.addEventListener('click', async () => {
    const track = call?.track('video');
    if (track && track.readyState === 'live') {
      // Off means off: the device is released (its light goes out) and nothing is sent.
      track.stop();
      call.local.removeTrack(track);
      await call.replaceTrack('video', null);
      call.setMedia({ camera: false });
      refreshToggles();
    } else if (call) {
      camera.disabled = true;
      await cameraOn({ width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 }, facingMode: { ideal: facing } });
    }
  });
  microphone.addEventListener('click', () => {
    const track = call?.track('audio');
    if (!track) return;
    track.enabled = !track.enabled; // muted: silence is sent, nothing of the room
    call.setMedia({ microphone: track.enabled });
    refreshToggles();
  });
  flip.addEventListener('click', async () => {
    facing = facing === 'user' ? 'environment' : 'user';
    selfVideo.classList.toggle('mirror', facing === 'user');
    await cameraOn({ width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: { exact: facing } });
  });
  share.addEventListener('click', async () => {
    if (!call) return;
    if (call.screen) {
      await call.stopScreen();
      refreshShare();
      return;
    }
    share.disabled = true;
    const { track, problem } = await openScreen();
    share.disabled = false;
    if (problem) {
      renotice(problem); // the call goes on as before
      return;
    }
    if (stopped || !call) {
      track.stop();
      return;
    }
    track.addEventListener('ended', () => {
      // "Freigabe beenden" in the browser's own bar
      if (call?.screen === track) void call.stopScreen().then(refreshShare);
    });
    await call.shareScreen(track);
    refreshShare();
  });
  swap.addEventListener('click', () => {
    swapped = !swapped;
    layoutStage();
  });
  fullscreen.addEventListener('click', () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void node.querySelector('.call-main').requestFullscreen?.();
  });
  // Esc or the browser's own control leave full screen, too: the button follows.
  document.addEventListener('fullscreenchange', refreshFullscreen);
  hangup.addEventListener('click', () => {
    hangup.disabled = true;
    app.hangUp();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const msg = call?.sendChat(input.value);
    if (msg) {
      addChat(msg, true);
      input.value = '';
    }
    input.focus();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  const start = async () => {
    if (!webrtcSupported()) {
      showState('closed');
      notice('no_webrtc', 'error');
      return;
    }
    const ice = await app.api.ice().catch(() => ({ ice_servers: [], ice_transport_policy: 'all' }));
    if (stopped) return;
    mesh.ice = ice;
    call = new CallConnection(app.room, ice, {
      onLocalTrack: (kind, track) => void mesh?.replaceTrack(kind, track),
      onLocalMedia: (media) => mesh?.setMedia(media),
      onRemoteTrack: (stream) => {
        if (remoteVideo.srcObject !== stream) remoteVideo.srcObject = stream;
      },
      onState: showState,
      onChat: (msg) => addChat(msg, false),
      onRemoteScreenTrack: (stream) => {
        if (remoteScreen.srcObject !== stream) remoteScreen.srcObject = stream;
      },
      onRemoteMedia: (media) => {
        remoteCamera = media.camera;
        layoutStage();
      },
      onRemoteScreen: (active) => {
        remoteSharing = active;
        if (!active) swapped = false;
        layoutStage();
      },
      onIdCheck: (step) => showIdCheck(step),
      onVideoPause: (reason) => {
        videoPaused = reason;
        pausedNote.hidden = !reason;
        if (reason) pausedNote.querySelector('span').textContent = t(`call.video_paused_${reason}`);
      },
      onBye: () => app.callEndedByAdvisor(),
    });
    app.call = call;
    const { stream, problems: found } = await openLocalMedia(app.store.get().devices ?? {});
    if (stopped) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    for (const problem of found) notice(problem);
    useStream(stream);
    const cameras = (await navigator.mediaDevices.enumerateDevices().catch(() => [])).filter((d) => d.kind === 'videoinput');
    flip.hidden = cameras.length < 2 || !call.track('video');
    selfVideo.classList.add('mirror');
    call.ready();
    mesh.start(call.local, call.media);
    stopQuality = watchQuality(() => call?.pc, (level) => {
      linkNote.hidden = false;
      linkNote.dataset.level = level;
      linkNote.textContent = t(`call.link_${level}`);
    }, { paused: () => videoPaused === 'weak', onSendRate: (kbps, link) => call?.noteSendRate(kbps, link) });
  };

  const showIdCheck = (step) => {
    const active = step === 'front' || step === 'back';
    idOverlay.hidden = !active;
    stage.classList.toggle('id-check', active);
    if (active) idOverlay.querySelector('#id-text').textContent = t(`call.idcheck.${step}`);
  };

  return {
    node,
    title: t('call.title'),
    mounted() {
      mesh = new Mesh(app.room, null, {
        onPeers: showPeers,
        onPeerStream: (id, stream) => {
          const tile = tiles.get(id);
          if (tile && tile.video.srcObject !== stream) tile.video.srcObject = stream;
        },
        onPeerState: showPeerState,
        onPeerMedia: showPeerMedia,
      });
      if (app.roster) mesh.setRoster(app.roster);
      showState('connecting');
      refreshToggles();
      start().catch((err) => {
        console.error(err);
        notice('failed', 'error');
      });
    },
    onRoster(msg) {
      mesh?.setRoster(msg);
    },
    onPeerSignal(peer, payload) {
      mesh?.onSignal(peer, payload);
    },
    onSignal(payload) {
      void call?.onSignal(payload).catch((err) => console.warn('call: signal failed', err));
    },
    dispose() {
      stopped = true;
      document.removeEventListener('fullscreenchange', refreshFullscreen);
      stopQuality();
      mesh?.close();
      for (const tile of tiles.values()) tile.video.srcObject = null;
      call?.close({ sayBye: false });
      if (app.call === call) app.call = null;
      remoteVideo.srcObject = null;
      remoteScreen.srcObject = null;
      selfVideo.srcObject = null;
    },
  };
}
