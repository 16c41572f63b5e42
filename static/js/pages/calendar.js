// The calendar: day, week, month and agenda over /api/v1/calendar in the
// viewer's zone; scopes (both, my customers, held by me, team) and
// filters; click (or Enter) opens an appointment, drag moves it in the day
// and week views with the conflict check, and the card's Move button is
// the keyboard way to do the same.
import { h, clear, field, options } from '../dom.js';
import * as api from '../api.js';
import { t, label, dateLong, dateShort, monthYear, weekdayShort, dayOfMonth, clock, getZone } from '../i18n.js';
import { addDays, addMonths, today, weekStart, monthStart, isoWeek, wallOf, validDate, zonedToUtc } from '../time.js';
import { app, navigate, errorText } from '../app.js';
import { openAppointment, moveTo, TYPES, CHANNELS } from '../appointment.js';
import { openDialog, toast } from '../ui.js';
import { colleagues } from '../people.js';
import { bookAt } from '../pick.js';

const VIEWS = ['day', 'week', 'month', 'agenda'];
const HOUR_PX = 48;               // height of an hour in the time grid
const SNAP = 15;                  // minutes a drag snaps to
const MONTH_SHOWN = 3;            // items per month cell before "+N"
const STATUSES = ['scheduled', 'completed', 'cancelled', 'no_show'];

let seq = 0;

function state(params, query) {
  // a phone starts on the day, a wider screen on the week
  const view = VIEWS.includes(params[0]) ? params[0] : matchMedia('(max-width: 700px)').matches ? 'day' : 'week';
  const date = validDate(params[1] || '') ? params[1] : today(getZone());
  return { view, date, scope: query.get('scope') || 'both', team: query.get('team') || '', owner: query.get('owner') || '',
    type: query.get('type') || '', channel: query.get('channel') || '', status: query.get('status') || '' };
}

function hashOf(st, patch) {
  const s = { ...st, ...patch };
  const q = api.qs({ scope: s.scope === 'both' ? '' : s.scope, team: s.scope === 'team' ? s.team : '', owner: s.owner,
    type: s.type, channel: s.channel, status: s.status });
  return '#/calendar/' + s.view + '/' + s.date + q;
}

function step(st, dir) {
  if (st.view === 'day') return addDays(st.date, dir);
  if (st.view === 'month') return addMonths(st.date, dir);
  return addDays(st.date, 7 * dir);
}

function title(st, cal) {
  if (st.view === 'day') return dateLong(st.date);
  if (st.view === 'month') return monthYear(st.date);
  const first = cal.days[0].date;
  const last = cal.days[cal.days.length - 1].date;
  const range = dateShort(first) + ' – ' + dateShort(last);
  return st.view === 'week' ? t('calendar.week_title', { week: isoWeek(first), range }) : range;
}

function mayMove(a) {
  return a.status === 'scheduled' && !a.all_day && (a.owner_id === app.me.id || app.me.role !== 'rep');
}

// What a calendar item says beyond its visible text, for screen readers:
// read after the visible text, so the name still starts with what is shown.
function itemMore(a) {
  return h('span.sr-only', ', ' + [a.all_day ? t('calendar.all_day') : clock(wallOf(a.start).time) + '–' + clock(wallOf(a.end).time),
    a.subject, label('status', a.status)].filter(Boolean).join(', '));
}

// Greedy lanes for overlapping items of one day: [{a, lane, lanes}].
function lanes(items) {
  const out = [];
  let group = [];
  let groupEnd = -1;
  const flush = () => {
    const n = Math.max(1, ...group.map((g) => g.lane + 1));
    group.forEach((g) => { g.lanes = n; });
    group = [];
  };
  for (const it of items) {
    if (it.top >= groupEnd && group.length) flush();
    const used = new Set(group.filter((g) => g.bottom > it.top).map((g) => g.lane));
    let lane = 0;
    while (used.has(lane)) lane++;
    const g = { ...it, lane };
    group.push(g);
    out.push(g);
    groupEnd = Math.max(groupEnd, it.bottom);
  }
  if (group.length) flush();
  return out;
}

