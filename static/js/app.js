// Avtale in the browser: boot, the header on every page, sign-in state and
// the hash router (#/calendar/week/2026-12-04, #/customer/51, ...). Each
// page is a module under pages/ with render(main, params, query).
import { h, clear, $ } from './dom.js';
import * as api from './api.js';
import { t, loadLocale, setZone, browserLocale, getLocale } from './i18n.js';
import { searchBox } from './search.js';
import { toast } from './ui.js';

export const app = { me: null, view: null };

// A marker that a session cookie was set, so a first visit shows the
// sign-in form without asking the server (the cookie itself is HttpOnly).
const SIGNED_IN = 'avtale.signed-in';

const pages = {
  signin: () => import('./pages/signin.js'),
  calendar: () => import('./pages/calendar.js'),
  customer: () => import('./pages/customer.js'),
  reports: () => import('./pages/reports.js'),
  feed: () => import('./pages/feed.js'),
  admin: () => import('./pages/admin.js'),
  settings: () => import('./pages/settings.js'),
  import: () => import('./pages/import.js'),
};

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function parseHash() {
  const raw = location.hash.startsWith('#/') ? location.hash.slice(2) : '';
  const [path, query] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || 'calendar', params: parts.slice(1),
    query: new URLSearchParams(query || '') };
}

export function isAdmin() { return app.me && app.me.role === 'admin'; }
export function mayReport() { return app.me && app.me.role !== 'rep'; }

function navLink(hash, key, current) {
  return h('a', { href: hash, 'aria-current': current ? 'page' : null }, t(key));
}

function renderHeader(current) {
  const top = $('#top');
  if (!app.me) { top.hidden = true; clear(top); return; }
  const other = getLocale() === 'nb' ? 'en' : 'nb';
  clear(top,
    h('div.bar',
      h('a.brand', { href: '#/calendar' }, t('app.name')),
      searchBox(),
      h('nav', { 'aria-label': t('nav.label') },
        navLink('#/calendar', 'nav.calendar', current === 'calendar'),
        mayReport() && navLink('#/reports', 'nav.reports', current === 'reports'),
        navLink('#/feed', 'nav.feed', current === 'feed'),
        isAdmin() && navLink('#/admin/users', 'nav.admin', current === 'admin'),
        navLink('#/settings', 'nav.settings', current === 'settings'),
        h('button.link', { type: 'button', id: 'new-customer', onclick: newCustomer }, t('record.new_customer'))),
      h('div.who',
        h('span.me', app.me.name),
        h('button.link', { type: 'button', id: 'lang-switch', lang: other,
          onclick: () => switchLocale(other) }, t('lang.switch_to')),
        h('button.link', { type: 'button', id: 'sign-out', onclick: signOut },
          t('nav.sign_out')))));
  top.hidden = false;
}

let routing = 0;
export async function route() {
  const mine = ++routing;
  const { name, params, query } = parseHash();
  const main = $('#main');
  if (!app.me) {
    renderHeader(null);
    const mod = await pages.signin();
    if (mine === routing) mod.render(main);
    return;
  }
  const load = pages[name] || pages.calendar;
  renderHeader(name);
  try {
    const mod = await load();
    if (mine !== routing) return;
    await mod.render(main, params, query);
  } catch (e) {
    // a bug, not an answer: let the console (and the browser tests) see it
    if (!(e instanceof api.ApiError)) console.error(e);
    if (mine === routing) clear(main, h('p.error', { role: 'alert' }, errorText(e)));
  }
  document.title = t('app.name') + ' · ' + t('nav.' + (pages[name] ? name : 'calendar'));
}

// A message for an API failure: the catalogue's text for the code, the
// field it names, and the server's detail.
export function errorText(e) {
  if (!(e instanceof api.ApiError)) return t('error.unexpected');
  const base = t('error.' + e.code) === 'error.' + e.code ? t('error.generic', { status: e.status }) : t('error.' + e.code);
  return e.field ? base + ' (' + t('field.' + e.field) + '): ' + e.message : base + ': ' + e.message;
}

export async function signedIn(body) {
  localStorage.setItem(SIGNED_IN, '1');
  await adopt(body);
  if (!location.hash.startsWith('#/') || location.hash === '#/signin') location.hash = '#/calendar';
  else route();
}

async function adopt(body) {
  app.me = body.user;
  api.setCsrf(body.csrf_token);
  setZone(app.me.time_zone);
  if (app.me.locale !== getLocale()) await loadLocale(app.me.locale);
}

export async function refreshMe() {
  await adopt(await api.get('/api/v1/me'));
}

async function newCustomer() {
  const { customerDialog } = await import('./records.js');
  customerDialog(null, (c) => navigate('#/customer/' + c.id));
}

async function switchLocale(l) {
  try {
    const body = await api.patch('/api/v1/me', { locale: l });
    await adopt(body);
    route();
  } catch (e) {
    toast(errorText(e), true);
  }
}

async function signOut() {
  try { await api.del('/api/v1/session'); } catch (_) { /* gone already */ }
  forget();
}

// The session is gone (signed out, or the password changed): back to the
// sign-in form without asking the server.
export function forget() {
  localStorage.removeItem(SIGNED_IN);
  app.me = null;
  api.setCsrf(null);
  route();
}

async function boot() {
  api.setUnauthorizedHandler(() => { if (app.me) forget(); });
  const skip = $('#skip-link');
  skip.addEventListener('click', (ev) => { ev.preventDefault(); $('#main').focus(); });
  let body = null;
  if (localStorage.getItem(SIGNED_IN)) {
    try { body = await api.get('/api/v1/me'); } catch (_) { localStorage.removeItem(SIGNED_IN); }
  }
  await loadLocale(body ? body.user.locale : browserLocale());
  skip.textContent = t('app.skip');
  if (body) await adopt(body);
  window.addEventListener('hashchange', route);
  await route();
  // when the first page is usable (bench/web.mjs reads it)
  document.body.dataset.ready = String(Math.round(performance.now()));
}

boot();
