// The device check's engine, without any DOM of its own: camera and microphone (getUserMedia),
// the microphone level (Web Audio AnalyserNode), a test chime (OscillatorNode), the device
// lists, the network test and the result that goes to the service (only DeviceCheckIn fields).

import { detectEnvironment } from './detect.js';
import { measureNetwork } from './nettest.js';
import { assess } from './verdict.js';

/** Microphone level (0..1) above which we count the microphone as hearing something. */
const HEARD_LEVEL = 0.3;

function classify(err) {
  switch (err?.name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    default:
      return 'error';
  }
}

async function acquire(constraints) {
  try {
    return { stream: await navigator.mediaDevices.getUserMedia(constraints) };
  } catch (err) {
    return { error: classify(err) };
  }
}

export class DeviceCheck extends EventTarget {
  /** `chosen`: device ids remembered from earlier ({camera, microphone, speaker}); `save` keeps new ones. */
  constructor(api, chosen, save) {
    super();
    this.api = api;
    this.save = save;
    this.env = detectEnvironment();
    this.status = { camera: 'untested', microphone: 'untested', speaker: 'untested' };
    this.chosen = { camera: null, microphone: null, speaker: null, ...(chosen || {}) };
    this.devices = { videoinput: [], audioinput: [], audiooutput: [] };
    this.stream = null;
    this.meter = null;
    this.output = null;
    this.level = 0;
    this.micHeard = false;
    this.mediaDone = false;
    this.network = null;
    this.networkRunning = false;
    this.speakerPlayed = false;
    this.saved = null; // null | 'saving' | 'ok' | 'failed'
    this.lastPosted = null;
    this.stopped = false;
    this.sinkSupported =
      typeof AudioContext === 'function' && 'setSinkId' in AudioContext.prototype;
  }

  changed() {
    void this.post(); // marks a result as being saved before the view redraws
    this.dispatchEvent(new Event('change'));
  }

  start() {
    void this.startMedia();
    void this.runNetwork();
  }

  /** The results as verdict.js reads them. */
  results() {
    return {
      ...this.status,
      micHeard: this.micHeard,
      mediaDone: this.mediaDone,
      network: this.networkRunning ? null : this.network,
      env: this.env,
    };
  }

  assessment() {
    return assess(this.results());
  }

  // --- camera and microphone ----------------------------------------------------------------

  async startMedia() {
    const generation = (this.generation = (this.generation ?? 0) + 1);
    this.releaseMedia();
    this.mediaDone = false;
    this.micHeard = false;
    this.changed();
    if (typeof navigator.mediaDevices?.getUserMedia !== 'function') {
      this.status.camera = 'error';
      this.status.microphone = 'error';
      this.mediaDone = true;
      this.changed();
      return;
    }
    const video = {
      width: { ideal: 1280 },
      height: { ideal: 720 },
      ...(this.chosen.camera ? { deviceId: this.chosen.camera } : {}),
    };
    const audio = {
      echoCancellation: true,
      noiseSuppression: true,
      ...(this.chosen.microphone ? { deviceId: this.chosen.microphone } : {}),
    };
    let tracks = [];
    const both = await acquire({ video, audio });
    if (both.stream) {
      tracks = both.stream.getTracks();
    } else {
      // Find out which of the two failed, and keep the one that works.
      const cam = await acquire({ video });
      const mic = await acquire({ audio });
      tracks = [...(cam.stream?.getTracks() ?? []), ...(mic.stream?.getTracks() ?? [])];
      this.status.camera = cam.error ?? 'ok';
      this.status.microphone = mic.error ?? 'ok';
    }
    if (this.stopped || generation !== this.generation) {
      tracks.forEach((track) => track.stop()); // left the step, or a newer start is running
      return;
    }
    this.stream = new MediaStream(tracks);
    const videoTrack = this.stream.getVideoTracks()[0];
    const audioTrack = this.stream.getAudioTracks()[0];
    if (both.stream) {
      this.status.camera = videoTrack ? 'ok' : 'missing';
      this.status.microphone = audioTrack ? 'ok' : 'missing';
    }
    for (const [track, kind] of [
      [videoTrack, 'camera'],
      [audioTrack, 'microphone'],
    ]) {
      track?.addEventListener('ended', () => {
        if (this.stopped) return;
        this.status[kind] = 'error'; // unplugged, or taken by another program
        this.changed();
      });
    }
    if (audioTrack) this.startMeter(audioTrack);
    await this.listDevices();
    this.mediaDone = true;
    this.changed();
  }

