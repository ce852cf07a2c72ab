// The citizen web app on /j/<token>: start, consent, device check, entering, waiting room.
// Plain ES modules, no framework. Everything comes from the service's own origin.

import { ApiError, LEGAL_DOCS, citizenApi, legalPage } from './api.js';
import { focusHeading, h, icon } from './dom.js';
import { LANGUAGES, formatDate, formatTime, language, pickLanguage, setLanguage, t } from './i18n.js';
import { Room } from './room.js';
import { DeviceCheck } from './devicecheck.js';
import { consentView } from './views/consent.js';
import { devicesView } from './views/devices.js';
import { endView } from './views/end.js';
import { callView } from './views/call.js';
import { enteringView, sentAwayView, waitingView } from './views/room.js';
import { startView } from './views/start.js';

const VIEWS = {
  start: startView,
  consent: consentView,
  devices: devicesView,
  entering: enteringView,
  waiting: waitingView,
  admitted: callView,
  sent_away: sentAwayView,
};
/** Steps that need the waiting-room socket. */
const ROOM_STEPS = new Set(['entering', 'waiting', 'admitted']);
/** How long the closing page waits for the survey ticket before it closes the socket. */
const SURVEY_WAIT_MS = 8000;
/** Steps after the consent: they show the "Einwilligung widerrufen" control. */
const CONSENTED_STEPS = new Set(['start', 'devices', 'entering', 'waiting', 'admitted', 'sent_away', 'ended']);
const PROGRESS = [
  ['start', ['start']],
  ['consent', ['consent']],
  ['devices', ['devices']],
  ['room', ['entering', 'waiting', 'admitted']],
];

function createStore(token) {
  const key = `mein-videotermin:${token}`;
  return {
    get() {
      try {
        return JSON.parse(sessionStorage.getItem(key) || '{}') || {};
      } catch {
        return {};
      }
    },
    set(patch) {
      try {
        sessionStorage.setItem(key, JSON.stringify({ ...this.get(), ...patch }));
      } catch {
        // private mode without storage: the page still works, a reload starts over
      }
    },
  };
}

class App {
  constructor() {
    this.token = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');
    this.api = citizenApi(this.token);
    this.store = createStore(this.token);
    this.view = null;
    this.offset = 0;
    this.step = null;
    this.current = null;
    this.room = null;
    this.phase = null;
    this.wantWaiting = false;
    this.notes = [];
    /** Whether the booked advisor is still in another call ({state, next, minutes_left}), as
     * the service last said; shown in the waiting room only. */
    this.advisorStatus = null;
    /** A colleague advises this person now (kept over a reload until the call begins). */
    this.handedOver = this.store.get().handedOver === true;
    this.reason = this.store.get().reason ?? '';
    this.deviceCheck = null;
    this.call = null;
    this.linkLost = false;
    /** Why the page is back in the waiting room from a call: 'call_lost' (it broke off) or
     * 'returned' (the advisor sent this person back). */
    this.returned = null;
    /** The anonymous survey after the call: {ticket, done} (kept over a reload). */
    this.survey = this.store.get().survey ?? null;
    this.surveyWait = null;
    this.root = document.getElementById('app');
  }

  // --- time -------------------------------------------------------------------------------

  /** The service's time, estimated from the local clock and the offset at the last load. */
  now() {
    return Date.now() + this.offset;
  }

  async refreshView() {
    const { view, offset } = await this.api.view();
    this.view = view;
    this.offset = offset;
    return view;
  }

  // --- start ------------------------------------------------------------------------------

  async boot() {
    const params = new URLSearchParams(location.search);
    let failure = null;
    try {
      await this.refreshView();
    } catch (err) {
      failure = err;
    }
    const lang = pickLanguage(
      params.get('lang'),
      this.view?.language,
      navigator.languages ?? [],
      navigator.language,
    );
    await setLanguage(lang);
    this.renderChrome();
    if (failure) {
      this.go(this.failureStep(failure), { focus: false });
      return;
    }
    this.go(this.initialStep(), { focus: false });
    window.addEventListener('pagehide', () => this.deviceCheck?.stop());
  }

