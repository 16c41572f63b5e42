// Sign-in: e-mail (or "admin") and password, POST /api/v1/session. The
// language can be switched before signing in.
import { h, clear, field } from '../dom.js';
import * as api from '../api.js';
import { t, loadLocale, getLocale } from '../i18n.js';
import { signedIn, route } from '../app.js';
import { formError } from '../ui.js';

export function render(main) {
  const email = h('input', { type: 'text', name: 'email', autocomplete: 'username', required: true, spellcheck: 'false', inputmode: 'email' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const err = h('div');
  const submit = h('button.primary', { type: 'submit' }, t('signin.submit'));
  const other = getLocale() === 'nb' ? 'en' : 'nb';
  const form = h('form.card.signin', { novalidate: true, 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, t('signin.title')),
    h('p', t('signin.intro')),
    field(t('signin.email'), email),
    field(t('signin.password'), password),
    err,
    h('div.actions', submit,
      h('button.link', { type: 'button', lang: other, onclick: async () => { await loadLocale(other); route(); } },
        t('lang.switch_to'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!email.value.trim() || !password.value) {
      formError(err, t('signin.missing'));
      (email.value.trim() ? password : email).focus();
      return;
    }
    submit.disabled = true;
    try {
      const body = await api.post('/api/v1/session', { email: email.value.trim(), password: password.value });
      await signedIn(body);
    } catch (e) {
      formError(err, e.status === 429 ? t('signin.locked') : e.status === 401 ? t('signin.wrong') : e.message);
      password.select();
      submit.disabled = false;
    }
  });
  clear(main, h('div.center', h('p.brand-big', t('app.name')), form));
  document.title = t('app.name') + ' · ' + t('signin.title');
  email.focus();
}
