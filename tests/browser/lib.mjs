// Helpers for tests/browser/tNN-*.mjs: a fresh demo database, the real
// `avtale serve` on a free port, Debian's chromium driven by playwright-core
// (never a downloaded browser), and checks printed as "ok N - what" /
// "not ok N - what" for scripts/run-tests.sh. Every console error, page
// error and CSP violation during the run fails the run.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const SRC = process.env.AVTALE_SRC || process.cwd();
export const BIN = process.env.AVTALE_BIN || join(SRC, 'build/avtale');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = process.env.SCREENSHOTS || '';
export const PASSWORD = 'browser-test-password-1';

const tmp = mkdtempSync(join(tmpdir(), 'avtale-browser-'));
const db = join(tmp, 'avtale.db');
let server = null;
let browser = null;
let n = 0;
let failed = 0;
export const problems = []; // console errors, page errors, CSP violations

// Whatever way the script ends, the server it started ends too; a setup
// step that throws is a failed check, not a silent exit.
process.on('exit', () => {
  if (server) server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});
for (const ev of ['uncaughtException', 'unhandledRejection']) {
  process.on(ev, (e) => {
    console.log('not ok ' + (n + 1) + ' - the script runs to its end');
    console.log(String(e && e.stack ? e.stack : e).split('\n').slice(0, 8).map((l) => '#   ' + l).join('\n'));
    process.exit(1);
  });
}

// avtale --db <db> ARGS..., stdout as text.
export function cli(args, input) {
  return execFileSync(BIN, ['--db', db, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

export function demo(customers) {
  cli(['demo', '--customers', String(customers)]);
  const token = cli(['token', 'add', 'admin', '--name', 'browser-test', '--write']).trim();
  return token;
}

export function setPassword(email) {
  cli(['user', 'passwd', email, '--password-stdin'], PASSWORD + '\n');
}

// Start the server; resolves to its base URL.
export function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(BIN, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--insecure-cookie',
      '--no-access-log', '--static', join(SRC, 'static')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let errText = '';
    server.stderr.on('data', (d) => { errText += d; });
    const rl = createInterface({ input: server.stdout });
    rl.once('line', (line) => resolve(line.replace(/\/$/, '')));
    server.once('exit', (code) => reject(new Error('avtale serve exited ' + code + ': ' + errText)));
  });
}

// The API as the admin token (setup and independent verification).
export function apiClient(base, token) {
  return async (method, path, body, headers) => {
    const r = await fetch(base + path, {
      method,
      headers: { Authorization: 'Bearer ' + token, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}), ...(headers || {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch (_) { /* CSV, SVG */ }
    if (!r.ok) throw new Error(method + ' ' + path + ': ' + r.status + ' ' + text);
    return { status: r.status, json, text, headers: r.headers };
  };
}

export async function launch() {
  const userDir = join(tmp, 'chromium');
  mkdirSync(userDir);
  browser = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    locale: 'nb-NO',
    timezoneId: 'Europe/Oslo',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  browser.setDefaultTimeout(20000); // a shared 2-core machine can be slow
  await browser.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
    });
  });
  const page = browser.pages()[0] || await browser.newPage();
  watch(page);
  return { context: browser, page };
}

export function watch(page) {
  page.on('console', (m) => {
    const text = m.text();
    if (m.type() === 'error' || /Content Security Policy|CSP/.test(text)) problems.push('console ' + m.type() + ': ' + text + ' ' + JSON.stringify(m.location()));
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('dialog', (d) => { problems.push('unexpected dialog: ' + d.message()); d.dismiss(); });
}

// check('what', async () => {...}): one numbered check; a failing check
// prints its error and the run goes on.
export async function check(what, fn) {
  n += 1;
  try {
    await fn();
    console.log('ok ' + n + ' - ' + what);
  } catch (e) {
    failed += 1;
    console.log('not ok ' + n + ' - ' + what);
    console.log(String(e && e.stack ? e.stack : e).split('\n').slice(0, 8).map((l) => '#   ' + l).join('\n'));
  }
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg || 'assertion failed');
}
export function eq(want, got, what) {
  if (want !== got) throw new Error((what || 'value') + ': expected ' + JSON.stringify(want) + ', got ' + JSON.stringify(got));
}

export async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, name + '.png') });
}

// Sign in through the form and wait for the calendar.
export async function signIn(page, base, email) {
  await page.goto(base + '/');
  await page.waitForSelector('form.signin');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', PASSWORD);
  await page.press('input[name=password]', 'Enter');
  await page.waitForSelector('.calendar .cal-tools');
}

export async function signOut(page) {
  await page.click('#sign-out');
  await page.waitForSelector('form.signin');
}

export async function finish() {
  n += 1;
  if (problems.length) {
    failed += 1;
    console.log('not ok ' + n + ' - no console errors, page errors or CSP violations');
    for (const p of problems) console.log('#   ' + p);
  } else {
    console.log('ok ' + n + ' - no console errors, page errors or CSP violations');
  }
  if (browser) await browser.close();
  if (server) {
    const s = server;
    server = null;
    s.kill('SIGTERM');
    await new Promise((r) => s.once('exit', r));
  }
  console.log((n - failed) + ' passed, ' + failed + ' failed');
  process.exit(failed ? 1 : 0);
}

// Local date arithmetic for test dates ("YYYY-MM-DD").
export function dateIn(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
}


// axe-core's WCAG 2.1 A and AA rules (contrast, names and labels, ARIA,
// structure) on the page as it is now; returns one line a violation.
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export async function axeViolations(page) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return r.violations.map((v) => v.id + ' (' + v.nodes.length + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', '));
}
