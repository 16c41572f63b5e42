// The web UI benchmark (bench/web.sh, `make bench-web`): in Debian's
// chromium through playwright-core, against a running `avtale serve`,
// (1) the first page until usable, (2) search results after typing,
// (3) the month view of a busy rep; each beside the bare API calls the page
// makes, timed from Node in the same run. Prints tab-separated rows:
//   first   <kind> <n> <p50 ms> <p95 ms> <baseline p50> <baseline p95>
//   search  <kind> <n> <p50> <p95> <baseline p50> <baseline p95>
//   month   <count> <n> <p50> <p95> <baseline p50> <baseline p95>
//
//   node bench/web.mjs first  URL EMAIL PASSWORD RUNS
//   node bench/web.mjs search URL EMAIL PASSWORD QUERYFILE
//   node bench/web.mjs month  URL EMAIL PASSWORD DATE RUNS
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [mode, base, email, password, ...rest] = process.argv.slice(2);
const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const ms = (v) => v.toFixed(1);
const row = (...f) => console.log(f.join('\t'));

const dir = mkdtempSync(join(tmpdir(), 'avtale-bench-web-'));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || await context.newPage();
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

// Sign in through the API from the page, so the cookie and the page's
// sign-in marker are set; returns the cookie header for Node's requests.
async function signIn() {
  await page.goto(base + '/');
  await page.waitForSelector('form.signin');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.press('input[name=password]', 'Enter');
  await page.waitForSelector('body[data-ready] main > *');
  const cookies = await context.cookies(base);
  return cookies.map((c) => c.name + '=' + c.value).join('; ');
}

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const fetchAll = (cookie, paths) => Promise.all(paths.map((p) =>
  fetch(base + p, { headers: { Cookie: cookie, Accept: 'application/json' } }).then((r) => r.text())));

async function first(runs) {
  const cookie = await signIn();
  const page1 = [], base1 = [];
  // the page: navigation start to the calendar drawn (body[data-ready])
  for (let i = 0; i < runs + 2; i++) {
    await page.goto(base + '/#/calendar');
    await page.reload();
    await page.waitForSelector('body[data-ready]');
    const t = Number(await page.getAttribute('body', 'data-ready'));
    if (i >= 2) page1.push(t);
  }
  // baseline: the same requests from Node, in the page's order (the
  // document, then the scripts and styles together, then /me, the
  // catalogue, the calendar)
  const statics = ['/app.css', '/js/app.js', '/js/dom.js', '/js/api.js', '/js/i18n.js', '/js/search.js', '/js/ui.js', '/js/pages/calendar.js', '/js/appointment.js', '/js/time.js', '/js/people.js'];
  for (let i = 0; i < runs + 2; i++) {
    const t = await timed(async () => {
      await fetchAll(cookie, ['/']);
      await fetchAll(cookie, statics);
      await fetchAll(cookie, ['/api/v1/me']);
      await fetchAll(cookie, ['/i18n/nb.json']);
      await fetchAll(cookie, ['/api/v1/calendar?view=week']);
    });
    if (i >= 2) base1.push(t);
  }
  row('first', 'calendar', runs, ms(pct(page1, 50)), ms(pct(page1, 95)), ms(pct(base1, 50)), ms(pct(base1, 95)));
  // the sign-in page for a first visit (no marker, no API call)
  const sign = [];
  for (let i = 0; i < runs + 2; i++) {
    await page.evaluate(() => localStorage.clear());
    await page.goto(base + '/');
    await page.reload();
    await page.waitForSelector('body[data-ready] form.signin');
    if (i >= 2) sign.push(Number(await page.getAttribute('body', 'data-ready')));
  }
  const signBase = [];
  for (let i = 0; i < runs + 2; i++) {
    const t = await timed(async () => {
      await fetchAll('', ['/']);
      await fetchAll('', ['/app.css', '/js/app.js', '/js/dom.js', '/js/api.js', '/js/i18n.js', '/js/search.js', '/js/ui.js', '/js/pages/signin.js']);
      await fetchAll('', ['/i18n/nb.json']);
    });
    if (i >= 2) signBase.push(t);
  }
  row('first', 'sign-in', runs, ms(pct(sign, 50)), ms(pct(sign, 95)), ms(pct(signBase, 50)), ms(pct(signBase, 95)));
}

