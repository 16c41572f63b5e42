// The one way pages build DOM: elements from a tag, a few checked
// attributes and children that are nodes or text. Text always goes in as a
// text node, so data can never become markup; links take only URLs of a
// known shape. No innerHTML anywhere (scripts/lint.sh checks).

const SVG_NS = 'http://www.w3.org/2000/svg';

// Attributes a page may set; anything else is a programming error.
const ATTRS = new Set([
  'id', 'class', 'type', 'name', 'for', 'role', 'tabindex', 'title',
  'placeholder', 'min', 'max', 'step', 'autocomplete', 'inputmode', 'lang',
  'colspan', 'scope', 'download', 'rel', 'target', 'maxlength', 'pattern',
  'src', 'alt', 'width', 'height', 'viewBox', 'x', 'y', 'x1', 'x2', 'y1',
  'y2', 'rx', 'text-anchor', 'dominant-baseline', 'list', 'dir', 'datetime',
  'spellcheck', 'enterkeyhint', 'rows', 'size', 'form', 'method', 'novalidate',
  'minlength', 'accept',
]);
// Boolean attributes and live properties, set as properties.
const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'hidden',
  'required', 'readOnly', 'multiple', 'open']);

// A link target we build ourselves (#/...), an API path, or an http(s)
// URL from data; anything else (javascript:, data:) is refused.
export function safeHref(url) {
  const s = String(url ?? '');
  if (/^#\//.test(s) || /^\/api\/v1\/[\w/?=&%.,;:+-]*$/.test(s)) return s;
  try {
    const u = new URL(s);
    if (u.protocol === 'https:' || u.protocol === 'http:') return u.href;
  } catch (_) { /* not a URL */ }
  return null;
}

function setAttr(e, k, v) {
  if (v === undefined || v === null || v === false) return;
  if (k.startsWith('on') && typeof v === 'function') {
    e.addEventListener(k.slice(2), v);
  } else if (PROPS.has(k)) {
    e[k] = v;
  } else if (k === 'href') {
    const ok = safeHref(v);
    if (ok) e.setAttribute('href', ok);
  } else if (k.startsWith('aria-') || k.startsWith('data-') || ATTRS.has(k)) {
    e.setAttribute(k, v === true ? '' : String(v));
  } else {
    throw new Error('dom: attribute not allowed: ' + k);
  }
}

function append(e, kids) {
  for (const c of kids) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(e, c);
    else if (c instanceof Node) e.append(c);
    else e.append(document.createTextNode(String(c)));
  }
}

// h('button.primary', {onclick}, 'Save'): tag with optional .classes.
export function h(spec, attrs, ...kids) {
  const [tag, ...classes] = spec.split('.');
  const e = document.createElement(tag || 'div');
  if (classes.length) e.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node ||
      Array.isArray(attrs))) {
    kids.unshift(attrs);
  } else if (attrs) {
    for (const [k, v] of Object.entries(attrs)) setAttr(e, k, v);
  }
  append(e, kids);
  return e;
}

// SVG elements for charts, with the same attribute rules.
export function s(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) setAttr(e, k, v);
  append(e, kids);
  return e;
}

export function clear(e, ...kids) {
  e.replaceChildren();
  append(e, kids);
  return e;
}

export const $ = (sel, root = document) => root.querySelector(sel);

let uid = 0;
// A fresh id for label/for and aria pairs.
export function newId(prefix) {
  uid += 1;
  return (prefix || 'f') + '-' + uid;
}

// A labelled form field: the label always names the control.
export function field(label, control, hint) {
  if (!control.id) control.id = newId('f');
  const kids = [h('label', { for: control.id }, label), control];
  if (hint) {
    const hid = newId('hint');
    control.setAttribute('aria-describedby', hid);
    kids.push(h('small.hint', { id: hid }, hint));
  }
  return h('div.field', kids);
}

export function options(pairs, selected) {
  return pairs.map(([v, label]) =>
    h('option', { value: v, selected: String(v) === String(selected) }, label));
}
