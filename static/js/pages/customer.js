// The customer page: the record, its contacts and the appointment tab
// (upcoming soonest first, past newest first with outcomes), and the
// button that opens the schedule form.
import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { t, label, instant, instantTime } from '../i18n.js';
import { dl } from '../ui.js';
import { scheduleDialog, openAppointment } from '../appointment.js';
import { customerDialog, contactDialog } from '../records.js';

function contactCard(p, reload) {
  const ways = [p.mobile && t('contact.mobile', { v: p.mobile }), p.phone && t('contact.phone', { v: p.phone }), p.email].filter(Boolean);
  return h('li.contact', h('div.contact-head', h('span', h('strong', p.name), p.title ? h('span.meta', ' · ' + p.title) : null),
    h('button.small', { type: 'button', 'aria-label': t('record.edit_contact', { name: p.name }), onclick: () => contactDialog(p.customer_id, p, reload) }, t('common.edit'))),
  ways.length ? h('div.meta', ways.join(' · ')) : null, p.notes ? h('div.notes', p.notes) : null);
}

function apptRow(a, reload) {
  const what = [label('type', a.type), label('channel', a.channel), a.contact_name].filter(Boolean).join(' · ');
  const state = a.status === 'completed' && a.outcome
    ? label('status', a.status) + ': ' + label('outcome', a.outcome) : label('status', a.status);
  return h('li.appt',
    h('button.appt-open', { type: 'button', 'data-id': a.id, onclick: () => openAppointment(a, reload) },
      h('span.when', instant(a.start_utc) + '–' + instantTime(a.end_utc)),
      h('span.subject', a.subject || label('type', a.type)),
      h('span.meta', what),
      h('span.state.status-' + a.status, state),
      a.outcome_note ? h('span.note', a.outcome_note) : null));
}

export async function render(main, params, query) {
  const id = Number(params[0]);
  if (!Number.isInteger(id) || id < 1) throw new api.ApiError(404, { code: 'not_found', detail: String(params[0] || '') });
  const tab = params[1] === 'past' ? 'past' : 'upcoming';
  const [c, contacts, appts] = await Promise.all([
    api.get('/api/v1/customers/' + id),
    api.get('/api/v1/customers/' + id + '/contacts'),
    api.get('/api/v1/customers/' + id + '/appointments' + api.qs({ when: tab })),
  ]);
  const reload = () => render(main, params, query);
  const details = dl([
    [t('field.customer_number'), c.customer_number],
    [t('field.status'), label('status', c.status)],
    [t('field.phone'), c.phone],
    [t('field.email'), c.email],
    [t('field.address'), [c.address, [c.postcode, c.city].filter(Boolean).join(' '), c.country].filter(Boolean).join(', ')],
    [t('field.time_zone'), c.time_zone],
    [t('field.territory'), c.territory],
    [t('field.owner'), c.owner],
    [t('field.notes'), c.notes],
  ]);
  const tabs = ['upcoming', 'past'].map((k) => h('a', {
    role: 'tab', id: 'tab-' + k, href: '#/customer/' + id + '/' + k,
    'aria-selected': k === tab ? 'true' : 'false', 'aria-controls': 'tab-panel',
  }, t('customer.tab_' + k)));
  const list = h('ol.appts', appts.items.map((a) => apptRow(a, reload)));
  clear(main,
    h('article.customer',
      h('div.page-head',
        h('h1', c.name),
        h('div.actions',
          h('button.primary', { type: 'button', id: 'book', onclick: () => scheduleDialog(c, contacts.items, reload) }, t('customer.book')),
          h('button', { type: 'button', id: 'edit-customer', onclick: () => customerDialog(c, reload) }, t('record.edit')))),
      h('div.columns',
        h('section', { 'aria-labelledby': 'details-h' }, h('h2', { id: 'details-h' }, t('customer.details')), details),
        h('section', { 'aria-labelledby': 'contacts-h' }, h('h2', { id: 'contacts-h' }, t('customer.contacts')),
          contacts.items.length ? h('ul.contacts', contacts.items.map((p) => contactCard(p, reload))) : h('p.meta', t('customer.no_contacts')),
          h('button', { type: 'button', id: 'add-contact', onclick: () => contactDialog(c.id, null, reload) }, t('record.new_contact')))),
      h('section.tabbed', { 'aria-labelledby': 'appts-h' },
        h('h2', { id: 'appts-h' }, t('customer.appointments')),
        h('div.tabs', { role: 'tablist', 'aria-label': t('customer.appointments') }, tabs),
        h('div', { role: 'tabpanel', id: 'tab-panel', 'aria-labelledby': 'tab-' + tab },
          appts.items.length ? list : h('p.meta', t('customer.no_' + tab))))));
}
