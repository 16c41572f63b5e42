// Calendar arithmetic on wall-clock dates ("YYYY-MM-DD") and the one
// conversion the browser needs: a wall time in an IANA zone to an instant.
// Weeks start on Monday (ISO 8601).

const pad = (n) => String(n).padStart(2, '0');

export function isoDate(d) {
  return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
}
function utcDate(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}
export function addDays(date, n) {
  const d = utcDate(date);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDate(d);
}
export function addMonths(date, n) {
  const d = utcDate(date);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + n);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return isoDate(d);
}
// 1 = Monday ... 7 = Sunday
export function isoWeekday(date) { return utcDate(date).getUTCDay() || 7; }
export function weekStart(date) { return addDays(date, 1 - isoWeekday(date)); }
export function monthStart(date) { return date.slice(0, 8) + '01'; }
export function isoWeek(date) {
  const d = utcDate(addDays(date, 4 - isoWeekday(date))); // Thursday
  const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.floor((d - jan1) / 86400000 / 7) + 1;
}
export function validDate(s) {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && isoDate(utcDate(s)) === s;
}

// Wall-clock parts of an RFC 3339 text as the server writes it in the
// viewer's zone: "2026-11-30T12:00:00+01:00".
export function wallOf(iso) {
  return { date: iso.slice(0, 10), time: iso.slice(11, 16),
    minutes: Number(iso.slice(11, 13)) * 60 + Number(iso.slice(14, 16)) };
}

// Today's date in a zone.
export function today(zone) {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (t) => p.find((x) => x.type === t).value;
  return get('year') + '-' + get('month') + '-' + get('day');
}

// The zone's offset from UTC at instant 'ms', in minutes.
function offsetAt(ms, zone) {
  const p = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(ms));
  const v = {};
  for (const x of p) v[x.type] = Number(x.value);
  const asUtc = Date.UTC(v.year, v.month - 1, v.day, v.hour % 24, v.minute, v.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

// The instant of wall time 'date' 'time' in 'zone'. Like the server, a
// time in a spring-forward gap is read with the offset before the gap.
export function zonedToUtc(date, time, zone) {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  const before = offsetAt(guess - 86400000, zone);
  const after = offsetAt(guess + 86400000, zone);
  for (const off of [before, after]) {
    const t = guess - off * 60000;
    if (offsetAt(t, zone) === off) return t;
  }
  return guess - before * 60000;
}

export const toUtcText = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
export { pad };
