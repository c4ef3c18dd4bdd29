// The form of each event a user may fire on an instance: the event's own fields (API.md
// "Event payloads"), a comment, and the button that sends POST /instances/{id}/events with
// If-Match of the version the user read. Refusals (422 reasons, 409, 412) show in the form.
import { h, uid } from '../core/dom.js';
import { newIdempotencyKey } from '../core/api.js';
import { textInput, textArea, selectField, checkbox, button, buttonGroup, showProblem, showErrors,
  clearErrors } from '../core/forms.js';

// Events whose comment the engine requires (DESIGN 4: "comment required"): only to mark the
// field required; the engine decides, and its reason shows beside the form.
const COMMENT_REQUIRED = {
  rso_recognition: ['return_for_changes', 'suspend', 'reinstate', 'propose_withdrawal', 'withdraw'],
  council_ballot: ['extend', 'cancel'],
  partnership_initiative: ['request_changes', 'decline', 'pause', 'cancel'],
  momentum_plan: ['request_changes', 'withdraw'],
};

// Events shown as a warning (red) button: they stop or refuse something.
const WARNING = new Set(['withdraw', 'cancel', 'decline', 'suspend', 'propose_withdrawal',
  'return_for_changes', 'request_changes']);
export function isWarning(event) { return WARNING.has(event); }

