// The call with the advisor: the browser's own WebRTC, the console always makes the offer.
//
// The page gets its camera and microphone, then says "ready" through the waiting-room socket;
// the console answers with an offer (again after a reload or a failed connection), the page
// answers and trickles its candidates. Chat and the "alive" heartbeat go over the data
// channel the console opened. Nothing here touches the DOM: views/call.js draws it.
//
// The offer has two video transceivers: the camera first, a shared screen second (idle until
// somebody shares). A `screen` message names the mid of the screen transceiver; received
// tracks are routed by the transceiver they arrive on.

import { ROLES } from './mesh.js';
import { UplinkJudge } from './linkquality.js';
import { channel, socket, steps } from './protocol.js';

export const ALIVE_EVERY_MS = 1000;
export const SILENCE_MS = 4000;
/** Not connected this long after the last "ready": ask the console for a fresh offer again
 * (the "ready" was lost, the console was away, the network came back). */
export const READY_RETRY_MS = 8000;
/** After an outage, the time the console's media gets to flow again before a fresh offer is
 * asked for (only then: a connection whose media is back is kept). */
export const MEDIA_GRACE_MS = 2500;
const MAX_CHAT = 2000;

/** Can this browser present a screen or tab? Not on phones and tablets (no useful screen). */
export function screenShareSupported() {
  if (typeof navigator.mediaDevices?.getDisplayMedia !== 'function') return false;
  const mobile = navigator.userAgentData?.mobile === true || /Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent);
  return !mobile;
}

/**
 * Ask the browser for a screen, window or tab. Returns { track } or { problem }:
 * 'screen_cancelled' (the picker was closed, or sharing is not allowed) or 'screen_failed'.
 */
export async function openScreen() {
  try {
    const stream = await navigator.mediaDevices.getDisplayMedia({
      video: { width: { max: 1920 }, height: { max: 1080 }, frameRate: { ideal: 10, max: 15 } },
      audio: false,
    });
    const track = stream.getVideoTracks()[0];
    if (!track) return { problem: 'screen_failed' };
    track.contentHint = 'detail'; // text stays sharp; the frame rate gives way first
    return { track };
  } catch (err) {
    const name = err?.name ?? '';
    if (name === 'NotAllowedError' || name === 'AbortError') return { problem: 'screen_cancelled' };
    return { problem: 'screen_failed' };
  }
}

/** Does this browser do WebRTC at all? */
export function webrtcSupported() {
  return typeof window.RTCPeerConnection === 'function' && !!navigator.mediaDevices?.getUserMedia;
}

function videoConstraints(deviceId, facingMode) {
  const base = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
  if (deviceId) return { ...base, deviceId: { exact: deviceId } };
  if (facingMode) return { ...base, facingMode: { ideal: facingMode } };
  return base;
}

const AUDIO = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/**
 * Camera and microphone, as much of them as the browser gives: both, else one, else none.
 * Returns { stream, problems: ['camera_denied' | 'camera_missing' | 'microphone_…'] }.
 */
export async function openLocalMedia(devices = {}) {
  const video = videoConstraints(devices.camera);
  const audio = devices.microphone ? { ...AUDIO, deviceId: { exact: devices.microphone } } : AUDIO;
  const attempts = [
    { video, audio },
    { audio },
    { video },
  ];
  const problems = [];
  let lastError = null;
  for (const constraints of attempts) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia(constraints);
      if (!constraints.video) problems.push(problemOf('camera', lastError));
      if (!constraints.audio) problems.push(problemOf('microphone', lastError));
      return { stream, problems };
    } catch (err) {
      lastError = lastError ?? err;
      // A chosen device that vanished: try the browser's default before giving up.
      if (err?.name === 'OverconstrainedError' && (devices.camera || devices.microphone)) {
        return openLocalMedia({});
      }
    }
  }
  return {
    stream: new MediaStream(),
    problems: [problemOf('camera', lastError), problemOf('microphone', lastError)],
  };
}

function problemOf(kind, err) {
  const name = err?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return `${kind}_denied`;
  if (name === 'NotReadableError' || name === 'AbortError') return `${kind}_busy`;
  return `${kind}_missing`;
}