  failureStep(err) {
    if (err instanceof ApiError && err.status === 410) {
      return err.code === 'cancelled' ? 'cancelled' : 'expired';
    }
    if (err instanceof ApiError && err.status === 404) return 'unknown';
    return 'failed';
  }

  initialStep() {
    const consent = this.view.consent;
    if (consent.revoked) return 'revoked';
    const stored = this.store.get().step;
    if (!consent.accepted) return stored === 'consent' ? 'consent' : 'start';
    if (stored === 'waiting' || stored === 'admitted') this.wantWaiting = true;
    // A reload of the closing page stays there (with its survey), it does not re-enter.
    if (['devices', 'entering', 'waiting', 'admitted', 'sent_away', 'ended'].includes(stored)) return stored;
    return 'start';
  }

  // --- steps ------------------------------------------------------------------------------

  /** Show `step`; focus moves to its heading unless `focus` is false. */
  go(step, { focus = true } = {}) {
    if (this.step === 'devices' && step !== 'devices') {
      this.deviceCheck?.stop(); // release camera and microphone when leaving the check
      this.deviceCheck = null;
    }
    // The closing page keeps the socket until the survey ticket has come (a few seconds).
    const awaitSurvey = step === 'ended' && this.room && !this.survey?.ticket;
    if (ROOM_STEPS.has(step)) this.ensureRoom();
    else if (this.room && !awaitSurvey) this.dropRoom();
    clearTimeout(this.surveyWait);
    if (awaitSurvey) {
      this.surveyWait = setTimeout(() => {
        if (this.step === 'ended' && !this.wantWaiting) this.dropRoom();
      }, SURVEY_WAIT_MS);
    }
    this.step = step;
    if (VIEWS[step] || step === 'devices' || step === 'ended') this.store.set({ step });
    this.render({ focus });
  }

  /** Draw the current step again (after a language change); keeps the focus where it is. */
  render({ focus = false } = {}) {
    this.current?.dispose?.();
    const make = VIEWS[this.step] ?? endView;
    const view = make(this, this.step);
    this.current = view;
    const parts = [this.progress(), view.node];
    if (this.view?.consent.accepted && CONSENTED_STEPS.has(this.step) && !this.revoked) {
      parts.push(this.consentBox());
    }
    this.root.replaceChildren(...parts.filter(Boolean));
    this.root.removeAttribute('aria-busy');
    const org = this.view?.organisation;
    document.title = [view.title, t('app.product'), org].filter(Boolean).join(' – ');
    view.mounted?.();
    if (focus) focusHeading(view.node.querySelector('h1'));
  }

  progress() {
    if (this.step === 'admitted') return null; // the call needs the room on small screens
    const index = PROGRESS.findIndex(([, steps]) => steps.includes(this.step));
    if (index < 0) return null;
    const items = PROGRESS.map(([key], i) => {
      const li = h(
        'li',
        { class: i < index ? 'done' : i === index ? 'current' : 'todo' },
        h('span', { class: 'num', 'aria-hidden': 'true', text: String(i + 1) }),
        h('span', { class: 'label', text: t(`progress.${key}`) }),
        i < index ? h('span', { class: 'visually-hidden', text: ` (${t('progress.done')})` }) : null,
      );
      if (i === index) li.setAttribute('aria-current', 'step');
      return li;
    });
    const now = h('p', {
      class: 'progress-now',
      'aria-hidden': 'true',
      text: t('progress.step_of', {
        n: index + 1,
        total: PROGRESS.length,
        label: t(`progress.${PROGRESS[index][0]}`),
      }),
    });
    return h('nav', { class: 'progress', 'aria-label': t('progress.label') }, h('ol', {}, items), now);
  }

  // --- header and footer ------------------------------------------------------------------

