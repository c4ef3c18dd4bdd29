// renderPlanProgress(container, instance, ctx)
//
// The actions of a momentum plan and, when the caller may report progress (the instance's
// allowed_events include `report_progress`, i.e. the plan is in_progress or at_risk and the
// user is secretariat or the RSO's liaison), one "Report progress" form per action: a status
// select (open / in_progress / done) and an optional note. Each form fires
//   POST /instances/{id}/events {"event":"report_progress","data":{"action_id","status","note"}}
// with If-Match: the instance's version and a fresh Idempotency-Key. After success the whole
// page is rendered again (ctx.refresh) so the state, version and history stay consistent, and
// a confirmation is shown above the actions; a refusal is shown in the action's form.
//
//   container — an element the component fills (its content is replaced);
//   instance  — the instance as GET /instances/{id} returns it (workflow momentum_plan);
//   ctx       — the page context of core/router.js ({api, t, user, refresh, ...}).
import { h, mount, tag } from '../core/dom.js';
import { t, fmtDate } from '../core/i18n.js';
import { newIdempotencyKey } from '../core/api.js';
import { selectField, textArea, button, showErrors } from '../core/forms.js';
import { loadKitStyles, showApiProblem, successBox } from './forms_kit.js';

const STATUSES = ['open', 'in_progress', 'done'];
// The confirmation to show after the page re-renders: {instanceId, text}.
let flash = null;

function statusTag(status) {
  const variant = { done: 'green', in_progress: null, open: 'grey' }[status];
  return tag(t(`work.status.${status}`), variant);
}

function isOverdue(action) {
  if (action.status === 'done' || !action.due_on) return false;
  return action.due_on < new Date().toISOString().slice(0, 10);
}

function progressForm(action, instance, ctx, container) {
  const legendId = `action-${action.id}-legend`;
  const form = h('form', { class: 'action-form', novalidate: true, dataset: { actionId: action.id } });
  const submit = button(t('work.progress.report'));
  form.append(
    h('fieldset', { class: 'fieldset' },
      h('legend', { class: 'visually-hidden', id: legendId }, t('work.progress.report_on', { title: action.title })),
      selectField({ name: 'status', label: t('work.progress.status'), value: action.status,
        options: STATUSES.map((s) => ({ value: s, text: t(`work.status.${s}`) })) }),
      textArea({ name: 'note', label: `${t('work.progress.note')} ${t('kit.optional')}`,
        hint: t('work.progress.note_hint'), rows: 3 })),
    submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const status = form.elements.status.value;
    if (!STATUSES.includes(status)) {
      showErrors(form, [{ name: 'status', text: t('work.progress.err.status') }]);
      return;
    }
    const data = { action_id: action.id, status };
    const note = form.elements.note.value.trim();
    if (note) data.note = note;
    submit.disabled = true;
    try {
      const res = await ctx.api.post(`/instances/${encodeURIComponent(instance.id)}/events`,
        { event: 'report_progress', data },
        { ifMatch: instance.version, idempotencyKey: newIdempotencyKey() });
      flash = { instanceId: String(instance.id), text: t('work.progress.done', { title: action.title }) };
      if (typeof ctx.refresh === 'function') {
        await ctx.refresh({ focus: '.plan-progress .notification' });
      } else {
        renderPlanProgress(container, res.instance, ctx);
        const box = container.querySelector('.notification');
        if (box) box.focus();
      }
    } catch (err) {
      submit.disabled = false;
      if (err.status === 401) return;
      showApiProblem(form, err, (name) => (/status/.test(name) ? t('work.progress.err.status') : null));
      if (err.code === 'version_mismatch' && typeof ctx.refresh === 'function') {
        const box = form.querySelector('.error-summary');
        if (box) {
          box.append(h('p', {}, h('button', { type: 'button', class: 'button button--secondary',
            onclick: () => ctx.refresh() }, t('work.progress.reload'))));
        }
      }
    }
  });
  return form;
}

export function renderPlanProgress(container, instance, ctx) {
  loadKitStyles();
  const actions = (instance && instance.data && Array.isArray(instance.data.actions)) ? instance.data.actions : [];
  const canReport = Array.isArray(instance.allowed_events) && instance.allowed_events.includes('report_progress');
  const done = actions.filter((a) => a.status === 'done').length;
  let banner = null;
  if (flash && flash.instanceId === String(instance.id)) {
    banner = successBox(t('kit.saved'), flash.text);
    flash = null;
  }
  container.classList.add('plan-progress');
  mount(container,
    h('h2', { class: 'heading-m' }, t('work.progress.title')),
    banner,
    actions.length ? h('p', { class: 'body' }, t('work.progress.summary', { done, total: actions.length }))
      : h('p', { class: 'body' }, t('work.progress.none')),
    actions.map((a) => h('div', { class: 'action-item', id: `action-${a.id}` },
      h('h3', { class: 'action-item__title' }, a.title || a.id),
      h('p', { class: 'action-item__meta' },
        statusTag(a.status),
        a.owner ? h('span', {}, t('work.progress.owner', { owner: a.owner })) : null,
        a.due_on ? h('span', {}, t('work.progress.due', { date: fmtDate(a.due_on) })) : null,
        isOverdue(a) ? tag(t('work.overdue'), 'overdue') : null),
      a.note ? h('div', {},
        h('p', { class: 'small secondary' }, t('work.progress.last_note')),
        h('p', { class: 'action-item__note' }, a.note)) : null,
      canReport ? progressForm(a, instance, ctx, container) : null)));
  return container;
}

export default renderPlanProgress;
