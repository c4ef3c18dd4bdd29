// The API tokens of one user on #/admin/users?user={id}: the list (GET /users/{id}/tokens,
// never a secret), a form to create one (POST /users/{id}/tokens; the secret is shown once,
// with a warning, in a selectable code element) and revocation (DELETE /tokens/{id}) after a
// confirmation step. A server without the list endpoint (404/405) gets a plain message; a
// token created here can still be revoked from its "shown once" panel.
import { h, mount, table } from '../core/dom.js';
import { t, fmtDateTime } from '../core/i18n.js';
import { textInput, button, buttonGroup, showErrors } from '../core/forms.js';
import { showApiProblem, successBox, problemBox, isMissingEndpoint } from './forms_kit.js';

export async function renderTokens(holder, ctx, user) {
  let secret = null;      // {id, name, token, expires_at} of the token just created
  let notice = null;      // a success text to show once
  let confirming = null;  // the token awaiting confirmation of its revocation

  async function revoke(tok) {
    try {
      await ctx.api.del(`/tokens/${encodeURIComponent(tok.id)}`);
      if (secret && secret.id === tok.id) secret = null;
      confirming = null;
      notice = t('admin.tokens.revoked', { name: tok.name });
      await draw('.notification');
    } catch (err) {
      if (err.status === 401) return;
      confirming = null;
      await draw();
      holder.prepend(problemBox(err));
    }
  }

  function confirmBox(tok) {
    return h('div', { class: 'confirm', role: 'alertdialog', tabindex: '-1', 'aria-labelledby': 'revoke-title',
      'aria-describedby': 'revoke-text' },
    h('h3', { class: 'heading-s', id: 'revoke-title' }, t('admin.tokens.confirm_title', { name: tok.name })),
    h('p', { class: 'body', id: 'revoke-text' }, t('admin.tokens.confirm_text')),
    buttonGroup(
      button(t('admin.tokens.confirm'), { type: 'button', variant: 'warning', onclick: () => revoke(tok) }),
      button(t('kit.cancel'), { type: 'button', variant: 'secondary', onclick: async () => {
        confirming = null;
        await draw();
      } })));
  }

  function secretPanel() {
    const code = h('code', { class: 'code-block', id: 'new-token-secret', tabindex: '0' }, secret.token);
    return h('div', { class: 'notification notification--success', tabindex: '-1', id: 'new-token' },
      h('h3', { class: 'notification__title' }, t('admin.tokens.secret_title')),
      h('p', { class: 'warning-text' }, t('admin.tokens.secret_warning')),
      h('p', { class: 'label' }, `${t('admin.tokens.secret_label')}: ${secret.name}`),
      code,
      secret.expires_at ? h('p', { class: 'body' }, t('admin.tokens.secret_expires', { date: fmtDateTime(secret.expires_at) })) : null,
      confirming && confirming.id === secret.id ? confirmBox(secret)
        : button(t('admin.tokens.revoke'), { type: 'button', variant: 'secondary', onclick: async () => {
          confirming = secret;
          await draw('.confirm');
        } }));
  }

  function createForm() {
    const form = h('form', { class: 'form action-form', novalidate: true },
      h('h3', { class: 'heading-s' }, t('admin.tokens.create_title')),
      textInput({ name: 'name', label: t('admin.tokens.name'), hint: t('admin.tokens.name_hint'), width: 'medium',
        autocomplete: 'off' }),
      textInput({ name: 'expires_in_days', label: `${t('admin.tokens.expires')} ${t('kit.optional')}`,
        hint: t('admin.tokens.expires_hint'), inputmode: 'numeric', width: 'short' }),
      button(t('admin.tokens.create')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const name = form.elements.name.value.trim();
      const days = form.elements.expires_in_days.value.trim();
      const errors = [];
      if (!name) errors.push({ name: 'name', text: t('admin.tokens.err.name') });
      if (days && !(/^\d+$/.test(days) && Number(days) >= 1)) {
        errors.push({ name: 'expires_in_days', text: t('admin.tokens.err.expires_in_days') });
      }
      if (errors.length) { showErrors(form, errors); return; }
      const body = { name };
      if (days) body.expires_in_days = Number(days);
      try {
        const res = await ctx.api.post(`/users/${encodeURIComponent(user.id)}/tokens`, body);
        secret = { id: res.id, name, token: res.token, expires_at: res.expires_at };
        confirming = null;
        await draw('#new-token');
      } catch (err) {
        if (err.status === 401) return;
        showApiProblem(form, err, (f) => {
          const key = `admin.tokens.err.${f}`;
          return t(key) === key ? null : t(key);
        });
      }
    });
    return form;
  }

  // Who issued a token (created_by): the user itself, the command line, another user (an
  // admin), or nobody recorded (a token older than the record); a server without the field
  // shows nothing.
  function issuer(tok) {
    if (!('created_by' in tok)) return '';
    if (tok.created_by === null) return t('admin.tokens.issuer.unknown');
    if (String(tok.created_by) === String(user.id)) return t('admin.tokens.issuer.self');
    if (tok.created_by === 'system') return t('admin.tokens.issuer.system');
    return t('admin.tokens.issuer.user', { id: tok.created_by });
  }

  async function listPart() {
    let tokens;
    try {
      const res = await ctx.api.get(`/users/${encodeURIComponent(user.id)}/tokens`);
      tokens = Array.isArray(res) ? res : (res.items || []);
    } catch (err) {
      if (err.status === 401) throw err;
      if (isMissingEndpoint(err)) return h('p', { class: 'inset' }, t('admin.tokens.unsupported'));
      return problemBox(err);
    }
    if (!tokens.length) return h('p', { class: 'body' }, t('admin.tokens.none'));
    return h('div', {},
      confirming && !(secret && confirming.id === secret.id) ? confirmBox(confirming) : null,
      table(t('admin.tokens.table'),
        [t('admin.tokens.col_name'), t('admin.tokens.col_kind'), t('admin.tokens.col_created'),
          t('admin.tokens.col_expires'), t('admin.tokens.col_used'), t('admin.tokens.col_issuer'),
          t('admin.tokens.col_action')],
        tokens.map((tok) => {
          const nameId = `token-name-${tok.id}`;
          return [
            h('span', { class: 'cell-wrap', id: nameId }, tok.name || ''),
            tok.kind ? t(`admin.tokens.kind.${tok.kind}`) : '',
            fmtDateTime(tok.created_at),
            tok.expires_at ? fmtDateTime(tok.expires_at) : t('admin.tokens.no_expiry'),
            tok.last_used_at ? fmtDateTime(tok.last_used_at) : t('admin.tokens.never'),
            issuer(tok),
            h('button', { type: 'button', class: 'button button--secondary', 'aria-describedby': nameId,
              onclick: async () => {
                confirming = tok;
                await draw('.confirm');
              } }, t('admin.tokens.revoke')),
          ];
        }), { class: 'table table--stack table--compact' }));
  }

  async function draw(focusSelector) {
    const list = await listPart();
    const banner = notice ? successBox(t('kit.saved'), notice) : null;
    notice = null;
    mount(holder,
      h('p', { class: 'body' }, t('admin.tokens.intro')),
      user.role === 'council' ? h('p', { class: 'body' }, t('admin.tokens.intro_council')) : null,
      banner,
      secret ? secretPanel() : null,
      list,
      createForm());
    const target = focusSelector ? holder.querySelector(focusSelector) : null;
    if (target) target.focus();
  }

  await draw();
}
