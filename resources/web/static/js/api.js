// The service's citizen REST API (same origin only).

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status; // 0: no answer (offline, service down)
    this.code = body?.error ?? (status ? 'http' : 'network');
    this.body = body;
  }
}

async function request(method, url, body) {
  const init = {
    method,
    headers: { Accept: 'application/json' },
    cache: 'no-store',
    credentials: 'same-origin',
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(url, init);
  } catch {
    throw new ApiError(0, null);
  }
  const isJson = (resp.headers.get('Content-Type') || '').includes('json');
  const data = isJson ? await resp.json().catch(() => null) : null;
  if (!resp.ok) throw new ApiError(resp.status, data);
  return data;
}

/** The calls of one personal link. */
export function citizenApi(token) {
  const base = `/api/citizen/${encodeURIComponent(token)}`;
  return {
    /** CitizenView plus the local clock's offset to the service (ms, add to Date.now()). */
    async view() {
      const sent = Date.now();
      const view = await request('GET', base);
      const received = Date.now();
      const offset = Date.parse(view.server_now) - (sent + received) / 2;
      return { view, offset };
    },
    consent: (body) => request('POST', `${base}/consent`, body),
    revoke: () => request('DELETE', `${base}/consent`),
    deviceCheck: (body) => request('POST', `${base}/device-check`, body),
    /** {ice_servers, ice_transport_policy, expires_at}: STUN/TURN for the call. */
    ice: () => request('GET', `${base}/ice`),
    nettestUrl: `${base}/nettest`,
  };
}

/** The anonymous survey after a call: only the one-time ticket and the answers. */
export function surveyAnswer(body) {
  return request('POST', '/api/survey', body);
}

/** The documents of resources/legal, served by the service. */
export const LEGAL_DOCS = ['requirements', 'consent', 'rights', 'privacy', 'imprint', 'accessibility'];

export function legalPage(doc, lang) {
  return `/legal/${doc}?lang=${encodeURIComponent(lang)}`;
}

/** {doc, lang, title, html, version, binding_lang, is_translation} */
export function legalText(doc, lang) {
  return request('GET', `/api/legal/${doc}?lang=${encodeURIComponent(lang)}`);
}
