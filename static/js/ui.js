// Shared widgets: the status toast, modal dialogs on <dialog> (focus is
// trapped and Escape closes them natively), and small list helpers.
import { h, clear, $ } from './dom.js';
import { t } from './i18n.js';

let toastTimer = 0;
export function toast(text, isError) {
  const el = $('#toast');
  el.className = isError ? 'error show' : 'show';
  el.textContent = text;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.className = ''; el.textContent = ''; }, 6000);
}

// A modal dialog with a title; returns {dialog, body, close}. The dialog
// removes itself when closed and gives focus back where it was.
export function openDialog(title, build) {
  const back = document.activeElement;
  const titleId = 'dlg-title-' + Date.now();
  const body = h('div.dialog-body');
  const dialog = h('dialog', { 'aria-labelledby': titleId },
    h('div.dialog-head',
      h('h2', { id: titleId }, title),
      h('button.icon', { type: 'button', 'aria-label': t('common.close'), onclick: () => dialog.close() }, '×')),
    body);
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (back && back.isConnected) back.focus();
  });
  document.body.append(dialog);
  const close = () => dialog.close();
  build(body, close);
  dialog.showModal();
  return { dialog, body, close };
}

// An error line inside a form, read out when it appears.
export function formError(box, text) {
  clear(box, text ? h('p.error', { role: 'alert' }, text) : null);
}

export function dl(rows) {
  const out = h('dl');
  for (const [k, v] of rows) {
    if (v === null || v === undefined || v === '') continue;
    out.append(h('dt', k), h('dd', v));
  }
  return out;
}
