// The calendar feed: one secret link per user that Outlook, Google,
// Apple and Thunderbird subscribe to. The link is shown once, when made
// (making a new one stops the old); a short how-to per program.
import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { t, instant } from '../i18n.js';
import { errorText } from '../app.js';
import { toast } from '../ui.js';

const HOWTO = ['outlook_web', 'outlook_desktop', 'google', 'apple', 'thunderbird'];

export async function render(main) {
  let info;
  try {
    info = await api.get('/api/v1/me/feed');
  } catch (e) {
    clear(main, h('div.feed', h('h1', t('feed.title')), h('p.error', { role: 'alert' }, e.status === 404 ? t('feed.unavailable') : errorText(e))));
    return;
  }
  const out = h('div.feed-link', { 'aria-live': 'polite' });
  const err = h('div');
  const showUrl = (url) => {
    const input = h('input', { type: 'text', readOnly: true, value: url, id: 'feed-url', spellcheck: 'false' });
    const copy = h('button.primary', { type: 'button', id: 'feed-copy' }, t('feed.copy'));
    copy.addEventListener('click', async () => {
      input.select();
      try { await navigator.clipboard.writeText(url); toast(t('feed.copied')); } catch (_) { toast(t('feed.copy_by_hand')); }
    });
    clear(out, h('label', { for: 'feed-url' }, t('feed.your_link')), h('div.copy-row', input, copy), h('p.hint', t('feed.once')));
    input.focus();
    input.select();
  };
  const make = h('button.primary', { type: 'button', id: 'feed-make' }, info.active ? t('feed.regenerate') : t('feed.make'));
  make.addEventListener('click', async () => {
    if (info.active && make.dataset.confirm !== '1') {
      make.dataset.confirm = '1';
      make.textContent = t('feed.regenerate_confirm');
      return;
    }
    try {
      const r = await api.post('/api/v1/me/feed', {});
      info = { active: true, created_at: r.created_at || null };
      showUrl(r.url);
      make.textContent = t('feed.regenerate');
      delete make.dataset.confirm;
      stop.hidden = false;
      state.textContent = r.created_at ? t('feed.active_since', { when: instant(r.created_at) }) : t('feed.active');
    } catch (e) { clear(err, h('p.error', { role: 'alert' }, errorText(e))); }
  });
  const stop = h('button', { type: 'button', id: 'feed-stop', hidden: !info.active }, t('feed.stop'));
  stop.addEventListener('click', async () => {
    try {
      await api.del('/api/v1/me/feed');
      info = { active: false };
      clear(out);
      stop.hidden = true;
      make.textContent = t('feed.make');
      state.textContent = t('feed.inactive');
      toast(t('feed.stopped'));
    } catch (e) { clear(err, h('p.error', { role: 'alert' }, errorText(e))); }
  });
  const state = h('p.meta', { id: 'feed-state' }, info.active
    ? (info.created_at ? t('feed.active_since', { when: instant(info.created_at) }) : t('feed.active'))
    : t('feed.inactive'));
  clear(main, h('div.feed',
    h('h1', t('feed.title')),
    h('p', t('feed.intro')),
    state,
    h('div.actions', make, stop),
    err, out,
    h('h2', t('feed.howto_title')),
    HOWTO.map((k) => h('section.howto', h('h3', t('feed.howto.' + k + '.title')),
      h('ol', t('feed.howto.' + k + '.steps').split('|').map((x) => h('li', x))))),
    h('p.hint', t('feed.refresh_note')),
    h('h2', t('import.title')),
    h('p', t('import.teaser'), ' ', h('a', { href: '#/import', id: 'to-import' }, t('import.open')))));
}
