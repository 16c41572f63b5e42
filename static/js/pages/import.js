// Import a calendar file (.ics from Outlook, Google or Apple): a trial run
// first, which stores nothing and shows what would happen line by line,
// then the import itself (POST /api/v1/imports/ics).
import { h, clear, field } from '../dom.js';
import * as api from '../api.js';
import { t, label, num } from '../i18n.js';
import { errorText } from '../app.js';
import { toast } from '../ui.js';

const COUNTS = ['created', 'updated', 'cancelled', 'answered', 'skipped', 'failed'];
const changes = (r) => (r.created || 0) + (r.updated || 0) + (r.cancelled || 0) + (r.answered || 0);
const MAX_BYTES = 1024 * 1024; // the API's limit; larger files go through the CLI

function report(r) {
  const items = r.items || [];
  return [
    h('ul.counts', COUNTS.filter((k) => r[k]).map((k) => h('li', t('import.count.' + k, { n: r[k] })))),
    (r.errors || []).length ? h('div.warning', { role: 'alert' }, h('strong', t('import.errors')),
      h('ul', r.errors.map((e) => h('li', t('import.line', { line: e.line }) + ': ' + e.message)))) : null,
    (r.warnings || []).length ? h('div', h('strong', t('import.warnings')),
      h('ul', r.warnings.map((w) => h('li', t('import.line', { line: w.line }) + ': ' + w.message)))) : null,
    items.length ? h('div.table-wrap', { tabindex: 0, role: 'region', 'aria-label': t('import.items') },
      h('table', h('caption', t('import.items')),
        h('thead', h('tr', [t('import.line_col'), t('import.action'), t('field.customer'), t('import.reason')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', items.map((it) => h('tr',
          h('td.num', num(it.line)),
          h('td', it.appointment_id ? h('a', { href: '#/calendar' }, label('import.action', it.action)) : label('import.action', it.action)),
          h('td', it.customer_id ? h('a', { href: '#/customer/' + it.customer_id }, String(it.customer_id)) : '–'),
          h('td', it.reason || '')))))) : null,
  ];
}

export function render(main) {
  const file = h('input', { type: 'file', id: 'ics-file', accept: '.ics,text/calendar' });
  const out = h('div', { 'aria-live': 'polite' });
  const trial = h('button.primary', { type: 'submit' }, t('import.trial'));
  const go = h('button', { type: 'button', id: 'ics-import', hidden: true }, t('import.go'));
  let text = null;
  const send = async (dry) => {
    try {
      const r = await api.upload('/api/v1/imports/ics' + api.qs({ owner: 'me', dry_run: dry ? '1' : '' }), text, 'text/calendar');
      clear(out, h('h2', dry ? t('import.trial_result') : t('import.result')), report(r));
      go.hidden = !dry || !changes(r);
      if (!dry) toast(t('import.done', { n: r.stored ? changes(r) : 0 }));
    } catch (e) {
      go.hidden = true;
      clear(out, h('p.error', { role: 'alert' }, errorText(e)), e.body && e.body.items ? report(e.body) : null);
    }
  };
  const form = h('form.form.card', { novalidate: true },
    field(t('import.file'), file, t('import.hint')),
    h('div.actions', trial, go));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) { clear(out, h('p.error', { role: 'alert' }, t('import.choose'))); return; }
    if (f.size > MAX_BYTES) { clear(out, h('p.error', { role: 'alert' }, t('import.too_big'))); return; }
    text = await f.text();
    send(true);
  });
  go.addEventListener('click', () => send(false));
  clear(main, h('div.import', h('h1', t('import.title')), h('p', t('import.intro')), form, out));
}