  renderChrome() {
    const slot = document.getElementById('lang-slot');
    let select = document.getElementById('lang-select');
    if (!select) {
      select = h(
        'select',
        { id: 'lang-select', autocomplete: 'off' },
        LANGUAGES.map((lang) => h('option', { value: lang.code, lang: lang.code, text: lang.name })),
      );
      select.addEventListener('change', () => this.changeLanguage(select.value));
      slot.replaceChildren(
        h('label', { for: 'lang-select', class: 'lang-label' }, icon('globe'), h('span', { id: 'lang-label-text' })),
        select,
      );
    }
    select.value = language().code;
    const label = t('app.language_label');
    document.getElementById('lang-label-text').textContent =
      language().code === 'en' ? label : `${label} / Language`;
    document.querySelector('.skip').textContent = t('app.skip');
    const product = document.querySelector('.product');
    if (product) product.textContent = t('app.product');
    this.renderFooter();
    this.renderBanner();
  }

  renderFooter() {
    const foot = document.querySelector('footer.foot');
    if (!foot) return;
    const lang = language().code;
    const links = LEGAL_DOCS.map((doc) =>
      h(
        'li',
        {},
        h(
          'a',
          { href: legalPage(doc, lang), target: '_blank', rel: 'noopener' },
          t(`legal.${doc}`),
          h('span', { class: 'visually-hidden', text: ` ${t('app.new_window')}` }),
        ),
      ),
    );
    // replaceChildren() would write a null as the text "null": what is not set is left out.
    const parts = [
      this.supportLine(),
      h('nav', { 'aria-label': t('legal.nav_label') }, h('ul', { class: 'legal-links' }, links)),
      h('p', { text: t('app.confidential') }),
    ];
    foot.replaceChildren(...parts.filter(Boolean));
    // Leichte Sprache and Gebärdensprache in the header open beside the app, which keeps its step.
    for (const link of document.querySelectorAll('.access-links a')) {
      link.target = '_blank';
      link.rel = 'noopener';
      let note = link.querySelector('.visually-hidden');
      if (!note) {
        note = h('span', { class: 'visually-hidden' });
        link.append(note);
      }
      note.textContent = ` ${t('app.new_window')}`;
    }
  }

  supportLine() {
    const v = this.view;
    if (!v?.support_phone?.trim()) return null;
    const tel = v.support_phone.replace(/[^\d+]/g, '');
    // The number and the (German) hours keep their left-to-right order in Arabic, too.
    return h(
      'p',
      { class: 'support' },
      `${t('app.support')}: `,
      h('a', { href: `tel:${tel}`, dir: 'ltr' }, v.support_phone),
      v.support_hours?.trim() ? ' ' : null,
      v.support_hours?.trim() ? h('bdi', { lang: 'de', dir: 'ltr', text: `(${v.support_hours.trim()})` }) : null,
    );
  }

  async changeLanguage(code) {
    const url = new URL(location.href);
    url.searchParams.set('lang', code);
    history.replaceState(history.state, '', url);
    await setLanguage(code);
    this.renderChrome();
    if (this.step) this.render({ focus: false });
  }

  // --- connection banner --------------------------------------------------------------------

  renderBanner() {
    const banner = document.getElementById('connection');
    if (!banner) return;
    banner.textContent = this.linkLost ? t('connection.lost') : '';
    banner.classList.toggle('show', this.linkLost);
  }

  announce(text) {
    const region = document.getElementById('announce');
    if (!region) return;
    region.textContent = '';
    setTimeout(() => {
      region.textContent = text;
    }, 50);
  }

  // --- consent ------------------------------------------------------------------------------

  consentBox() {
    const accepted = this.view.consent.accepted_at;
    const button = h('button', { type: 'button', class: 'secondary danger-outline', id: 'revoke' }, t('revoke.button'));
    button.addEventListener('click', () => this.askRevoke(button));
    return h(
      'aside',
      { class: 'consent-box', 'aria-labelledby': 'consent-box-title' },
      h('h2', { id: 'consent-box-title', text: t('revoke.section_label') }),
      accepted
        ? h('p', { text: t('revoke.given', { date: formatDate(accepted), time: formatTime(accepted) }) })
        : null,
      h('p', { text: t('revoke.explain') }),
      button,
    );
  }