/**
 * What the browser gives up first when bandwidth is short. The camera keeps its resolution
 * (the frame rate gives way) while the uplink carries it and always during the ID check (the
 * advisor must read a document); on a weak uplink (UplinkJudge) it keeps its frame rate (a
 * smaller picture, Chromium's own default for a camera), not a sharp one at two frames a
 * second. Not `balanced`: it also lowers the frame rate, and at 10 fps the encoder sends less
 * than its target, so the browser's estimate does not climb when the link recovers (the
 * picture stayed at 10 fps for 20 s after a drop; benchmarks/README.md). A shared screen
 * always keeps its resolution (text).
 */
async function setPreference(sender, preference) {
  try {
    const params = sender.getParameters();
    if (params.degradationPreference === preference && params.encodings?.every((e) => e.maxBitrate)) return;
    params.degradationPreference = preference;
    for (const encoding of params.encodings ?? []) encoding.maxBitrate = 2_500_000;
    await sender.setParameters(params);
  } catch (err) {
    console.warn('call: sender parameters not applied', err?.name);
  }
}

const ID_CHECK_STEPS = new Set(['front', 'back']);

/** Is `sender` absent, or who wrote a line the console passes on in a group call? */
function validSender(sender) {
  if (sender === undefined || sender === null) return true;
  return typeof sender.name === 'string' && sender.name.length <= 1000 && ROLES.has(sender.role);
}

/** Is `value` a chat message as the console sends it? (Text is only ever shown as text.) */
function validChat(msg) {
  return (
    typeof msg.id === 'string' && msg.id.length > 0 && msg.id.length <= 64 &&
    typeof msg.text === 'string' && msg.text.trim().length > 0 && msg.text.length <= 4 * MAX_CHAT &&
    typeof msg.at === 'string' && !Number.isNaN(Date.parse(msg.at)) &&
    validSender(msg.sender)
  );
}

export class CallConnection {
  /**
   * room: the waiting-room socket (Room); ice: {ice_servers, ice_transport_policy};
   * handlers: onRemoteTrack(stream), onRemoteScreenTrack(stream), onState(state), onChat(msg),
   * onRemoteMedia(state), onRemoteScreen(active), onIdCheck(step), onBye(),
   * onLocalTrack(kind, track), onLocalMedia(media) (our camera or microphone changed: the
   * mesh sends it and says so too).
   * state: 'connecting' | 'connected' | 'interrupted' | 'closed'.
   */
  constructor(room, ice, handlers) {
    this.room = room;
    this.ice = ice;
    this.handlers = handlers;
    this.pc = null;
    this.channel = null;
    this.local = new MediaStream();
    this.remote = new MediaStream();
    this.remoteScreen = new MediaStream();
    this.remoteScreenActive = false;
    this.screen = null; // our shared screen's track, or null
    this.idCheck = false; // the console's ID check is showing a step (see preference())
    this.uplink = new UplinkJudge(); // is our uplink too weak for the camera's resolution?
    this.mids = { audio: null, video: null, screen: null };
    this.state = 'connecting';
    this.lastHeard = 0;
    this.seq = 0;
    /** Media received so far on this connection: video frames decoded, audio bytes. */
    this.received = { video: 0, audio: 0 };
    this.remoteCamera = true;
    /** After an outage: what had arrived when the call was heard again (see checkMedia). */
    this.resumed = null;
    this.aliveTimer = null;
    this.closed = false;
    this.media = { camera: false, microphone: false };
    this.readyAt = 0;
    this.watchTimer = null;
  }

  /** Tell the console we are ready for its offer (first time, after a reload or a failure);
   * repeated while the call does not come back (see `watch`). */
  ready() {
    if (this.closed) return;
    this.setState(this.state === 'interrupted' ? 'interrupted' : 'connecting');
    this.readyAt = Date.now();
    this.room.send(socket.signal(steps.ready()));
    if (!this.watchTimer) this.watchTimer = setInterval(() => this.watch(), 1000);
  }

