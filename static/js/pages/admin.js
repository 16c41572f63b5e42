// Admin: users (add, role, territory, language, zone, disable, reset
// password, hand customers over) and territories (add, rename). New and
// reset passwords are shown once.
import { h, clear, field, options } from '../dom.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { errorText } from '../app.js';
import { openDialog, formError, toast } from '../ui.js';
import { forgetUsers } from '../people.js';

const ROLES = ['rep', 'manager', 'admin'];

function showPassword(user, password) {
  openDialog(t('admin.password_title'), (body, close) => {
    clear(body, h('p', t('admin.password_once', { email: user })),
      h('p', h('code.secret', { id: 'one-time-password' }, password)),
      h('div.actions', h('button.primary', { type: 'button', onclick: close }, t('common.close'))));
  });
}

function userForm(u, territories, onDone) {
  openDialog(u ? t('admin.edit_user', { email: u.email }) : t('admin.add_user'), (body, close) => {
    const email = h('input', { type: 'text', inputmode: 'email', spellcheck: 'false', required: true });
    const name = h('input', { type: 'text', required: true, value: u ? u.name : '' });
    const role = h('select', options(ROLES.map((r) => [r, t('role.' + r)]), u ? u.role : 'rep'));
    const terr = h('select', options([['', t('admin.no_territory')], ...territories.map((x) => [x.id, x.code + ' · ' + x.name])], u ? u.territory_id || '' : ''));
    const locale = h('select', options([['nb', 'Norsk bokmål'], ['en', 'English']], u ? u.locale : 'nb'));
    const zone = h('input', { type: 'text', value: u ? u.time_zone : 'Europe/Oslo', spellcheck: 'false' });
    const disabled = h('input', { type: 'checkbox', checked: u ? u.disabled : false, id: 'user-disabled' });
    const err = h('div');
    const form = h('form.form', { novalidate: true },
      u ? null : field(t('field.email'), email),
      field(t('field.name'), name), field(t('field.role'), role), field(t('field.territory'), terr),
      h('div.row', field(t('settings.language'), locale), field(t('field.time_zone'), zone)),
      u ? h('div.check', disabled, h('label', { for: disabled.id }, t('admin.disabled'))) : null,
      err,
      h('div.actions', h('button.primary', { type: 'submit' }, t('common.save')), h('button', { type: 'button', onclick: close }, t('common.cancel'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const b = { name: name.value.trim(), role: role.value, territory_id: terr.value ? Number(terr.value) : null, locale: locale.value, time_zone: zone.value.trim() };
      try {
        if (u) {
          b.disabled = disabled.checked;
          await api.patch('/api/v1/users/' + u.id, b);
          close();
          toast(t('admin.saved'));
        } else {
          b.email = email.value.trim();
          const r = await api.post('/api/v1/users', b);
          close();
          showPassword(r.user.email, r.password);
        }
        onDone();
      } catch (e) { formError(err, errorText(e)); }
    });
    clear(body, form);
    (u ? name : email).focus();
  });
}

function reassignForm(u, users, onDone) {
  openDialog(t('admin.reassign_title', { email: u.email }), (body, close) => {
    const to = h('select', options(users.filter((x) => x.id !== u.id && !x.disabled).map((x) => [x.id, x.name + ' <' + x.email + '>']), ''));
    const err = h('div');
    const form = h('form.form', { novalidate: true }, h('p', t('admin.reassign_intro')), field(t('admin.reassign_to'), to), err,
      h('div.actions', h('button.primary', { type: 'submit' }, t('admin.reassign')), h('button', { type: 'button', onclick: close }, t('common.cancel'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const r = await api.post('/api/v1/users/' + u.id + '/reassign', { to_user_id: Number(to.value) });
        close();
        toast(t('admin.reassigned', { n: r.customers }));
        onDone();
      } catch (e) { formError(err, errorText(e)); }
    });
    clear(body, form);
    to.focus();
  });
}

async function users(out, reload) {
  const [us, ts] = await Promise.all([api.get('/api/v1/users'), api.get('/api/v1/territories')]);
  const terrName = new Map(ts.items.map((x) => [x.id, x.code]));
  const rows = us.items.map((u) => h('tr', { 'data-email': u.email },
    h('th', { scope: 'row' }, u.name, h('div.meta', u.email)),
    h('td', t('role.' + u.role)), h('td', terrName.get(u.territory_id) || '–'),
    h('td', u.locale), h('td', u.time_zone), h('td', u.disabled ? t('admin.disabled') : t('admin.active')),
    h('td.actions',
      h('button.small', { type: 'button', onclick: () => userForm(u, ts.items, reload), 'aria-label': t('admin.edit_user', { email: u.email }) }, t('common.edit')),
      h('button.small', { type: 'button', 'aria-label': t('admin.reset_password_for', { email: u.email }), onclick: async () => {
        try { const r = await api.post('/api/v1/users/' + u.id + '/password', {}); showPassword(u.email, r.password); } catch (e) { toast(errorText(e), true); }
      } }, t('admin.reset_password')),
      h('button.small', { type: 'button', 'aria-label': t('admin.reassign') + ' – ' + u.email, onclick: () => reassignForm(u, us.items, reload) }, t('admin.reassign')))));
  clear(out,
    h('div.actions', h('button.primary', { type: 'button', id: 'add-user', onclick: () => userForm(null, ts.items, reload) }, t('admin.add_user'))),
    h('div.table-wrap', { tabindex: 0, role: 'region', 'aria-label': t('admin.users') },
      h('table', h('caption', t('admin.users_count', { n: us.items.length })),
        h('thead', h('tr', [t('field.name'), t('field.role'), t('field.territory'), t('settings.language'), t('field.time_zone'), t('field.status'), ''].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', rows))));
}

async function territories(out, reload) {
  const ts = await api.get('/api/v1/territories');
  const code = h('input', { type: 'text', required: true, maxlength: 16, spellcheck: 'false' });
  const name = h('input', { type: 'text', required: true });
  const err = h('div');
  const add = h('form.form.inline', { novalidate: true }, field(t('admin.code'), code), field(t('field.name'), name),
    h('button.primary', { type: 'submit' }, t('admin.add_territory')), err);
  add.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api.post('/api/v1/territories', { code: code.value.trim(), name: name.value.trim() });
      toast(t('admin.saved'));
      reload();
    } catch (e) { formError(err, errorText(e)); }
  });
  const rows = ts.items.map((x) => {
    const input = h('input', { type: 'text', value: x.name, 'aria-label': t('admin.rename', { code: x.code }) });
    const f = h('form.inline', { novalidate: true }, input, h('button.small', { type: 'submit' }, t('common.save')));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try { await api.patch('/api/v1/territories/' + x.id, { name: input.value.trim() }); toast(t('admin.saved')); reload(); } catch (e) { toast(errorText(e), true); }
    });
    return h('tr', h('th', { scope: 'row' }, x.code), h('td', f));
  });
  clear(out, add, h('table', h('caption', t('admin.territories')),
    h('thead', h('tr', h('th', { scope: 'col' }, t('admin.code')), h('th', { scope: 'col' }, t('field.name')))), h('tbody', rows)));
}

export async function render(main, params) {
  const which = params[0] === 'territories' ? 'territories' : 'users';
  const out = h('div');
  const reload = () => { forgetUsers(); render(main, params); };
  clear(main, h('div.admin', h('h1', t('nav.admin')),
    h('div.tabs', { role: 'tablist', 'aria-label': t('nav.admin') },
      ['users', 'territories'].map((k) => h('a', { role: 'tab', href: '#/admin/' + k, 'aria-selected': k === which ? 'true' : 'false' }, t('admin.' + k)))),
    out));
  if (which === 'users') await users(out, reload);
  else await territories(out, reload);
}