function localToIso(value) {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function ballotFields(t, inst, event) {
  const thresholds = ['simple_majority', 'two_thirds', 'unanimous'];
  return [
    textInput({ name: 'deadline', label: `${t('field.deadline')} ${t('forms.optional')}`,
      hint: t('field.deadline_hint'), type: 'datetime-local', width: 'medium' }),
    selectField({ name: 'threshold', label: `${t('field.threshold')} ${t('forms.optional')}`,
      options: [{ value: '', text: t('threshold.simple_majority') }]
        .concat(thresholds.slice(1).map((x) => ({ value: x, text: t(`threshold.${x}`) }))) }),
    textInput({ name: 'quorum', label: `${t('field.quorum')} ${t('forms.optional')}`,
      hint: t('field.quorum_hint'), inputmode: 'decimal', width: 'short' }),
    // DESIGN 8: affiliated Council members are excluded unless the secretariat unticks this.
    checkbox({ name: 'exclude_affiliated', label: t('field.exclude_affiliated'),
      hint: t('field.exclude_affiliated_hint'), checked: true }),
  ];
}

function actionRow(t, a, i) {
  return h('fieldset', { class: 'fieldset panel', dataset: { actionId: a.id || '' } },
    h('legend', { class: 'fieldset__legend' }, a.id ? `${t('field.action')} ${a.id}` : t('field.action')),
    textInput({ name: `actions[${i}].title`, label: t('field.title'), value: a.title }),
    textInput({ name: `actions[${i}].owner`, label: t('field.owner'), value: a.owner, width: 'medium' }),
    textInput({ name: `actions[${i}].due_on`, label: t('field.due_on'), value: a.due_on, type: 'date',
      width: 'medium' }));
}

// Fields of the event's payload; `read(form)` turns them into `data` (or an error list).
function payload(ctx, inst, event) {
  const { t, label } = ctx;
  const d = inst.data || {};
  const wf = inst.workflow;
  if (wf === 'rso_recognition' && (event === 'refer_to_council' || event === 'propose_withdrawal')) {
    return {
      fields: ballotFields(t, inst, event),
      read: (f) => {
        const data = {};
        const errors = [];
        if (f.deadline.value) data.deadline = localToIso(f.deadline.value);
        if (f.threshold.value) data.threshold = f.threshold.value;
        if (f.quorum.value.trim()) {
          const q = Number(f.quorum.value.trim().replace(',', '.'));
          if (!(q >= 0.5 && q <= 1)) errors.push({ name: 'quorum', text: t('event_form.invalid_quorum') });
          else data.quorum = q;
        }
        // Sent only when unticked: the default excludes them, and the audit records the choice.
        if (!f.exclude_affiliated.checked) data.exclude_affiliated = false;
        return { data, errors };
      },
    };
  }
  if (wf === 'council_ballot' && event === 'extend') {
    return {
      fields: [textInput({ name: 'deadline', label: t('field.new_deadline'), type: 'datetime-local',
        width: 'medium', required: true })],
      read: (f) => (f.deadline.value ? { data: { deadline: localToIso(f.deadline.value) }, errors: [] }
        : { errors: [{ name: 'deadline', text: t('event_form.invalid_date') }] }),
    };
  }
  if (wf === 'partnership_initiative' && event === 'report_progress') {
    return {
      fields: [
        textArea({ name: 'note', label: t('event_form.note'), required: true }),
        textInput({ name: 'percent_complete', label: `${t('field.percent_complete')} ${t('forms.optional')}`,
          hint: t('event_form.percent_hint'), type: 'number', min: 0, max: 100, step: 1, width: 'short',
          value: d.percent_complete ?? '' }),
      ],
      read: (f) => {
        const errors = [];
        const data = { note: f.note.value.trim() };
        if (!data.note) errors.push({ name: 'note', text: t('forms.required', { label: t('event_form.note') }) });
        if (f.percent_complete.value !== '') {
          const p = Number(f.percent_complete.value);
          if (!Number.isInteger(p) || p < 0 || p > 100) {
            errors.push({ name: 'percent_complete', text: t('event_form.invalid_number') });
          } else data.percent_complete = p;
        }
        return { data, errors };
      },
    };
  }
  if (wf === 'partnership_initiative' && event === 'complete') {
    return {
      fields: [textArea({ name: 'outcome_summary', label: t('field.outcome_summary'), required: true })],
      read: (f) => (f.outcome_summary.value.trim()
        ? { data: { outcome_summary: f.outcome_summary.value.trim() }, errors: [] }
        : { errors: [{ name: 'outcome_summary', text: t('forms.required', { label: t('field.outcome_summary') }) }] }),
    };
  }
  if (wf === 'partnership_initiative' && event === 'revise') {
    const objectives = Array.isArray(d.objectives) ? d.objectives.join('\n') : '';
    return {
      fields: [
        textInput({ name: 'title', label: t('field.title'), value: inst.title }),
        textArea({ name: 'description', label: t('field.description'), value: d.description || '' }),
        textArea({ name: 'objectives', label: t('field.objectives'), value: objectives }),
        textInput({ name: 'start_date', label: t('field.start_date'), type: 'date', value: d.start_date || '', width: 'medium' }),
        textInput({ name: 'end_date', label: t('field.end_date'), type: 'date', value: d.end_date || '', width: 'medium' }),
      ],
      read: (f) => {
        const data = {};
        if (f.title.value.trim() !== inst.title) data.title = f.title.value.trim();
        if (f.description.value.trim() !== (d.description || '')) data.description = f.description.value.trim();
        const objs = f.objectives.value.split('\n').map((s) => s.trim()).filter(Boolean);
        if (objs.join('\n') !== objectives) data.objectives = objs;
        for (const k of ['start_date', 'end_date']) if (f[k].value !== (d[k] || '')) data[k] = f[k].value;
        return { data, errors: [] };
      },
    };
  }
  if (wf === 'momentum_plan' && event === 'revise') {
    const actions = Array.isArray(d.actions) ? d.actions : [];
    const rows = h('div', { class: 'action-rows' },
      actions.map((a, i) => actionRow(t, a, i)), actionRow(t, {}, actions.length));
    const add = button(t('instance.add_action'), { type: 'button', variant: 'secondary',
      onclick: () => {
        const row = actionRow(t, {}, rows.children.length);
        rows.appendChild(row);
        row.querySelector('input').focus();
      } });
    return {
      fields: [textInput({ name: 'title', label: t('field.title'), value: inst.title }), rows, add],
      read: (f) => {
        const data = {};
        if (f.title.value.trim() && f.title.value.trim() !== inst.title) data.title = f.title.value.trim();
        const list = [];
        [...rows.children].forEach((row, i) => {
          const get = (k) => f.elements[`actions[${i}].${k}`].value.trim();
          const id = row.dataset.actionId;
          const a = { title: get('title'), owner: get('owner'), due_on: get('due_on') };
          if (!id && !a.title && !a.owner && !a.due_on) return;  // the blank row left blank
          if (id) a.id = id;
          list.push(a);
        });
        data.actions = list;
        return { data, errors: [] };
      },
    };
  }
  if (wf === 'momentum_plan' && event === 'report_progress') {
    const actions = Array.isArray(d.actions) ? d.actions : [];
    return {
      fields: [
        selectField({ name: 'action_id', label: t('event_form.action_id'),
          options: actions.map((a) => ({ value: a.id, text: `${a.id}: ${a.title}` })) }),
        selectField({ name: 'status', label: t('event_form.action_status'),
          options: ['open', 'in_progress', 'done'].map((s) => ({ value: s, text: t(`action_status.${s}`) })),
          value: 'done' }),
        textArea({ name: 'note', label: `${t('field.note')} ${t('forms.optional')}` }),
      ],
      read: (f) => {
        const data = { action_id: f.action_id.value, status: f.status.value };
        if (f.note.value.trim()) data.note = f.note.value.trim();
        return { data, errors: [] };
      },
    };
  }
  void label;
  return { fields: [], read: () => ({ data: null, errors: [] }) };
}

// The form for one event. onDone(result) gets the API's answer {instance, audit}.
export function eventForm(ctx, inst, event, { onDone, onCancel, submitText } = {}) {
  const { t, label, api } = ctx;
  const required = (COMMENT_REQUIRED[inst.workflow] || []).includes(event);
  const p = payload(ctx, inst, event);
  const headingId = uid('event-form');
  let key = newIdempotencyKey();  // the same key only when the same request is retried
  const commentLabel = required ? t('instance.comment') : `${t('instance.comment')} ${t('forms.optional')}`;
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-labelledby': headingId,
    dataset: { event } },
  h('h3', { class: 'heading-s', id: headingId, tabindex: '-1' }, label('events', event)),
  p.fields,
  textArea({ name: 'comment', label: commentLabel, hint: t('instance.comment_hint'), rows: 3,
    required }),
  buttonGroup(
    button(submitText || t('instance.send', { event: label('events', event) }),
      { variant: isWarning(event) ? 'warning' : undefined }),
    onCancel ? button(t('forms.cancel'), { type: 'button', variant: 'secondary', onclick: onCancel }) : null));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const { data, errors } = p.read(form);
    const comment = form.comment.value.trim();
    const all = [...(errors || [])];
    if (all.length) { showErrors(form, all); return; }
    const body = { event };
    if (comment) body.comment = comment;
    if (data && Object.keys(data).length) body.data = data;
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const res = await api.post(`/instances/${encodeURIComponent(inst.id)}/events`, body,
        { ifMatch: inst.version, idempotencyKey: key });
      if (onDone) await onDone(res, event);
    } catch (err) {
      submit.disabled = false;
      if (err.status !== 0) key = newIdempotencyKey();
      if (err.status === 401) return;
      showProblem(form, err);
      // The item moved on meanwhile: offer to show it as it is now.
      if ((err.code === 'version_mismatch' || err.code === 'invalid_transition') && ctx.refresh) {
        form.querySelector('.error-summary')?.append(h('p', {}, button(t('instance.reload'),
          { type: 'button', variant: 'secondary', onclick: () => ctx.refresh() })));
      }
    }
  });
  return form;
}
