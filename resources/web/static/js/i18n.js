// Languages of the citizen pages: JSON catalogs in /static/i18n, German is the source.
// Dates and times are always shown in German time (Europe/Berlin), the appointment's zone.

export const LANGUAGES = [
  { code: 'de', name: 'Deutsch', dir: 'ltr', locale: 'de-DE' },
  { code: 'en', name: 'English', dir: 'ltr', locale: 'en-GB' },
  { code: 'tr', name: 'Türkçe', dir: 'ltr', locale: 'tr-TR' },
  { code: 'uk', name: 'Українська', dir: 'ltr', locale: 'uk-UA' },
  { code: 'ar', name: 'العربية', dir: 'rtl', locale: 'ar' },
];
export const BERLIN = 'Europe/Berlin';

let source = {};
let messages = {};
let current = LANGUAGES[0];
const cache = new Map();

async function catalog(code) {
  if (!cache.has(code)) {
    const resp = await fetch(`/static/i18n/${code}.json`, { credentials: 'same-origin' });
    if (!resp.ok) throw new Error(`catalog ${code}: ${resp.status}`);
    cache.set(code, await resp.json());
  }
  return cache.get(code);
}

/** The first supported language among `candidates` (codes like "ar", "en-US"), else German. */
export function pickLanguage(...candidates) {
  for (const candidate of candidates.flat()) {
    if (!candidate) continue;
    const base = String(candidate).toLowerCase().split(/[-_]/)[0];
    const hit = LANGUAGES.find((lang) => lang.code === base);
    if (hit) return hit.code;
  }
  return 'de';
}

/** Load the catalog of `code` and set `<html lang dir>`. */
export async function setLanguage(code) {
  const entry = LANGUAGES.find((lang) => lang.code === code) ?? LANGUAGES[0];
  source = await catalog('de');
  messages = await catalog(entry.code);
  current = entry;
  document.documentElement.lang = entry.code;
  document.documentElement.dir = entry.dir;
}

export function language() {
  return current;
}

/** The text of `key` with `{placeholders}` filled in; German if a key is missing. */
export function t(key, params = {}) {
  const text = messages[key] ?? source[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

function format(value, options) {
  return new Intl.DateTimeFormat(current.locale, { timeZone: BERLIN, ...options }).format(
    new Date(value),
  );
}

/** "Montag, 23. November 2026" */
export function formatDate(value) {
  return format(value, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

/** "11:00" */
export function formatTime(value) {
  return format(value, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** "Montag, 23. November 2026 um 11:00 Uhr" */
export function formatWhen(value) {
  return t('time.when', { date: formatDate(value), time: formatTime(value) });
}

/** True when the browser runs in another time zone than the appointment (then we say so). */
export function outsideGermany() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone !== BERLIN;
  } catch {
    return false;
  }
}

function unit(amount, name) {
  return new Intl.NumberFormat(current.locale, {
    style: 'unit',
    unit: name,
    unitDisplay: 'long',
  }).format(amount);
}

/** A duration in words: "2 Stunden, 5 Minuten und 3 Sekunden" (days without seconds). */
export function formatDuration(ms) {
  let rest = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  const parts = [];
  if (days) parts.push(unit(days, 'day'));
  if (hours) parts.push(unit(hours, 'hour'));
  if (minutes || (days && !hours)) parts.push(unit(minutes, 'minute'));
  if (!days && (seconds || !parts.length)) parts.push(unit(seconds, 'second'));
  return new Intl.ListFormat(current.locale, { style: 'long', type: 'unit' }).format(parts);
}

/** "12,3 Mbit/s" from kbit/s (the unit as people know it from their internet contract). */
export function formatRate(kbps) {
  const mbps = kbps / 1000;
  const value = new Intl.NumberFormat(current.locale, {
    maximumFractionDigits: mbps < 10 ? 1 : 0,
  }).format(mbps);
  return t('units.mbps', { value });
}

/** "35 ms" */
export function formatMs(ms) {
  return new Intl.NumberFormat(current.locale, {
    style: 'unit',
    unit: 'millisecond',
    unitDisplay: 'short',
  }).format(Math.round(ms));
}

/** "30 Minuten" */
export function formatMinutes(minutes) {
  return unit(minutes, 'minute');
}
