// "Book at this time": choose the customer first (the same search as the
// header's), then the schedule form opens with the date and time filled in.
import { h, clear, field } from './dom.js';
import * as api from './api.js';
import { t, label, dateLong, clock } from './i18n.js';
import { openDialog } from './ui.js';
import { scheduleDialog } from './appointment.js';

export function bookAt(at, onDone) {
  openDialog(t('pick.title'), (body, close) => {
    const q = h('input', { type: 'search', id: 'pick-q', autocomplete: 'off', spellcheck: 'false' });
    const list = h('ul.pick-results', { 'aria-live': 'polite' });
    let seq = 0;
    let timer = 0;
    const choose = async (id) => {
      const [c, contacts] = await Promise.all([api.get('/api/v1/customers/' + id), api.get('/api/v1/customers/' + id + '/contacts')]);
      close();
      scheduleDialog(c, contacts.items, onDone, at);
    };
    q.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const mine = ++seq;
        if (!q.value.trim()) { clear(list); return; }
        const res = await api.get('/api/v1/search' + api.qs({ q: q.value, limit: 8 }));
        if (mine !== seq) return;
        clear(list, res.items.length ? res.items.map((hit) => h('li', h('button.pick', { type: 'button', 'data-id': hit.customer_id, onclick: () => choose(hit.customer_id) },
          h('strong', hit.name), h('span.meta', ' · ' + [hit.customer_number, hit.contact, label('status', hit.status)].filter(Boolean).join(' · ')))))
          : h('li.meta', t('search.none')));
      }, 40);
    });
    clear(body, h('p', t('pick.when', { when: dateLong(at.date) + ' ' + clock(at.time) })),
      field(t('search.label'), q), list);
    q.focus();
  });
}