function timeGrid(st, cal, reload) {
  const hours = h('div.hours', { 'aria-hidden': 'true' });
  for (let i = 0; i < 24; i++) hours.append(h('div.hour', clock(String(i).padStart(2, '0') + ':00')));
  const head = h('div.tg-head', h('div.corner'));
  const allDay = h('div.tg-allday', h('div.corner', t('calendar.all_day')));
  const body = h('div.tg-body', hours);
  const cols = [];
  const todayIs = today(getZone());
  for (const d of cal.days) {
    head.append(h('div.tg-day' + (d.date === todayIs ? '.today' : ''),
      h('a', { href: hashOf(st, { view: 'day', date: d.date }) }, dateShort(d.date))));
    const ad = h('div.ad-col');
    const col = h('div.day-col', { 'data-date': d.date, role: 'group', 'aria-label': dateLong(d.date) });
    col.style.height = 24 * HOUR_PX + 'px';
    const timed = [];
    for (const a of d.items) {
      if (a.all_day) {
        ad.append(h('button.ev.allday.status-' + a.status, { type: 'button', 'data-id': a.id, onclick: () => openAppointment(a, reload) }, a.customer_name, itemMore(a)));
        continue;
      }
      const s = a.continued ? 0 : wallOf(a.start).minutes;
      const e = a.continues ? 24 * 60 : Math.max(s + 15, wallOf(a.end).minutes || 24 * 60);
      timed.push({ a, top: s, bottom: e });
    }
    timed.sort((x, y) => x.top - y.top || y.bottom - x.bottom);
    for (const g of lanes(timed)) {
      const a = g.a;
      const ev = h('button.ev.status-' + a.status + (mayMove(a) ? '.movable' : ''), {
        type: 'button', 'data-id': a.id,
      }, h('span.t', clock(wallOf(a.start).time)), ' ', h('span.c', a.customer_name), a.subject ? h('span.s', a.subject) : null, itemMore(a));
      ev.style.top = (g.top * HOUR_PX) / 60 + 'px';
      ev.style.height = Math.max(18, ((g.bottom - g.top) * HOUR_PX) / 60 - 2) + 'px';
      ev.style.left = (100 * g.lane) / g.lanes + '%';
      ev.style.width = 100 / g.lanes + '%';
      wire(ev, a, g.top, reload);
      col.append(ev);
    }
    col.addEventListener('dblclick', (e) => {
      if (e.target !== col) return; // on an appointment: that opens it
      const mins = Math.floor(((e.clientY - col.getBoundingClientRect().top) * 60) / HOUR_PX / SNAP) * SNAP;
      bookAt({ date: d.date, time: hhmm(Math.max(0, Math.min(24 * 60 - SNAP, mins))) }, reload);
    });
    cols.push(col);
    allDay.append(ad);
    body.append(col);
  }
  const grid = h('div.tgrid.days-' + cal.days.length, head, allDay, h('div.tg-scroll', body));
  grid.style.setProperty('--days', String(cal.days.length));
  return grid;
}

const hhmm = (m) => String(Math.floor(m / 60)).padStart(2, '0') + ':' + String(m % 60).padStart(2, '0');

// Pointer drag on one event; a press without movement is a click.
function wire(ev, a, top, reload) {
  let drag = null;
  ev.addEventListener('click', (e) => {
    if (ev.dataset.dragged === '1') { ev.dataset.dragged = ''; e.preventDefault(); return; }
    openAppointment(a, reload);
  });
  if (!mayMove(a)) return;
  ev.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    const col = ev.parentElement;
    drag = { x: e.clientX, y: e.clientY, col, cols: [...col.parentElement.querySelectorAll('.day-col')], moved: false };
    ev.setPointerCapture(e.pointerId);
  });
  ev.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dy) < 4 && Math.abs(e.clientX - drag.x) < 4) return;
    drag.moved = true;
    ev.classList.add('dragging');
    const mins = Math.round((dy * 60) / HOUR_PX / SNAP) * SNAP;
    const target = drag.cols.find((c) => { const r = c.getBoundingClientRect(); return e.clientX >= r.left && e.clientX < r.right; }) || drag.col;
    drag.target = target;
    drag.start = Math.max(0, Math.min(24 * 60 - SNAP, top + mins));
    ev.style.transform = 'translate(' + (target.getBoundingClientRect().left - drag.col.getBoundingClientRect().left) + 'px,' + ((drag.start - top) * HOUR_PX) / 60 + 'px)';
    ev.querySelector('.t').textContent = clock(String(Math.floor(drag.start / 60)).padStart(2, '0') + ':' + String(drag.start % 60).padStart(2, '0'));
  });
  const end = async () => {
    if (!drag) return;
    const d = drag;
    drag = null;
    if (!d.moved) return;
    ev.dataset.dragged = '1';
    const date = d.target.dataset.date;
    const hm = String(Math.floor(d.start / 60)).padStart(2, '0') + ':' + String(d.start % 60).padStart(2, '0');
    const startMs = zonedToUtc(date, hm, getZone());
    const minutes = Math.round((Date.parse(a.end_utc) - Date.parse(a.start_utc)) / 60000);
    const warn = h('div');
    const r = await moveTo(a, startMs, minutes, 'occurrence', warn, null);
    if (r === null) confirmMove(a, startMs, minutes, warn, reload);
    else if (r === false) { toast(warn.textContent, true); reload(); } else reload();
  };
  ev.addEventListener('pointerup', end);
  ev.addEventListener('pointercancel', () => { drag = null; reload(); });
}

