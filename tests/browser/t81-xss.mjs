// Stored XSS: hostile text in every field a user can fill (territory,
// user, customer, contact, appointment, outcome, cancel reason) must come
// back as text in every view that shows it: search, the customer page and
// its tabs, the appointment card, day, week, month and agenda, the
// report, the admin lists. A payload that became markup would add an
// element (and its handler would be blocked by the CSP, which fails the
// run as well).
import { demo, setPassword, startServer, apiClient, launch, check, assert, eq, signIn, signOut, finish, dateIn } from './lib.mjs';

// Markup, an attribute break-out, an entity and a script, with æøå.
const X = (what) => `<img src=x onerror="window.__xss='${what}'">"'&amp;<script>window.__xss='${what}'</script>æøå ${what}`;

const token = demo(30);
const base = await startServer();
const api = apiClient(base, token);
const { page } = await launch();

const terr = (await api('POST', '/api/v1/territories', { code: 'XSS', name: X('territory') })).json;
const user = (await api('POST', '/api/v1/users', { email: 'xss@example.com', name: X('user'), role: 'rep', territory_id: terr.id })).json.user;
setPassword(user.email);
setPassword('admin');
const cust = (await api('POST', '/api/v1/customers', {
  customer_number: '990001', name: X('customer'), status: 'customer', phone: '+47 41 23 45 67',
  address: X('address'), city: X('city'), notes: X('customer notes'), territory: 'XSS', owner: user.email,
})).json;
const contact = (await api('POST', '/api/v1/customers/' + cust.id + '/contacts', {
  name: X('contact'), title: X('title'), notes: X('contact notes'), mobile: '+47 91 23 45 67', email: 'xss.contact@example.com',
})).json;
const day = dateIn(3);
const bookAs = (start, extra) => api('POST', '/api/v1/appointments', {
  customer_id: cust.id, contact_id: contact.id, start: day + ' ' + start, time_zone: 'Europe/Oslo', duration: 60,
  owner: user.email, type: 'meeting', subject: X('subject ' + start), notes: X('notes ' + start), ...extra,
}).then((r) => r.json);
const inPerson = await bookAs('09:00', { channel: 'in_person', location: X('location'), invite: true });
const video = await bookAs('11:00', { channel: 'video', video_url: 'https://meet.example.com/a?x=%3Cscript%3E' });
const held = await bookAs('13:00', { channel: 'phone' });
const cancelled = await bookAs('15:00', { channel: 'phone' });
await api('POST', '/api/v1/appointments/' + held.id + '/complete', { outcome: 'interested', note: X('outcome note') });
await api('POST', '/api/v1/appointments/' + cancelled.id + '/cancel', { reason: X('cancel reason') });

// In the current view: the payloads 'whats' are there as text, and no
// element, handler or script came from them.
async function asText(whats) {
  const r = await page.evaluate((ws) => ({
    injected: document.querySelectorAll('img:not([src^="/"]), script:not([src]), [onerror], iframe, object, embed').length,
    xss: window.__xss || null,
    missing: ws.filter((w) => !document.body.textContent.includes(w)),
  }), whats);
  eq(0, r.injected, 'elements made from data');
  eq(null, r.xss, 'script ran');
  eq('[]', JSON.stringify(r.missing), 'payloads not shown as text');
}

await check('the hostile rep signs in; their name shows as text', async () => {
  await signIn(page, base, user.email);
  await asText([X('user')]);
});

await check('search results show the hostile customer and contact as text', async () => {
  await page.fill('#q', '990001');
  await page.waitForSelector('#search-results [data-id="' + cust.id + '"]');
  await asText([X('customer')]);
  const before = await page.evaluate(() => document.body.dataset.searchDone);
  await page.fill('#q', '91 23 45 67');
  await page.waitForFunction((b) => document.body.dataset.searchDone !== b, before);
  await page.waitForSelector('#search-results [data-id="' + cust.id + '"]');
  await asText([X('customer'), X('contact')]);
});

await check('the customer page: record, contacts, upcoming and past tabs', async () => {
  await page.keyboard.press('Enter');
  await page.waitForSelector('article.customer h1');
  await asText([X('customer'), X('address'), X('city'), X('customer notes'), X('contact'), X('title'), X('contact notes'),
    X('subject 09:00'), X('subject 11:00')]);
  await page.click('#tab-past');
  await page.waitForSelector('#tab-past[aria-selected=true]');
  await page.goto(base + '/#/customer/' + cust.id + '/upcoming');
  await page.waitForSelector('#tab-upcoming[aria-selected=true]');
});

