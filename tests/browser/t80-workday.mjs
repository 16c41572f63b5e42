// A rep's day in the browser, then a manager's report, in Norwegian and
// English: sign in, find a customer by a phone number written with spaces,
// open the appointment tab, book with a video link (the customer's local
// time shown beside the rep's), see the conflict warning, move in the week
// view by dragging, complete with an outcome and a follow-up, open the
// contact-rate report, switch to English. Every result is checked through
// the API as well as on the page.
import { demo, setPassword, startServer, apiClient, launch, check, assert, eq, shot, signIn, signOut, finish, dateIn, axeViolations, SHOTS } from './lib.mjs';

const token = demo(400);
const base = await startServer();
const api = apiClient(base, token);
const { page } = await launch();

const users = (await api('GET', '/api/v1/users')).json.items;
const customers = (await api('GET', '/api/v1/customers?limit=400')).json.items;
// A rep with a customer that has a Norwegian phone number (8 digits, or
// 47 and 8 digits), and a manager of the rep's territory.
const norwegian = (c) => {
  const d = (c.phone || '').replace(/\D/g, '');
  return d.length === 8 || (d.length === 10 && d.startsWith('47'));
};
const rep = users.find((u) => u.role === 'rep' && u.territory_id &&
  customers.some((c) => c.owner_id === u.id && norwegian(c)) &&
  users.some((m) => m.role === 'manager' && m.territory_id === u.territory_id));
const manager = users.find((m) => m.role === 'manager' && m.territory_id === rep.territory_id);
const customer = customers.find((c) => c.owner_id === rep.id && norwegian(c));
// a contact with an e-mail address, invited to the first booking
const invitee = (await api('GET', '/api/v1/customers/' + customer.id + '/contacts')).json.items.find((p) => p.email);
if (!invitee) throw new Error('the demo customer has no contact with an e-mail address');
setPassword(rep.email);
setPassword(manager.email);
// The customer sits in London: 18:00 in Oslo is 17:00 there in winter and
// summer alike (CET/CEST vs GMT/BST, same change dates).
await api('PATCH', '/api/v1/customers/' + customer.id, { time_zone: 'Europe/London' }, { 'If-Match': '"' + customer.version + '"' });

// The national number, last 8 digits, written "22 33 44 55".
const digits = customer.phone.replace(/\D/g, '').slice(-8);
const spaced = digits.replace(/(\d\d)(?=\d)/g, '$1 ');
const day = dateIn(9);
const video = 'https://meet.example.com/avtale-' + Date.now();
let booked = null;

await check('sign in as a rep through the form', async () => {
  await signIn(page, base, rep.email);
  eq(rep.name, await page.textContent('.who .me'), 'signed-in name');
  await shot(page, 'calendar-week');
});

