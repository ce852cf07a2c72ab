// The voluntary, anonymous survey on the closing page: three questions, "Überspringen".
// The page holds a one-time ticket the service sent when the call ended; the answers go to
// POST /api/survey with that ticket only (no link token), so they carry no reference to the
// person or the appointment.

import { ApiError, surveyAnswer } from '../api.js';
import { focusHeading, h } from '../dom.js';
import { t } from '../i18n.js';
import { actions, button, status } from './common.js';

const QUESTIONS = [
  { name: 'satisfaction', options: ['5', '4', '3', '2', '1'] },
  { name: 'av_quality', options: ['5', '4', '3', '2', '1'] },
  { name: 'use_again', options: ['yes', 'no', 'unsure'] },
];

function question({ name, options }, index) {
  const legendId = `survey-${name}-legend`;
  return h(
    'fieldset',
    { class: 'survey-question', 'aria-labelledby': legendId },
    h('legend', { id: legendId, text: `${index + 1}. ${t(`survey.${name}`)}` }),
    h(
      'div',
      { class: 'choices', role: 'radiogroup', 'aria-labelledby': legendId },
      options.map((value) => {
        const id = `survey-${name}-${value}`;
        return h(
          'div',
          { class: 'choice' },
          h('input', { type: 'radio', name, value, id }),
          h('label', { for: id, text: t(`survey.${name}.${value}`) }),
        );
      }),
    ),
  );
}

function answers(form) {
  const body = {};
  for (const { name } of QUESTIONS) {
    const picked = form.querySelector(`input[name="${name}"]:checked`);
    if (picked) body[name] = name === 'use_again' ? picked.value : Number(picked.value);
  }
  return body;
}

function failureText(err) {
  if (!(err instanceof ApiError)) return t('survey.failed');
  if (err.status === 0) return t('app.error_network');
  const known = { survey_used: 'survey.used', survey_expired: 'survey.expired', rate_limited: 'survey.rate_limited' };
  return t(known[err.code] ?? 'survey.failed');
}

/** The survey card for `app.survey` ({ticket, done}); `done`: 'answered' | 'skipped'. */
export function surveyCard(app) {
  const survey = app.survey;
  const box = h('div', { class: 'survey-slot' });
  if (!survey?.ticket) return box;
  if (survey.done === 'answered') {
    box.append(status('ok', t('survey.thanks'), { role: 'status', id: 'survey-result' }));
    return box;
  }
  if (survey.done === 'skipped') {
    box.append(h('p', { class: 'hint', id: 'survey-result', role: 'status', text: t('survey.skipped') }));
    return box;
  }
  const error = h('p', { class: 'status error', role: 'alert', id: 'survey-error', hidden: true });
  const send = h('button', { type: 'submit', class: 'primary', id: 'survey-send' }, t('survey.send'));
  const skip = button(t('survey.skip'), () => finish('skipped'), { kind: 'secondary', id: 'survey-skip' });
  const form = h(
    'form',
    { class: 'survey-form', novalidate: true, 'aria-describedby': 'survey-intro' },
    QUESTIONS.map(question),
    error,
    actions(send, skip),
  );
  const card = h(
    'section',
    { class: 'card survey', id: 'survey', 'aria-labelledby': 'survey-title' },
    h('h2', { id: 'survey-title', text: t('survey.title') }),
    h('p', { id: 'survey-intro', text: t('survey.intro') }),
    form,
  );
  box.append(card);

  function showError(text) {
    error.replaceChildren(h('span', { text }));
    error.hidden = false;
  }

  function finish(done) {
    app.finishSurvey(done);
    box.replaceWith(surveyCard(app));
    const result = document.getElementById('survey-result');
    if (result) {
      result.setAttribute('tabindex', '-1');
      result.focus();
    } else {
      focusHeading(document.getElementById('step-title'));
    }
  }

  form.addEventListener('change', () => {
    error.hidden = true; // a choice answers the hint
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = answers(form);
    if (!Object.keys(body).length) {
      showError(t('survey.nothing'));
      return;
    }
    send.disabled = true;
    error.hidden = true;
    try {
      await surveyAnswer({ ticket: survey.ticket, ...body });
      finish('answered');
    } catch (err) {
      send.disabled = false;
      if (err instanceof ApiError && (err.code === 'survey_used' || err.code === 'survey_expired')) {
        skip.remove();
        send.remove();
      }
      showError(failureText(err));
    }
  });
  return box;
}
