// The app's shell: the header (name, navigation for the user's role, language switch, the
// signed-in user and sign-out), the routes, and the session (GET /me on load).
import { api, setUnauthenticatedHandler, setCsrfToken } from './core/api.js';
import { t, label, lang, languages, setLanguage, adoptLanguage, setSignedIn, loadLabels,
  onLanguageChange, fmtDate, fmtDateTime, locallySavedLanguage, choseWhileSignedOut } from './core/i18n.js';
import { route, start, navigate, render, setGuard, setSpecialPages, parseHash, prefetch } from './core/router.js';
import { h, mount } from './core/dom.js';

const session = { user: null };

const ROLES_BUT_ADMIN = ['secretariat', 'council', 'rso_liaison', 'auditor'];
const LANGS_OK = ['en', 'ru'];

// Navigation per role: [hash, catalogue key, roles]
const NAV = [
  ['#/inbox', 'nav.inbox', ROLES_BUT_ADMIN],
  ['#/rsos', 'nav.rsos', ROLES_BUT_ADMIN],
  ['#/initiatives', 'nav.initiatives', ['secretariat', 'rso_liaison', 'auditor']],
  ['#/plans', 'nav.plans', ['secretariat', 'rso_liaison', 'auditor']],
  ['#/resolutions', 'nav.resolutions', ROLES_BUT_ADMIN],
  ['#/mandates', 'nav.mandates', ['secretariat', 'council', 'rso_liaison', 'auditor', 'admin']],
  ['#/reports', 'nav.reports', ['secretariat', 'auditor']],
  ['#/audit', 'nav.audit', ['secretariat', 'auditor']],
  ['#/admin/users', 'nav.users', ['admin']],
  ['#/admin/webhooks', 'nav.webhooks', ['admin']],
  ['#/account', 'nav.account', ['secretariat', 'council', 'rso_liaison', 'auditor', 'admin']],
];

export function homeHash(user) {
  return user && user.role === 'admin' ? '#/admin/users' : '#/inbox';
}

function skipLink() {
  return h('a', { class: 'skip-link', href: '#main', onclick: (e) => {
    e.preventDefault();
    const main = document.getElementById('main');
    main.focus();
    main.scrollIntoView();
  } }, t('app.skip'));
}

function languageSwitch() {
  return h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('lang.switch') },
    languages().map((l) => h('button', {
      type: 'button', class: 'lang-switch__button', lang: l, 'aria-pressed': String(lang() === l),
      onclick: () => { if (lang() !== l) setLanguage(l); },
    }, t(`lang.${l}`))));
}

async function signOut() {
  try { await api.post('/auth/logout', undefined, { noAuthRedirect: true }); } catch (e) { /* gone */ }
  forgetUser();
  navigate('#/signin');
}

function forgetUser() {
  session.user = null;
  setSignedIn(false);
  setCsrfToken(null);
  renderShell();
}

function currentNavHash() {
  const { path } = parseHash(window.location.hash);
  const match = NAV.find(([hash]) => path === hash.slice(1) || path.startsWith(`${hash.slice(1)}/`));
  return match ? match[0] : null;
}

function renderHeader() {
  const user = session.user;
  const header = document.getElementById('site-header');
  const active = currentNavHash();
  const items = user ? NAV.filter(([, , roles]) => roles.includes(user.role)) : [];
  mount(header,
    h('div', { class: 'site-header__bar' },
      h('div', { class: 'width-container site-header__inner' },
        h('a', { class: 'site-header__name', href: user ? homeHash(user) : '#/signin' },
          t('app.name'),
          h('span', { class: 'site-header__tagline' }, t('app.tagline'))),
        h('div', { class: 'site-header__tools' },
          languageSwitch(),
          user ? bell() : null,
          user ? h('div', { class: 'site-header__user', id: 'signed-in-user' },
            h('span', { class: 'site-header__user-name' }, user.display_name || user.username),
            h('span', { class: 'site-header__user-role' }, label('roles', user.role)),
            h('button', { type: 'button', class: 'link-button', onclick: signOut },
              t('nav.signout'))) : null))),
    items.length ? h('nav', { class: 'site-nav', 'aria-label': t('nav.label'), id: 'site-nav' },
      h('ul', { class: 'width-container site-nav__list' }, items.map(([hash, key]) =>
        h('li', { class: 'site-nav__item' },
          h('a', { class: 'site-nav__link', href: hash,
            'aria-current': hash === active ? 'page' : null }, t(key)))))) : null);
}

// The notifications bell: a link to #/notifications with the unread count, counted again on
// each page change and when a page marks notifications read ('rsoflow:notifications').
function bell() {
  const count = h('span', { class: 'bell__count', id: 'bell-count', hidden: true });
  const link = h('a', { class: 'bell', href: '#/notifications', id: 'notifications-bell' },
    bellIcon(),
    h('span', { class: 'bell__label' }, t('bell.label')), count);
  countUnread(link, count);
  return link;
}

// A bell drawn in SVG (h() makes HTML elements only), hidden from screen readers: the link's
// text says what it is.
function bellIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({ class: 'bell__icon', viewBox: '0 0 24 24', width: '20', height: '20',
    'aria-hidden': 'true', focusable: 'false' })) svg.setAttribute(k, v);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M12 2a6 6 0 0 0-6 6v4.6L4 16v1h16v-1l-2-3.4V8a6 6 0 0 0-6-6zm0 20a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22z');
  path.setAttribute('fill', 'currentColor');
  svg.appendChild(path);
  return svg;
}

