// The user's own settings: language, time zone and password.
import { h, clear, field, options } from '../dom.js';
import * as api from '../api.js';
import { t, getZone, getLocale } from '../i18n.js';
import { app, refreshMe, route, errorText, forget } from '../app.js';
import { toast, formError } from '../ui.js';

function zones() {
  try { return Intl.supportedValuesOf('timeZone'); } catch (_) { return [getZone()]; }
}

export function render(main) {
  const lang = h('select', { id: 'set-locale' }, options([['nb', 'Norsk bokmål'], ['en', 'English']], getLocale()));
  const list = zones();
  if (!list.includes(app.me.time_zone)) list.unshift(app.me.time_zone);
  const zone = h('select', { id: 'set-zone' }, options(list.map((z) => [z, z]), app.me.time_zone));
  const err = h('div');
  const prefs = h('form.form.card', { novalidate: true },
    h('h2', t('settings.preferences')),
    field(t('settings.language'), lang), field(t('field.time_zone'), zone), err,
    h('div.actions', h('button.primary', { type: 'submit' }, t('common.save'))));
  prefs.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api.patch('/api/v1/me', { locale: lang.value, time_zone: zone.value });
      await refreshMe();
      toast(t('settings.saved'));
      route();
    } catch (e) { formError(err, errorText(e)); }
  });
  const cur = h('input', { type: 'password', autocomplete: 'current-password' });
  const next = h('input', { type: 'password', autocomplete: 'new-password', minlength: 12 });
  const perr = h('div');
  const pw = h('form.form.card', { novalidate: true },
    h('h2', t('settings.password')),
    field(t('settings.current_password'), cur), field(t('settings.new_password'), next, t('settings.password_hint')), perr,
    h('div.actions', h('button', { type: 'submit' }, t('settings.change_password'))));
  pw.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api.post('/api/v1/me/password', { current: cur.value, new: next.value });
      toast(t('settings.password_changed'));
      forget();
    } catch (e) { formError(perr, errorText(e)); }
  });
  clear(main, h('div.settings', h('h1', t('nav.settings')),
    h('p.meta', t('settings.signed_in_as', { name: app.me.name, email: app.me.email, role: t('role.' + app.me.role) })), prefs, pw));
}