  /** Not connected for a while since the last "ready": a fresh negotiation, led by the console. */
  watch() {
    if (this.closed || this.state === 'connected') return;
    if (Date.now() - this.readyAt >= READY_RETRY_MS) this.ready();
  }

  /** The waiting-room socket is back (after a network drop): if the call is not running,
   * ask for a fresh offer at once instead of waiting for the next try. */
  roomOnline() {
    if (this.closed || !this.readyAt || this.state === 'connected') return;
    if (this.pc && Date.now() - this.lastHeard < SILENCE_MS) return; // media or messages flow
    this.ready();
  }

  setLocal(stream) {
    this.local = stream;
    this.media = {
      camera: stream.getVideoTracks().some((t) => t.readyState === 'live' && t.enabled),
      microphone: stream.getAudioTracks().some((t) => t.readyState === 'live' && t.enabled),
    };
  }

  track(kind) {
    if (kind === 'screen') return this.screen;
    return (kind === 'video' ? this.local.getVideoTracks() : this.local.getAudioTracks())[0] ?? null;
  }

  /** Our transceivers by role: the audio one, the first video (camera), the second (screen). */
  transceivers(pc = this.pc) {
    const all = pc ? pc.getTransceivers() : [];
    const videos = all.filter((t) => t.receiver.track.kind === 'video');
    const found = {
      audio: all.find((t) => t.receiver.track.kind === 'audio') ?? null,
      video: videos[0] ?? null,
      screen: videos[1] ?? null,
    };
    this.mids = { audio: found.audio?.mid ?? null, video: found.video?.mid ?? null, screen: found.screen?.mid ?? null };
    return found;
  }

  /** The degradation preference of the camera ('video') or screen sender (see setPreference). */
  preference(role) {
    if (role === 'screen' || this.idCheck || !this.uplink.weak) return 'maintain-resolution';
    return 'maintain-framerate';
  }

  /** The browser's send estimate (kbit/s) from the quality watch: on a weak uplink the
   * camera keeps its frame rate (see setPreference). */
  async noteSendRate(kbps) {
    const weak = this.uplink.weak;
    if (this.uplink.note(kbps, Date.now()) === weak) return;
    const camera = this.transceivers().video;
    if (camera) await setPreference(camera.sender, this.preference('video'));
  }

  /** The console's ID check began or ended a step: the camera keeps its resolution meanwhile. */
  async onIdCheckStep(step) {
    this.idCheck = ID_CHECK_STEPS.has(step);
    const camera = this.transceivers().video;
    if (camera) await setPreference(camera.sender, this.preference('video'));
    this.handlers.onIdCheck?.(step);
  }

  /** A step of the negotiation from the console (relayed by the service). */
  async onSignal(payload) {
    if (this.closed || !payload) return;
    if (payload.kind === 'offer' && typeof payload.sdp === 'string') {
      const negotiation = Number.isInteger(payload.negotiation) ? payload.negotiation : null;
      await this.answer(payload.sdp, negotiation);
    }
  }

  newPeerConnection() {
    this.dropPeerConnection();
    this.uplink.restart(); // a new connection's estimate climbs again from its start value
    const pc = new RTCPeerConnection({
      iceServers: (this.ice?.ice_servers ?? []).map((s) => ({
        urls: s.urls,
        ...(s.username ? { username: s.username, credential: s.credential } : {}),
      })),
      iceTransportPolicy: this.ice?.ice_transport_policy === 'relay' ? 'relay' : 'all',
    });
    this.pc = pc;
    this.received = { video: 0, audio: 0 };
    this.resumed = null;
    this.remote = new MediaStream();
    this.remoteScreen = new MediaStream();
    this.setRemoteScreen(false);
    pc.onicecandidate = (event) => {
      if (pc !== this.pc) return;
      const c = event.candidate;
      this.room.send(socket.signal(steps.candidate(c)));
    };
    pc.ontrack = (event) => {
      if (pc !== this.pc) return;
      const mid = event.transceiver?.mid;
      if (event.track.kind === 'video' && mid != null && mid === this.transceivers(pc).screen?.mid) {
        this.remoteScreen.addTrack(event.track);
        this.handlers.onRemoteScreenTrack?.(this.remoteScreen);
        return;
      }
      this.remote.addTrack(event.track);
      this.handlers.onRemoteTrack?.(this.remote);
    };
    pc.ondatachannel = (event) => this.attachChannel(pc, event.channel);
    pc.onconnectionstatechange = () => {
      if (pc !== this.pc) return;
      if (pc.connectionState === 'failed') {
        this.setState('interrupted');
        this.ready(); // a fresh negotiation, led by the console
      } else if (pc.connectionState === 'disconnected') {
        this.setState('interrupted');
      }
    };
    return pc;
  }

