// Avtale: the first page. Search as you type through /api/v1/search and
// show the chosen record with its contacts. Text always goes in as text
// (textContent), never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

async function getJSON(url) {
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await r.json();
  if (!r.ok) throw new Error(body.detail || body.title || r.statusText);
  return body;
}

let seq = 0;
async function search(q) {
  const mine = ++seq;
  const out = $('results');
  if (!q.trim()) { out.replaceChildren(); return; }
  try {
    const res = await getJSON('/api/v1/search?q=' + encodeURIComponent(q));
    if (mine !== seq) return; // a newer query has answered
    const list = el('ol');
    for (const h of res.items) {
      const b = el('button');
      b.type = 'button';
      b.append(el('strong', h.name), ' ', el('span', h.customer_number, 'meta'));
      const who = [h.contact, h.phone, h.status, 'treff: ' + h.matched].filter(Boolean);
      b.append(el('div', who.join(' · '), 'meta'));
      b.addEventListener('click', () => show(h.customer_id));
      const li = el('li');
      li.append(b);
      list.append(li);
    }
    out.replaceChildren(el('p', res.items.length + ' treff', 'meta'), list);
  } catch (e) {
    if (mine === seq) out.replaceChildren(el('p', e.message, 'error'));
  }
}

async function show(id) {
  const box = $('record');
  try {
    const [c, contacts] = await Promise.all([
      getJSON('/api/v1/customers/' + id),
      getJSON('/api/v1/customers/' + id + '/contacts'),
    ]);
    const dl = el('dl');
    const rows = [['Kundenummer', c.customer_number], ['Status', c.status],
      ['Telefon', c.phone], ['E-post', c.email], ['Adresse', c.address],
      ['Post', [c.postcode, c.city].filter(Boolean).join(' ')],
      ['Land', c.country], ['Tidssone', c.time_zone],
      ['Distrikt', c.territory], ['Eier', c.owner]];
    for (const [k, v] of rows) {
      if (!v) continue;
      dl.append(el('dt', k), el('dd', v));
    }
    const people = el('ol');
    for (const p of contacts.items) {
      const li = el('li');
      li.append(el('strong', p.name), ' ', el('span', p.title, 'meta'));
      li.append(el('div', [p.mobile, p.phone, p.email].filter(Boolean).join(' · '), 'meta'));
      people.append(li);
    }
    box.replaceChildren(el('h2', c.name), dl, el('h3', 'Kontakter'), people);
    box.hidden = false;
  } catch (e) {
    box.replaceChildren(el('p', e.message, 'error'));
    box.hidden = false;
  }
}

let timer = 0;
document.addEventListener('DOMContentLoaded', () => {
  const q = $('q');
  q.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(q.value), 120);
  });
  $('search-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    search(q.value);
  });
});
