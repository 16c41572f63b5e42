// Forms for the records themselves: a new or changed customer (or
// prospect), and the people at a customer. Changes send the version the
// form was opened with (If-Match), so a record someone else changed
// meanwhile is not overwritten.
import { h, clear, field, options } from './dom.js';
import * as api from './api.js';
import { t, label } from './i18n.js';
import { errorText } from './app.js';
import { openDialog, formError, toast } from './ui.js';

const STATUSES = ['prospect', 'customer', 'former'];

function text(value, attrs) {
  return h('input', { type: 'text', value: value || '', ...(attrs || {}) });
}

// The members of 'fields' whose value changed ('' clears to null).
function changes(fields, record) {
  const out = {};
  for (const [k, el] of Object.entries(fields)) {
    const v = el.value.trim();
    const old = record ? record[k] ?? '' : '';
    if (v !== String(old)) out[k] = v === '' ? null : v;
  }
  return out;
}

export function customerDialog(c, onDone) {
  openDialog(c ? t('record.edit_customer', { name: c.name }) : t('record.new_customer'), (body, close) => {
    const f = {
      customer_number: text(c && c.customer_number, { required: true, inputmode: 'numeric', spellcheck: 'false' }),
      name: text(c && c.name, { required: true }),
      status: h('select', options(STATUSES.map((s) => [s, label('status', s)]), c ? c.status : 'prospect')),
      phone: text(c && c.phone, { inputmode: 'tel', type: 'tel' }),
      email: text(c && c.email, { inputmode: 'email', spellcheck: 'false' }),
      address: text(c && c.address),
      postcode: text(c && c.postcode, { inputmode: 'numeric' }),
      city: text(c && c.city),
      country: text(c ? c.country : 'NO', { maxlength: 2, spellcheck: 'false' }),
      time_zone: text(c ? c.time_zone : 'Europe/Oslo', { spellcheck: 'false' }),
      notes: h('textarea', { rows: 3, value: (c && c.notes) || '' }),
    };
    const err = h('div');
    const form = h('form.form', { novalidate: true },
      h('div.row', field(t('field.customer_number'), f.customer_number), field(t('field.status'), f.status)),
      field(t('field.name'), f.name),
      h('div.row', field(t('field.phone'), f.phone), field(t('field.email'), f.email)),
      field(t('field.address'), f.address),
      h('div.row', field(t('field.postcode'), f.postcode), field(t('field.city'), f.city), field(t('field.country'), f.country)),
      field(t('field.time_zone'), f.time_zone),
      field(t('field.notes'), f.notes),
      err,
      h('div.actions', h('button.primary', { type: 'submit' }, t('common.save')), h('button', { type: 'button', onclick: close }, t('common.cancel'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        let saved;
        if (c) {
          const b = changes(f, c);
          saved = Object.keys(b).length ? await api.patch('/api/v1/customers/' + c.id, b, c.version) : c;
        } else {
          const b = changes(f, null);
          saved = await api.post('/api/v1/customers', b);
        }
        close();
        toast(t('record.saved'));
        onDone(saved);
      } catch (e) { formError(err, errorText(e)); }
    });
    clear(body, form);
    (c ? f.name : f.customer_number).focus();
  });
}

export function contactDialog(customerId, p, onDone) {
  openDialog(p ? t('record.edit_contact', { name: p.name }) : t('record.new_contact'), (body, close) => {
    const f = {
      name: text(p && p.name, { required: true }),
      title: text(p && p.title),
      mobile: text(p && p.mobile, { type: 'tel', inputmode: 'tel' }),
      phone: text(p && p.phone, { type: 'tel', inputmode: 'tel' }),
      email: text(p && p.email, { inputmode: 'email', spellcheck: 'false' }),
      notes: h('textarea', { rows: 3, value: (p && p.notes) || '' }),
    };
    const err = h('div');
    const form = h('form.form', { novalidate: true },
      field(t('field.name'), f.name), field(t('field.title'), f.title),
      h('div.row', field(t('field.mobile'), f.mobile), field(t('field.phone'), f.phone)),
      field(t('field.email'), f.email), field(t('field.notes'), f.notes),
      err,
      h('div.actions', h('button.primary', { type: 'submit' }, t('common.save')), h('button', { type: 'button', onclick: close }, t('common.cancel')),
        p ? h('button.danger', { type: 'button', onclick: async () => {
          if (err.dataset.confirm !== '1') { err.dataset.confirm = '1'; formError(err, t('record.remove_confirm')); return; }
          try { await api.del('/api/v1/contacts/' + p.id); close(); toast(t('record.removed')); onDone(); } catch (e) { formError(err, errorText(e)); }
        } }, t('record.remove_contact')) : null));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        if (p) {
          const b = changes(f, p);
          if (Object.keys(b).length) await api.patch('/api/v1/contacts/' + p.id, b, p.version);
        } else {
          await api.post('/api/v1/customers/' + customerId + '/contacts', changes(f, null));
        }
        close();
        toast(t('record.saved'));
        onDone();
      } catch (e) { formError(err, errorText(e)); }
    });
    clear(body, form);
    f.name.focus();
  });
}
