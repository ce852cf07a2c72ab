// Step "Start": the appointment, the steps ahead, what is needed, the documents.

import { h } from '../dom.js';
import { formatMinutes, formatWhen, outsideGermany, t } from '../i18n.js';
import { actions, button, card, legalLinks, status, step } from './common.js';

export function startView(app) {
  const v = app.view;
  const accepted = v.consent.accepted;
  const open = v.link_state === 'room_open';
  const steps = [
    accepted ? null : h('li', { text: t('start.step_consent') }),
    h('li', { text: t('start.step_devices') }),
    h('li', { text: t('start.step_room') }),
  ];
  const node = step(
    'start',
    t('start.title'),
    h('p', { class: 'lead', text: t('start.org', { organisation: v.organisation }) }),
    card(
      t('start.appointment_heading'),
      h('p', { text: t('start.greeting', { name: v.participant_name }) }),
      h('p', { class: 'when', 'data-testid': 'when', text: formatWhen(v.starts_at) }),
      outsideGermany() ? h('p', { class: 'hint', text: t('time.german_time_note') }) : null,
      h('p', { text: t('start.duration', { duration: formatMinutes(v.duration_min) }) }),
      open
        ? status('ok', t('start.room_open'), { role: 'status' })
        : status('info', t('start.test_now'), { role: 'status' }),
    ),
    card(t('start.steps_heading'), h('ol', { class: 'steps' }, steps)),
    card(
      t('start.needs_heading'),
      h(
        'ul',
        {},
        h('li', { text: t('start.needs_device') }),
        h('li', { text: t('start.needs_place') }),
        h('li', { text: t('start.needs_browser') }),
      ),
    ),
    card(t('start.docs_heading'), legalLinks()),
    actions(
      button(t('start.continue'), () => app.go(accepted ? 'devices' : 'consent'), {
        id: 'start-continue',
      }),
      accepted
        ? button(t('start.to_room'), () => app.go('entering'), { kind: 'secondary' })
        : null,
    ),
  );
  return { node, title: t('progress.start') };
}
