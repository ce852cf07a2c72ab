// The other participants of a group call (interpreter, legal representative, …): one direct
// RTCPeerConnection to each of them, beside the connection to the console (a mesh).
//
// The service says who is in the call (`roster`: our own id and the others' id, name, role)
// and relays `peer_signal`s only between participants admitted into the same call. Of each
// pair the one with the smaller participant id offers; the other sends `ready` when it has
// its devices (again after a reload or a failed connection) and answers. Every `ready` gets a
// fresh connection and offer, as with the console, so nothing needs glare handling. A data
// channel `peer` (opened by the offering side) carries only `media` (camera on, microphone on),
// so a tile can say "Kamera aus"; chat stays with the console.
// Nothing here touches the DOM: views/call.js draws the tiles.

import { channel, socket, steps } from './protocol.js';

const MAX_NAME = 1000;
/** The roles of participants (the service's `Role`, without the advisor). */
export const ROLES = new Set(['citizen', 'interpreter', 'legal_representative', 'support_person', 'other']);

/** A roster as the service sends it, or null when anything about it is off. */
export function validRoster(msg) {
  if (!msg || !Number.isInteger(msg.you) || !Array.isArray(msg.peers) || msg.peers.length > 3) return null;
  const peers = [];
  for (const p of msg.peers) {
    if (!p || !Number.isInteger(p.participant_id) || p.participant_id === msg.you) return null;
    if (typeof p.name !== 'string' || p.name.length > MAX_NAME || !ROLES.has(p.role)) return null;
    peers.push({ id: p.participant_id, name: p.name, role: p.role });
  }
  const advisorName = typeof msg.advisor_name === 'string' ? msg.advisor_name.slice(0, 200) : '';
  return { you: msg.you, peers, advisorName };
}

export class Mesh {
  /**
   * room: the waiting-room socket (Room); ice: {ice_servers, ice_transport_policy};
   * handlers: onPeers(peers, advisorName) (the roster changed: [{id, name, role}]),
   * onPeerStream(id, stream), onPeerState(id, 'connecting' | 'connected' | 'interrupted'),
   * onPeerMedia(id, {camera, microphone}).
   */
  constructor(room, ice, handlers) {
    this.room = room;
    this.ice = ice;
    this.handlers = handlers;
    this.you = null;
    this.peers = new Map(); // id -> { id, name, role, pc, stream, wantsOffer, queue, state }
    this.local = null; // MediaStream once our devices are open
    this.media = { camera: false, microphone: false }; // what we send, as the peers are told
    this.closed = false;
  }

  /** Our devices are open: connect to everyone the roster named so far. */
  start(local, media) {
    this.local = local;
    if (media) this.media = { camera: !!media.camera, microphone: !!media.microphone };
    for (const kind of ['audio', 'video']) void this.replaceTrack(kind, this.track(kind));
    for (const peer of this.peers.values()) this.begin(peer, true);
  }

  setRoster(msg) {
    const roster = validRoster(msg);
    if (!roster || this.closed) {
      console.warn('mesh: dropped a malformed roster');
      return;
    }
    this.you = roster.you;
    this.advisorName = roster.advisorName;
    const keep = new Set(roster.peers.map((p) => p.id));
    for (const [id, peer] of this.peers) {
      if (!keep.has(id)) {
        this.drop(peer);
        this.peers.delete(id);
      }
    }
    for (const p of roster.peers) {
      const known = this.peers.get(p.id);
      if (known) {
        known.name = p.name;
        known.role = p.role;
        continue;
      }
      const peer = { ...p, pc: null, stream: new MediaStream(), wantsOffer: false, queue: Promise.resolve(), state: 'connecting' };
      this.peers.set(p.id, peer);
      if (this.local) this.begin(peer);
    }
    const peers = [...this.peers.values()].map(({ id, name, role }) => ({ id, name, role }));
    this.handlers.onPeers?.(peers, this.advisorName);
  }

  offers(peer) {
    return this.you !== null && this.you < peer.id;
  }

  /**
   * A new peer (or our devices just opened): the answering side asks for an offer. The
   * offering side says `ready` once when its devices open, so a peer still connected to our
   * previous page (a reload) asks for a fresh offer at once instead of waiting for a timeout.
   */
  begin(peer, starting = false) {
    if (this.closed) return;
    if (this.offers(peer)) {
      if (peer.wantsOffer) void this.offer(peer);
      else if (starting) this.send(peer.id, steps.ready());
    } else if (!peer.pc) {
      this.send(peer.id, steps.ready());
    }
  }

  send(id, step) {
    this.room.send(socket.peerSignal(id, step));
  }

  /** A step from another participant (relayed by the service), handled in arrival order. */
  onSignal(from, payload) {
    const peer = this.peers.get(from);
    if (this.closed || !peer || !payload) return;
    peer.queue = peer.queue
      .then(() => this.handle(peer, payload))
      .catch((err) => console.warn('mesh: signal failed', err?.name));
  }