  askRevoke(opener) {
    const error = h('p', { class: 'status error', role: 'alert', hidden: true });
    const no = h('button', { type: 'button', class: 'secondary', autofocus: true }, t('revoke.cancel'));
    const yes = h('button', { type: 'button', class: 'danger' }, t('revoke.confirm'));
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': 'revoke-title', 'aria-describedby': 'revoke-text' },
      h('h2', { id: 'revoke-title', text: t('revoke.dialog_title') }),
      h('p', { id: 'revoke-text', text: t('revoke.dialog_text') }),
      error,
      h('div', { class: 'actions' }, yes, no),
    );
    const close = () => {
      dialog.close();
      dialog.remove();
      if (opener.isConnected) opener.focus();
    };
    no.addEventListener('click', close);
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close();
    });
    yes.addEventListener('click', async () => {
      yes.disabled = no.disabled = true;
      try {
        await this.api.revoke();
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 409)) {
          error.textContent = t('revoke.failed');
          error.hidden = false;
          yes.disabled = no.disabled = false;
          return;
        }
      }
      dialog.close();
      dialog.remove();
      this.revokedNow();
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  }

  revokedNow() {
    this.revoked = true;
    this.wantWaiting = false;
    this.dropRoom();
    this.store.set({ step: 'revoked', reason: '' });
    if (this.view) this.view = { ...this.view, consent: { ...this.view.consent, accepted: false, revoked: true } };
    this.go('revoked');
  }

  // --- waiting room -------------------------------------------------------------------------

  ensureRoom() {
    if (this.room) return;
    this.room = new Room(this.token, {
      onState: (msg) => this.onState(msg),
      onNote: (note) => this.onNote(note),
      onAdvisorStatus: (msg) => this.onAdvisorStatus(msg),
      onHandedOver: () => this.onHandedOver(),
      onError: (err) => this.onRoomError(err),
      onSignal: (payload) => this.current?.onSignal?.(payload),
      onRoster: (msg) => {
        this.roster = msg; // the call view may come after it
        this.current?.onRoster?.(msg);
      },
      onPeerSignal: (peer, payload) => this.current?.onPeerSignal?.(peer, payload),
      onSurvey: ({ ticket }) => this.onSurvey(ticket),
      onLink: (status) => this.onLink(status),
    });
    this.room.connect();
  }

  dropRoom() {
    this.room?.stop();
    this.room = null;
    this.phase = null;
    if (this.linkLost) {
      this.linkLost = false;
      this.renderBanner();
    }
  }

  /** "Beratungsraum betreten": ask the service for the waiting room (now or once connected). */
  enterRoom() {
    this.wantWaiting = true;
    this.ensureRoom();
    if (this.phase === 'lobby' || this.phase === 'ended') this.room.enter();
  }

  /** "Auflegen": goodbye to the console, the service is told, the closing page. */
  hangUp() {
    this.call?.close();
    this.room?.hangup();
    this.wantWaiting = false;
    this.go('ended');
  }

  /** The console said goodbye on the data channel (the service's word follows). */
  callEndedByAdvisor() {
    if (this.step === 'admitted') {
      this.wantWaiting = false;
      this.go('ended');
    }
  }

  /** The service's one-time survey ticket for the call that just ended. */
  onSurvey(ticket) {
    if (typeof ticket !== 'string' || this.survey?.ticket === ticket) return;
    this.survey = { ticket, done: null };
    this.store.set({ survey: this.survey });
    clearTimeout(this.surveyWait);
    if (this.step === 'ended') {
      this.current?.onSurvey?.();
      if (!this.wantWaiting) this.dropRoom();
    }
  }

  /** Answered or skipped: the closing page shows the thanks, a reload no form. */
  finishSurvey(done) {
    if (!this.survey) return;
    this.survey = { ...this.survey, done };
    this.store.set({ survey: this.survey });
  }

  /** "Abbrechen" in the waiting room. */
  leaveRoom() {
    this.wantWaiting = false;
    this.room?.leave();
    this.go('entering');
  }

  onState({ phase, reason }) {
    this.phase = phase;
    if (phase !== 'admitted') this.roster = null;
    // The advisor's status belongs to this stay in the waiting room; the service says it anew.
    if (phase !== 'waiting') this.advisorStatus = null;
    if (this.handedOver && !['lobby', 'waiting'].includes(phase)) this.setHandedOver(false);
    switch (phase) {
      case 'lobby':
        // The service no longer knows the call (away longer than the grace, or the service
        // restarted): back into the waiting room by itself, the consent is still on record.
        if (this.step === 'admitted') {
          this.wantWaiting = true;
          this.returned = 'call_lost';
        }
        if (this.wantWaiting) this.room.enter();
        else if (this.step === 'waiting') this.go('entering');
        break;
      case 'waiting':
        if (!this.wantWaiting && this.step === 'entering') this.room.leave(); // left while offline
        else if (this.step !== 'waiting') {
          // Sent back by the advisor ("returned"), or the console is away.
          if (this.step === 'admitted') this.returned = reason === 'returned' ? 'returned' : 'call_lost';
          this.go('waiting');
        }
        break;
      case 'admitted':
        this.wantWaiting = false;
        this.returned = null;
        if (this.survey?.ticket) {
          this.survey = null; // a new call: its end brings a new ticket
          this.store.set({ survey: null });
        }
        if (this.step !== 'admitted') this.go('admitted');
        break;
      case 'ended':
        // "removed": the advisor ended this person's participation; the call goes on without them.
        this.endedBy = reason === 'removed' ? 'removed' : null;
        if (this.wantWaiting) this.room.enter();
        else if (this.step === 'waiting' || this.step === 'admitted') this.go('ended');
        else if (this.step === 'ended') this.current?.onReason?.();
        break;
      case 'sent_away':
        this.wantWaiting = false;
        if (reason || !this.reason) this.reason = reason ?? '';
        this.store.set({ reason: this.reason });
        this.dropRoom();
        this.go('sent_away');
        break;
      case 'revoked':
        this.revokedNow();
        break;
      case 'closed':
        this.wantWaiting = false;
        this.dropRoom();
        this.go('closed');
        break;
      default:
        break;
    }
  }

  onNote(note) {
    if (this.notes.some((n) => n.at === note.at && n.text === note.text)) return;
    this.notes.push(note);
    this.current?.onNote?.(note);
  }

  /** The service's word on the booked advisor: only the state, whether this person is next,
   * and the minutes left; no name, nothing about the other call. */
  onAdvisorStatus({ state, next, minutes_left }) {
    const minutes = Number.isInteger(minutes_left) && minutes_left > 0 ? minutes_left : null;
    this.advisorStatus = { state, next: next === true, minutes_left: minutes };
    this.current?.onAdvisorStatus?.();
  }

  /** A colleague took the appointment over; the place in the waiting room is kept. */
  onHandedOver() {
    this.setHandedOver(true);
    this.current?.onAdvisorStatus?.();
  }

  setHandedOver(value) {
    this.handedOver = value;
    this.store.set({ handedOver: value });
  }

  onRoomError(err) {
    switch (err.error) {
      case 'too_early':
        this.wantWaiting = false;
        this.refreshView()
          .then(() => this.current?.onRoomError?.(err))
          .catch(() => this.current?.onRoomError?.(err));
        break;
      case 'too_late':
        this.wantWaiting = false;
        this.dropRoom();
        this.go('closed');
        break;
      case 'consent_required':
        this.dropRoom();
        this.go('consent');
        break;
      case 'unknown_link':
        this.dropRoom();
        this.go('unknown');
        break;
      default:
        this.wantWaiting = this.step === 'waiting';
        this.current?.onRoomError?.(err);
    }
  }

  onLink(status) {
    if (status === 'online') this.call?.roomOnline(); // a "ready" may have been lost meanwhile
    const lost = status === 'lost';
    if (lost === this.linkLost) return;
    this.linkLost = lost;
    this.renderBanner();
    if (!lost && status === 'online') this.announce(t('connection.restored'));
  }

  // --- device check -------------------------------------------------------------------------

  deviceCheckController() {
    if (!this.deviceCheck) {
      this.deviceCheck = new DeviceCheck(this.api, this.store.get().devices, (devices) =>
        this.store.set({ devices }),
      );
      this.deviceCheck.start();
    }
    return this.deviceCheck;
  }
}

const app = new App();
app.boot().catch((err) => {
  console.error(err);
  app.go('failed', { focus: false });
});
