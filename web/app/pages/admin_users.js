// #/admin/users — user administration (admin). Three views in one route, by the address:
//   #/admin/users            the list (GET /users) with "Create a user";
//   #/admin/users?new=1      the form to create one (POST /users);
//   #/admin/users?user={id}  one user: role (PATCH {"role"}), disable/enable (PATCH
//                            {"disabled"}), tokens (GET /users/{id}/tokens; create with the secret
//                            shown once; revoke with DELETE /tokens/{id} after a confirmation).
// PATCH /users/{id} and GET /users/{id}/tokens are newer than the rest: a server without them
// (404/405) gets a plain message instead of a broken page.
import { h, mount, table, summaryList, tag } from '../core/dom.js';
import { t, label } from '../core/i18n.js';
import { textInput, selectField, button, buttonGroup, showErrors, checkbox } from '../core/forms.js';
import { loadKitStyles, pageHeading, showApiProblem, successBox, problemBox, isMissingEndpoint,
  splitCodes } from '../components/forms_kit.js';
import { renderTokens } from '../components/admin_users_tokens.js';

const ROLES = ['secretariat', 'council', 'rso_liaison', 'auditor', 'admin'];
// A message to show once after the page renders again: {key, params, focus}.
let flash = null;

export function setFlash(text) { flash = text; }

function takeFlash() {
  const f = flash;
  flash = null;
  return f ? successBox(t('kit.saved'), f) : null;
}

