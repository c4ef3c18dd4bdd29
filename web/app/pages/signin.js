// Sign-in: a cookie session (POST /auth/login with "session":"cookie"). 401 and 429 are told
// in plain words in an error summary; the password is never kept.
import { h, mount } from '../core/dom.js';
import { textInput, button, showErrors, errorSummary, problemText, clearErrors } from '../core/forms.js';

export async function render(main, params, ctx) {
  const { t, api } = ctx;
  const query = params.query || {};
  const form = h('form', { class: 'form', id: 'signin-form', novalidate: true, method: 'post', action: '#' },
    textInput({ name: 'username', label: t('signin.username'), autocomplete: 'username', width: 'medium',
      required: true }),
    textInput({ name: 'password', label: t('signin.password'), type: 'password',
      autocomplete: 'current-password', width: 'medium', required: true }),
    button(t('signin.submit')));
  form.username.setAttribute('autocapitalize', 'none');
  form.username.setAttribute('spellcheck', 'false');

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const username = form.username.value.trim();
    const password = form.password.value;
    const missing = [];
    if (!username) missing.push({ name: 'username', text: t('signin.missing_username') });
    if (!password) missing.push({ name: 'password', text: t('signin.missing_password') });
    if (missing.length) { showErrors(form, missing); return; }
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const res = await api.post('/auth/login', { username, password, session: 'cookie' },
        { noAuthRedirect: true });
      form.password.value = '';
      await ctx.signIn(res.user, res.csrf_token);
      const next = query.next && query.next.startsWith('/') && query.next !== '/signin' ? `#${query.next}` : ctx.home();
      ctx.navigate(next);
    } catch (err) {
      submit.disabled = false;
      form.password.value = '';
      clearErrors(form);
      const text = err.status === 401 ? t('signin.bad_credentials') : problemText(err);
      const box = errorSummary([{ text, control: err.status === 401 ? form.username : null }]);
      box.dataset.code = err.code || '';
      form.insertBefore(box, form.firstChild);
      box.focus();
    }
  });

  mount(main,
    h('div', { class: 'narrow' },
      query.expired ? h('div', { class: 'notification', role: 'status' }, t('signin.expired')) : null,
      h('h1', { class: 'heading-l' }, t('signin.title')),
      h('p', { class: 'body lead' }, t('signin.intro')),
      form));
}
