// Final pages: consent revoked, appointment over, link expired or unknown, service unreachable.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { actions, button, status, step } from './common.js';
import { surveyCard } from './survey.js';

const ENDINGS = {
  ended: { kind: 'ok', texts: ['ended.text', 'ended.thanks'], again: true },
  revoked: { kind: 'ok', texts: ['revoked.text', 'revoked.contact'] },
  closed: { kind: 'info', texts: ['closed.text'] },
  expired: { kind: 'info', texts: ['expired.text'] },
  cancelled: { kind: 'info', texts: ['cancelled.text'] },
  unknown: { kind: 'error', texts: ['unknown.text'] },
  failed: { kind: 'error', texts: ['app.error_network'], reload: true },
};

/** The advisor ended this person's participation in a call that goes on (a guest removed). */
const REMOVED = { kind: 'info', texts: ['ended.removed', 'ended.removed_contact'] };

export function endView(app, name) {
  const key = ENDINGS[name] ? name : 'failed';
  const ending = key === 'ended' && app.endedBy === 'removed' ? REMOVED : ENDINGS[key];
  const [first, ...rest] = ending.texts;
  let survey = key === 'ended' ? surveyCard(app) : null;
  const node = step(
    key,
    t(`${key}.title`),
    status(ending.kind, t(first), { role: 'status', 'data-testid': 'ending', 'data-ending': ending === REMOVED ? 'removed' : key }),
    ...rest.map((text) => h('p', { text: t(text) })),
    survey,
    ending.reload ? actions(button(t('app.reload'), () => location.reload())) : null,
    ending.again && app.view?.link_state !== 'expired'
      ? actions(button(t('ended.again'), () => app.go('entering'), { kind: 'secondary', id: 'enter-again' }))
      : null,
  );
  /** The service's reason came after the page was drawn (the console's goodbye came first). */
  const onReason = () => {
    if (key !== 'ended' || app.endedBy !== 'removed' || ending === REMOVED || !node.isConnected) return;
    app.render();
  };
  /** The service's survey ticket arrived after the page was drawn. */
  const onSurvey = () => {
    if (!survey?.isConnected) return;
    const fresh = surveyCard(app);
    survey.replaceWith(fresh);
    survey = fresh;
  };
  return { node, title: t(`${key}.title`), onSurvey, onReason };
}
