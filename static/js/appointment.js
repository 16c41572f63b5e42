// Appointment dialogs: the schedule form (book), the appointment card
// (open from the calendar or the customer's tab) with move, cancel and
// no-show, and complete-with-outcome that books the follow-up in the same
// step. Before a write the owner's calendar is read for overlaps, so the
// conflict warning shows while the form is filled in; the server's 409
// (a race) shows the same warning.
import { h, clear, field, options, safeHref } from './dom.js';
import * as api from './api.js';
import { t, label, instant, instantTime, getZone, dateLong } from './i18n.js';
import { zonedToUtc, toUtcText, today, addDays, wallOf } from './time.js';
import { app, errorText } from './app.js';
import { openDialog, formError, toast, dl } from './ui.js';
import { colleagues } from './people.js';

export const TYPES = ['meeting', 'call', 'demo', 'follow-up', 'service visit'];
export const CHANNELS = ['phone', 'video', 'in_person'];
export const OUTCOMES = ['interested', 'not_interested', 'follow_up', 'order_placed', 'resolved', 'no_decision'];
const DURATIONS = [15, 30, 45, 60, 90, 120, 180, 240];
const REMINDERS = [0, 5, 10, 15, 30, 60, 120, 1440];
const REPEATS = { none: null, daily: 'FREQ=DAILY', weekly: 'FREQ=WEEKLY', biweekly: 'FREQ=WEEKLY;INTERVAL=2', monthly: 'FREQ=MONTHLY' };

// Scheduled appointments of 'ownerEmail' overlapping [startMs, endMs),
// other than 'selfId'.
export async function findConflicts(ownerEmail, startMs, endMs, selfId) {
  const res = await api.get('/api/v1/appointments' + api.qs({
    from: toUtcText(startMs), to: toUtcText(endMs), owner: ownerEmail || 'me' }));
  return res.items.filter((o) => o.status === 'scheduled' && o.id !== selfId &&
    Date.parse(o.start_utc) < endMs && Date.parse(o.end_utc) > startMs);
}

function conflictList(list) {
  return h('div.warning', { role: 'alert', 'data-conflicts': list.length },
    h('strong', t('conflict.title', { n: list.length })),
    h('ul', list.map((c) => h('li', instant(c.start_utc) + '–' + instantTime(c.end_utc) + ' · ' +
      (c.customer_name || '') + (c.subject ? ' · ' + c.subject : '')))),
    h('p', t('conflict.hint')));
}

// The conflicts a 409 answer carries, in the shape findConflicts gives.
function conflictsOf(e) {
  return e instanceof api.ApiError && e.status === 409 && Array.isArray(e.body.conflicts)
    ? e.body.conflicts : null;
}

function timeInputs(date, time, duration) {
  return {
    date: h('input', { type: 'date', required: true, value: date }),
    time: h('input', { type: 'time', required: true, step: 300, value: time }),
    duration: h('select', options(DURATIONS.map((m) => [m, t('duration.minutes', { n: m })]), duration)),
  };
}

// "Your time 10:00 (Europe/Oslo) · Customer: 09:00 (Europe/London)"
function localTimes(box, startMs, customerZone) {
  const mine = getZone();
  const parts = [h('span', { 'data-zone': 'rep' }, t('schedule.your_time', { time: instant(startMs, mine), zone: mine }))];
  if (customerZone) {
    parts.push(h('span', { 'data-zone': 'customer' }, t('schedule.customer_time', { time: instant(startMs, customerZone), zone: customerZone })));
  }
  clear(box, parts);
}

