// The admin's pages and a user's settings: add a territory, add a user in
// it (the one-time password is shown once and works), change the user's
// role, rename the territory; the new user sets their time zone and sees
// the calendar in it. Checked through the API as well as on the page.
import { demo, setPassword, startServer, apiClient, launch, check, assert, eq, shot, signIn, signOut, finish, axeViolations } from './lib.mjs';

const token = demo(50);
const base = await startServer();
const api = apiClient(base, token);
const { page } = await launch();
setPassword('admin');
let password = null;
let territory = null;

await check('the admin adds a territory and renames it', async () => {
  await signIn(page, base, 'admin');
  await page.click('header nav a[href="#/admin/users"]');
  await page.waitForSelector('tr[data-email="admin"]');
  await page.click('.admin .tabs a[href="#/admin/territories"]');
  await page.getByLabel('Kode').fill('TST');
  await page.getByLabel('Navn', { exact: true }).fill('Testdistriktet');
  await page.getByRole('button', { name: 'Legg til distrikt' }).click();
  await page.waitForSelector('input[aria-label="Navn på distrikt TST"]');
  await page.fill('input[aria-label="Navn på distrikt TST"]', 'Testdistrikt Øst');
  await page.locator('tr', { has: page.locator('input[aria-label="Navn på distrikt TST"]') }).getByRole('button', { name: 'Lagre' }).click();
  await page.waitForFunction(() => document.querySelector('input[aria-label="Navn på distrikt TST"]')?.value === 'Testdistrikt Øst');
  eq('[]', JSON.stringify(await axeViolations(page)), 'WCAG 2.1 AA (axe-core) on the territories');
  territory = (await api('GET', '/api/v1/territories')).json.items.find((x) => x.code === 'TST');
  eq('Testdistrikt Øst', territory.name, 'stored name');
});

await check('the admin adds a user; the one-time password is shown once', async () => {
  await page.goto(base + '/#/admin/users');
  await page.click('#add-user');
  const dlg = page.locator('dialog[open]');
  await dlg.getByLabel('E-post').fill('ny.selger@example.com');
  await dlg.getByLabel('Navn', { exact: true }).fill('Ny Selger Åsheim');
  await dlg.getByLabel('Rolle').selectOption('rep');
  await dlg.getByLabel('Distrikt').selectOption(String(territory.id));
  await dlg.getByRole('button', { name: 'Lagre' }).click();
  await page.waitForSelector('#one-time-password');
  password = (await page.textContent('#one-time-password')).trim();
  assert(password.length >= 12, 'a password of ' + password.length + ' characters');
  await page.locator('dialog[open]').getByRole('button', { name: 'Lukk' }).first().click();
  await page.waitForSelector('tr[data-email="ny.selger@example.com"]');
  await shot(page, 'admin-users');
  eq('[]', JSON.stringify(await axeViolations(page)), 'WCAG 2.1 AA (axe-core) on the user list');
  await page.click('tr[data-email="ny.selger@example.com"] button:has-text("Endre")');
  await page.waitForSelector('dialog[open] form');
  eq('[]', JSON.stringify(await axeViolations(page)), 'WCAG 2.1 AA (axe-core) in the user form');
  await page.keyboard.press('Escape');
  const u = (await api('GET', '/api/v1/users')).json.items.find((x) => x.email === 'ny.selger@example.com');
  eq('rep', u.role, 'role');
  eq(territory.id, u.territory_id, 'territory');
});

await check('the admin makes the user a manager', async () => {
  await page.click('tr[data-email="ny.selger@example.com"] button:has-text("Endre")');
  const dlg = page.locator('dialog[open]');
  await dlg.getByLabel('Rolle').selectOption('manager');
  await dlg.getByRole('button', { name: 'Lagre' }).click();
  await page.waitForSelector('dialog[open]', { state: 'detached' });
  const u = (await api('GET', '/api/v1/users')).json.items.find((x) => x.email === 'ny.selger@example.com');
  eq('manager', u.role, 'role');
  await signOut(page);
});

