// The waiting-room WebSocket (/ws/citizen): hello with the personal link, then enter/leave.
// Reconnects with backoff after a network loss; the service resumes the phase (within 30 s)
// and replays the advisor's notes.

import { socket } from './protocol.js';

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
const PING_EVERY_MS = 10000;
const PONG_TIMEOUT_MS = 25000;
/** Close codes after which reconnecting cannot help (see server/waiting_room.py). */
const FINAL_CODES = new Set([4401, 4404, 4410]);
const RATE_LIMITED = 4429;

export class Room {
  /**
   * handlers: onState({phase, reason}), onNote({text, at}), onError({error, message}),
   * onAdvisorStatus({state, next, minutes_left}) (whether the booked advisor is still in another
   * call; nothing about anyone else), onHandedOver() (a colleague takes this appointment over),
   * onSignal(payload) (the call's negotiation, from the console), onRoster(msg) and
   * onPeerSignal(peer, payload) (the other participants of a group call), onSurvey({ticket}) (after
   * the call: the anonymous survey's one-time ticket),
   * onLink(status) with status 'connecting' | 'online' | 'lost' | 'ended'.
   */
  constructor(token, handlers) {
    this.token = token;
    this.handlers = handlers;
    this.ws = null;
    this.attempt = 0;
    this.stopped = false;
    this.online = false;
    this.retryTimer = null;
    this.pingTimer = null;
    this.lastPong = 0;
    this.seq = 0;
    this.onBrowserOnline = () => this.reconnectNow();
    this.onBrowserOffline = () => this.drop();
    window.addEventListener('online', this.onBrowserOnline);
    window.addEventListener('offline', this.onBrowserOffline);
  }

  connect() {
    if (this.stopped || this.ws) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    let ws;
    try {
      ws = new WebSocket(`${scheme}://${location.host}/ws/citizen`);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    this.handlers.onLink(this.attempt ? 'lost' : 'connecting');
    ws.onopen = () => {
      ws.send(JSON.stringify(socket.hello(this.token)));
      this.lastPong = Date.now();
      this.pingTimer = setInterval(() => this.ping(), PING_EVERY_MS);
    };
    ws.onmessage = (event) => this.receive(event.data);
    ws.onclose = (event) => this.closed(ws, event.code);
    ws.onerror = () => {}; // a close event follows
  }

  receive(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (msg.type === 'state') {
      this.attempt = 0;
      if (!this.online) {
        this.online = true;
        this.handlers.onLink('online');
      }
      this.handlers.onState(msg);
    } else if (msg.type === 'note') {
      this.handlers.onNote(msg);
    } else if (msg.type === 'advisor_status') {
      this.handlers.onAdvisorStatus?.(msg);
    } else if (msg.type === 'handed_over') {
      this.handlers.onHandedOver?.();
    } else if (msg.type === 'survey') {
      this.handlers.onSurvey?.(msg);
    } else if (msg.type === 'signal') {
      this.handlers.onSignal?.(msg.payload);
    } else if (msg.type === 'roster') {
      this.handlers.onRoster?.(msg);
    } else if (msg.type === 'peer_signal' && Number.isInteger(msg.peer)) {
      this.handlers.onPeerSignal?.(msg.peer, msg.payload);
    } else if (msg.type === 'pong') {
      this.lastPong = Date.now();
    } else if (msg.type === 'error') {
      this.handlers.onError(msg);
    }
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN && this.online) {
      this.ws.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  enter() {
    return this.send(socket.enter());
  }

  leave() {
    return this.send(socket.leave());
  }

  hangup() {
    return this.send(socket.hangup());
  }

  ping() {
    if (Date.now() - this.lastPong > PONG_TIMEOUT_MS) {
      this.drop(); // a silent network: no pong for too long
      return;
    }
    this.send(socket.ping(++this.seq));
  }

  /** Forget the current socket at once (its close may take long on a dead network). */
  drop() {
    const ws = this.ws;
    if (!ws) return;
    this.detach(ws);
    try {
      ws.close(4000);
    } catch {
      // already closing
    }
    this.lost();
  }

  detach(ws) {
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    clearInterval(this.pingTimer);
    this.pingTimer = null;
    if (this.ws === ws) this.ws = null;
  }

  closed(ws, code) {
    this.detach(ws);
    if (this.stopped) return;
    if (FINAL_CODES.has(code)) {
      this.online = false;
      this.handlers.onLink('ended');
      this.stop();
      return;
    }
    this.lost(code === RATE_LIMITED ? 60000 : undefined);
  }

  lost(delay) {
    if (this.stopped) return;
    this.online = false;
    this.handlers.onLink('lost');
    this.scheduleRetry(delay);
  }

  scheduleRetry(delay) {
    if (this.stopped || this.retryTimer) return;
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    const wait = delay ?? base * (0.75 + Math.random() * 0.5);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, wait);
  }

  reconnectNow() {
    if (this.stopped || this.ws) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  /** Close for good (the page leaves the room steps, or the appointment ended). */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    window.removeEventListener('online', this.onBrowserOnline);
    window.removeEventListener('offline', this.onBrowserOffline);
    const ws = this.ws;
    if (ws) {
      this.detach(ws);
      try {
        ws.close(1000);
      } catch {
        // already closing
      }
    }
  }
}