  async handle(peer, payload) {
    if (payload.kind === 'ready') {
      if (!this.offers(peer)) {
        // The offering side started again while we still hold a connection to its old page.
        if (peer.pc && this.local) this.send(peer.id, steps.ready());
        return;
      }
      peer.wantsOffer = true;
      if (this.local) await this.offer(peer);
    } else if (payload.kind === 'offer' && typeof payload.sdp === 'string' && !this.offers(peer)) {
      await this.answer(peer, payload.sdp);
    } else if (payload.kind === 'answer' && typeof payload.sdp === 'string' && this.offers(peer) && peer.pc) {
      await peer.pc.setRemoteDescription({ type: 'answer', sdp: payload.sdp });
    } else if (payload.kind === 'candidate' && typeof payload.candidate === 'string' && peer.pc) {
      if (!payload.candidate) return; // end of candidates
      await peer.pc.addIceCandidate({
        candidate: payload.candidate,
        sdpMid: payload.sdp_mid ?? null,
        sdpMLineIndex: payload.sdp_mline_index ?? null,
      });
    }
  }

  connection(peer) {
    this.drop(peer);
    const pc = new RTCPeerConnection({
      iceServers: (this.ice?.ice_servers ?? []).map((s) => ({
        urls: s.urls,
        ...(s.username ? { username: s.username, credential: s.credential } : {}),
      })),
      iceTransportPolicy: this.ice?.ice_transport_policy === 'relay' ? 'relay' : 'all',
      bundlePolicy: 'max-bundle',
    });
    peer.pc = pc;
    peer.stream = new MediaStream();
    pc.onicecandidate = (event) => {
      if (pc !== peer.pc) return;
      const c = event.candidate;
      this.send(peer.id, steps.candidate(c));
    };
    pc.ondatachannel = (event) => this.attachChannel(peer, pc, event.channel);
    pc.ontrack = (event) => {
      if (pc !== peer.pc) return;
      peer.stream.addTrack(event.track);
      this.handlers.onPeerStream?.(peer.id, peer.stream);
    };
    pc.onconnectionstatechange = () => {
      if (pc !== peer.pc) return;
      const state = pc.connectionState;
      if (state === 'connected') this.setState(peer, 'connected');
      else if (state === 'disconnected') this.setState(peer, 'interrupted');
      else if (state === 'failed') {
        this.setState(peer, 'interrupted');
        if (!this.offers(peer)) this.send(peer.id, steps.ready()); // a fresh negotiation
      }
    };
    return pc;
  }

  track(kind) {
    const tracks = kind === 'video' ? this.local?.getVideoTracks() : this.local?.getAudioTracks();
    return tracks?.[0] ?? null;
  }

  async offer(peer) {
    peer.wantsOffer = false;
    const pc = this.connection(peer);
    for (const kind of ['audio', 'video']) pc.addTransceiver(this.track(kind) ?? kind, { direction: 'sendrecv' });
    this.attachChannel(peer, pc, pc.createDataChannel('peer', { ordered: true }));
    await pc.setLocalDescription(await pc.createOffer());
    if (pc !== peer.pc) return;
    this.send(peer.id, steps.offer(pc.localDescription.sdp));
  }

  async answer(peer, sdp) {
    const pc = this.connection(peer);
    await pc.setRemoteDescription({ type: 'offer', sdp });
    for (const transceiver of pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      transceiver.direction = 'sendrecv';
      await transceiver.sender.replaceTrack(this.track(kind));
    }
    await pc.setLocalDescription(await pc.createAnswer());
    if (pc !== peer.pc) return;
    this.send(peer.id, steps.answer(pc.localDescription.sdp));
  }

  /** Our camera or microphone changed (switched off, another camera): no new negotiation. */
  async replaceTrack(kind, track) {
    for (const peer of this.peers.values()) {
      const transceiver = peer.pc?.getTransceivers().find((t) => t.receiver.track.kind === kind);
      await transceiver?.sender.replaceTrack(track).catch(() => {});
    }
  }

  attachChannel(peer, pc, channel) {
    if (pc !== peer.pc) return;
    peer.channel = channel;
    channel.onopen = () => this.sendMedia(peer);
    channel.onmessage = (event) => {
      if (channel !== peer.channel) return;
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch {
        msg = null;
      }
      if (msg?.type === 'media' && typeof msg.camera === 'boolean' && typeof msg.microphone === 'boolean') {
        this.handlers.onPeerMedia?.(peer.id, { camera: msg.camera, microphone: msg.microphone });
      } else {
        console.warn('mesh: dropped a message');
      }
    };
  }

  sendMedia(peer) {
    if (peer.channel?.readyState === 'open') peer.channel.send(JSON.stringify(channel.media(this.media.camera, this.media.microphone)));
  }

  /** Our camera or microphone went on or off: every peer's tile of us says so. */
  setMedia(media) {
    this.media = { camera: !!media.camera, microphone: !!media.microphone };
    for (const peer of this.peers.values()) this.sendMedia(peer);
  }

  setState(peer, state) {
    if (peer.state === state) return;
    peer.state = state;
    this.handlers.onPeerState?.(peer.id, state);
  }

  drop(peer) {
    const pc = peer.pc;
    peer.pc = null;
    peer.channel = null;
    if (pc) {
      pc.onicecandidate = pc.ontrack = pc.onconnectionstatechange = pc.ondatachannel = null;
      pc.close();
    }
  }

  /** The call is over here: every direct connection closed (the devices belong to the call). */
  close() {
    this.closed = true;
    for (const peer of this.peers.values()) this.drop(peer);
    this.peers.clear();
  }
}