await check('find the customer by a phone number written with spaces (' + spaced + ')', async () => {
  await page.click('#q');
  await page.keyboard.type(spaced, { delay: 20 });
  await page.waitForSelector('#search-results [role=option][data-id="' + customer.id + '"]');
  if (SHOTS) await shot(page, 'search');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  // the hit for this customer, chosen with the keyboard
  const ids = await page.$$eval('#search-results [role=option]', (os) => os.map((o) => o.dataset.id));
  for (let i = 0; i < ids.indexOf(String(customer.id)); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('article.customer h1');
  eq(customer.name, await page.textContent('article.customer h1'), 'customer heading');
  await shot(page, 'customer');
});

await check('open the appointment tab: upcoming and past with outcomes', async () => {
  const up = (await api('GET', '/api/v1/customers/' + customer.id + '/appointments?when=upcoming')).json.items;
  const past = (await api('GET', '/api/v1/customers/' + customer.id + '/appointments?when=past')).json.items;
  eq(up.length, await page.locator('#tab-panel li.appt').count(), 'upcoming rows');
  await page.click('#tab-past');
  await page.waitForSelector('#tab-past[aria-selected=true]');
  eq(past.length, await page.locator('#tab-panel li.appt').count(), 'past rows');
  const withOutcome = past.find((a) => a.outcome);
  if (withOutcome) {
    const row = page.locator('#tab-panel button[data-id="' + withOutcome.id + '"]');
    assert((await row.textContent()).includes('Gjennomført'), 'a held appointment shows its status');
  }
  await page.click('#tab-upcoming');
  await page.waitForSelector('#tab-upcoming[aria-selected=true]');
});

await check('book an appointment with a video link; the customer\'s local time is shown', async () => {
  await page.click('#book');
  const dlg = page.locator('dialog[open]');
  await dlg.locator('input[type=date]').fill(day);
  await dlg.locator('input[type=time]').fill('18:00');
  await dlg.locator('select').first().selectOption('45');
  await dlg.locator('input[value=video]').check();
  await dlg.getByLabel('Videolenke').fill(video);
  await dlg.getByLabel('Emne').fill('Gjennomgang av tilbud');
  await dlg.getByLabel('Påminnelse').selectOption('30');
  await dlg.getByLabel('Kontaktperson', { exact: true }).selectOption(String(invitee.id));
  await dlg.getByLabel('Send invitasjon til kontaktpersonen på e-post').check();
  await dlg.locator('input[type=time]').dispatchEvent('change');
  await page.waitForSelector('dialog[open] [data-zone=customer]');
  const ct = await dlg.locator('[data-zone=customer]').textContent();
  assert(ct.includes('17:00') && ct.includes('Europe/London'), 'customer time: ' + ct);
  assert((await dlg.locator('[data-zone=rep]').textContent()).includes('18:00'), 'rep time');
  await shot(page, 'schedule-form');
  await dlg.getByRole('button', { name: 'Book avtalen' }).click();
  await page.waitForSelector('dialog[open]', { state: 'detached' });
  const up = (await api('GET', '/api/v1/customers/' + customer.id + '/appointments?when=upcoming')).json.items;
  booked = up.find((a) => a.video_url === video);
  assert(booked, 'the booking is stored with its link');
  eq('video', booked.channel, 'channel');
  eq(day + 'T18:00', booked.start.slice(0, 16), 'start in Oslo');
  eq(45, (Date.parse(booked.end_utc) - Date.parse(booked.start_utc)) / 60000, 'duration');
  eq(30, booked.reminder_minutes, 'reminder');
  eq(rep.email, booked.owner, 'owner');
  eq(invitee.id, booked.contact_id, 'contact');
  const full = (await api('GET', '/api/v1/appointments/' + booked.id)).json;
  eq(JSON.stringify([invitee.email]), JSON.stringify(full.attendees.map((x) => x.email)), 'invited');
  await page.waitForSelector('#tab-panel button[data-id="' + booked.id + '"]');
});

await check('the appointment card: the invited contact and the calendar file', async () => {
  await page.click('#tab-panel button[data-id="' + booked.id + '"]');
  const dlg = page.locator('dialog[open]');
  await page.waitForSelector('dialog[open] dl');
  assert((await dlg.locator('ul.attendees').textContent()).includes(invitee.email + '> · har ikke svart'), 'attendee and answer');
  const href = await dlg.getByRole('link', { name: 'Last ned (.ics)' }).getAttribute('href');
  const ics = await page.evaluate(async (u) => { const r = await fetch(u); return [r.status, r.headers.get('Content-Type'), await r.text()]; }, href);
  eq(200, ics[0], '.ics status');
  assert(ics[1].startsWith('text/calendar'), '.ics type ' + ics[1]);
  assert(ics[2].startsWith('BEGIN:VCALENDAR') && ics[2].includes('Gjennomgang av tilbud'), 'the appointment as iCalendar');
  await page.keyboard.press('Escape');
});

let second = null;
await check('a second booking at an overlapping time shows the conflict warning', async () => {
  await page.click('#book');
  const dlg = page.locator('dialog[open]');
  await dlg.locator('input[type=date]').fill(day);
  await dlg.locator('input[type=time]').fill('18:15');
  await dlg.locator('select').first().selectOption('30');
  await dlg.locator('input[type=time]').dispatchEvent('change');
  await page.waitForSelector('dialog[open] .warning[data-conflicts="1"]');
  const w = await dlg.locator('.warning').textContent();
  assert(w.includes('Gjennomgang av tilbud'), 'the warning names the overlapping appointment: ' + w);
  await shot(page, 'conflict-warning');
  await dlg.getByRole('button', { name: 'Book likevel' }).click();
  await page.waitForSelector('dialog[open]', { state: 'detached' });
  const up = (await api('GET', '/api/v1/customers/' + customer.id + '/appointments?when=upcoming')).json.items;
  second = up.find((a) => a.start.startsWith(day + 'T18:15'));
  assert(second, 'booked anyway after the warning');
});

await check('drag the appointment in the week view from 18:00 to 19:00', async () => {
  await page.goto(base + '/#/calendar/week/' + day);
  const ev = page.locator('.day-col button[data-id="' + booked.id + '"]');
  await ev.scrollIntoViewIfNeeded();
  const box = await ev.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 5);
  await page.mouse.down();
  for (let i = 1; i <= 6; i++) await page.mouse.move(box.x + box.width / 2, box.y + 5 + i * 8);
  await page.mouse.up();
  await page.waitForFunction((id) => {
    const b = document.querySelector('.day-col button[data-id="' + id + '"] .t');
    return b && b.textContent.includes('19:00') && !document.querySelector('.dragging');
  }, booked.id);
  const a = (await api('GET', '/api/v1/appointments/' + booked.id)).json;
  eq(day + 'T19:00', a.start.slice(0, 16), 'moved start');
  eq(45, (Date.parse(a.end_utc) - Date.parse(a.start_utc)) / 60000, 'duration kept');
  booked = a;
});

