// Hash routing: '#/instances/42?tab=x' -> the page module registered for '/instances/:id'.
// A page module exports `async function render(main, params, ctx)`. Each render goes into a
// fresh element that replaces the page only when it is done, so a slow page never writes over
// the one the user moved on to. A module that fails to load shows "not available"; an API 404
// shows "page not found" with none of the object's data.
import { h, mount } from './dom.js';
import { t } from './i18n.js';
import { ApiError } from './api.js';

const routes = [];
let mainEl = null;
let makeCtx = null;
let renderSeq = 0;
let guard = null;

export function route(pattern, loader, options) {
  const names = [];
  const re = new RegExp(`^${pattern.replace(/\/:(\w+)/g, (m, name) => {
    names.push(name);
    return '/([^/]+)';
  })}/?$`);
  routes.push({ pattern, re, names, loader, options: options || {} });
}

export function parseHash(hash) {
  const raw = (hash || '').replace(/^#/, '') || '/';
  const [path, qs] = raw.split('?');
  const query = {};
  new URLSearchParams(qs || '').forEach((v, k) => { query[k] = v; });
  return { path: path || '/', query };
}

export function navigate(hash) {
  const target = hash.startsWith('#') ? hash : `#${hash}`;
  if (window.location.hash === target) render();
  else window.location.hash = target;
}

export function currentPath() { return parseHash(window.location.hash).path; }

function match(path) {
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      const params = {};
      r.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      return { r, params };
    }
  }
  return null;
}

let notFoundLoader = null;
let unavailableLoader = null;
export function setSpecialPages({ notFound, unavailable }) {
  notFoundLoader = notFound;
  unavailableLoader = unavailable;
}

// guard(routeOptions, path) returns a hash to go to instead (e.g. the sign-in page), or null.
export function setGuard(fn) { guard = fn; }

function errorPage(err) {
  const known = err instanceof ApiError;
  const code = known ? err.code : 'internal';
  const key = `problem.${code}`;
  const text = t(key) !== key ? t(key) : t('error.generic');
  return [h('h1', { class: 'heading-l', tabindex: '-1' }, t('error.title')),
    h('p', { class: 'body' }, text),
    h('p', { class: 'body' }, h('a', { href: '#/' }, t('error.home')))];
}

async function renderInto(el, loader, params, ctx) {
  const mod = await loader();
  await mod.render(el, params, ctx);
}

export async function render(opts = {}) {
  if (!mainEl) return;
  const seq = ++renderSeq;
  const { path, query } = parseHash(window.location.hash);
  const found = match(path);
  const routeOpts = found ? found.r.options : {};
  if (guard) {
    const redirect = guard(routeOpts, path);
    if (redirect) { navigate(redirect); return; }
  }
  const ctx = makeCtx();
  const page = h('div', { class: 'page' });
  mount(mainEl, h('p', { class: 'loading', role: 'status' }, t('app.loading')));
  mainEl.setAttribute('aria-busy', 'true');
  const params = found ? { ...found.params, query } : { query };
  try {
    if (!found) {
      await renderInto(page, notFoundLoader, params, ctx);
    } else {
      let mod;
      try {
        mod = await found.r.loader();
      } catch (e) {
        mod = null;
      }
      if (!mod || typeof mod.render !== 'function') {
        await renderInto(page, unavailableLoader, params, ctx);
      } else {
        await mod.render(page, params, ctx);
      }
    }
  } catch (err) {
    if (seq !== renderSeq) return;
    if (err instanceof ApiError && err.status === 401) return;  // the sign-in page takes over
    page.replaceChildren();
    if (err instanceof ApiError && err.status === 404) {
      await renderInto(page, notFoundLoader, params, ctx);
    } else {
      if (!(err instanceof ApiError)) console.error(err);  // eslint-disable-line no-console
      mount(page, errorPage(err));
    }
  }
  if (seq !== renderSeq) return;
  mainEl.removeAttribute('aria-busy');
  mount(mainEl, page);
  // Move focus to the page's heading, so a screen reader announces the new page.
  // A re-render after an action focuses what the page names (e.g. its confirmation).
  const heading = page.querySelector('h1');
  const target = opts.focus ? page.querySelector(opts.focus) : heading;
  if (target && !opts.initial) {
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
    if (!opts.focus) window.scrollTo(0, 0);
  }
  if (heading) document.title = `${heading.textContent} — ${t('app.name')}`;
  // When a page is shown, for bench/web_budget.py's "interactive" on a full load.
  if (performance.mark) performance.mark('rsoflow:shown');
}

// Starts loading the current address's page module (e.g. while the session is checked), so
// its code is there when the page renders.
export function prefetch() {
  const found = match(parseHash(window.location.hash).path);
  if (found) found.r.loader().catch(() => {});
}

export function start(main, ctxFactory) {
  mainEl = main;
  makeCtx = ctxFactory;
  window.addEventListener('hashchange', () => render());
  return render({ initial: true });
}
