// The calendar link page: make a feed link, copy it, remake it (the old
// one stops working), turn it off; the links are fetched as a calendar
// program would, without signing in. Then the import of a real Outlook
// file (tests/data/cases/ics-outlook-windows-tzid), trial run first; the
// stored instants are those of the case's expected.md.
import { join } from 'node:path';
import { demo, setPassword, startServer, apiClient, launch, check, assert, eq, shot, signIn, finish, axeViolations, SRC } from './lib.mjs';

const token = demo(50);
const base = await startServer();
const api = apiClient(base, token);
const { page, context } = await launch();
const rep = (await api('GET', '/api/v1/users')).json.items.find((u) => u.role === 'rep');
setPassword(rep.email);
const status = async (url) => (await fetch(url)).status;
let first = null;

await check('a rep makes a feed link; it serves the calendar without signing in', async () => {
  await signIn(page, base, rep.email);
  await page.click('header nav a[href="#/feed"]');
  await page.waitForSelector('#feed-make');
  eq('Du har ingen aktiv kalenderlenke.', await page.textContent('#feed-state'), 'state before');
  await page.click('#feed-make');
  await page.waitForSelector('#feed-url');
  first = await page.inputValue('#feed-url');
  assert(/\/ical\/[^/]+\.ics$/.test(first), 'a feed URL: ' + first);
  const r = await fetch(first);
  eq(200, r.status, 'feed status');
  assert((r.headers.get('Content-Type') || '').startsWith('text/calendar'), 'text/calendar');
  assert((await r.text()).startsWith('BEGIN:VCALENDAR'), 'an iCalendar body');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await page.click('#feed-copy');
  eq(first, await page.evaluate(() => navigator.clipboard.readText()), 'copied link');
  assert((await page.textContent('#feed-state')).startsWith('Du har en aktiv kalenderlenke, laget '), 'state after');
  eq('[]', JSON.stringify(await axeViolations(page)), 'WCAG 2.1 AA (axe-core)');
  await shot(page, 'feed');
});

await check('making a new link stops the old one', async () => {
  await page.click('#feed-make');
  await page.click('#feed-make'); // the second press confirms
  await page.waitForFunction((old) => document.querySelector('#feed-url') && document.querySelector('#feed-url').value !== old, first);
  const second = await page.inputValue('#feed-url');
  eq(404, await status(first), 'old link');
  eq(200, await status(second), 'new link');
  first = second;
});

await check('turning the link off', async () => {
  await page.click('#feed-stop');
  await page.waitForFunction(() => document.querySelector('#feed-state').textContent === 'Du har ingen aktiv kalenderlenke.');
  eq(404, await status(first), 'link after turning off');
  const me = (await page.evaluate(async () => (await fetch('/api/v1/me/feed')).json()));
  eq(false, me.active, 'stored state');
});

await check('import an Outlook calendar file: a trial run, then the three appointments at their instants', async () => {
  await page.goto(base + '/#/feed');
  await page.click('#to-import');
  await page.setInputFiles('#ics-file', join(SRC, 'tests/data/cases/ics-outlook-windows-tzid/outlook-w-europe.ics'));
  await page.getByRole('button', { name: 'Prøvekjør' }).click();
  await page.waitForSelector('.import table');
  assert((await page.textContent('.import ul.counts')).includes('3 nye'), 'trial run: 3 new');
  const before = (await api('GET', '/api/v1/appointments?from=2026-01-01&to=2027-01-01&owner=' + encodeURIComponent(rep.email))).json.items;
  eq(0, before.filter((a) => a.subject === 'Kundemøte Fjordlys Regnskap AS').length, 'nothing stored by the trial run');
  eq('[]', JSON.stringify(await axeViolations(page)), 'WCAG 2.1 AA (axe-core)');
  await page.click('#ics-import');
  await page.waitForSelector('.import h2:has-text("Importert")');
  const after = (await api('GET', '/api/v1/appointments?from=2026-01-01&to=2027-01-01&owner=' + encodeURIComponent(rep.email))).json.items;
  const at = (subject) => after.filter((a) => a.subject === subject).map((a) => a.start_utc + ' ' + a.end_utc).join();
  eq('2026-01-15T09:00:00Z 2026-01-15T10:00:00Z', at('Kundemøte Fjordlys Regnskap AS'), 'first event');
  eq('2026-09-17T11:00:00Z 2026-09-17T12:00:00Z', at('Oppfølging av tilbud'), 'second event');
  eq('2026-03-30T06:30:00Z 2026-03-30T07:00:00Z', at('Befaring Østby Rør AS'), 'third event');
});

await finish();
