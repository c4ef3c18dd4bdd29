// #/account — my account, for every signed-in user: full name, e-mail address and language
// (PATCH /me), and a new password (POST /me/password with the current one; the new one typed
// twice). Both endpoints are newer than the rest of the API: a server without them (404/405)
// gets a plain message.
import { h, mount, summaryList } from '../core/dom.js';
import { t, label, languages } from '../core/i18n.js';
import { textInput, radios, button, showErrors } from '../core/forms.js';
import { loadKitStyles, pageHeading, showApiProblem, successBox, isMissingEndpoint } from '../components/forms_kit.js';

let flash = null;  // the catalogue key of a confirmation to show once after the page renders again

function csrf() {
  try { return sessionStorage.getItem('rsoflow.csrf') || ''; } catch (e) { return ''; }
}

// An earlier confirmation no longer applies once the person sends another form.
function dropConfirmations() {
  document.querySelectorAll('main .notification').forEach((n) => n.remove());
}

function unsupported(form) {
  form.querySelectorAll('.error-summary, .inset').forEach((n) => n.remove());
  form.prepend(h('p', { class: 'inset', role: 'alert' }, t('account.unsupported')));
}

function detailsForm(ctx, me) {
  const form = h('form', { class: 'form', novalidate: true },
    textInput({ name: 'display_name', label: t('account.display_name'), value: me.display_name || '',
      autocomplete: 'name' }),
    textInput({ name: 'email', label: `${t('account.email')} ${t('kit.optional')}`, hint: t('account.email_hint'),
      value: me.email || '', type: 'email', autocomplete: 'email', width: 'medium' }),
    radios({ name: 'language', legend: t('account.language'), hint: t('account.language_hint'),
      value: me.language || 'en',
      options: languages().map((l) => ({ value: l, text: t(`lang.${l}`) })) }),
    button(t('account.save')));
  form.querySelectorAll('input[name="language"]').forEach((r) => {
    const lab = form.querySelector(`label[for="${r.id}"]`);
    if (lab) lab.setAttribute('lang', r.value);
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    dropConfirmations();
    const name = form.elements.display_name.value.trim();
    const email = form.elements.email.value.trim();
    const language = (form.querySelector('input[name="language"]:checked') || {}).value || '';
    const errors = [];
    if (!name || name.length > 200) errors.push({ name: 'display_name', text: t('account.err.display_name') });
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.push({ name: 'email', text: t('account.err.email') });
    if (!language) errors.push({ name: 'language', text: t('account.err.language') });
    if (errors.length) { showErrors(form, errors); return; }
    const body = { display_name: name, language };
    if (email || me.email) body.email = email;
    try {
      const updated = await ctx.api.patch('/me', body);
      flash = 'account.saved';  // a key: the text is read in the language just chosen
      // The header shows the new name, and the app switches to the chosen language.
      if (typeof ctx.signIn === 'function') await ctx.signIn(updated || { ...me, ...body }, csrf());
      await ctx.refresh({ focus: '.notification' });
    } catch (err) {
      if (err.status === 401) return;
      if (isMissingEndpoint(err)) { unsupported(form); return; }
      showApiProblem(form, err, (f) => {
        const key = `account.err.${f}`;
        return t(key) === key ? null : t(key);
      });
    }
  });
  return form;
}

function passwordForm(ctx) {
  const form = h('form', { class: 'form', novalidate: true },
    // A hidden username helps password managers file the new password under the right account.
    h('input', { type: 'text', name: 'username', autocomplete: 'username', value: ctx.user.username,
      hidden: true, readonly: true, tabindex: '-1', 'aria-hidden': 'true' }),
    textInput({ name: 'current_password', label: t('account.current_password'), type: 'password',
      autocomplete: 'current-password', width: 'medium' }),
    textInput({ name: 'new_password', label: t('account.new_password'), hint: t('account.new_password_hint'),
      type: 'password', autocomplete: 'new-password', width: 'medium' }),
    textInput({ name: 'confirm_password', label: t('account.confirm_password'), type: 'password',
      autocomplete: 'new-password', width: 'medium' }),
    button(t('account.change_password')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    dropConfirmations();
    const cur = form.elements.current_password.value;
    const next = form.elements.new_password.value;
    const again = form.elements.confirm_password.value;
    const errors = [];
    if (!cur) errors.push({ name: 'current_password', text: t('account.err.current_password') });
    if (next.length < 12) errors.push({ name: 'new_password', text: t('account.err.new_password') });
    else if (next === cur) errors.push({ name: 'new_password', text: t('account.err.new_same') });
    if (next.length >= 12 && again !== next) errors.push({ name: 'confirm_password', text: t('account.err.confirm_password') });
    if (errors.length) { showErrors(form, errors); return; }
    try {
      // A wrong current password may answer 401: that must not sign the user out.
      await ctx.api.post('/me/password', { current_password: cur, new_password: next }, { noAuthRedirect: true });
      flash = 'account.password_changed';
      await ctx.refresh({ focus: '.notification' });
    } catch (err) {
      if (isMissingEndpoint(err)) { unsupported(form); return; }
      // The server answers 422 guard_failed with reason code current_password_wrong (an
      // older draft answered 401/403, or named the field).
      const wrongCurrent = err.status === 401 || err.status === 403 ||
        (err.fields || []).includes('current_password') ||
        (err.reason_codes || []).some((c) => /current_password/.test(c));
      if (wrongCurrent && err.code !== 'csrf_failed') {
        showErrors(form, [{ name: 'current_password', text: t('account.err.current_wrong') }]);
        form.elements.current_password.value = '';
        return;
      }
      showApiProblem(form, err, (f) => (f === 'new_password' ? t('account.err.new_password') : null));
    }
  });
  return form;
}

export async function render(main, params, ctx) {
  loadKitStyles();
  let me = ctx.user;
  try { me = await ctx.api.get('/me'); } catch (err) { if (err.status === 401) throw err; }
  const banner = flash ? successBox(t('kit.saved'), t(flash)) : null;
  flash = null;
  mount(main,
    banner,
    pageHeading(t('account.title')),
    h('p', { class: 'body' }, t('account.intro')),
    summaryList([[t('account.username'), me.username], [t('account.role'), label('roles', me.role)]]),
    h('section', { class: 'section', 'aria-labelledby': 'account-details' },
      h('h2', { id: 'account-details' }, t('account.details')),
      detailsForm(ctx, me)),
    h('section', { class: 'section', 'aria-labelledby': 'account-password' },
      h('h2', { id: 'account-password' }, t('account.password_title')),
      h('p', { class: 'body' }, t('account.password_intro')),
      passwordForm(ctx)));
}