  /** Answer the console's offer; `negotiation` (its number) goes back with the answer. */
  async answer(sdp, negotiation = null) {
    const pc = this.newPeerConnection();
    await pc.setRemoteDescription({ type: 'offer', sdp });
    const roles = this.transceivers(pc);
    for (const [role, transceiver] of Object.entries(roles)) {
      if (!transceiver) continue;
      transceiver.direction = 'sendrecv';
      await transceiver.sender.replaceTrack(this.track(role));
      if (role !== 'audio') await setPreference(transceiver.sender, this.preference(role));
    }
    await pc.setLocalDescription(await pc.createAnswer());
    if (pc !== this.pc) return;
    this.room.send(socket.signal(steps.answer(pc.localDescription.sdp, negotiation)));
  }

  /** Send `track` (or nothing) as our audio, camera ('video') or 'screen', without a new
   * negotiation. */
  async replaceTrack(kind, track) {
    if (kind !== 'screen') this.handlers.onLocalTrack?.(kind, track); // the other participants
    if (!this.pc) return;
    await this.transceivers()[kind]?.sender.replaceTrack(track);
  }

  /** Present `track` (from openScreen) as the second video; the console is told. */
  async shareScreen(track) {
    const old = this.screen;
    this.screen = track;
    await this.replaceTrack('screen', track);
    if (old && old !== track) old.stop();
    this.sendScreen();
  }

  /** Stop presenting: the screen sender goes idle, the browser's capture ends. */
  async stopScreen() {
    const track = this.screen;
    this.screen = null;
    await this.replaceTrack('screen', null);
    track?.stop();
    this.sendScreen();
  }

  sendScreen() {
    this.send(channel.screen(!!this.screen, this.mids.screen));
  }

  setRemoteScreen(active) {
    if (active === this.remoteScreenActive) return;
    this.remoteScreenActive = active;
    this.handlers.onRemoteScreen?.(active);
  }

  // --- data channel -------------------------------------------------------------------------

  attachChannel(pc, channel) {
    if (pc !== this.pc) return;
    this.channel = channel;
    channel.onopen = () => {
      this.lastHeard = Date.now();
      this.sendMedia();
      this.sendScreen();
      clearInterval(this.aliveTimer);
      this.aliveTimer = setInterval(() => this.alive(), ALIVE_EVERY_MS);
      this.setState('connected');
    };
    channel.onmessage = (event) => this.receive(channel, event.data);
    channel.onclose = () => {
      if (channel === this.channel && !this.closed) this.setState('interrupted');
    };
  }