function confirmMove(a, startMs, minutes, warn, reload) {
  openDialog(t('conflict.move_title'), (body, close) => {
    const yes = h('button.primary', { type: 'button', 'data-confirm': '1' }, t('appt.move_anyway'));
    yes.addEventListener('click', async () => {
      const ok = await moveTo(a, startMs, minutes, 'occurrence', warn, yes);
      if (ok) close();
    });
    clear(body, warn, h('div.actions', yes, h('button', { type: 'button', onclick: close }, t('common.cancel'))));
  });
  const dlg = document.querySelector('dialog');
  dlg.addEventListener('close', reload);
}

function monthGrid(st, cal, reload) {
  const first = monthStart(st.date);
  const start = weekStart(first);
  const byDate = new Map(cal.days.map((d) => [d.date, d]));
  const grid = h('div.month', { role: 'table', 'aria-label': monthYear(st.date) });
  const head = h('div.m-row.m-head', { role: 'row' });
  for (let i = 0; i < 7; i++) head.append(h('div.m-wd', { role: 'columnheader' }, weekdayShort(addDays(start, i))));
  grid.append(head);
  const todayIs = today(getZone());
  let d = start;
  while (true) {
    const row = h('div.m-row', { role: 'row' });
    for (let i = 0; i < 7; i++) {
      const day = byDate.get(d);
      const cell = h('div.m-cell' + (day ? '' : '.other') + (d === todayIs ? '.today' : ''), { role: 'cell', 'data-date': d });
      cell.append(h('a.m-num', { href: hashOf(st, { view: 'day', date: d }), 'aria-label': dateLong(d) }, dayOfMonth(d)));
      if (day) {
        const shown = day.items.slice(0, MONTH_SHOWN);
        for (const a of shown) {
          cell.append(h('button.m-ev.status-' + a.status, { type: 'button', 'data-id': a.id, onclick: () => openAppointment(a, reload) },
            a.all_day ? '' : clock(wallOf(a.start).time) + ' ', a.customer_name, itemMore(a)));
        }
        if (day.items.length > shown.length) {
          cell.append(h('a.more', { href: hashOf(st, { view: 'day', date: d }) }, t('calendar.more', { n: day.items.length - shown.length })));
        }
      }
      row.append(cell);
      d = addDays(d, 1);
    }
    grid.append(row);
    if (d.slice(0, 7) !== first.slice(0, 7)) break;
  }
  return grid;
}

function agenda(st, cal, reload) {
  const days = cal.days.filter((d) => d.items.length);
  if (!days.length) return h('p.meta', t('calendar.empty'));
  return h('div.agenda', days.map((d) => h('section',
    h('h2', dateLong(d.date)),
    h('ul', d.items.map((a) => h('li', h('button.ag-ev.status-' + a.status, { type: 'button', 'data-id': a.id, onclick: () => openAppointment(a, reload) },
      h('span.when', a.all_day ? t('calendar.all_day') : clock(wallOf(a.start).time) + '–' + clock(wallOf(a.end).time)),
      h('span.c', a.customer_name),
      h('span.meta', [a.subject, label('type', a.type), label('channel', a.channel), label('status', a.status)].filter(Boolean).join(' · ')))))))));
}

