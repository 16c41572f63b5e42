// `make lint`, the web part: the catalogues static/i18n/nb.json and en.json
// have the same keys, every literal t('key') in static/js exists in both,
// and no page builds HTML from strings (innerHTML and its relatives, eval,
// inline handlers or styles, document.write).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname || new URL('.', import.meta.url).pathname, '..', 'static');
let status = 0;
const fail = (msg) => { console.log(msg); status = 1; };

function files(dir, ext) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

const cats = {};
for (const l of ['nb', 'en']) cats[l] = JSON.parse(readFileSync(join(root, 'i18n', l + '.json'), 'utf8'));
for (const [a, b] of [['nb', 'en'], ['en', 'nb']]) {
  for (const k of Object.keys(cats[a])) if (!(k in cats[b])) fail(`i18n: '${k}' is in ${a}.json, not in ${b}.json`);
}

const banned = [
  [/\.innerHTML\b|\.outerHTML\s*=|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser/, 'builds HTML from a string'],
  [/\beval\s*\(|new\s+Function\s*\(|setTimeout\s*\(\s*['"`]/, 'evaluates a string as code'],
  [/setAttribute\s*\(\s*['"](style|on\w+)['"]/, 'sets an inline style or handler attribute'],
];
for (const f of files(join(root, 'js'), '.js')) {
  const text = readFileSync(f, 'utf8');
  text.split('\n').forEach((line, i) => {
    for (const [re, why] of banned) if (re.test(line)) fail(`${f.slice(root.length - 6)}:${i + 1}: ${why}`);
  });
  for (const m of text.matchAll(/\bt\('([^']+)'[,)]/g)) {
    for (const l of ['nb', 'en']) {
      if (!(m[1] in cats[l]) && !(m[1] + '.other' in cats[l])) fail(`${f.slice(root.length - 6)}: t('${m[1]}') is missing from ${l}.json`);
    }
  }
}
for (const f of files(root, '.html')) {
  const text = readFileSync(f, 'utf8');
  if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(text)) fail(`${f}: inline <script>`);
  if (/<style|\sstyle=|\son[a-z]+=/i.test(text)) fail(`${f}: inline style or handler`);
}
process.exit(status);
