// Strings of the app in English and Russian. t() reads the catalogues (i18n/index.js);
// label() reads the server's labels (GET /labels?lang=) and falls back to the catalogue's
// `label.<kind>.<code>`, then to the code itself, so the app still reads well without them.
import catalogues from '../i18n/index.js';
import { api } from './api.js';

const LANG_KEY = 'rsoflow.lang';
const LANGS = ['en', 'ru'];
let current = initialLanguage();
const labelCache = {};       // lang -> labels object (or {} when unavailable)
let signedIn = false;
const listeners = new Set();

// Before sign-in the browser's language; once signed in the user's own (GET /me `language`),
// so a shared computer does not carry one person's choice to the next.
function initialLanguage() {
  const nav = (navigator.language || 'en').toLowerCase();
  return nav.startsWith('ru') ? 'ru' : 'en';
}

// The choice made in this browser, for a server whose users have no `language` yet.
export function locallySavedLanguage() {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    return LANGS.includes(saved) ? saved : null;
  } catch (e) {
    return null;
  }
}

export function lang() { return current; }
export function languages() { return LANGS.slice(); }
export function locale() { return current === 'ru' ? 'ru-RU' : 'en-GB'; }

export function t(key, params) {
  const cat = catalogues[current] || {};
  let s = cat[key];
  if (s === undefined) s = (catalogues.en || {})[key];
  if (s === undefined) return key;
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, name) =>
      (params[name] === undefined || params[name] === null ? m : String(params[name])));
  }
  return s;
}

// Whether the catalogue has a key (in the current language or English).
export function has(key) {
  return (catalogues[current] || {})[key] !== undefined || (catalogues.en || {})[key] !== undefined;
}

export function label(kind, code) {
  if (code === null || code === undefined || code === '') return '';
  const server = labelCache[current];
  const v = server && server[kind] ? server[kind][code] : undefined;
  if (typeof v === 'string' && v) return v;
  const key = `label.${kind}.${code}`;
  if (has(key)) return t(key);
  return String(code);
}

// The label if one is known (server or catalogue), else `fallback` (e.g. the server's own text).
export function labelOr(kind, code, fallback) {
  const server = labelCache[current];
  const v = server && server[kind] ? server[kind][code] : undefined;
  if (typeof v === 'string' && v) return v;
  const key = `label.${kind}.${code}`;
  return has(key) ? t(key) : fallback;
}

// Loads the server's labels of the current language once; a server without the endpoint
// (or a failure) leaves the catalogue fallbacks in place.
export async function loadLabels(l = current) {
  if (labelCache[l]) return;
  try {
    const data = await api.get('/labels', { lang: l }, { noAuthRedirect: true });
    labelCache[l] = data && typeof data === 'object' ? data : {};
  } catch (e) {
    // Signed out (401): try again after sign-in; a server without labels: the fallbacks.
    if (e.status !== 401 && e.status !== 0) labelCache[l] = {};
  }
}

export function setSignedIn(v) { signedIn = v; }

// Adopts a language without saving it anywhere (e.g. the signed-in user's own setting).
export function adoptLanguage(l) {
  if (!LANGS.includes(l)) return;
  current = l;
  document.documentElement.lang = l;
  try { localStorage.setItem(LANG_KEY, l); } catch (e) { /* no storage */ }
}

export function onLanguageChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

// The switch on every page: remembers the choice, saves it on the account when signed in
// (PATCH /me; an older server without it is not an error), reloads labels, re-renders.
let choseSignedOut = false;
// Whether the switch was used on the sign-in page (that choice then goes to the account).
export function choseWhileSignedOut() { return choseSignedOut; }

export async function setLanguage(l) {
  if (!LANGS.includes(l)) return;
  if (!signedIn) choseSignedOut = true;
  adoptLanguage(l);
  if (signedIn) {
    try { await api.patch('/me', { language: l }); } catch (e) { /* keep the local choice */ }
  }
  if (signedIn) await loadLabels();
  listeners.forEach((fn) => fn(l));
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

// A calendar date (YYYY-MM-DD) or a time, as a date in the reader's language.
export function fmtDate(iso) {
  if (!iso) return '';
  const d = new Date(DATE_ONLY.test(iso) ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const opts = { year: 'numeric', month: 'long', day: 'numeric' };
  if (DATE_ONLY.test(iso)) opts.timeZone = 'UTC';
  return new Intl.DateTimeFormat(locale(), opts).format(d);
}

export function fmtDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale(), {
    year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(d);
}

export function fmtNumber(n, opts) {
  return new Intl.NumberFormat(locale(), opts).format(n);
}

document.documentElement.lang = current;