async function allUsers(api) {
  const out = [];
  let cursor = null;
  do {
    const page = await api.get('/users', { limit: 200, cursor });
    out.push(...(page.items || []));
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

// Admins may not list RSOs (GET /rsos is for all but admin): then ids are typed. Asked once
// per page load, not at every render.
let rsoCache;
async function rsoList(api) {
  if (rsoCache !== undefined) return rsoCache;
  try {
    const page = await api.get('/rsos', { limit: 200 });
    rsoCache = page.items || [];
  } catch (e) {
    if (e.status === 401) throw e;
    rsoCache = null;
  }
  return rsoCache;
}

function statusTag(u) {
  return u.disabled ? tag(t('admin.users.disabled'), 'red') : tag(t('admin.users.active'), 'green');
}

function renderList(main, users, rsos) {
  const names = {};
  (rsos || []).forEach((r) => { names[r.id] = r.acronym; });
  const banner = takeFlash();
  mount(main,
    banner,
    pageHeading(t('admin.users.title')),
    h('p', { class: 'body' }, t('admin.users.intro')),
    h('p', {}, h('a', { class: 'button', href: '#/admin/users?new=1' }, t('admin.users.new'))),
    users.length ? table(t('admin.users.table'),
      [t('admin.users.col_username'), t('admin.users.col_name'), t('admin.users.col_role'),
        t('admin.users.col_rso'), t('admin.users.col_status')],
      users.map((u) => [
        h('a', { href: `#/admin/users?user=${encodeURIComponent(u.id)}`, class: 'cell-wrap',
          'aria-label': t('admin.users.manage', { username: u.username }) }, u.username),
        h('span', { class: 'cell-wrap' }, u.display_name || ''),
        label('roles', u.role),
        u.rso_id ? (names[u.rso_id] || u.rso_id) : '',
        statusTag(u)]))
      : h('p', { class: 'body' }, t('admin.users.none')));
  if (banner) setTimeout(() => banner.focus(), 0);
}

function renderCreate(main, ctx, rsos) {
  const form = h('form', { class: 'form', novalidate: true });
  const submit = button(t('admin.create.submit'));
  const rsoControl = rsos
    ? selectField({ name: 'rso_id', label: `${t('admin.create.rso_id')} ${t('kit.optional')}`,
      hint: t('admin.create.rso_id_hint'), value: '', options: [{ value: '', text: t('kit.none') },
        ...rsos.map((r) => ({ value: r.id, text: `${r.acronym} — ${r.name}` }))] })
    : textInput({ name: 'rso_id', label: `${t('admin.create.rso_id')} ${t('kit.optional')}`,
      hint: t('admin.create.rso_id_text_hint'), width: 'short', inputmode: 'numeric' });
  const affiliated = rsos
    ? h('div', { class: 'form-group', dataset: { field: 'affiliated_rso_ids' } },
      h('fieldset', { class: 'fieldset', 'aria-describedby': 'affiliated-hint' },
        h('legend', { class: 'fieldset__legend' }, `${t('admin.create.affiliated')} ${t('kit.optional')}`),
        h('div', { class: 'hint', id: 'affiliated-hint' }, t('admin.create.affiliated_hint')),
        h('div', { class: 'checkbox-columns' }, rsos.map((r) => {
          const c = checkbox({ name: 'affiliated_rso_ids', label: r.acronym });
          c.querySelector('input').value = r.id;
          return c;
        }))))
    : textInput({ name: 'affiliated_rso_ids', label: `${t('admin.create.affiliated')} ${t('kit.optional')}`,
      hint: t('admin.create.affiliated_text_hint'), width: 'medium' });
  form.append(
    textInput({ name: 'username', label: t('admin.create.username'), hint: t('admin.create.username_hint'),
      autocomplete: 'off', width: 'medium' }),
    textInput({ name: 'display_name', label: t('admin.create.display_name'), autocomplete: 'off' }),
    selectField({ name: 'role', label: t('admin.create.role'), value: '', options: [
      { value: '', text: t('kit.choose') }, ...ROLES.map((r) => ({ value: r, text: label('roles', r) }))] }),
    textInput({ name: 'password', label: t('admin.create.password'), hint: t('admin.create.password_hint'),
      type: 'password', autocomplete: 'new-password', width: 'medium' }),
    rsoControl,
    affiliated,
    buttonGroup(submit, h('a', { class: 'link', href: '#/admin/users' }, t('kit.cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const el = form.elements;
    const errors = [];
    if (!el.username.value.trim()) errors.push({ name: 'username', text: t('admin.create.err.username') });
    if (!el.display_name.value.trim()) errors.push({ name: 'display_name', text: t('admin.create.err.display_name') });
    if (!el.role.value) errors.push({ name: 'role', text: t('admin.create.err.role') });
    if (el.password.value.length < 12) errors.push({ name: 'password', text: t('admin.create.err.password') });
    const rsoId = el.rso_id.value.trim();
    if (el.role.value === 'rso_liaison' && !rsoId) errors.push({ name: 'rso_id', text: t('admin.create.err.rso_id') });
    if (errors.length) { showErrors(form, errors); return; }
    const body = { username: el.username.value.trim(), display_name: el.display_name.value.trim(),
      role: el.role.value, password: el.password.value };
    if (rsoId) body.rso_id = rsoId;
    const aff = rsos
      ? Array.from(form.querySelectorAll('input[name="affiliated_rso_ids"]:checked')).map((c) => c.value)
      : splitCodes(el.affiliated_rso_ids.value);
    if (aff.length) body.affiliated_rso_ids = aff;
    submit.disabled = true;
    try {
      const user = await ctx.api.post('/users', body);
      setFlash(t('admin.create.done', { username: user.username }));
      ctx.navigate('#/admin/users');
    } catch (err) {
      submit.disabled = false;
      if (err.status === 401) return;
      showApiProblem(form, err, (name) => {
        if (err.code === 'duplicate') return t('admin.create.err.username_taken');
        const key = `admin.create.err.${name}`;
        return t(key) === key ? null : t(key);
      }, { duplicateField: 'username' });
    }
  });
  mount(main, pageHeading(t('admin.create.title'), t('admin.users.title')), form,
    h('p', {}, h('a', { href: '#/admin/users' }, t('admin.users.back'))));
}

// PATCH /users/{id}; a server without it says so beside the control.
async function patchUser(ctx, user, body, where, doneText) {
  try {
    await ctx.api.patch(`/users/${encodeURIComponent(user.id)}`, body);
    setFlash(doneText);
    await ctx.refresh({ focus: '.notification' });
  } catch (err) {
    if (err.status === 401) return;
    where.querySelectorAll('.error-summary, .inset').forEach((n) => n.remove());
    if (isMissingEndpoint(err)) {
      where.append(h('p', { class: 'inset', role: 'alert' }, t('admin.user.unsupported')));
    } else if (where.tagName === 'FORM') {
      showApiProblem(where, err);
    } else {
      where.append(problemBox(err));
    }
  }
}

async function renderUser(main, ctx, user, rsos) {
  const names = {};
  (rsos || []).forEach((r) => { names[r.id] = r.acronym; });
  const banner = takeFlash();
  const roleForm = h('form', { class: 'form', novalidate: true },
    selectField({ name: 'role', label: t('admin.user.new_role'), value: user.role,
      options: ROLES.map((r) => ({ value: r, text: label('roles', r) })) }),
    button(t('admin.user.change_role'), { variant: 'secondary' }));
  roleForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const role = roleForm.elements.role.value;
    patchUser(ctx, user, { role }, roleForm, t('admin.user.role_changed', { role: label('roles', role) }));
  });
  const access = h('div', {},
    h('p', { class: 'body' }, t('admin.user.disable_text')),
    user.id === (ctx.user && ctx.user.id) ? h('p', { class: 'inset' }, t('admin.user.self')) : null);
  access.append(user.disabled
    ? button(t('admin.user.enable'), { type: 'button', onclick: () =>
      patchUser(ctx, user, { disabled: false }, access, t('admin.user.enabled_done')) })
    : button(t('admin.user.disable'), { type: 'button', variant: 'warning', onclick: () =>
      patchUser(ctx, user, { disabled: true }, access, t('admin.user.disabled_done')) }));
  const tokens = h('div', {});
  mount(main,
    banner,
    pageHeading(user.display_name || user.username, t('admin.user.caption')),
    h('p', {}, h('a', { href: '#/admin/users' }, t('admin.users.back'))),
    h('section', { class: 'section', 'aria-labelledby': 'user-details' },
      h('h2', { id: 'user-details' }, t('admin.user.details')),
      summaryList([
        [t('admin.users.col_username'), user.username],
        [t('admin.users.col_name'), user.display_name],
        [t('admin.users.col_role'), label('roles', user.role)],
        [t('admin.users.col_rso'), user.rso_id ? (names[user.rso_id] || user.rso_id) : ''],
        [t('admin.create.affiliated'), (user.affiliated_rso_ids || []).map((id) => names[id] || id).join(', ')],
        [t('admin.user.email'), user.email || ''],
        [t('admin.user.language'), user.language ? t(`lang.${user.language}`) : ''],
        [t('admin.user.status'), statusTag(user)],
      ])),
    h('section', { class: 'section', 'aria-labelledby': 'user-role' },
      h('h2', { id: 'user-role' }, t('admin.user.role_title')), roleForm),
    h('section', { class: 'section', 'aria-labelledby': 'user-access' },
      h('h2', { id: 'user-access' }, t('admin.user.access')), access),
    h('section', { class: 'section', 'aria-labelledby': 'user-tokens' },
      h('h2', { id: 'user-tokens' }, t('admin.tokens.title')), tokens));
  await renderTokens(tokens, ctx, user);
}

export async function render(main, params, ctx) {
  loadKitStyles();
  if (!ctx.user || ctx.user.role !== 'admin') {
    mount(main, pageHeading(t('admin.users.title')), h('p', { class: 'body' }, t('kit.not_allowed')));
    return;
  }
  const q = params.query || {};
  const rsos = await rsoList(ctx.api);
  if (q.new) { renderCreate(main, ctx, rsos); return; }
  const users = await allUsers(ctx.api);
  if (q.user) {
    const user = users.find((u) => String(u.id) === String(q.user));
    if (!user) {
      mount(main, pageHeading(t('admin.users.title')), h('p', { class: 'body' }, t('admin.users.not_found')),
        h('p', {}, h('a', { href: '#/admin/users' }, t('admin.users.back'))));
      return;
    }
    await renderUser(main, ctx, user, rsos);
    return;
  }
  renderList(main, users, rsos);
}
