// The search box in the header of every page: results as you type
// (phone in any written form, customer number, contact, company), an ARIA
// combobox with arrow keys, Enter to open, Escape to close.
import { h, clear } from './dom.js';
import * as api from './api.js';
import { t, label } from './i18n.js';

let seq = 0;

export function searchBox() {
  const list = h('ul.results', { id: 'search-results', role: 'listbox', 'aria-label': t('search.results') });
  const input = h('input', {
    id: 'q', type: 'search', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'search-results',
    placeholder: t('search.placeholder'), enterkeyhint: 'search',
  });
  const count = h('span.sr-only', { 'aria-live': 'polite', id: 'search-count' });
  let active = -1;
  let timer = 0;

  const items = () => [...list.querySelectorAll('[role=option]')];
  function setActive(i) {
    const all = items();
    all.forEach((o, k) => o.setAttribute('aria-selected', k === i ? 'true' : 'false'));
    active = i;
    if (all[i]) {
      input.setAttribute('aria-activedescendant', all[i].id);
      all[i].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }
  function close() {
    clear(list);
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  }
  function open(id) {
    close();
    input.value = '';
    location.hash = '#/customer/' + id;
  }

  async function run(q) {
    const mine = ++seq;
    if (!q.trim()) { close(); clear(count); return; }
    let res;
    try {
      res = await api.get('/api/v1/search' + api.qs({ q, limit: 10 }));
    } catch (e) {
      if (mine === seq) { clear(list, h('li.error', e.message)); list.hidden = false; }
      return;
    }
    if (mine !== seq) return; // a newer query has answered
    clear(list);
    res.items.forEach((hit, i) => {
      const meta = [hit.customer_number, hit.contact, hit.phone, label('status', hit.status)].filter(Boolean).join(' · ');
      list.append(h('li', {
        id: 'hit-' + i, role: 'option', 'aria-selected': 'false', 'data-id': hit.customer_id,
        onmousedown: (ev) => ev.preventDefault(), onclick: () => open(hit.customer_id),
      }, h('strong', hit.name), h('span.meta', meta),
      h('span.why', t('search.matched', { what: label('matched', hit.matched) }))));
    });
    if (!res.items.length) list.append(h('li.empty', t('search.none')));
    count.textContent = t('search.count', { n: res.items.length });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    setActive(res.items.length ? 0 : -1);
    // the query shown and when (tests and bench/web.mjs wait for it)
    document.body.dataset.searchQuery = q;
    document.body.dataset.searchDone = String(mine);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), 40);
  });
  input.addEventListener('keydown', (ev) => {
    const n = items().length;
    if (ev.key === 'ArrowDown' && n) { ev.preventDefault(); setActive((active + 1) % n); }
    else if (ev.key === 'ArrowUp' && n) { ev.preventDefault(); setActive((active - 1 + n) % n); }
    else if (ev.key === 'Enter') {
      ev.preventDefault();
      const o = items()[active];
      if (o) open(o.dataset.id);
      else { clearTimeout(timer); run(input.value); }
    } else if (ev.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  list.hidden = true;
  return h('div.search', { role: 'search' },
    h('label.sr-only', { for: 'q' }, t('search.label')), input, list, count);
}