await check('the appointment card: subject, notes, place, type, link', async () => {
  await page.click('button[data-id="' + inPerson.id + '"]');
  await page.waitForSelector('dialog[open] dl ul.attendees');
  await asText([X('subject 09:00'), X('notes 09:00'), X('location'), X('customer'), X('contact')]);
  await page.keyboard.press('Escape');
  await page.click('button[data-id="' + video.id + '"]');
  await page.waitForSelector('dialog[open] dl a[target=_blank]');
  eq('https://meet.example.com/a?x=%3Cscript%3E', await page.getAttribute('dialog[open] dl a[target=_blank]', 'href'), 'video link href');
  await page.keyboard.press('Escape');
});

for (const view of ['day', 'week', 'month', 'agenda']) {
  await check('the ' + view + ' view shows every hostile appointment as text', async () => {
    await page.goto(base + '/#/calendar/' + view + '/' + day);
    await page.waitForSelector('.calendar.view-' + view + ' [data-id="' + held.id + '"]');
    if (view === 'month') {
      await asText([X('customer')]);
    } else if (view === 'agenda') {
      await asText([X('customer'), X('subject 09:00'), X('subject 13:00'), X('subject 15:00')]);
    } else {
      await asText([X('customer'), X('subject 09:00')]);
    }
    await page.click('.calendar [data-id="' + held.id + '"]');
    await page.waitForSelector('dialog[open] dl');
    await asText([X('outcome note'), X('subject 13:00')]);
    await page.keyboard.press('Escape');
    if (view === 'month') return; // the fourth of the day is behind "+1"
    await page.click('.calendar [data-id="' + cancelled.id + '"]');
    await page.waitForSelector('dialog[open] dl');
    await asText([X('cancel reason')]);
    await page.keyboard.press('Escape');
  });
}

await check('an imported calendar file with hostile text: the trial run shows it as text', async () => {
  // RFC 5545 text escaping: commas and semicolons are escaped in TEXT
  const esc = (v) => v.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,');
  const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//avtale tests//xss//EN', 'BEGIN:VEVENT',
    'UID:' + esc(X('uid')).replace(/\s/g, '_'), 'DTSTAMP:20261201T120000Z', 'DTSTART:20270110T090000Z', 'DTEND:20270110T100000Z',
    'SUMMARY:' + esc(X('ics summary')), 'LOCATION:' + esc(X('ics location')), 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  await page.goto(base + '/#/import');
  await page.setInputFiles('#ics-file', { name: 'x.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
  await page.getByRole('button', { name: 'Prøvekjør' }).click();
  await page.waitForSelector('.import h2');
  await asText([]);
  await page.click('#ics-import');
  await page.waitForSelector('.import h2:has-text("Importert")');
  await page.goto(base + '/#/calendar/agenda/2027-01-10');
  await page.waitForSelector('.agenda');
  await asText([X('ics summary')]);
});

await check('the admin sees the hostile user and territory as text in the lists and reports', async () => {
  await signOut(page);
  await signIn(page, base, 'admin');
  await page.goto(base + '/#/admin/users');
  await page.waitForSelector('tr[data-email="xss@example.com"]');
  await asText([X('user')]);
  await page.goto(base + '/#/admin/territories');
  await page.waitForSelector('.admin table');
  const v = await page.inputValue('input[aria-label*="XSS"]');
  eq(X('territory'), v, 'territory name in its field');
  await page.goto(base + '/#/reports/appointments?from=' + dateIn(-1) + '&to=' + dateIn(30) + '&group_by=territory');
  await page.waitForSelector('.report table');
  await page.waitForSelector('.report figure.chart svg text');
  assert((await page.textContent('.report')).includes('XSS'), 'territory row');
  await page.goto(base + '/#/reports/appointments?from=' + dateIn(-1) + '&to=' + dateIn(30) + '&group_by=rep');
  await page.waitForSelector('.report table');
  assert((await page.textContent('.report')).includes('xss@example.com'), 'rep row');
  await signOut(page);
});

await finish();