  receive(channel, data) {
    if (channel !== this.channel) return;
    this.heard();
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      console.warn('call: dropped a malformed message');
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'chat' && validChat(msg)) this.handlers.onChat?.(msg);
    else if (msg.type === 'media') {
      this.remoteCamera = msg.camera === true;
      this.handlers.onRemoteMedia?.({ camera: msg.camera === true, microphone: msg.microphone === true });
    } else if (msg.type === 'screen') {
      if (typeof msg.active !== 'boolean' || (msg.mid != null && typeof msg.mid !== 'string')) {
        console.warn('call: dropped a malformed screen message');
        return;
      }
      // The console names its screen transceiver; a share on any other one is not shown.
      this.setRemoteScreen(msg.active && (msg.mid == null || msg.mid === this.mids.screen));
    } else if (msg.type === 'idcheck' && typeof msg.step === 'string') this.onIdCheckStep(msg.step);
    else if (msg.type === 'video_pause') this.handlers.onVideoPause?.(['weak', 'chosen'].includes(msg.reason) ? msg.reason : null);
    else if (msg.type === 'bye') this.handlers.onBye?.();
    else if (msg.type !== 'alive') console.warn('call: ignored a message', String(msg.type).slice(0, 20));
  }

  send(message) {
    if (this.channel?.readyState !== 'open') return false;
    this.channel.send(JSON.stringify(message));
    return true;
  }

  /** The console is heard (a message, or media arriving). After an outage the call is live
   * again at once; a fresh offer is asked for only if its media does not come back. */
  heard() {
    this.lastHeard = Date.now();
    if (this.state !== 'interrupted') return;
    this.resumed = { at: Date.now(), ...this.received };
    this.setState('connected');
  }

  /** Called every second: does media arrive? Media counts as hearing the console (its data
   * channel may take longer to come back than the media); and media stalled after an outage
   * (Chromium's decoder or aiortc's sender, seen with a frozen TURN relay) asks for a fresh
   * offer. */
  async checkMedia() {
    const pc = this.pc;
    if (!pc) return;
    const now = { video: 0, audio: 0 };
    try {
      (await pc.getStats()).forEach((s) => {
        if (s.type !== 'inbound-rtp') return;
        if (s.kind === 'video') now.video += s.framesDecoded ?? 0;
        else if (s.kind === 'audio') now.audio += s.bytesReceived ?? 0;
      });
    } catch {
      return; // a connection closing under our feet has no statistics
    }
    if (pc !== this.pc) return;
    const flows = now.video > this.received.video || now.audio > this.received.audio;
    this.received = now;
    if (flows) this.heard();
    const resumed = this.resumed;
    if (!resumed || Date.now() - resumed.at < MEDIA_GRACE_MS) return;
    this.resumed = null;
    const videoStalled = this.remoteCamera && resumed.video > 0 && now.video === resumed.video;
    const nothing = now.video === resumed.video && now.audio === resumed.audio;
    if (videoStalled || nothing) this.ready();
  }

  alive() {
    void this.checkMedia();
    this.send(channel.alive(++this.seq));
    if (this.seq % 5 === 0) {
      this.sendMedia(); // a state lost on the way is repaired soon
      this.sendScreen();
    }
    if (this.state === 'connected' && Date.now() - this.lastHeard > SILENCE_MS) {
      this.setState('interrupted');
    }
  }

  sendMedia() {
    this.send(channel.media(this.media.camera, this.media.microphone));
  }

  setMedia(media) {
    this.media = { ...this.media, ...media };
    this.sendMedia();
    this.handlers.onLocalMedia?.(this.media); // the other participants are told as well
  }

  /** Send a chat line; returns the message as shown on our side, or null when not connected. */
  sendChat(text) {
    const clean = String(text).replace(/\r\n?/g, '\n').trim().slice(0, MAX_CHAT);
    if (!clean) return null;
    const id = crypto.randomUUID ? crypto.randomUUID().replace(/-/g, '') : String(Date.now()) + Math.random();
    const msg = channel.chat(id, clean, new Date().toISOString());
    return this.send(msg) ? msg : null;
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.handlers.onState?.(state);
  }

  dropPeerConnection() {
    clearInterval(this.aliveTimer);
    this.aliveTimer = null;
    const pc = this.pc;
    this.pc = null;
    this.channel = null;
    if (pc) {
      pc.onicecandidate = pc.ontrack = pc.ondatachannel = pc.onconnectionstatechange = null;
      pc.close();
    }
  }

  /** Hang up here: a goodbye on the channel, then every connection and device released. */
  close({ sayBye = true } = {}) {
    if (this.closed) return;
    if (sayBye) this.send(channel.bye());
    this.closed = true;
    clearInterval(this.watchTimer);
    this.watchTimer = null;
    this.dropPeerConnection();
    for (const track of this.local.getTracks()) track.stop();
    this.screen?.stop();
    this.screen = null;
    this.setState('closed');
  }
}
