// Steps around the waiting room: entering (with the countdown), waiting, admitted, sent away.

import { h } from '../dom.js';
import { formatDate, formatDuration, formatMinutes, formatTime, formatWhen, t } from '../i18n.js';
import { actions, button, card, status, step } from './common.js';

/** The socket's refusals in the page's language (the service's own text is German). */
function roomErrorText(err) {
  const key = `socket.${err.error}`;
  const text = t(key);
  return text === key ? err.message || t('socket.bad_message') : text;
}

export function enteringView(app) {
  const v = app.view;
  const opens = Date.parse(v.room_opens_at);
  const closes = Date.parse(v.room_closes_at);
  const countdown = h('p', { class: 'countdown', role: 'timer', id: 'countdown' });
  const live = h('div', { class: 'live', role: 'status', id: 'enter-status' });
  const enter = button(t('entering.button'), () => {
    enter.disabled = true;
    enter.textContent = t('entering.connecting');
    live.replaceChildren();
    app.enterRoom();
  }, { id: 'enter-room', 'aria-describedby': 'countdown' });
  const recheck = button(t('entering.recheck'), () => app.go('devices'), { kind: 'secondary' });
  const closedNote = h('div', { hidden: true, id: 'room-closed' });
  let state = null;
  const tick = () => {
    const now = app.now();
    const next = now >= closes ? 'closed' : now >= opens ? 'open' : 'early';
    if (next === 'early') {
      countdown.textContent = t('entering.opens_in', { duration: formatDuration(opens - now) });
    }
    if (next === state) return;
    const before = state;
    state = next;
    countdown.hidden = next !== 'early';
    enter.hidden = next === 'closed';
    closedNote.hidden = next !== 'closed';
    if (!app.wantWaiting) {
      enter.disabled = next !== 'open';
      enter.textContent = t('entering.button');
    }
    if (next === 'open' && before === 'early') live.replaceChildren(status('ok', t('entering.now_open')));
    if (next === 'closed') {
      closedNote.replaceChildren(status('info', t('entering.closed_text')));
      live.replaceChildren();
    }
  };
  const timer = setInterval(tick, 1000);
  tick();
  const node = step(
    'entering',
    t('entering.title'),
    h('p', { class: 'when', text: t('entering.when', { when: formatWhen(v.starts_at) }) }),
    h('p', { text: t('entering.text') }),
    h('p', { class: 'hint', text: t('entering.rule', { time: formatTime(v.room_opens_at) }) }),
    countdown,
    closedNote,
    live,
    actions(enter, recheck),
  );
  return {
    node,
    title: t('entering.title'),
    dispose() {
      clearInterval(timer);
    },
    onRoomError(err) {
      live.replaceChildren(status('error', roomErrorText(err)));
      state = null; // the service's clock may differ: draw again with the new offset
      tick();
      enter.disabled = state !== 'open';
      enter.textContent = t('entering.button');
    },
  };
}

function noteItem(note) {
  return h(
    'li',
    { class: 'note' },
    h('span', { class: 'note-time', text: t('time.clock', { time: formatTime(note.at) }) }),
    h('span', { class: 'note-text', text: note.text }),
  );
}

/** Every advisor state the service sends, and whether the page then says that the advisor is
 * still in a conversation ('available' and 'away' add nothing to the waiting text). The contract
 * test compares the keys with the model's. */
const ADVISOR_BUSY = { in_call: true, available: false, away: false };

/** The sentences about the advisor: handed to a colleague, still in another call (whether this
 * person is next, and about how long). Nothing about anyone else. */
function advisorLines(app) {
  const lines = [];
  if (app.handedOver) lines.push(t('waiting.handed_over'));
  const advisor = app.advisorStatus;
  if (advisor && ADVISOR_BUSY[advisor.state] === true) {
    const words = [advisor.next ? t('waiting.advisor_busy_next') : t('waiting.advisor_busy')];
    const n = advisor.minutes_left;
    if (n === 1) words.push(t('waiting.one_minute_left'));
    else if (n) words.push(t('waiting.minutes_left', { duration: formatMinutes(n) }));
    lines.push(words.join(' '));
  }
  return lines;
}

/** A polite live region that stays in place; only its text changes (and only when it does,
 * so a repeated status is not read out again). */
function advisorRegion(app) {
  const region = h('div', {
    class: 'advisor-status',
    id: 'advisor-status',
    role: 'status',
    'aria-live': 'polite',
    'aria-atomic': 'true',
  });
  let shown = null;
  const update = () => {
    const lines = advisorLines(app);
    const key = lines.join('\n');
    region.dataset.state = app.advisorStatus?.state ?? 'unknown';
    region.dataset.handedOver = String(app.handedOver);
    if (key === shown) return;
    shown = key;
    region.replaceChildren(...lines.map((line) => status('info', line)));
  };
  update();
  return { region, update };
}

export function waitingView(app) {
  const v = app.view;
  const list = h('ul', { class: 'notes', id: 'notes' }, app.notes.map(noteItem));
  const empty = h('p', { class: 'hint', text: t('waiting.no_notes'), hidden: app.notes.length > 0 });
  const cancel = button(t('waiting.cancel'), () => app.leaveRoom(), { kind: 'secondary', id: 'leave-room' });
  const advisor = advisorRegion(app);
  const node = step(
    'waiting',
    t('waiting.title'),
    // Back from a call that broke off: said first, where a phone shows it without scrolling.
    app.returned ? status('info', t(`waiting.${app.returned}`), { id: 'call-lost', 'data-returned': app.returned }) : null,
    h(
      'div',
      { class: 'card waiting-card' },
      h('div', { class: 'pulse', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
      h('p', { class: 'strong', text: t('waiting.no_media') }),
      advisor.region,
      h('p', { text: t('waiting.when', { date: formatDate(v.starts_at), time: formatTime(v.starts_at) }) }),
      h('p', { text: t('waiting.informed') }),
      h('p', { text: t('waiting.stay') }),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'notes-title' },
      h('h2', { id: 'notes-title', text: t('waiting.notes_heading') }),
      h('div', { role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'notes-title', id: 'notes-log' }, list),
      empty,
    ),
    h('div', { class: 'live', role: 'status', id: 'waiting-status' }),
    actions(cancel),
  );
  return {
    node,
    title: t('waiting.title'),
    onAdvisorStatus() {
      advisor.update();
    },
    onNote(note) {
      list.append(noteItem(note));
      empty.hidden = true;
    },
    onRoomError(err) {
      node.querySelector('#waiting-status').replaceChildren(status('error', roomErrorText(err)));
    },
  };
}

export function sentAwayView(app) {
  const node = step(
    'sent_away',
    t('sent_away.title'),
    h('p', { class: 'lead', text: t('sent_away.text') }),
    app.reason
      ? card(t('sent_away.reason'), h('blockquote', { class: 'reason', id: 'sent-away-reason', text: app.reason }))
      : null,
    h('p', { text: t('sent_away.contact') }),
    actions(
      button(t('sent_away.back'), () => {
        app.reason = '';
        app.store.set({ reason: '' });
        app.go('start');
      }, { kind: 'secondary' }),
    ),
  );
  return { node, title: t('sent_away.title') };
}
