// #/mandates — mandates (delegation, API.md "Mandates"): the ones I gave and the ones I
// received (the secretariat, an admin and the auditor also read every mandate), each with its
// dates, workflows and whether it is in force today; a form to give one (a member for itself;
// the secretariat and an admin for anyone); revoking one I gave. The delegate then acts for the
// delegating user: its inbox lists that user's items, and a ballot page offers the vote on
// their behalf (components/mandate_vote.js).
import { h, mount, table } from '../core/dom.js';
import { t, label, fmtDate } from '../core/i18n.js';
import { textInput, textArea, checkbox, button, buttonGroup, showErrors, field } from '../core/forms.js';
import { loadKitStyles, pageHeading, showApiProblem, successBox, problemBox, isDate } from '../components/forms_kit.js';

const SEES_ALL = ['admin', 'secretariat', 'auditor'];
const GIVES_FOR_OTHERS = ['admin', 'secretariat'];

function who(m, side) {
  const name = m[`${side}_username`];
  const id = m[`${side}_user_id`];
  return name ? `${name} (${id})` : `#${id}`;
}

function statusOf(m) {
  if (m.revoked_at) return t('mandates.status.revoked');
  return m.active ? t('mandates.status.active') : t('mandates.status.not_in_force');
}

function workflowsOf(m) {
  return m.workflows && m.workflows.length
    ? m.workflows.map((w) => label('workflows', w)).join(', ') : t('mandates.all_workflows');
}

// A reason the API gave for refusing a mandate, in the page's language when the code is known.
function reasonMessage(err) {
  return (err.reason_codes || []).map((code, i) => {
    const key = `mandates.reason.${code}`;
    const text = t(key);
    return { name: null, text: text === key ? err.reasons[i] : text };
  });
}

function mandateTable(caption, rows, me, onRevoke) {
  const headers = [t('mandates.col.from'), t('mandates.col.to'), t('mandates.col.starts'),
    t('mandates.col.ends'), t('mandates.col.workflows'), t('mandates.col.reason'),
    t('mandates.col.status'), t('mandates.col.action')];
  return table(caption, headers, rows.map((m) => {
    const mayRevoke = !m.revoked_at && (me.role === 'admin' || m.created_by === me.id || m.from_user_id === me.id);
    return [who(m, 'from'), who(m, 'to'), fmtDate(m.starts_on), fmtDate(m.ends_on), workflowsOf(m),
      m.reason || '', statusOf(m),
      mayRevoke ? button(t('mandates.revoke'), { type: 'button', variant: 'secondary',
        onclick: (e) => onRevoke(m, e.target) }) : ''];
  }));
}

