// The customers in reach (a rep's own, a manager's territory, everyone for
// an admin), paged by id with the API's cursor, filtered by status and,
// for managers and admins, by owner.
import { h, clear, field, options } from '../dom.js';
import * as api from '../api.js';
import { t, label } from '../i18n.js';
import { app, navigate } from '../app.js';
import { colleagues } from '../people.js';

const PAGE = 50;
const STATUSES = ['prospect', 'customer', 'former'];

export async function render(main, params, query) {
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const owner = query.get('owner') || '';
  const cursor = /^\d+$/.test(query.get('cursor') || '') ? query.get('cursor') : '';
  const [people, page] = await Promise.all([colleagues(app.me),
    api.get('/api/v1/customers' + api.qs({ status, owner, cursor, limit: PAGE }))]);
  const go = (patch) => navigate('#/customers' + api.qs({ status, owner, ...patch }));
  const rows = page.items.map((c) => h('tr', { 'data-id': c.id },
    h('th', { scope: 'row' }, h('a', { href: '#/customer/' + c.id }, c.name)),
    h('td', c.customer_number), h('td', label('status', c.status)), h('td', c.phone || ''),
    h('td', [c.postcode, c.city].filter(Boolean).join(' ')), h('td', c.owner || '')));
  clear(main, h('div.customers',
    h('h1', t('nav.customers')),
    h('div.filters',
      field(t('field.status'), h('select', { id: 'list-status', onchange: (e) => go({ status: e.target.value, cursor: '' }) },
        options([['', t('calendar.any')], ...STATUSES.map((x) => [x, label('status', x)])], status))),
      people.length ? field(t('field.owner'), h('select', { id: 'list-owner', onchange: (e) => go({ owner: e.target.value, cursor: '' }) },
        options([['', t('calendar.any')], ...people.map((u) => [u.email, u.name])], owner))) : null),
    page.items.length ? h('div.table-wrap', { tabindex: 0, role: 'region', 'aria-label': t('nav.customers') },
      h('table', h('caption', t('customers.shown', { n: page.items.length })),
        h('thead', h('tr', [t('field.name'), t('field.customer_number'), t('field.status'), t('field.phone'), t('field.city'), t('field.owner')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', rows))) : h('p.meta', t('customers.none')),
    h('div.actions',
      cursor ? h('a.button', { href: '#/customers' + api.qs({ status, owner }) }, t('customers.first')) : null,
      page.next_cursor ? h('a.button', { href: '#/customers' + api.qs({ status, owner, cursor: page.next_cursor }), id: 'list-next' }, t('customers.next')) : null)));
}
