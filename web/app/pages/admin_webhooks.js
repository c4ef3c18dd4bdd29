// #/admin/webhooks — an admin's webhooks (API.md "Notifications"): each subscription with its
// events, a form to add one (its signing secret is shown once, on the page that follows), the
// delivery log of each (pending, delivered or failed, attempts, the receiver's last status, the
// next attempt) with "Redeliver", and removal. Deliveries are signed: docs/API.md shows how a
// receiver checks them.
import { h, mount, table, summaryList } from '../core/dom.js';
import { t, fmtDateTime } from '../core/i18n.js';
import { textInput, checkbox, button, buttonGroup, showErrors } from '../core/forms.js';
import { loadKitStyles, pageHeading, showApiProblem, successBox, problemBox } from '../components/forms_kit.js';

const EVENTS = ['instance.created', 'instance.transitioned', 'ballot.opened', 'ballot.closed',
  'document.attached', 'reminder.due'];

// The secret of the webhook just added: shown once, then forgotten by the page.
let justAdded = null;

function addForm(ctx) {
  const form = h('form', { class: 'form', novalidate: true, id: 'webhook-form' });
  const submit = button(t('webhooks.form.submit'));
  form.append(
    h('h2', { class: 'heading-m' }, t('webhooks.form.title')),
    textInput({ name: 'url', label: t('webhooks.form.url'), hint: t('webhooks.form.url_hint'), required: true }),
    h('fieldset', { class: 'fieldset', dataset: { field: 'events' } },
      h('legend', { class: 'fieldset__legend' }, t('webhooks.form.events')),
      EVENTS.map((e) => checkbox({ name: `ev-${e}`, label: e }))),
    textInput({ name: 'secret', label: `${t('webhooks.form.secret')} ${t('kit.optional')}`,
      hint: t('webhooks.form.secret_hint'), autocomplete: 'off' }),
    buttonGroup(submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const el = form.elements;
    const body = { url: el.url.value.trim(), events: EVENTS.filter((e) => el[`ev-${e}`].checked) };
    if (el.secret.value) body.secret = el.secret.value;
    const errors = [];
    if (!body.url) errors.push({ name: 'url', text: t('webhooks.err.url') });
    if (!body.events.length) errors.push({ name: 'events', text: t('webhooks.err.events') });
    if (errors.length) { showErrors(form, errors); return; }
    submit.disabled = true;
    try {
      justAdded = await ctx.api.post('/webhooks', body);
      ctx.navigate(`#/admin/webhooks?added=${encodeURIComponent(justAdded.id)}`);
    } catch (err) {
      submit.disabled = false;
      if (err.status === 401) return;
      if (err.status === 422) {
        // A host the server will not call (private, loopback, unresolved), in words.
        const code = (err.reason_codes || [])[0];
        const key = `webhooks.reason.${code}`;
        showErrors(form, [{ name: 'url', text: t(key) === key ? t('webhooks.err.url_refused') : t(key) }]);
        return;
      }
      showApiProblem(form, err);
    }
  });
  return form;
}

async function deliveryLog(ctx, hook) {
  const page = await ctx.api.get(`/webhooks/${encodeURIComponent(hook.id)}/deliveries`, { limit: 50 });
  const rows = (page.items || []).map((d) => [d.id, d.event, t(`webhooks.status.${d.status}`), String(d.attempts),
    d.last_status_code == null ? '' : String(d.last_status_code),
    d.next_attempt_at ? fmtDateTime(d.next_attempt_at) : '',
    button(t('webhooks.redeliver'), { type: 'button', variant: 'secondary', onclick: async (e) => {
      e.target.disabled = true;
      try {
        await ctx.api.post(`/webhooks/${encodeURIComponent(hook.id)}/deliveries/${encodeURIComponent(d.id)}/redeliver`);
        ctx.navigate(`#/admin/webhooks?redelivered=${encodeURIComponent(d.id)}`);
      } catch (err) {
        e.target.disabled = false;
        if (err.status !== 401) e.target.after(problemBox(err));
      }
    } })]);
  return rows.length
    ? table(t('webhooks.log', { url: hook.url }), [t('webhooks.col.delivery'), t('webhooks.col.event'),
      t('webhooks.col.status'), t('webhooks.col.attempts'), t('webhooks.col.code'), t('webhooks.col.next'),
      t('webhooks.col.action')], rows)
    : h('p', { class: 'body' }, t('webhooks.no_deliveries'));
}

export async function render(main, params, ctx) {
  loadKitStyles();
  if (!ctx.user || ctx.user.role !== 'admin') {
    mount(main, pageHeading(t('webhooks.title')), h('p', { class: 'body' }, t('kit.not_allowed')));
    return;
  }
  const q = params.query || {};
  const hooks = (await ctx.api.get('/webhooks', { limit: 200 })).items || [];
  const sections = await Promise.all(hooks.map(async (hook) => h('section', { class: 'section' },
    h('h2', { class: 'heading-m' }, hook.url),
    summaryList([[t('webhooks.col.events'), hook.events.join(', ')],
      [t('webhooks.col.created'), fmtDateTime(hook.created_at)]]),
    await deliveryLog(ctx, hook),
    buttonGroup(button(t('webhooks.remove', { url: hook.url }), { type: 'button', variant: 'warning',
      onclick: async (e) => {
        e.target.disabled = true;
        try {
          await ctx.api.del(`/webhooks/${encodeURIComponent(hook.id)}`);
          ctx.navigate('#/admin/webhooks?removed=1');
        } catch (err) {
          e.target.disabled = false;
          if (err.status !== 401) e.target.after(problemBox(err));
        }
      } })))));
  const secret = q.added && justAdded && justAdded.id === q.added ? justAdded.secret : null;
  justAdded = null;
  mount(main,
    q.added ? successBox(t('webhooks.added'), secret ? t('webhooks.secret_once', { secret }) : '') : null,
    q.redelivered ? successBox(t('kit.saved'), t('webhooks.redelivered')) : null,
    q.removed ? successBox(t('kit.saved'), t('webhooks.removed')) : null,
    pageHeading(t('webhooks.title')),
    h('p', { class: 'body' }, t('webhooks.intro')),
    hooks.length ? sections : h('p', { class: 'body' }, t('webhooks.none')),
    addForm(ctx));
}