  startMeter(track) {
    const ctx = new AudioContext();
    const source = ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    const buffer = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => this.sample(analyser, buffer), 100);
    this.meter = { ctx, timer };
    this.resumeOnGesture(ctx);
  }

  /** Browsers start audio only after a click or key press; resume the meter on the first one. */
  resumeOnGesture(ctx) {
    if (ctx.state !== 'suspended') return;
    void ctx.resume().catch(() => {});
    const resume = () => {
      void ctx.resume().catch(() => {});
      document.removeEventListener('pointerdown', resume, true);
      document.removeEventListener('keydown', resume, true);
    };
    document.addEventListener('pointerdown', resume, true);
    document.addEventListener('keydown', resume, true);
  }

  sample(analyser, buffer) {
    analyser.getFloatTimeDomainData(buffer);
    let sum = 0;
    for (const value of buffer) sum += value * value;
    const rms = Math.sqrt(sum / buffer.length);
    const db = rms > 0 ? 20 * Math.log10(rms) : -100;
    const level = Math.min(1, Math.max(0, (db + 60) / 50)); // -60 dBFS .. -10 dBFS
    this.level = Math.max(level, this.level * 0.8);
    this.dispatchEvent(new Event('level'));
    if (!this.micHeard && level >= HEARD_LEVEL) {
      this.micHeard = true;
      this.changed();
    }
  }

  async listDevices() {
    try {
      const all = await navigator.mediaDevices.enumerateDevices();
      const lists = { videoinput: [], audioinput: [], audiooutput: [] };
      for (const device of all) {
        if (lists[device.kind] && device.deviceId) lists[device.kind].push(device);
      }
      this.devices = lists;
    } catch {
      // no list: the selects stay hidden, the default devices are used
    }
  }

  /** The id of the device in use for `kind` ('camera' | 'microphone' | 'speaker'). */
  activeId(kind) {
    if (kind === 'speaker') return this.chosen.speaker ?? 'default';
    const track =
      kind === 'camera' ? this.stream?.getVideoTracks()[0] : this.stream?.getAudioTracks()[0];
    return track?.getSettings().deviceId ?? this.chosen[kind];
  }

  /** The citizen picked another device. */
  async choose(kind, deviceId) {
    this.chosen[kind] = deviceId;
    this.save?.({ ...this.chosen });
    if (kind === 'speaker') {
      this.speakerPlayed = false;
      this.status.speaker = 'untested';
      await this.applySink();
      this.changed();
    } else {
      await this.startMedia();
    }
  }

  releaseMedia() {
    if (this.meter) {
      clearInterval(this.meter.timer);
      void this.meter.ctx.close().catch(() => {});
      this.meter = null;
    }
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.level = 0;
  }

  // --- speaker ------------------------------------------------------------------------------

  async applySink() {
    if (!this.output || !this.sinkSupported || !this.chosen.speaker) return;
    try {
      await this.output.setSinkId(this.chosen.speaker === 'default' ? '' : this.chosen.speaker);
    } catch {
      // the device is gone: the default speaker plays
    }
  }

  /** A short two-tone chime, generated (no sound file needed). */
  async playChime() {
    if (!this.output) {
      this.output = new AudioContext();
      await this.applySink();
    }
    const ctx = this.output;
    if (ctx.state === 'suspended') await ctx.resume();
    const start = ctx.currentTime + 0.05;
    for (const [freq, at] of [
      [784, 0],
      [659.25, 0.35],
    ]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start + at);
      gain.gain.exponentialRampToValueAtTime(0.3, start + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 0.9);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + at);
      osc.stop(start + at + 0.95);
    }
    this.speakerPlayed = true;
    this.changed();
  }

  confirmSpeaker(heard) {
    this.status.speaker = heard ? 'ok' : 'error';
    this.changed();
  }

  // --- network ------------------------------------------------------------------------------

  async runNetwork() {
    if (this.networkRunning) return;
    this.networkRunning = true;
    this.changed();
    try {
      this.network = await measureNetwork(this.api.nettestUrl);
    } catch {
      this.network = { failed: true };
    }
    this.networkRunning = false;
    if (!this.stopped) this.changed();
  }

  /** Check everything again (after the citizen fixed something). */
  restart() {
    this.status.speaker = this.status.speaker === 'ok' ? 'ok' : 'untested';
    void this.startMedia();
    void this.runNetwork();
  }

  // --- result -------------------------------------------------------------------------------

  /** Exactly the DeviceCheckIn fields, once the automatic part is finished. */
  payload() {
    const { verdict } = this.assessment();
    if (!verdict || !this.mediaDone || this.networkRunning || !this.network) return null;
    const net = this.network.failed ? {} : this.network;
    return {
      browser: this.env.browser,
      os: this.env.os,
      device_type: this.env.device_type,
      upload_kbps: net.upload_kbps ?? null,
      download_kbps: net.download_kbps ?? null,
      rtt_ms: net.rtt_ms ?? null,
      camera: this.status.camera,
      microphone: this.status.microphone,
      speaker: this.status.speaker,
      verdict,
    };
  }

  async post() {
    const body = this.payload();
    if (!body || this.stopped) return;
    const key = JSON.stringify(body);
    if (key === this.lastPosted) return;
    this.lastPosted = key;
    this.saved = 'saving';
    try {
      await this.api.deviceCheck(body);
      if (this.lastPosted === key) this.saved = 'ok'; // else a newer result is on its way
    } catch {
      if (this.lastPosted === key) {
        this.saved = 'failed';
        this.lastPosted = null;
      }
    }
    this.dispatchEvent(new Event('change'));
  }

  stop() {
    this.stopped = true;
    this.releaseMedia();
    if (this.output) {
      void this.output.close().catch(() => {});
      this.output = null;
    }
  }
}
