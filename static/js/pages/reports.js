// Reports for managers and admins: the contact rate per territory and rep
// and the appointments report per period, each as a table and a bar chart
// (drawn here from the JSON, so labels and numbers follow the user's
// locale), with CSV (semicolons for Norwegian Excel) and SVG downloads.
import { h, s, clear, field, options } from '../dom.js';
import * as api from '../api.js';
import { t, label, num, pct, getLocale, dateNumeric } from '../i18n.js';
import { today, addDays, validDate } from '../time.js';
import { app, navigate, errorText } from '../app.js';

const GROUPS = ['day', 'week', 'month', 'year', 'rep', 'territory', 'type', 'channel', 'outcome'];
const UNCONTACTED_SHOWN = 200; // the rest are in the CSV

// Horizontal bars: one row per [label, value, text].
function barChart(titleText, rows) {
  const rowH = 26;
  const left = 150;
  const width = 640;
  const barW = width - left - 120;
  const max = Math.max(1e-9, ...rows.map((r) => r[1]));
  const hgt = 36 + rows.length * rowH;
  const kids = [s('title', {}, titleText)];
  rows.forEach(([name, v, text], i) => {
    const y = 30 + i * rowH;
    kids.push(s('text', { x: left - 8, y: y + 14, 'text-anchor': 'end', class: 'lbl' }, name));
    kids.push(s('rect', { x: left, y, width: Math.max(1, (v / max) * barW), height: rowH - 8, rx: 2, class: 'bar' }));
    kids.push(s('text', { x: left + Math.max(1, (v / max) * barW) + 6, y: y + 14, class: 'val' }, text));
  });
  return h('figure.chart', s('svg', { viewBox: '0 0 ' + width + ' ' + hgt, width, height: hgt, role: 'img', 'aria-label': titleText }, kids),
    h('figcaption', titleText));
}

function table(caption, head, rows) {
  return h('div.table-wrap', { tabindex: 0, role: 'region', 'aria-label': caption },
    h('table', h('caption', caption),
      h('thead', h('tr', head.map((x, i) => h('th', { scope: 'col', class: i ? 'num' : null }, x)))),
      h('tbody', rows.map((r) => h('tr', r.map((c, i) => (i ? h('td.num', c) : h('th', { scope: 'row' }, c))))))));
}

function periodLabel(group, key) {
  if (group === 'day' && validDate(key)) return dateNumeric(key);
  if (['type', 'channel', 'outcome'].includes(group)) return label(group, key);
  return key;
}

function downloads(path, q) {
  const csv = path + api.qs({ ...q, format: 'csv', sep: getLocale() === 'nb' ? ';' : ',' });
  const svg = path + api.qs({ ...q, format: 'svg' });
  return h('p.downloads',
    h('a.button', { href: csv, download: '', id: 'csv-download' }, t('reports.csv')), ' ',
    h('a.button', { href: svg, download: '' }, t('reports.svg')));
}

async function contactRate(out, q) {
  const path = '/api/v1/reports/contact-rate';
  const [r, un] = await Promise.all([api.get(path + api.qs(q)), api.get(path + '/uncontacted' + api.qs(q))]);
  const terr = r.territories;
  const rows = terr.map((x) => [x.territory, x.rate ?? 0, x.rate === null ? '–' : num(x.rate, 2) + ' (' + num(x.contacts) + '/' + num(x.customers) + ')']);
  const reps = terr.flatMap((x) => x.reps || []);
  clear(out,
    h('p.definition', t('reports.contact_rate_definition')),
    downloads(path, q),
    barChart(t('reports.chart_contact_rate'), rows),
    table(t('reports.by_territory'), [t('field.territory'), t('reports.contacts'), t('reports.customers'), t('reports.rate'), t('reports.coverage')],
      terr.map((x) => [x.territory, num(x.contacts), num(x.customers), x.rate === null ? '–' : num(x.rate, 2), x.coverage === null ? '–' : pct(x.coverage)])),
    table(t('reports.by_rep'), [t('field.owner'), t('field.territory'), t('reports.contacts'), t('reports.customers'), t('reports.rate'), t('reports.coverage')],
      reps.map((x) => [x.rep, x.territory, num(x.contacts), num(x.customers), x.rate === null ? '–' : num(x.rate, 2), x.coverage === null ? '–' : pct(x.coverage)])),
    h('h2', { id: 'uncontacted-h' }, t('reports.uncontacted', { n: un.items.length })),
    un.items.length > UNCONTACTED_SHOWN ? h('p.meta', t('reports.uncontacted_first', { n: UNCONTACTED_SHOWN })) : null,
    un.items.length ? h('p.downloads', h('a.button', { href: path + '/uncontacted' + api.qs({ ...q, format: 'csv', sep: getLocale() === 'nb' ? ';' : ',' }), download: '' }, t('reports.csv'))) : null,
    un.items.length ? h('ul.uncontacted', { 'aria-labelledby': 'uncontacted-h' }, un.items.slice(0, UNCONTACTED_SHOWN).map((c) => h('li',
      h('a', { href: '#/customer/' + c.customer_id }, c.name + ' (' + c.customer_number + ')'),
      h('span.meta', ' · ' + [c.territory, c.owner].filter(Boolean).join(' · '))))) : h('p.meta', t('reports.all_contacted')));
}

