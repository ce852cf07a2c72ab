// The citizen protocol as the page speaks it, in one place: every message the page sends is
// built here, and READS names every message it reads with the fields it reads. The service's
// side is core/protocol.py; tests/unit/test_citizen_protocol.py checks that the two agree
// (each built message validates against the pydantic models, each model the service sends to
// a citizen is read here, and no other script builds a protocol message of its own).

/** A step of the negotiation (the payload of `signal` and `peer_signal`). */
export const steps = {
  ready: () => ({ kind: 'ready' }),
  offer: (sdp) => ({ kind: 'offer', sdp }),
  answer: (sdp, negotiation = null) =>
    negotiation === null ? { kind: 'answer', sdp } : { kind: 'answer', sdp, negotiation },
  /** An RTCIceCandidate, or null for "no more candidates". */
  candidate: (c) =>
    c
      ? { kind: 'candidate', candidate: c.candidate, sdp_mid: c.sdpMid, sdp_mline_index: c.sdpMLineIndex }
      : { kind: 'candidate', candidate: '' },
};

/** Page to service, on the waiting-room socket (/ws/citizen). */
export const socket = {
  hello: (token) => ({ type: 'hello', token }),
  enter: () => ({ type: 'enter' }),
  leave: () => ({ type: 'leave' }),
  hangup: () => ({ type: 'hangup' }),
  ping: (seq) => ({ type: 'ping', seq }),
  signal: (step) => ({ type: 'signal', payload: step }),
  peerSignal: (peer, step) => ({ type: 'peer_signal', peer, payload: step }),
};

/** Page to console (and to the other participants), on the call's data channel. */
export const channel = {
  chat: (id, text, at) => ({ type: 'chat', id, text, at }),
  media: (camera, microphone) => ({ type: 'media', camera, microphone }),
  screen: (active, mid) => ({ type: 'screen', active, mid }),
  alive: (seq) => ({ type: 'alive', seq }),
  bye: () => ({ type: 'bye' }),
};

/** What the page reads: message type -> the fields it uses. */
export const READS = {
  socket: {
    state: ['phase', 'reason'],
    note: ['text', 'at'],
    survey: ['ticket'],
    signal: ['payload'],
    roster: ['you', 'peers', 'advisor_name'],
    peer_signal: ['peer', 'payload'],
    pong: [],
    error: ['error', 'message'],
    advisor_status: ['state', 'next', 'minutes_left'],
    handed_over: [],
  },
  channel: {
    chat: ['id', 'text', 'at', 'sender'],
    media: ['camera', 'microphone'],
    screen: ['active', 'mid'],
    alive: [],
    bye: [],
    idcheck: ['step'],
    video_pause: ['reason'],
  },
};
