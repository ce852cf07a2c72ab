// Pieces several steps share.

import { LEGAL_DOCS, legalPage } from '../api.js';
import { h, icon } from '../dom.js';
import { language, t } from '../i18n.js';

/** The step's container with its one h1 (focus goes there on a step change). Not a landmark
 * of its own: <main> is that already. */
export function step(id, title, ...children) {
  return h(
    'div',
    { class: `step step-${id}`, 'data-step': id },
    h('h1', { id: 'step-title', tabindex: '-1', text: title }),
    ...children,
  );
}

export function card(title, ...children) {
  const id = `card-${Math.random().toString(36).slice(2, 8)}`;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': id },
    h('h2', { id, text: title }),
    ...children,
  );
}

export function button(text, onClick, { kind = 'primary', ...props } = {}) {
  const el = h('button', { type: 'button', class: kind, ...props }, text);
  el.addEventListener('click', onClick);
  return el;
}

export function actions(...buttons) {
  return h('div', { class: 'actions' }, ...buttons);
}

/** A note with a traffic-light style icon: kind is ok | warn | error | info | busy. */
export function status(kind, text, props = {}) {
  const icons = { ok: 'check', warn: 'warn', error: 'cross', busy: 'wait' };
  return h('p', { class: `status ${kind}`, ...props }, icons[kind] ? icon(icons[kind]) : null, h('span', { text }));
}

/** Links to the legal documents, each opening in a new tab (the page keeps its state). */
export function legalLinks() {
  const lang = language().code;
  return h(
    'ul',
    { class: 'doc-links' },
    LEGAL_DOCS.map((doc) =>
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
    ),
  );
}