await check('a new customer with a contact, then both changed', async () => {
  await signIn(page, base, 'admin');
  await page.click('#new-customer');
  let dlg = page.locator('dialog[open]');
  await dlg.getByLabel('Kundenummer').fill('770001');
  await dlg.getByLabel('Navn', { exact: true }).fill('Fjordkraft Ærlig Øst AS');
  await dlg.getByLabel('Status').selectOption('customer');
  await dlg.getByLabel('Telefon').fill('+47 22 11 00 99');
  await dlg.getByLabel('Sted').fill('Tromsø');
  await dlg.getByRole('button', { name: 'Lagre' }).click();
  await page.waitForSelector('article.customer h1:has-text("Fjordkraft Ærlig Øst AS")');
  const c = (await api('GET', '/api/v1/search?q=770001')).json.items[0];
  eq('770001', c.customer_number, 'stored number');
  await page.click('#add-contact');
  dlg = page.locator('dialog[open]');
  await dlg.getByLabel('Navn', { exact: true }).fill('Åse Løvås');
  await dlg.getByLabel('Mobil').fill('915 55 123');
  await dlg.getByRole('button', { name: 'Lagre' }).click();
  await page.waitForSelector('li.contact:has-text("Åse Løvås")');
  await page.click('button[aria-label="Endre Åse Løvås"]');
  dlg = page.locator('dialog[open]');
  await dlg.getByLabel('Stilling').fill('Innkjøpssjef');
  await dlg.getByRole('button', { name: 'Lagre' }).click();
  await page.waitForSelector('li.contact:has-text("Innkjøpssjef")');
  await page.click('#edit-customer');
  dlg = page.locator('dialog[open]');
  await dlg.getByLabel('Notater').fill('Ring før kl. 10.');
  await dlg.getByRole('button', { name: 'Lagre' }).click();
  await page.waitForSelector('article.customer dd:has-text("Ring før kl. 10.")');
  const rec = (await api('GET', '/api/v1/customers/' + c.customer_id)).json;
  eq('Tromsø', rec.city, 'city');
  eq('Ring før kl. 10.', rec.notes, 'notes');
  eq(2, rec.version, 'one change, one version');
  const people = (await api('GET', '/api/v1/customers/' + c.customer_id + '/contacts')).json.items;
  eq('Innkjøpssjef', people[0].title, 'contact title');
  eq('915 55 123', people[0].mobile, 'contact mobile');
  await signOut(page);
});

await check('the new user signs in with the one-time password and sets a time zone', async () => {
  await page.goto(base + '/');
  await page.fill('input[name=email]', 'ny.selger@example.com');
  await page.fill('input[name=password]', password);
  await page.press('input[name=password]', 'Enter');
  await page.waitForSelector('.calendar .cal-tools');
  await page.click('header nav a[href="#/settings"]');
  await page.selectOption('#set-zone', 'America/New_York');
  await page.getByRole('button', { name: 'Lagre' }).click();
  await page.waitForSelector('.calendar .cal-tools, .settings');
  const me = (await page.evaluate(async () => (await fetch('/api/v1/me')).json())).user;
  eq('America/New_York', me.time_zone, 'stored zone');
});

await check('the new user changes the one-time password and signs in with the new one', async () => {
  await page.goto(base + '/#/settings');
  await page.getByLabel('Nåværende passord').fill(password);
  await page.getByLabel('Nytt passord').fill('mitt eget passord 2026');
  await page.getByRole('button', { name: 'Bytt passord' }).click();
  await page.waitForSelector('form.signin');
  await page.fill('input[name=email]', 'ny.selger@example.com');
  await page.fill('input[name=password]', 'mitt eget passord 2026');
  await page.press('input[name=password]', 'Enter');
  await page.waitForSelector('.settings h1'); // back where the user was
  eq('Ny Selger Åsheim', await page.textContent('.who .me'), 'signed in');
  await signOut(page);
});

await finish();
