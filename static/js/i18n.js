// Catalogues and locale formatting. Every visible string comes from
// static/i18n/<locale>.json; dates, times and numbers go through Intl in
// the user's locale and time zone, weeks start on Monday.

export const LOCALES = ['nb', 'en'];
// Intl tags: Norwegian Bokmål; English with day-month order and 24 h.
const TAGS = { nb: 'nb-NO', en: 'en-GB' };

let catalogue = {};
let locale = 'nb';
let zone = 'Europe/Oslo';
let plural = new Intl.PluralRules(TAGS.nb);
const cache = new Map();

export async function loadLocale(l) {
  const want = LOCALES.includes(l) ? l : 'nb';
  const r = await fetch('/i18n/' + want + '.json', { credentials: 'same-origin' });
  catalogue = await r.json();
  locale = want;
  plural = new Intl.PluralRules(TAGS[want]);
  cache.clear();
  document.documentElement.lang = want;
}

export function setZone(z) { zone = z || 'UTC'; cache.clear(); }
export const getLocale = () => locale;
export const getZone = () => zone;
export const intlTag = () => TAGS[locale];

// The language a visitor's browser asks for, before sign-in.
export function browserLocale() {
  for (const l of navigator.languages || [navigator.language || '']) {
    const base = String(l).toLowerCase().split('-')[0];
    if (base === 'nb' || base === 'no' || base === 'nn') return 'nb';
    if (base === 'en') return 'en';
  }
  return 'nb';
}

// t("key", {n: 3, name: "x"}): "{name}" placeholders; with n, the keys
// 'key.one' / 'key.other' (Intl.PluralRules) are tried first.
export function t(key, params) {
  let s;
  if (params && typeof params.n === 'number') {
    s = catalogue[key + '.' + plural.select(params.n)] ?? catalogue[key + '.other'];
  }
  if (s === undefined) s = catalogue[key];
  if (s === undefined) return key;
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => {
    if (!(k in params)) return m;
    const v = params[k];
    return typeof v === 'number' ? num(v) : String(v);
  });
}

// A label for a value from a closed list (status, channel, outcome...),
// falling back to the value itself for codes the catalogue lacks.
export function label(group, value) {
  if (value === null || value === undefined || value === '') return '';
  const k = group + '.' + value;
  return k in catalogue ? catalogue[k] : String(value);
}

function fmt(name, opts) {
  const k = name + '|' + locale + '|' + zone;
  let f = cache.get(k);
  if (!f) {
    f = name.startsWith('n:')
      ? new Intl.NumberFormat(TAGS[locale], opts)
      : new Intl.DateTimeFormat(TAGS[locale], opts);
    cache.set(k, f);
  }
  return f;
}

export const num = (v, digits) => fmt('n:' + (digits ?? 'auto'),
  digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
export const pct = (v) => fmt('n:pct', { style: 'percent', maximumFractionDigits: 1 }).format(v);

// Wall-clock values ("YYYY-MM-DD", "HH:MM") are formatted as UTC dates,
// so no zone shifts them; instants are formatted in a zone.
function wall(date, time) {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = (time || '00:00').split(':').map(Number);
  return new Date(Date.UTC(y, m - 1, d, hh, mm));
}

export const dateLong = (date) => fmt('dl', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(wall(date));
export const dateShort = (date) => fmt('ds', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(wall(date));
export const dateNumeric = (date) => fmt('dn', { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }).format(wall(date));
export const monthYear = (date) => fmt('my', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(wall(date));
export const weekdayShort = (date) => fmt('wd', { timeZone: 'UTC', weekday: 'short' }).format(wall(date));
export const dayOfMonth = (date) => fmt('dm', { timeZone: 'UTC', day: 'numeric' }).format(wall(date));
export const clock = (time) => fmt('hm', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(wall('2000-01-01', time));

// An instant (ms or ISO text) in a zone: "fre. 4. des. 2026, 14:00".
export function instant(when, inZone) {
  const z = inZone || zone;
  return fmt('in|' + z, { timeZone: z, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(when));
}
export function instantTime(when, inZone) {
  const z = inZone || zone;
  return fmt('it|' + z, { timeZone: z, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(when));
}