function toolbar(st, cal, territories, people) {
  const go = (patch) => navigate(hashOf(st, patch));
  const viewBtns = h('div.seg', { role: 'group', 'aria-label': t('calendar.view') },
    VIEWS.map((v) => h('button', { type: 'button', 'aria-pressed': v === st.view ? 'true' : 'false', id: 'view-' + v, onclick: () => go({ view: v }) }, t('calendar.' + v))));
  const scopes = [['both', t('scope.both')], ['customers', t('scope.customers')], ['held', t('scope.held')]];
  if (app.me.role !== 'rep') scopes.push(['team', t('scope.team')]);
  const scope = h('select', { id: 'cal-scope', onchange: (e) => go({ scope: e.target.value }) }, options(scopes, st.scope));
  const filters = [
    people.length ? field(t('calendar.whose'), h('select', { id: 'cal-owner', onchange: (e) => go({ owner: e.target.value === app.me.email ? '' : e.target.value }) },
      options(people.map((u) => [u.email, u.name]), st.owner || app.me.email))) : null,
    field(t('calendar.scope'), scope),
    st.scope === 'team' && app.me.role === 'admin'
      ? field(t('field.territory'), h('select', { onchange: (e) => go({ team: e.target.value }) },
        options([['', '—'], ...territories.map((x) => [x.code, x.name])], st.team)))
      : null,
    field(t('field.type'), h('select', { onchange: (e) => go({ type: e.target.value }) }, options([['', t('calendar.any')], ...TYPES.map((x) => [x, label('type', x)])], st.type))),
    field(t('field.channel'), h('select', { onchange: (e) => go({ channel: e.target.value }) }, options([['', t('calendar.any')], ...CHANNELS.map((x) => [x, label('channel', x)])], st.channel))),
    field(t('field.status'), h('select', { onchange: (e) => go({ status: e.target.value }) }, options([['', t('calendar.any')], ...STATUSES.map((x) => [x, label('status', x)])], st.status))),
  ];
  const count = cal ? cal.days.reduce((n, d) => n + d.items.length, 0) : 0;
  return h('div.cal-tools',
    h('div.cal-nav',
      h('button', { type: 'button', id: 'cal-prev', 'aria-label': t('calendar.prev'), onclick: () => go({ date: step(st, -1) }) }, '‹'),
      h('button', { type: 'button', id: 'cal-today', onclick: () => go({ date: today(getZone()) }) }, t('calendar.today')),
      h('button', { type: 'button', id: 'cal-next', 'aria-label': t('calendar.next'), onclick: () => go({ date: step(st, 1) }) }, '›'),
      h('h1', { id: 'cal-title' }, cal ? title(st, cal) : t('nav.calendar')),
      cal ? h('span.meta', t('calendar.count', { n: count })) : null,
      h('button.primary', { type: 'button', id: 'cal-book', onclick: () => bookAt({ date: st.date, time: '10:00' }, () => navigate(hashOf(st, {}))) }, t('calendar.book'))),
    viewBtns,
    h('div.filters', filters));
}

let territoryCache = null;

export async function render(main, params, query) {
  const mine = ++seq;
  const st = state(params, query);
  if (st.scope === 'team' && app.me.role === 'admin' && !territoryCache) {
    territoryCache = (await api.get('/api/v1/territories')).items;
  }
  // managers and admins may look at a colleague's calendar
  const people = await colleagues(app.me);
  const q = { view: st.view, date: st.date, scope: st.scope, owner: st.owner, type: st.type, channel: st.channel, status: st.status };
  if (st.scope === 'team' && st.team) q.team = st.team;
  let cal = null;
  let problem = null;
  try {
    cal = await api.get('/api/v1/calendar' + api.qs(q));
  } catch (e) {
    problem = errorText(e);
  }
  if (mine !== seq) return;
  const reload = () => render(main, params, query);
  let view = null;
  if (cal) {
    if (st.view === 'month') view = monthGrid(st, cal, reload);
    else if (st.view === 'agenda') view = agenda(st, cal, reload);
    else view = timeGrid(st, cal, reload);
  }
  clear(main, h('div.calendar.view-' + st.view, toolbar(st, cal, territoryCache || [], people),
    problem ? h('p.error', { role: 'alert' }, problem) : view,
    st.view === 'week' || st.view === 'day' ? h('p.hint', t('calendar.drag_hint')) : null));
  const scroller = main.querySelector('.tg-scroll');
  if (scroller) scroller.scrollTop = 7 * HOUR_PX;
  // what was drawn, and the render count (bench/web.mjs waits for it)
  document.body.dataset.calendar = st.view + ' ' + st.date + ' ' + mine;
}
