// The JSON API from the browser: same-origin fetch with the session
// cookie, the CSRF token on writes, problem+json turned into ApiError.

let csrf = null;
let onUnauthorized = () => {};

export function setCsrf(token) { csrf = token; }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.detail || body.title)) || 'HTTP ' + status);
    this.status = status;
    this.code = (body && body.code) || 'http_' + status;
    this.field = (body && body.field) || null;
    this.body = body || {};
  }
}

export async function request(method, path, body, headers) {
  const h = { Accept: 'application/json', ...(headers || {}) };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) h['X-CSRF-Token'] = csrf;
  const r = await fetch(path, {
    method,
    headers: h,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status === 204) return null;
  const type = r.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await r.json() : await r.text();
  if (!r.ok) {
    const err = new ApiError(r.status, typeof data === 'object' ? data : null);
    if (r.status === 401 && !path.startsWith('/api/v1/session')) onUnauthorized(err);
    throw err;
  }
  return data;
}

// A body that is not JSON (a calendar file): sent as is, with its type.
export async function upload(path, text, type) {
  const r = await fetch(path, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': type, ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
    credentials: 'same-origin',
    body: text,
  });
  const data = await r.json();
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body ?? {});
export const patch = (path, body, version) =>
  request('PATCH', path, body, version ? { 'If-Match': '"' + version + '"' } : {});
export const del = (path) => request('DELETE', path);

// Query string from an object, skipping empty values.
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  return s ? '?' + s : '';
}