let counting = 0;
async function countUnread(link, count) {
  const mine = ++counting;
  let n = 0;
  let more = false;
  try {
    const page = await api.get('/me/notifications', { unread: 'true', limit: 100 }, { noAuthRedirect: true });
    n = (page.items || []).length;
    more = !!page.next_cursor;
  } catch (e) {
    return;  // the bell stays without a count
  }
  if (mine !== counting) return;
  const shown = more ? '99+' : String(n);
  count.hidden = n === 0;
  count.textContent = shown;
  link.setAttribute('aria-label', n ? `${t('bell.label')}, ${t('bell.unread', { n: shown })}` : t('bell.label'));
}

function renderShell() {
  mount(document.getElementById('skip'), skipLink());
  renderHeader();
  mount(document.getElementById('site-footer'),
    h('div', { class: 'width-container' },
      h('p', { class: 'site-footer__text' }, t('app.footer'))));
}

function makeCtx() {
  return {
    user: session.user,
    api,
    t,
    label,
    lang: lang(),
    fmtDate,
    fmtDateTime,
    navigate,
    home: () => homeHash(session.user),
    refresh: (opts) => render(opts),
    // The sign-in page hands over the user and the CSRF token of a new cookie session.
    signIn: async (user, csrfToken) => {
      session.user = user;
      setSignedIn(true);
      setCsrfToken(csrfToken);
      if (choseWhileSignedOut()) {
        // Chosen on the sign-in page: kept, and saved on the account.
        api.patch('/me', { language: lang() }).catch(() => {});
      } else {
        const saved = user && LANGS_OK.includes(user.language) ? user.language : locallySavedLanguage();
        if (saved) adoptLanguage(saved);
      }
      await loadLabels();
      renderShell();
    },
    signOut,
  };
}

const page = (name) => () => import(`./pages/${name}.js`);

function registerRoutes() {
  route('/signin', page('signin'), { public: true });
  route('/inbox', page('inbox'), { roles: ROLES_BUT_ADMIN });
  route('/instances/:id', page('instance'));
  route('/ballots/:id', page('ballot'));
  route('/rsos', page('rsos'));
  route('/rsos/:id', page('rso'));
  route('/rsos/:id/dossier', page('dossier'));
  // Pages of the second front-end engineer (a module not there yet shows "not available").
  route('/plans', page('plans'));
  route('/initiatives', page('initiatives'));
  route('/resolutions', page('resolutions'), { roles: ROLES_BUT_ADMIN });
  route('/mandates', page('mandates'));
  route('/reports', page('reports'));
  route('/audit', page('audit'));
  route('/admin/users', page('admin_users'));
  route('/admin/webhooks', page('admin_webhooks'), { roles: ['admin'] });
  route('/notifications', page('notifications'));
  route('/account', page('account'));
  route('/new/rso', page('forms_register_rso'));
  route('/new/ballot', page('forms_ballot'));
  route('/new/iso-event', page('forms_iso_event'));
  route('/iso-events', page('forms_iso_event'));
  route('/new/initiative', page('initiatives'));
  route('/new/plan', page('plans'));
  setSpecialPages({ notFound: page('notfound'), unavailable: page('unavailable') });
  setGuard((opts, path) => {
    if (path === '/' || path === '') return session.user ? homeHash(session.user) : '#/signin';
    if (!opts.public && !session.user) {
      return `#/signin?next=${encodeURIComponent(path)}`;
    }
    if (opts.public && session.user) return homeHash(session.user);
    if (opts.roles && !opts.roles.includes(session.user.role)) return homeHash(session.user);
    return null;
  });
}

async function boot() {
  setUnauthenticatedHandler(() => {
    const wasSignedIn = !!session.user;
    forgetUser();
    const { path } = parseHash(window.location.hash);
    if (path !== '/signin') {
      navigate(`#/signin?${wasSignedIn ? 'expired=1&' : ''}next=${encodeURIComponent(path)}`);
    }
  });
  // The labels of the likely language load beside GET /me (not after it), so a page's own
  // calls start one round trip earlier; a user whose saved language differs waits for theirs.
  registerRoutes();
  prefetch();
  const guess = locallySavedLanguage() || lang();
  const labels = loadLabels(guess);
  try {
    const me = await api.get('/me', undefined, { noAuthRedirect: true });
    session.user = me;
    setSignedIn(true);
    const saved = me && LANGS_OK.includes(me.language) ? me.language : locallySavedLanguage();
    if (saved) adoptLanguage(saved);
    if (me && me.csrf_token) setCsrfToken(me.csrf_token);
    await (lang() === guess ? labels : loadLabels());
  } catch (e) {
    session.user = null;
  }
  renderShell();
  onLanguageChange(() => {
    renderShell();
    const pressed = document.querySelector('.lang-switch__button[aria-pressed="true"]');
    if (pressed) pressed.focus();
    render({ initial: true });  // the page in the new language; focus stays on the switch
  });
  window.addEventListener('hashchange', renderHeader);
  window.addEventListener('rsoflow:notifications', renderHeader);
  await start(document.getElementById('main'), makeCtx);
}

boot();