async function search(queryFile) {
  const cookie = await signIn();
  const queries = readFileSync(queryFile, 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const kinds = [...new Set(queries.map((q) => q[0]))];
  const got = Object.fromEntries(kinds.map((k) => [k, { page: [], api: [] }]));
  // in the page: when the last input came, and when each query's results
  // were drawn (the frame after the search box filled its list)
  await page.evaluate(() => {
    window.drawn = {};
    document.addEventListener('input', () => { window.lastInput = performance.now(); }, true);
    new MutationObserver(() => {
      const q = document.body.dataset.searchQuery;
      if (q !== undefined && !(q in window.drawn)) {
        window.drawn[q] = -1;
        requestAnimationFrame(() => { window.drawn[q] = performance.now(); });
      }
    }).observe(document.body, { attributes: true, attributeFilter: ['data-search-done'] });
  });
  for (const [kind, q] of queries) {
    await page.fill('#q', '');
    await page.waitForTimeout(150);
    await page.click('#q');
    // typed at about eight keys a second; timed from the last key
    await page.keyboard.type(q.slice(0, -1), { delay: 120 });
    await page.waitForTimeout(120);
    await page.evaluate(() => { window.drawn = {}; });
    await page.keyboard.type(q.slice(-1));
    await page.waitForFunction((want) => window.drawn[want] > 0, q, { timeout: 10000 });
    const t = await page.evaluate((want) => window.drawn[want] - window.lastInput, q);
    got[kind].page.push(t);
    got[kind].api.push(await timed(() => fetchAll(cookie, ['/api/v1/search?q=' + encodeURIComponent(q) + '&limit=10'])));
  }
  for (const k of kinds) {
    const g = got[k];
    row('search', k, g.page.length, ms(pct(g.page, 50)), ms(pct(g.page, 95)), ms(pct(g.api, 50)), ms(pct(g.api, 95)));
  }
}

async function month(date, runs) {
  const cookie = await signIn();
  const other = date.slice(0, 8) === '2000-01-' ? '2000-02-15' : '2000-01-15';
  const out = [], api = [];
  let count = 0;
  for (let i = 0; i < runs + 2; i++) {
    // from another (empty) month to the busy one: API, DOM and a frame
    await page.evaluate((d) => { location.hash = '#/calendar/month/' + d; }, other);
    await page.waitForFunction((d) => (document.body.dataset.calendar || '').startsWith('month ' + d), other);
    const t = await page.evaluate((d) => new Promise((resolve) => {
      const t0 = performance.now();
      const obs = new MutationObserver(() => {
        if ((document.body.dataset.calendar || '').startsWith('month ' + d)) {
          obs.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
        }
      });
      obs.observe(document.body, { attributes: true });
      location.hash = '#/calendar/month/' + d;
    }), date);
    if (i >= 2) out.push(t);
    count = await page.locator('.m-ev').count() + (await page.locator('.more').allTextContents()).reduce((n, s) => n + Number(s.replace(/\D/g, '')), 0);
  }
  for (let i = 0; i < runs + 2; i++) {
    const t = await timed(() => fetchAll(cookie, ['/api/v1/calendar?view=month&date=' + date]));
    if (i >= 2) api.push(t);
  }
  row('month', count, runs, ms(pct(out, 50)), ms(pct(out, 95)), ms(pct(api, 50)), ms(pct(api, 95)));
}

try {
  if (mode === 'first') await first(Number(rest[0] || 20));
  else if (mode === 'search') await search(rest[0]);
  else if (mode === 'month') await month(rest[0], Number(rest[1] || 20));
  else throw new Error('mode: first | search | month');
  if (errors.length) console.error('bench-web: console errors: ' + errors.slice(0, 5).join(' | '));
} finally {
  await context.close();
  rmSync(dir, { recursive: true, force: true });
}