async function appointments(out, q) {
  const path = '/api/v1/reports/appointments';
  const r = await api.get(path + api.qs(q));
  const g = r.group_by || q.group_by;
  const rows = r.rows.map((x) => [periodLabel(g, x.key), x.total, num(x.total)]);
  const body = r.rows.concat([r.total]).map((x) => [x.key === 'total' ? t('reports.total') : periodLabel(g, x.key), num(x.total), num(x.held), num(x.cancelled), num(x.no_show), num(x.reschedules),
    x.avg_lead_days === null || x.avg_lead_days === undefined ? '–' : num(x.avg_lead_days, 1)]);
  clear(out,
    h('p.definition', t('reports.appointments_definition')),
    downloads(path, q),
    barChart(t('reports.chart_appointments'), rows),
    table(t('reports.appointments'), [t('reports.period'), t('reports.total'), t('reports.held'), t('status.cancelled'), t('status.no_show'), t('reports.reschedules'), t('reports.lead_days')], body));
}

export async function render(main, params, query) {
  const which = params[0] === 'appointments' ? 'appointments' : 'contact-rate';
  const end = today(app.me.time_zone);
  const from = validDate(query.get('from') || '') ? query.get('from') : addDays(end, -90);
  const to = validDate(query.get('to') || '') ? query.get('to') : addDays(end, 1);
  const group = GROUPS.includes(query.get('group_by')) ? query.get('group_by') : 'month';
  const prospects = query.get('prospects') === 'true';
  const fromIn = h('input', { type: 'date', value: from, required: true });
  const toIn = h('input', { type: 'date', value: to, required: true });
  const groupIn = h('select', options(GROUPS.map((x) => [x, t('group.' + x)]), group));
  const prosIn = h('input', { type: 'checkbox', checked: prospects, id: 'rep-prospects' });
  const out = h('div.report', { 'aria-live': 'polite' });
  const form = h('form.filters', { novalidate: true },
    field(t('reports.from'), fromIn), field(t('reports.to'), toIn),
    which === 'appointments' ? field(t('reports.group_by'), groupIn)
      : h('div.check', prosIn, h('label', { for: prosIn.id }, t('reports.include_prospects'))),
    h('button.primary', { type: 'submit' }, t('reports.show')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate('#/reports/' + which + api.qs({ from: fromIn.value, to: toIn.value,
      group_by: which === 'appointments' ? groupIn.value : '', prospects: which === 'contact-rate' && prosIn.checked ? 'true' : '' }));
  });
  const tabs = h('div.tabs', { role: 'tablist', 'aria-label': t('nav.reports') },
    ['contact-rate', 'appointments'].map((k) => h('a', { role: 'tab', href: '#/reports/' + k, 'aria-selected': k === which ? 'true' : 'false', id: 'report-' + k }, t('reports.' + k))));
  clear(main, h('div.reports', h('h1', t('nav.reports')), tabs, form, out));
  const q = { from, to };
  try {
    if (which === 'appointments') await appointments(out, { ...q, group_by: group });
    else await contactRate(out, prospects ? { ...q, prospects: 'true' } : q);
  } catch (e) {
    clear(out, h('p.error', { role: 'alert' }, errorText(e)));
  }
}