await check('dragging onto the other appointment asks first (conflict check), then moves', async () => {
  const ev = page.locator('.day-col button[data-id="' + second.id + '"]');
  await page.waitForSelector('.day-col button[data-id="' + second.id + '"]');
  await ev.scrollIntoViewIfNeeded();
  const box = await ev.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 3);
  await page.mouse.down();
  for (let i = 1; i <= 6; i++) await page.mouse.move(box.x + box.width / 2, box.y + 3 + i * 6); // +36 px = 45 min
  await page.mouse.up();
  await page.waitForSelector('dialog[open] .warning');
  await page.locator('dialog[open]').getByRole('button', { name: 'Flytt likevel' }).click();
  await page.waitForSelector('dialog[open]', { state: 'detached' });
  const a = (await api('GET', '/api/v1/appointments/' + second.id)).json;
  eq(day + 'T19:00', a.start.slice(0, 16), 'moved onto the overlap after confirming');
});

await check('the keyboard way to move: Enter on the appointment, Move, a new time', async () => {
  await page.waitForSelector('.day-col button[data-id="' + second.id + '"]');
  await page.focus('.day-col button[data-id="' + second.id + '"]');
  await page.keyboard.press('Enter');
  await page.locator('dialog[open]').getByRole('button', { name: 'Flytt', exact: true }).press('Enter');
  const dlg = page.locator('dialog[open]');
  await dlg.locator('input[type=time]').fill('20:00');
  await dlg.locator('input[type=time]').press('Enter');
  await page.waitForSelector('dialog[open]', { state: 'detached' });
  const a = (await api('GET', '/api/v1/appointments/' + second.id)).json;
  eq(day + 'T20:00', a.start.slice(0, 16), 'moved by keyboard');
});

let followUp = null;
await check('complete it with an outcome and book the follow-up in the same dialog', async () => {
  await page.waitForSelector('.day-col button[data-id="' + booked.id + '"]');
  await page.click('.day-col button[data-id="' + booked.id + '"]');
  await page.locator('dialog[open]').getByRole('button', { name: 'Fullfør' }).click();
  const dlg = page.locator('dialog[open]');
  await dlg.getByLabel('Utfall', { exact: true }).selectOption('interested');
  await dlg.getByLabel('Notat om utfallet').fill('Vil ha pris på 20 lisenser.');
  await dlg.getByLabel('Book oppfølging nå').check();
  const fuDay = dateIn(16);
  await dlg.locator('input[type=date]').fill(fuDay);
  await dlg.locator('input[type=time]').fill('17:30'); // after the demo's working hours: no conflict
  await shot(page, 'complete-dialog');
  await dlg.getByRole('button', { name: 'Fullfør' }).click();
  await page.waitForSelector('dialog[open]', { state: 'detached' });
  const a = (await api('GET', '/api/v1/appointments/' + booked.id)).json;
  eq('completed', a.status, 'status');
  eq('interested', a.outcome, 'outcome');
  eq('Vil ha pris på 20 lisenser.', a.outcome_note, 'outcome note');
  const up = (await api('GET', '/api/v1/customers/' + customer.id + '/appointments?when=upcoming')).json.items;
  followUp = up.find((x) => x.follow_up_of === booked.id);
  assert(followUp, 'a follow-up is booked');
  eq(fuDay + 'T17:30', followUp.start.slice(0, 16), 'follow-up start');
});

