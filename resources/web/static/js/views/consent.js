// Step "Einwilligung": the consent declaration and the privacy notice, shown inline from the
// service's legal texts; both must be accepted before anything else happens.

import { ApiError, legalPage, legalText } from '../api.js';
import { h } from '../dom.js';
import { language, t } from '../i18n.js';
import { actions, button, status, step } from './common.js';

const DROP = 'script, style, iframe, object, embed, link, meta, form, input, button, textarea';

/**
 * Turn the legal HTML (trusted content of our own service) into nodes: parsed in an inert
 * document, without scripts, styles or handlers (the page's CSP forbids them anyway), and with
 * headings moved one level down, below the panel's own h2, so the outline stays in order.
 */
function legalNodes(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll(DROP).forEach((el) => el.remove());
  for (const el of doc.body.querySelectorAll('*')) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase();
      if (name.startsWith('on') || name === 'style' || value.startsWith('javascript:')) {
        el.removeAttribute(attr.name);
      }
    }
  }
  for (const el of [...doc.body.querySelectorAll('h1, h2, h3, h4, h5, h6')]) {
    const level = Math.min(6, Number(el.tagName[1]) + 1); // the texts start at h2
    const heading = doc.createElement(`h${level}`);
    heading.append(...el.childNodes);
    el.replaceWith(heading);
  }
  for (const a of doc.body.querySelectorAll('a[href]')) {
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener');
  }
  return [...doc.body.childNodes].map((node) => document.importNode(node, true));
}

function documentPanel(doc, fallbackTitle) {
  const titleId = `doc-${doc}-title`;
  const title = h('h2', { id: titleId, text: fallbackTitle });
  const body = h(
    'div',
    {
      class: 'legal-text',
      role: 'region',
      tabindex: '0',
      'aria-labelledby': titleId,
      'aria-busy': 'true',
      'data-doc': doc,
    },
    h('p', { text: t('consent.loading_text') }),
  );
  const link = h(
    'a',
    { href: legalPage(doc, language().code), target: '_blank', rel: 'noopener' },
    t('consent.open_doc', { title: fallbackTitle }),
    h('span', { class: 'visually-hidden', text: ` ${t('app.new_window')}` }),
  );
  const note = h('p', { class: 'hint', hidden: true });
  // A plain card: the scrollable text inside is the region (one landmark per text, not two).
  const panel = h('div', { class: 'card legal' }, title, note, body, h('p', {}, link));
  const load = async () => {
    body.setAttribute('aria-busy', 'true');
    try {
      const text = await legalText(doc, language().code);
      title.textContent = text.title || fallbackTitle;
      if (text.is_translation) {
        note.textContent = t('legal.translation_note');
        note.hidden = false;
      }
      body.replaceChildren(...legalNodes(text.html || ''));
      panel.dataset.version = text.version ?? '';
    } catch {
      body.replaceChildren(h('p', { text: t('legal.load_error') }));
    }
    body.removeAttribute('aria-busy');
  };
  return { panel, load };
}

export function consentView(app) {
  const consentDoc = documentPanel('consent', t('legal.consent'));
  const privacyDoc = documentPanel('privacy', t('legal.privacy_notice'));
  const error = h('div', { class: 'form-error', role: 'alert', id: 'consent-error' });
  const box = (id, text) =>
    h(
      'div',
      { class: 'check' },
      h('input', { type: 'checkbox', id, 'aria-describedby': 'consent-error' }),
      h('label', { for: id, text }),
    );
  const consentBox = box('accept-consent', t('consent.check_consent'));
  const privacyBox = box('accept-privacy', t('consent.check_privacy'));
  const submit = h('button', { type: 'submit', class: 'primary', id: 'consent-submit' }, t('consent.submit'));
  const form = h(
    'form',
    { class: 'card consent-form', novalidate: true, 'aria-labelledby': 'consent-form-title' },
    h('h2', { id: 'consent-form-title', text: t('consent.form_heading') }),
    h('fieldset', {}, h('legend', { class: 'visually-hidden', text: t('consent.form_heading') }), consentBox, privacyBox),
    error,
    actions(submit, button(t('consent.back'), () => app.go('start'), { kind: 'secondary' })),
  );
  const showError = (text, focusEl) => {
    error.replaceChildren(status('error', text));
    focusEl?.focus();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const boxes = [consentBox, privacyBox].map((el) => el.querySelector('input'));
    const missing = boxes.find((input) => !input.checked);
    if (missing) {
      showError(t('consent.missing'), missing);
      return;
    }
    error.replaceChildren();
    submit.disabled = true;
    submit.textContent = t('consent.saving');
    try {
      const c = app.view.consent;
      const view = await app.api.consent({
        consent_version: c.consent_version,
        privacy_version: c.privacy_version,
        language: language().code,
      });
      app.view = view;
      app.go('devices');
      return;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'outdated_text') {
        await app.refreshView().catch(() => {});
        boxes.forEach((input) => {
          input.checked = false;
        });
        void consentDoc.load();
        void privacyDoc.load();
        showError(t('consent.outdated'), consentDoc.panel.querySelector('.legal-text'));
      } else if (err instanceof ApiError && err.code === 'revoked') {
        app.revokedNow();
        return;
      } else {
        showError(t('app.error_network'));
      }
    }
    submit.disabled = false;
    submit.textContent = t('consent.submit');
  });
  const node = step(
    'consent',
    t('consent.title'),
    h('p', { class: 'lead', text: t('consent.intro') }),
    consentDoc.panel,
    privacyDoc.panel,
    status('info', t('consent.not_recorded')),
    h('p', { text: t('consent.voluntary') }),
    form,
  );
  return {
    node,
    title: t('consent.title'),
    mounted() {
      void consentDoc.load();
      void privacyDoc.load();
    },
  };
}