// The schedule form. 'customer' is the record (with time_zone and
// address), 'contacts' its people; 'at' an optional {date, time}.
export async function scheduleDialog(customer, contacts, onDone, at) {
  // managers and admins may book for someone else; reps hold their own
  const people = await colleagues(app.me);
  openDialog(t('schedule.title', { name: customer.name }), (body, close) => {
    const start = at || { date: addDays(today(getZone()), 1), time: '10:00' };
    const tin = timeInputs(start.date, start.time, 60);
    const contact = h('select', options([['', t('schedule.no_contact')], ...contacts.map((c) => [c.id, c.name + (c.title ? ' (' + c.title + ')' : '')])], ''));
    const type = h('select', options(TYPES.map((x) => [x, label('type', x)]), 'meeting'));
    const link = h('input', { type: 'url', inputmode: 'url', placeholder: 'https://', spellcheck: 'false' });
    const place = h('input', { type: 'text', value: [customer.address, [customer.postcode, customer.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') });
    const radios = CHANNELS.map((c) => h('input', { type: 'radio', name: 'channel', value: c, checked: c === 'phone', id: 'ch-' + c }));
    const channel = h('fieldset.channel', h('legend', t('field.channel')),
      radios.map((r) => h('span.radio', r, h('label', { for: r.id }, label('channel', r.value)))));
    const linkField = field(t('field.video_url'), link);
    const placeField = field(t('field.location'), place);
    const subject = h('input', { type: 'text', maxlength: 200 });
    const notes = h('textarea', { rows: 3 });
    const reminder = h('select', options(REMINDERS.map((m) => [m, m ? t('reminder.before', { n: m }) : t('reminder.none')]), 15));
    const repeat = h('select', options(Object.keys(REPEATS).map((k) => [k, t('repeat.' + k)]), 'none'));
    const count = h('input', { type: 'number', min: 2, max: 100, value: 6, inputmode: 'numeric' });
    const countField = field(t('schedule.repeat_count'), count);
    const owner = h('select', options(people.map((u) => [u.email, u.name + ' (' + t('role.' + u.role) + ')']), app.me.email));
    const ownerEmail = () => (people.length ? owner.value : app.me.email);
    const times = h('p.times', { 'aria-live': 'polite' });
    const invite = h('input', { type: 'checkbox', id: 'sched-invite' });
    const inviteBox = h('div.check', invite, h('label', { for: invite.id }, t('schedule.invite')));
    const contactEmail = () => (contacts.find((c) => String(c.id) === contact.value) || {}).email;
    const showInvite = () => { inviteBox.hidden = !contactEmail(); if (inviteBox.hidden) invite.checked = false; };
    contact.addEventListener('change', showInvite);
    showInvite();
    const warn = h('div');
    const err = h('div');
    const submit = h('button.primary', { type: 'submit' }, t('schedule.book'));
    let conflicts = [];
    let checked = '';
    let warned = ''; // the times a conflict warning is showing for

    function showChannel() {
      const c = radios.find((r) => r.checked).value;
      linkField.hidden = c !== 'video';
      placeField.hidden = c !== 'in_person';
    }
    function span() {
      const s = zonedToUtc(tin.date.value, tin.time.value, getZone());
      return [s, s + Number(tin.duration.value) * 60000];
    }
    async function check() {
      if (!tin.date.value || !tin.time.value) return;
      const [s, e] = span();
      localTimes(times, s, customer.time_zone);
      const key = s + '/' + e;
      if (key === checked) return;
      checked = key;
      try {
        conflicts = await findConflicts(ownerEmail(), s, e);
      } catch (_) { conflicts = []; }
      if (checked !== key) return;
      clear(warn, conflicts.length ? conflictList(conflicts) : null);
      warned = conflicts.length ? key : '';
      submit.textContent = conflicts.length ? t('schedule.book_anyway') : t('schedule.book');
    }
    radios.forEach((r) => r.addEventListener('change', showChannel));
    [tin.date, tin.time, tin.duration, owner].forEach((x) => x.addEventListener('change', () => { if (x === owner) checked = ''; check(); }));
    repeat.addEventListener('change', () => { countField.hidden = repeat.value === 'none'; });
    countField.hidden = true;
    showChannel();

    const form = h('form.form', { novalidate: true },
      h('div.row', field(t('field.date'), tin.date), field(t('field.time'), tin.time), field(t('field.duration'), tin.duration)),
      times,
      people.length ? field(t('field.owner'), owner) : null,
      warn,
      field(t('field.contact'), contact),
      inviteBox,
      channel, linkField, placeField,
      h('div.row', field(t('field.type'), type), field(t('field.reminder'), reminder)),
      field(t('field.subject'), subject),
      field(t('field.notes'), notes),
      h('div.row', field(t('field.repeat'), repeat), countField),
      err,
      h('div.actions', submit, h('button', { type: 'button', onclick: close }, t('common.cancel'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      formError(err, null);
      const ch = radios.find((r) => r.checked).value;
      const b = {
        customer_id: customer.id,
        start: tin.date.value + ' ' + tin.time.value,
        time_zone: getZone(),
        duration: Number(tin.duration.value),
        type: type.value,
        channel: ch,
        subject: subject.value.trim() || null,
        notes: notes.value.trim() || null,
        reminder_minutes: Number(reminder.value) || null,
      };
      if (contact.value) b.contact_id = Number(contact.value);
      if (invite.checked) b.invite = true;
      if (ownerEmail() !== app.me.email) b.owner = ownerEmail();
      if (ch === 'video') b.video_url = link.value.trim();
      if (ch === 'in_person') b.location = place.value.trim();
      if (REPEATS[repeat.value]) b.rrule = REPEATS[repeat.value] + ';COUNT=' + Math.max(2, Math.min(100, Number(count.value) || 2));
      // A press while the warning for these times shows books anyway.
      const seen = warned;
      await check();
      if (conflicts.length && seen !== checked) {
        formError(err, t('conflict.confirm'));
        return;
      }
      if (conflicts.length) b.force = true;
      submit.disabled = true;
      try {
        const a = await api.post('/api/v1/appointments', b);
        close();
        toast(t('schedule.booked', { when: instant(a.start_utc) }) + (a.invite && a.invite.queued ? ' ' + t('schedule.invited') : ''));
        onDone && onDone(a);
      } catch (e) {
        const c = conflictsOf(e);
        if (c) {
          conflicts = c;
          clear(warn, conflictList(c));
          warned = checked;
          submit.textContent = t('schedule.book_anyway');
        } else {
          formError(err, errorText(e));
        }
        submit.disabled = false;
      }
    });
    clear(body, form);
    check();
    tin.date.focus();
  });
}

// The body members that name one occurrence of a series.
function occ(a) { return a.rrule && a.occurrence ? { occurrence: a.occurrence } : {}; }

function channelText(a) {
  if (a.channel === 'video' && a.video_url) {
    const href = safeHref(a.video_url);
    return href ? [label('channel', 'video'), ': ', h('a', { href, rel: 'noopener noreferrer', target: '_blank' }, a.video_url)]
      : label('channel', 'video') + ': ' + a.video_url;
  }
  if (a.channel === 'in_person' && a.location) return label('channel', 'in_person') + ': ' + a.location;
  return label('channel', a.channel);
}

export function appointmentDetails(a) {
  const rows = [
    [t('field.customer'), h('a', { href: '#/customer/' + a.customer_id }, a.customer_name + ' (' + a.customer_number + ')')],
    [t('field.contact'), a.contact_name],
    [t('field.when'), instant(a.start_utc) + '–' + instantTime(a.end_utc) + ' (' + getZone() + ')'],
  ];
  if (a.customer_time && a.customer_time.time_zone !== getZone()) {
    rows.push([t('field.customer_time'), instant(a.start_utc, a.customer_time.time_zone) + ' (' + a.customer_time.time_zone + ')']);
  }
  rows.push([t('field.type'), label('type', a.type)], [t('field.channel'), h('span', channelText(a))],
    [t('field.subject'), a.subject], [t('field.notes'), a.notes], [t('field.owner'), a.owner],
    [t('field.status'), label('status', a.status)], [t('field.outcome'), label('outcome', a.outcome)],
    [t('field.outcome_note'), a.outcome_note], [t('field.cancel_reason'), a.cancel_reason],
    [t('field.repeat'), a.rrule], [t('field.reminder'), a.reminder_minutes ? t('reminder.before', { n: a.reminder_minutes }) : null],
    [t('field.attendees'), (a.attendees || []).length ? h('ul.attendees', a.attendees.map((p) =>
      h('li', (p.name ? p.name + ' <' + p.email + '>' : p.email) + ' · ' + label('partstat', p.partstat)))) : null],
    [t('field.calendar_file'), h('a', { href: '/api/v1/appointments/' + a.id + '.ics', download: '' }, t('appt.ics'))]);
  return dl(rows);
}

// The appointment card with its actions. Lists and calendars carry no
// attendees, so the card reads them from the appointment itself.
export async function openAppointment(item, onChange) {
  let a = item;
  try {
    const full = await api.get('/api/v1/appointments/' + item.id);
    a = { ...item, attendees: full.attendees || [] };
  } catch (_) { /* the card shows what the list had */ }
  openDialog(a.subject || label('type', a.type), (body, close) => {
    const err = h('div');
    const done = (msg) => { close(); toast(msg); onChange && onChange(); };
    const act = async (path, b, msg) => {
      try {
        await api.request('POST', '/api/v1/appointments/' + a.id + '/' + path, { ...b, ...occ(a) }, { 'If-Match': '"' + a.version + '"' });
        done(msg);
      } catch (e) { formError(err, errorText(e)); }
    };
    const actions = h('div.actions');
    // a rep reads, but does not change, a colleague's appointment with
    // one of the rep's customers
    const mine = a.owner_id === app.me.id || app.me.role !== 'rep';
    if (a.status === 'scheduled' && mine) {
      actions.append(
        h('button.primary', { type: 'button', onclick: () => { close(); completeDialog(a, onChange); } }, t('appt.complete')),
        h('button', { type: 'button', onclick: () => { close(); moveDialog(a, onChange); } }, t('appt.move')),
        h('button', { type: 'button', onclick: () => act('no-show', {}, t('appt.no_show_done')) }, t('appt.no_show')));
      const reason = h('input', { type: 'text' });
      const invited = (a.attendees || []).length > 0;
      const tell = h('input', { type: 'checkbox', id: 'cancel-tell', checked: true });
      const cancelForm = h('form.inline', { novalidate: true }, field(t('field.cancel_reason'), reason),
        invited ? h('div.check', tell, h('label', { for: tell.id }, t('appt.cancel_tell'))) : null,
        h('button', { type: 'submit' }, t('appt.cancel')));
      cancelForm.addEventListener('submit', (ev) => {
        ev.preventDefault();
        if (!reason.value.trim()) { formError(err, t('appt.cancel_needs_reason')); reason.focus(); return; }
        act('cancel', { reason: reason.value.trim(), ...(invited ? { invite: tell.checked } : {}) }, t('appt.cancelled'));
      });
      clear(body, appointmentDetails(a), err, actions, cancelForm);
    } else {
      clear(body, appointmentDetails(a), err);
    }
  });
}

// Move: a new date and time (the keyboard way; the week view drags).
export function moveDialog(a, onChange) {
  const w = wallOf(a.start);
  const minutes = Math.round((Date.parse(a.end_utc) - Date.parse(a.start_utc)) / 60000);
  openDialog(t('appt.move_title'), (body, close) => {
    const tin = timeInputs(w.date, w.time, DURATIONS.includes(minutes) ? minutes : 60);
    const scope = h('select', options([['occurrence', t('scope.occurrence')], ['following', t('scope.following')], ['all', t('scope.all')]], 'occurrence'));
    const warn = h('div');
    const err = h('div');
    const submit = h('button.primary', { type: 'submit' }, t('appt.move'));
    const form = h('form.form', { novalidate: true },
      h('p', dateLong(w.date) + ' ' + w.time + ' · ' + a.customer_name),
      h('div.row', field(t('field.date'), tin.date), field(t('field.time'), tin.time), field(t('field.duration'), tin.duration)),
      a.rrule ? field(t('field.scope'), scope) : null,
      warn, err,
      h('div.actions', submit, h('button', { type: 'button', onclick: close }, t('common.cancel'))));
    // a new time must be checked again before it is forced
    [tin.date, tin.time, tin.duration].forEach((x) => x.addEventListener('change', () => {
      delete submit.dataset.confirm;
      submit.textContent = t('appt.move');
      clear(warn);
    }));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      formError(err, null);
      const s = zonedToUtc(tin.date.value, tin.time.value, getZone());
      const ok = await moveTo(a, s, Number(tin.duration.value), a.rrule ? scope.value : null, warn, submit);
      if (ok) { close(); onChange && onChange(); } else if (ok === null) formError(err, t('conflict.confirm'));
    });
    clear(body, form);
    tin.date.focus();
  });
}

// PATCH an appointment to start at 'startMs' (and last 'minutes'). When
// the new time overlaps, the warning goes into 'warn' and the first call
// returns null; pressing the button again (data-confirm) forces it.
// Returns true when moved.
export async function moveTo(a, startMs, minutes, scope, warn, button) {
  const endMs = startMs + minutes * 60000;
  const force = button && button.dataset.confirm === '1';
  if (!force) {
    const c = await findConflicts(a.owner, startMs, endMs, a.id);
    if (c.length) {
      clear(warn, conflictList(c));
      if (button) { button.dataset.confirm = '1'; button.textContent = t('appt.move_anyway'); }
      return null;
    }
  }
  const b = { start: toUtcText(startMs), duration: minutes, force };
  if (a.rrule && a.occurrence) { b.scope = scope || 'occurrence'; b.occurrence = a.occurrence; }
  try {
    await api.patch('/api/v1/appointments/' + a.id, b, a.version);
    toast(t('appt.moved', { when: instant(startMs) }));
    return true;
  } catch (e) {
    const c = conflictsOf(e);
    if (c) {
      clear(warn, conflictList(c));
      if (button) { button.dataset.confirm = '1'; button.textContent = t('appt.move_anyway'); }
      return null;
    }
    clear(warn, h('p.error', { role: 'alert' }, errorText(e)));
    return false;
  }
}

// Complete with an outcome, and optionally book the follow-up in the
// same request.
export function completeDialog(a, onChange) {
  openDialog(t('complete.title'), (body, close) => {
    const outcome = h('select', { required: true }, options([['', t('complete.choose')], ...OUTCOMES.map((o) => [o, label('outcome', o)])], ''));
    const note = h('textarea', { rows: 3 });
    const want = h('input', { type: 'checkbox', id: 'want-follow-up' });
    const next = addDays(wallOf(a.start).date, 7);
    const tin = timeInputs(next, wallOf(a.start).time, 30);
    const fuBox = h('fieldset.follow-up', h('legend', t('complete.follow_up')),
      h('div.row', field(t('field.date'), tin.date), field(t('field.time'), tin.time), field(t('field.duration'), tin.duration)));
    const warn = h('div');
    const err = h('div');
    const submit = h('button.primary', { type: 'submit' }, t('complete.submit'));
    fuBox.hidden = true;
    want.addEventListener('change', () => { fuBox.hidden = !want.checked; delete submit.dataset.confirm; });
    [tin.date, tin.time, tin.duration].forEach((x) => x.addEventListener('change', () => { delete submit.dataset.confirm; clear(warn); }));
    const form = h('form.form', { novalidate: true },
      h('p', instant(a.start_utc) + ' · ' + a.customer_name + (a.subject ? ' · ' + a.subject : '')),
      field(t('field.outcome'), outcome),
      field(t('field.outcome_note'), note),
      h('div.check', want, h('label', { for: want.id }, t('complete.book_follow_up'))),
      fuBox, warn, err,
      h('div.actions', submit, h('button', { type: 'button', onclick: close }, t('common.cancel'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      formError(err, null);
      if (!outcome.value) { formError(err, t('complete.needs_outcome')); outcome.focus(); return; }
      const b = { outcome: outcome.value, note: note.value.trim() || null, ...occ(a) };
      if (want.checked) {
        const s = zonedToUtc(tin.date.value, tin.time.value, getZone());
        const mins = Number(tin.duration.value);
        b.follow_up = { start: tin.date.value + ' ' + tin.time.value, time_zone: getZone(), duration: mins };
        if (submit.dataset.confirm === '1') {
          b.force = true;
        } else {
          const c = await findConflicts(a.owner, s, s + mins * 60000, a.id);
          if (c.length) {
            clear(warn, conflictList(c));
            submit.dataset.confirm = '1';
            formError(err, t('conflict.confirm'));
            return;
          }
        }
      }
      submit.disabled = true;
      try {
        const r = await api.request('POST', '/api/v1/appointments/' + a.id + '/complete', b, { 'If-Match': '"' + a.version + '"' });
        close();
        toast(r.follow_up ? t('complete.done_with_follow_up', { when: instant(r.follow_up.start_utc) }) : t('complete.done'));
        onChange && onChange();
      } catch (e) {
        const c = conflictsOf(e);
        if (c) { clear(warn, conflictList(c)); submit.dataset.confirm = '1'; } else formError(err, errorText(e));
        submit.disabled = false;
      }
    });
    clear(body, form);
    outcome.focus();
  });
}
