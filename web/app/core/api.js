// The one API client of the app. Paths are relative to /api/v1. The session is the HttpOnly
// cookie (same origin); every write also sends the CSRF token the login returned, kept in
// sessionStorage. Problem documents become ApiError; a 401 on anything but the login sends
// the user to the sign-in page.

const BASE = '/api/v1';
const CSRF_KEY = 'rsoflow.csrf';

export class ApiError extends Error {
  constructor(status, problem, headers) {
    const p = problem && typeof problem === 'object' ? problem : {};
    super(p.detail || p.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = p.code || (status === 0 ? 'network' : `http_${status}`);
    this.title = p.title || '';
    this.detail = p.detail || '';
    this.fields = Array.isArray(p.fields) ? p.fields : [];
    this.reasons = Array.isArray(p.reasons) ? p.reasons : [];
    this.reason_codes = Array.isArray(p.reason_codes) ? p.reason_codes : [];
    this.current_version = p.current_version;
    this.state = p.state;
    this.allowed_events = p.allowed_events;
    const retry = headers ? Number(headers.get('Retry-After')) : NaN;
    this.retryAfter = Number.isFinite(retry) ? retry : null;
    this.problem = p;
  }
}

let onUnauthenticated = null;
// main.js registers what a 401 does (forget the user, show the sign-in page).
export function setUnauthenticatedHandler(fn) { onUnauthenticated = fn; }

export function setCsrfToken(token) {
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token); else sessionStorage.removeItem(CSRF_KEY);
  } catch (e) { /* storage disabled: writes will be refused with csrf_failed */ }
}

function csrfToken() {
  try { return sessionStorage.getItem(CSRF_KEY) || ''; } catch (e) { return ''; }
}

function url(path, query) {
  let u = BASE + path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== null && v !== undefined && v !== '') q.append(k, String(v));
    }
    const s = q.toString();
    if (s) u += (u.includes('?') ? '&' : '?') + s;
  }
  return u;
}

function etagValue(s) { return `"${String(s).replace(/^W\//, '').replace(/"/g, '')}"`; }

async function request(method, path, { query, body, file, ifMatch, idempotencyKey, as = 'json',
  noAuthRedirect = false } = {}) {
  const headers = { Accept: as === 'text' ? 'text/plain, image/svg+xml, */*' : 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // A file goes as the raw body with its own type (a document upload).
  if (file !== undefined) headers['Content-Type'] = file.type || 'application/octet-stream';
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  if (ifMatch !== undefined && ifMatch !== null) headers['If-Match'] = etagValue(ifMatch);
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  let res;
  try {
    res = await fetch(url(path, query), {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: file !== undefined ? file : (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch (e) {
    throw new ApiError(0, { code: 'network', title: 'network' });
  }
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch (e) { problem = null; }
    const err = new ApiError(res.status, problem, res.headers);
    if (res.status === 401 && !noAuthRedirect && onUnauthenticated) onUnauthenticated(err);
    throw err;
  }
  const etag = res.headers.get('ETag');
  let data = null;
  if (res.status !== 204) {
    if (as === 'text') data = await res.text();
    else {
      const text = await res.text();
      data = text ? JSON.parse(text) : null;
    }
  }
  return { data, etag: etag ? etag.replace(/^W\//, '').replace(/"/g, '') : null, status: res.status };
}

// A fresh key per user action, so a retried request is not applied twice.
export function newIdempotencyKey() {
  if (crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export const api = {
  get: async (path, query, opts) => (await request('GET', path, { ...opts, query })).data,
  // {data, etag}: etag is the version without quotes, for a later write's ifMatch.
  getWithEtag: async (path, query, opts) => {
    const r = await request('GET', path, { ...opts, query });
    return { data: r.data, etag: r.etag };
  },
  getText: async (path, query, opts) => (await request('GET', path, { ...opts, query, as: 'text' })).data,
  post: async (path, body, opts) => (await request('POST', path, { ...opts, body })).data,
  // Like post, with the answer's ETag.
  postWithEtag: async (path, body, opts) => {
    const r = await request('POST', path, { ...opts, body });
    return { data: r.data, etag: r.etag };
  },
  patch: async (path, body, opts) => (await request('PATCH', path, { ...opts, body })).data,
  patchWithEtag: async (path, body, opts) => {
    const r = await request('PATCH', path, { ...opts, body });
    return { data: r.data, etag: r.etag };
  },
  // POST a file as the raw body; query holds its parameters (?filename=).
  upload: async (path, file, query, opts) => (await request('POST', path, { ...opts, query, file })).data,
  del: async (path, opts) => (await request('DELETE', path, opts || {})).data,
};

export default api;