async function giveForm(ctx, workflows, onGiven) {
  const me = ctx.user;
  const form = h('form', { class: 'form', novalidate: true, id: 'mandate-form' });
  const today = new Date().toISOString().slice(0, 10);
  const starts = h('input', { class: 'input input--date', type: 'date', name: 'starts_on', value: today });
  const ends = h('input', { class: 'input input--date', type: 'date', name: 'ends_on' });
  const submit = button(t('mandates.form.submit'));
  form.append(
    h('h2', { class: 'heading-m' }, t('mandates.form.title')),
    h('p', { class: 'body' }, t('mandates.form.intro')),
    GIVES_FOR_OTHERS.includes(me.role)
      ? textInput({ name: 'from_user_id', label: t('mandates.form.from'), hint: t('mandates.form.from_hint'),
        value: me.role === 'admin' ? '' : me.id, required: true, width: 'small' })
      : null,
    textInput({ name: 'to_user_id', label: t('mandates.form.to'), hint: t('mandates.form.to_hint'),
      required: true, width: 'small' }),
    field({ label: t('mandates.form.starts'), input: starts }),
    field({ label: t('mandates.form.ends'), input: ends }),
    h('fieldset', { class: 'fieldset', dataset: { field: 'workflows' } },
      h('legend', { class: 'fieldset__legend' }, t('mandates.form.workflows')),
      h('div', { class: 'hint' }, t('mandates.form.workflows_hint')),
      workflows.map((w) => checkbox({ name: `wf-${w}`, label: label('workflows', w) }))),
    textArea({ name: 'reason', label: `${t('mandates.form.reason')} ${t('kit.optional')}`, rows: 2 }),
    buttonGroup(submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const el = form.elements;
    const body = {
      from_user_id: el.from_user_id ? el.from_user_id.value.trim() : me.id,
      to_user_id: el.to_user_id.value.trim(),
      starts_on: el.starts_on.value,
      ends_on: el.ends_on.value,
      workflows: workflows.filter((w) => el[`wf-${w}`] && el[`wf-${w}`].checked),
    };
    if (el.reason.value.trim()) body.reason = el.reason.value.trim();
    const errors = [];
    if (!body.from_user_id) errors.push({ name: 'from_user_id', text: t('mandates.err.from') });
    if (!body.to_user_id) errors.push({ name: 'to_user_id', text: t('mandates.err.to') });
    if (!isDate(body.starts_on)) errors.push({ name: 'starts_on', text: t('mandates.err.starts') });
    if (!isDate(body.ends_on)) errors.push({ name: 'ends_on', text: t('mandates.err.ends') });
    else if (isDate(body.starts_on) && body.ends_on < body.starts_on) {
      errors.push({ name: 'ends_on', text: t('mandates.err.order') });
    }
    if (errors.length) { showErrors(form, errors); return; }
    submit.disabled = true;
    try {
      onGiven(await ctx.api.post('/mandates', body));
    } catch (err) {
      submit.disabled = false;
      if (err.status === 401) return;
      if (err.code === 'guard_failed') { showErrors(form, reasonMessage(err)); return; }
      showApiProblem(form, err, (name) => {
        const key = `mandates.err.${name}`;
        return t(key) === key ? null : t(key);
      });
    }
  });
  return form;
}

export async function render(main, params, ctx) {
  loadKitStyles();
  const me = ctx.user;
  const [page, wfs] = await Promise.all([
    ctx.api.get('/mandates', { limit: 200 }),
    ctx.api.get('/workflows').catch(() => null),
  ]);
  const all = page.items || [];
  const workflows = ((wfs && (wfs.items || wfs)) || []).map((w) => w.name).filter(Boolean);
  const holder = h('div', { id: 'mandate-lists' });
  const onRevoke = async (m, btn) => {
    btn.disabled = true;
    try {
      await ctx.api.del(`/mandates/${encodeURIComponent(m.id)}`);
      ctx.navigate(`#/mandates?revoked=${encodeURIComponent(m.id)}`);
    } catch (err) {
      btn.disabled = false;
      if (err.status !== 401) holder.prepend(problemBox(err));
    }
  };
  const given = all.filter((m) => m.from_user_id === me.id);
  const received = all.filter((m) => m.to_user_id === me.id);
  const section = (id, title, rows, empty) => h('section', { class: 'section', id, 'aria-labelledby': `${id}-title` },
    h('h2', { class: 'heading-m', id: `${id}-title` }, title),
    rows.length ? mandateTable(title, rows, me, onRevoke) : h('p', { class: 'body' }, empty));
  mount(holder,
    me.role !== 'admin' ? section('mandates-given', t('mandates.given'), given, t('mandates.none_given')) : null,
    me.role !== 'admin' ? section('mandates-received', t('mandates.received'), received, t('mandates.none_received')) : null,
    SEES_ALL.includes(me.role) ? section('mandates-all', t('mandates.all'), all, t('mandates.none')) : null);
  const q = params.query || {};
  const form = me.role !== 'auditor' ? await giveForm(ctx, workflows,
    (m) => ctx.navigate(`#/mandates?given=${encodeURIComponent(m.id)}`)) : null;
  mount(main,
    q.given ? successBox(t('kit.saved'), t('mandates.given_ok')) : null,
    q.revoked ? successBox(t('kit.saved'), t('mandates.revoked_ok')) : null,
    pageHeading(t('mandates.title')),
    h('p', { class: 'body' }, t('mandates.intro')),
    h('p', { class: 'body', id: 'my-user-id' }, t('mandates.my_id', { id: me.id })),
    holder,
    form);
  if (q.given || q.revoked) setTimeout(() => { const b = main.querySelector('.notification'); if (b) b.focus(); }, 0);
}