await check('the customer page at 375 px: readable, no sideways scrolling', async () => {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(base + '/#/customer/' + customer.id);
  await page.waitForSelector('article.customer h1');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide <= 375, 'page is ' + wide + ' px wide');
  await shot(page, 'phone-customer');
  await page.goto(base + '/#/calendar/month/' + day);
  await page.waitForSelector('.month');
  const wide2 = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide2 <= 375, 'month view is ' + wide2 + ' px wide');
  await page.setViewportSize({ width: 1280, height: 900 });
});

await check('keyboard only: Tab reaches the search box and the calendar, focus is visible', async () => {
  await page.goto(base + '/#/calendar/month/' + day);
  await page.reload();
  await page.waitForSelector('.month');
  await page.keyboard.press('Tab');
  eq('skip-link', await page.evaluate(() => document.activeElement.id), 'first Tab stop');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  eq('q', await page.evaluate(() => document.activeElement.id), 'third Tab stop');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  eq('solid', outline, 'focus outline');
  await shot(page, 'calendar-month');
});

await check('WCAG 2.1 AA (axe-core) on the calendar views, the customer page and the dialogs', async () => {
  const bad = [];
  for (const hash of ['#/calendar/week/' + day, '#/calendar/day/' + day, '#/calendar/month/' + day, '#/calendar/agenda/' + day,
    '#/customer/' + customer.id, '#/customer/' + customer.id + '/past', '#/settings']) {
    await page.goto(base + '/' + hash);
    await page.waitForSelector('main > *');
    await page.waitForTimeout(100);
    for (const f of await axeViolations(page)) bad.push(hash + ': ' + f);
  }
  await page.goto(base + '/#/customer/' + customer.id);
  await page.click('#book');
  await page.waitForSelector('dialog[open] form');
  for (const f of await axeViolations(page)) bad.push('schedule form: ' + f);
  await page.keyboard.press('Escape');
  await page.click('button[data-id="' + followUp.id + '"]');
  await page.waitForSelector('dialog[open] dl');
  for (const f of await axeViolations(page)) bad.push('appointment card: ' + f);
  await page.locator('dialog[open]').getByRole('button', { name: 'Fullfør' }).click();
  await page.waitForSelector('dialog[open] form');
  for (const f of await axeViolations(page)) bad.push('complete dialog: ' + f);
  await page.keyboard.press('Escape');
  eq('[]', JSON.stringify(bad), 'violations');
});

await check('a manager opens the contact-rate report: chart, table and CSV download', async () => {
  await signOut(page);
  await signIn(page, base, manager.email);
  await page.click('header nav a[href="#/reports"]');
  await page.waitForSelector('.report figure.chart svg rect');
  const href = await page.getAttribute('#csv-download', 'href');
  assert(href.includes('format=csv') && href.includes('sep=%3B'), 'CSV with semicolons: ' + href);
  const csv = await page.evaluate(async (u) => { const r = await fetch(u); return [r.status, r.headers.get('Content-Type'), await r.text()]; }, href);
  eq(200, csv[0], 'CSV status');
  assert(csv[1].startsWith('text/csv'), 'CSV type ' + csv[1]);
  assert(csv[2].includes(';'), 'semicolon-separated');
  const url = new URL(base + href);
  url.searchParams.delete('format');
  url.searchParams.delete('sep');
  // the same query as the manager (reports cover their own territory)
  const json = await page.evaluate(async (u) => (await fetch(u)).json(), url.pathname + url.search);
  const rows = await page.locator('table').first().locator('tbody tr').count();
  eq(json.territories.length, rows, 'territory rows');
  const first = json.territories[0];
  const cells = await page.locator('table').first().locator('tbody tr').first().locator('th, td').allTextContents();
  eq(first.territory, cells[0], 'territory');
  eq(first.contacts, Number(cells[1].replace(/\D/g, '')), 'contacts');
  const un = await page.evaluate(async (u) => (await fetch(u)).json(), url.pathname + '/uncontacted' + url.search);
  eq(Math.min(200, un.items.length), await page.locator('ul.uncontacted li').count(), 'uncontacted customers listed');
  await shot(page, 'reports');
  eq('[]', JSON.stringify(await axeViolations(page)), 'WCAG 2.1 AA (axe-core) on the report');
});

await check('the manager\'s team calendar: the territory\'s appointments, the same as the API gives', async () => {
  await page.click('header nav a[href="#/calendar"]');
  await page.waitForSelector('#cal-scope');
  const drawn = await page.getAttribute('body', 'data-calendar');
  await page.selectOption('#cal-scope', 'team');
  await page.waitForFunction((d) => location.hash.includes('scope=team') && document.body.dataset.calendar !== d, drawn);
  const date = new URL(page.url().replace('#/', '')).pathname.split('/').pop();
  const cal = await page.evaluate(async (d) => (await fetch('/api/v1/calendar?view=week&scope=team&date=' + d)).json(), date);
  const want = cal.days.reduce((n, d) => n + d.items.length, 0);
  eq(want, await page.locator('.calendar .day-col .ev, .calendar .ad-col .ev').count(), 'appointments drawn');
  assert(want > 0, 'the team has appointments this week');
});

await check('the manager looks at the rep\'s own calendar', async () => {
  let drawn = await page.getAttribute('body', 'data-calendar');
  await page.selectOption('#cal-scope', 'both');
  await page.waitForFunction((d) => !location.hash.includes('scope=team') && document.body.dataset.calendar !== d, drawn);
  drawn = await page.getAttribute('body', 'data-calendar');
  await page.selectOption('#cal-owner', rep.email);
  await page.waitForFunction(([e, d]) => location.hash.includes('owner=' + encodeURIComponent(e)) && document.body.dataset.calendar !== d, [rep.email, drawn]);
  await page.goto(base + '/#/calendar/week/' + day + '?owner=' + encodeURIComponent(rep.email));
  await page.waitForSelector('.calendar .tg-body');
  const cal = await page.evaluate(async ([d, e]) => (await fetch('/api/v1/calendar?view=week&date=' + d + '&owner=' + encodeURIComponent(e))).json(), [day, rep.email]);
  const ids = cal.days.flatMap((d) => d.items.map((a) => String(a.id))).sort();
  const shown = (await page.$$eval('.calendar .day-col .ev, .calendar .ad-col .ev', (es) => es.map((e) => e.dataset.id || ''))).sort();
  eq(JSON.stringify(ids), JSON.stringify(shown), 'the rep\'s appointments');
  assert(ids.includes(String(booked.id)), 'including the one the rep booked');
});

await check('switch to English: the page and the stored preference change', async () => {
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.waitForSelector('header nav a[href="#/reports"]');
  eq('Reports', await page.textContent('header nav a[href="#/reports"]'), 'nav in English');
  await page.waitForFunction(() => document.querySelector('#cal-title')?.textContent.startsWith('Week '));
  eq('My appointments and customers', await page.$eval('#cal-scope', (s) => s.selectedOptions[0].textContent), 'scope in English');
  const me = (await page.evaluate(async () => (await fetch('/api/v1/me')).json())).user;
  eq('en', me.locale, 'stored locale');
  await page.goto(base + '/#/calendar/week/' + day);
  await page.waitForSelector('#cal-title');
  assert((await page.textContent('#cal-title')).startsWith('Week '), 'week title in English');
  await page.reload();
  await page.waitForSelector('#cal-title');
  assert((await page.textContent('#cal-title')).startsWith('Week '), 'English after a reload');
});

await finish();
