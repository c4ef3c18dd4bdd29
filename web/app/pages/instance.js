// An instance page: title, state, the workflow's data laid out for people, the actions the
// user may take now (each with its form), documents, the history as a timeline and the
// workflow diagram. A council ballot is shown by the ballot page.
import { h, mount, summaryList, table, tag } from '../core/dom.js';
import { button, field, showErrors, showProblem } from '../core/forms.js';
import { stateTag, itemHref, rsoLink, externalLink } from '../core/ui.js';
import { eventForm, isWarning } from '../components/instance_events.js';

let flash = null;  // {id, event}: the confirmation shown once after an action

function svgDataUrl(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return `data:image/svg+xml;base64,${btoa(bin)}`;
}

const optional = (p) => p.catch(() => null);

function recognitionDetails(ctx, inst, rso, ballots) {
  const { t, label, fmtDate } = ctx;
  const d = inst.data || {};
  const rows = [];
  if (rso) {
    rows.push([t('field.name'), rso.name], [t('field.acronym'), rso.acronym],
      [t('field.kind'), rso.kind ? t(`kind.${rso.kind}`) : ''],
      [t('field.region'), label('regions', rso.region)],
      [t('field.member_bodies'), Array.isArray(rso.member_bodies)
        ? `${t('rso.member_count', { n: rso.member_bodies.length })}: ${rso.member_bodies.join(', ')}` : ''],
      [t('field.website'), rso.website ? externalLink(rso.website) : ''], [t('field.statutes_ref'), rso.statutes_ref],
      [t('field.contact_email'), rso.contact_email]);
  } else {
    rows.push([t('field.acronym'), d.acronym], [t('field.kind'), d.kind ? t(`kind.${d.kind}`) : '']);
  }
  const basis = (rso && rso.basis) || d.basis;
  rows.push([t('field.basis'), basis ? t('field.basis_value', { basis }) : ''],
    [t('field.resolution'), d.resolution || d.last_resolution || (rso && rso.resolution)],
    [t('field.recognized_on'), rso && rso.recognized_on ? fmtDate(rso.recognized_on) : ''],
    [t('instance.last_outcome'), d.last_outcome ? (t(`outcome.${d.last_outcome}`)) : ''],
    [t('instance.decided_at'), d.decided_at ? fmtDate(d.decided_at) : ''],
    [t('instance.last_ballot'), d.last_ballot_id ? h('a', { href: itemHref('council_ballot', d.last_ballot_id) },
      t('instance.open_ballot')) : '']);
  return [
    h('h2', { class: 'heading-m' }, t('instance.dossier')),
    summaryList(rows, { id: 'instance-data' }),
    inst.rso_id ? h('p', {}, h('a', { href: `#/rsos/${encodeURIComponent(inst.rso_id)}` }, t('instance.see_rso'))) : null,
    ballots && ballots.length ? [h('h2', { class: 'heading-m' }, t('instance.ballots')),
      h('ul', { class: 'task-list', id: 'instance-ballots' }, ballots.map((b) => h('li', { class: 'task' },
        h('h3', { class: 'task__title' }, h('a', { href: itemHref('council_ballot', b.id) }, b.title || `#${b.id}`)),
        h('p', { class: 'task__meta' }, stateTag(label, b.state),
          b.data && b.data.deadline ? h('span', {}, t('inbox.due', { date: fmtDate(b.data.deadline) })) : null))))] : null,
  ];
}

function initiativeDetails(ctx, inst, rsoName) {
  const { t, label, fmtDate, fmtDateTime } = ctx;
  const d = inst.data || {};
  const standards = Array.isArray(d.standards) ? d.standards : [];
  const progress = Array.isArray(d.progress) ? d.progress : [];
  return [
    h('h2', { class: 'heading-m' }, t('instance.details')),
    summaryList([
      [t('field.type'), label('initiative_types', d.type)],
      [t('instance.rso'), inst.rso_id ? rsoLink(inst.rso_id, { [inst.rso_id]: rsoName }) : ''],
      [t('field.description'), d.description],
      [t('field.objectives'), Array.isArray(d.objectives) && d.objectives.length
        ? h('ul', { class: 'list' }, d.objectives.map((o) => h('li', {}, o))) : ''],
      [t('field.start_date'), fmtDate(d.start_date)],
      [t('field.end_date'), fmtDate(d.end_date)],
      [t('field.iso_event'), d.iso_event_title || d.iso_event_id],
      [t('field.percent_complete'), d.percent_complete !== undefined && d.percent_complete !== null
        ? t('field.percent_value', { n: d.percent_complete }) : ''],
      [t('field.outcome_summary'), d.outcome_summary],
    ], { id: 'instance-data' }),
    standards.length ? table(t('field.standards'),
      [t('field.reference'), t('field.degree'), t('field.method')],
      standards.map((s) => [s.reference, t(`degree.${s.degree}`), t(`method.${s.method}`)]),
      { id: 'instance-standards' }) : null,
    progress.length ? [h('h3', { class: 'heading-s' }, t('field.progress')),
      h('ul', { class: 'timeline', id: 'instance-progress' }, progress.map((p) => h('li', { class: 'timeline__item' },
        h('p', { class: 'timeline__by' }, t('field.progress_entry', { who: p.by || '', when: fmtDateTime(p.at) })),
        p.percent_complete !== undefined ? h('p', { class: 'timeline__title' },
          t('field.percent_value', { n: p.percent_complete })) : null,
        h('p', { class: 'timeline__comment' }, p.note || ''))))] : null,
  ];
}

// The plan's facts; its actions come from components/plan_progress.js (with a progress form
// per action) when that module is there, else as a table here.
function planDetails(ctx, inst, rsoName, initiative, progress) {
  const { t, fmtDate } = ctx;
  const d = inst.data || {};
  const actions = Array.isArray(d.actions) ? d.actions : [];
  const today = new Date().toISOString().slice(0, 10);  // an action is overdue the day after it is due
  return [
    h('h2', { class: 'heading-m' }, t('instance.details')),
    summaryList([
      [t('instance.rso'), inst.rso_id ? rsoLink(inst.rso_id, { [inst.rso_id]: rsoName }) : ''],
      [t('field.iso_event'), d.iso_event_title || d.iso_event_id],
      [t('field.event_ends_on'), fmtDate(d.event_ends_on)],
      [t('field.initiative'), d.initiative_id ? h('a', { href: itemHref('partnership_initiative', d.initiative_id) },
        initiative && initiative.title ? initiative.title : `#${d.initiative_id}`) : ''],
      [t('field.drafting_overdue_on'), inst.state === 'drafting' ? fmtDate(d.drafting_overdue_on) : ''],
      [t('field.at_risk_since'), d.at_risk_since ? fmtDate(d.at_risk_since) : ''],
    ], { id: 'instance-data' }),
    progress ? h('section', { class: 'section', id: 'instance-plan-actions' }, progress) : table(t('field.actions'),
      [t('field.action'), t('field.owner'), t('field.due_on'), t('field.action_status'), t('field.note')],
      actions.map((a) => [`${a.id}: ${a.title || ''}`, a.owner || '', fmtDate(a.due_on),
        [t(`action_status.${a.status}`), a.status !== 'done' && a.due_on && a.due_on < today
          ? [' ', tag(t('inbox.overdue'), 'overdue')] : null], a.note || '']),
      { id: 'instance-actions-table' }),
  ];
}

function genericDetails(ctx, inst) {
  const d = inst.data || {};
  const rows = Object.entries(d).filter(([, v]) => v !== null && typeof v !== 'object')
    .map(([k, v]) => [k, String(v)]);
  return [h('h2', { class: 'heading-m' }, ctx.t('instance.details')), summaryList(rows, { id: 'instance-data' })];
}

export function historyTimeline(ctx, items) {
  const { t, label, fmtDateTime } = ctx;
  if (!items.length) return h('p', { id: 'instance-history' }, t('instance.history_empty'));
  return h('ol', { class: 'timeline', id: 'instance-history' }, items.map((e) => {
    const role = e.actor && e.actor.role ? label('roles', e.actor.role) : '';
    const who = e.actor && e.actor.username ? `${e.actor.username}${role ? ` (${role})` : ''}` : role;
    const note = e.data && typeof e.data.note === 'string' && e.data.note ? e.data.note : null;
    const moved = e.from_state && e.to_state && e.from_state !== e.to_state;
    return h('li', { class: 'timeline__item' },
      h('p', { class: 'timeline__title' }, label('events', e.event),
        moved ? h('span', { class: 'secondary' }, ` — ${t('instance.history_move',
          { from: label('states', e.from_state), to: label('states', e.to_state) })}`) : null),
      h('p', { class: 'timeline__by' }, t('instance.history_by', { who, when: fmtDateTime(e.at) }),
        e.on_behalf_of ? ` — ${t('instance.on_behalf', { who: e.on_behalf_of })}` : null),
      e.comment ? h('p', { class: 'timeline__comment' }, e.comment) : null,
      note && note !== e.comment ? h('p', { class: 'timeline__comment' }, note) : null);
  }));
}

export function diagramSection(ctx, inst, svg) {
  if (!svg || typeof svg !== 'string' || !svg.includes('<svg')) return null;
  const { t, label } = ctx;
  // Fitted to the page first (a wide diagram is small then); the button shows it at its own
  // size in a box that scrolls (by keyboard too: the box is focusable).
  const wrap = h('div', { class: 'diagram-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'diagram-title' },
    h('img', { class: 'diagram', src: svgDataUrl(svg), alt: t('instance.diagram_alt',
      { workflow: label('workflows', inst.workflow), state: label('states', inst.state) }) }));
  const toggle = button(t('instance.diagram_full'), { type: 'button', variant: 'secondary', onclick: () => {
    const full = wrap.classList.toggle('diagram-wrap--full');
    toggle.textContent = full ? t('instance.diagram_fit') : t('instance.diagram_full');
    toggle.setAttribute('aria-pressed', String(full));
  } });
  toggle.setAttribute('aria-pressed', 'false');
  return h('section', { class: 'section', id: 'instance-diagram', 'aria-labelledby': 'diagram-title' },
    h('h2', { class: 'heading-m', id: 'diagram-title' }, t('instance.diagram')), toggle, wrap);
}

// The upload form: a labelled file input; the file's own name and type go with it.
function uploadForm(ctx, inst) {
  const { t } = ctx;
  const input = h('input', { class: 'file-upload', type: 'file', name: 'document',
    accept: '.pdf,.png,.jpg,.jpeg,.txt,.docx,.odt' });
  const form = h('form', { class: 'form', novalidate: true, id: 'document-upload' },
    field({ label: t('instance.upload_label'), hint: t('instance.upload_hint'), input }),
    button(t('instance.upload')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = input.files && input.files[0];
    if (!file) { showErrors(form, [{ name: 'document', text: t('instance.err.no_file') }]); return; }
    try {
      await ctx.api.upload(`/instances/${encodeURIComponent(inst.id)}/documents`, file, { filename: file.name });
      await ctx.refresh({ focus: '#instance-documents' });
    } catch (err) {
      if (err.status === 401) return;
      // A refused file is named at the field, with what would be accepted.
      const refused = { 415: 'instance.err.bad_type', 413: 'instance.err.too_large' }[err.status];
      if (refused) { showErrors(form, [{ name: 'document', text: t(refused, { name: file.name }) }]); return; }
      showProblem(form, err);
    }
  });
  return form;
}

export function documentsSection(ctx, docs, inst) {
  if (!docs || !Array.isArray(docs.items)) return null;
  const { t, fmtDate } = ctx;
  const current = docs.items.filter((d) => !d.superseded_by);
  const role = ctx.user && ctx.user.role;
  const mayUpload = inst && ctx.api && (role === 'secretariat' ||
    (role === 'rso_liaison' && ctx.user.rso_id && ctx.user.rso_id === inst.rso_id));
  return h('section', { class: 'section', id: 'instance-documents', 'aria-labelledby': 'documents-title', tabindex: '-1' },
    h('h2', { class: 'heading-m', id: 'documents-title' }, t('instance.documents')),
    current.length ? h('ul', { class: 'list' }, current.map((d) => h('li', {},
      h('a', { href: `/api/v1/documents/${encodeURIComponent(d.id)}`, download: d.filename || '' }, d.filename || d.id),
      h('span', { class: 'secondary small' }, ` — ${fmtDate(d.uploaded_at)}`)))) : h('p', {}, t('instance.no_documents')),
    mayUpload ? uploadForm(ctx, inst) : null);
}

// The buttons of the allowed events; a click opens that event's form below them.
export function actionsSection(ctx, inst, { exclude = [], onDone, title } = {}) {
  const { t, label } = ctx;
  const events = (inst.allowed_events || []).filter((e) => !exclude.includes(e));
  const formSlot = h('div', { class: 'action-form-slot' });
  // The dossier has its own form page; every other event opens its form here.
  const dossierLink = (ev) => h('a', { class: 'button button--secondary', dataset: { event: ev },
    href: `#/rsos/${encodeURIComponent(inst.rso_id)}/dossier` }, label('events', ev));
  const buttons = h('div', { class: 'actions-bar' }, events.map((ev) => (ev === 'edit_dossier' && inst.rso_id
    ? dossierLink(ev) : button(label('events', ev), {
    type: 'button', variant: isWarning(ev) ? 'warning' : 'secondary', onclick: () => {
      const form = eventForm(ctx, inst, ev, {
        onDone: (res) => onDone(res, ev),
        onCancel: () => { formSlot.replaceChildren(); buttons.querySelector(`[data-event="${ev}"]`)?.focus(); },
      });
      formSlot.replaceChildren(form);
      document.getElementById('flash')?.remove();
      form.querySelector('h3').focus();
    } }))));
  [...buttons.children].forEach((b, i) => { b.dataset.event = events[i]; });
  return h('section', { class: 'section', id: 'instance-actions', 'aria-labelledby': 'actions-title' },
    h('h2', { class: 'heading-m', id: 'actions-title' }, title || t('instance.actions')),
    events.length ? [buttons, formSlot] : h('p', {}, t('instance.no_actions')));
}

const BALLOT_OPENING = ['refer_to_council', 'propose_withdrawal'];

// The open ballot on this recognition (the newest), or null.
async function openedBallot(api, inst) {
  try {
    const page = await api.get('/instances', { workflow: 'council_ballot', rso_id: inst.rso_id, limit: 200 });
    const open = (page.items || []).filter((b) => b.state === 'open' &&
      String(b.subject_instance_id || (b.data && b.data.subject_instance_id) || '') === String(inst.id));
    open.sort((a, b) => Number(b.id) - Number(a.id));
    return open.length ? open[0].id : null;
  } catch (e) {
    return null;
  }
}

export async function render(main, params, ctx) {
  const { t, api, label, fmtDate, fmtDateTime } = ctx;
  const id = params.id;
  const path = `/instances/${encodeURIComponent(id)}`;
  const inst = await api.get(path);
  if (inst.workflow === 'council_ballot') {
    const ballot = await import('./ballot.js');
    await ballot.render(main, params, ctx, inst);
    return;
  }
  const initiativeId = inst.workflow === 'momentum_plan' && inst.data ? inst.data.initiative_id : null;
  const [history, svg, docs, rso, initiative, ballots] = await Promise.all([
    optional(api.get(`${path}/history`)),
    optional(api.getText(`${path}/diagram`, { format: 'svg' })),
    optional(api.get(`${path}/documents`)),
    inst.rso_id ? optional(api.get(`/rsos/${encodeURIComponent(inst.rso_id)}`)) : null,
    initiativeId ? optional(api.get(`/instances/${encodeURIComponent(initiativeId)}`)) : null,
    inst.workflow === 'rso_recognition' && inst.rso_id
      ? optional(api.get('/instances', { workflow: 'council_ballot', rso_id: inst.rso_id, limit: 200 })) : null,
  ]);
  const rsoName = rso ? rso.acronym : null;
  let details;
  let progressShown = false;
  if (inst.workflow === 'rso_recognition') {
    // The Council ballots on this recognition (the open one first), newest first otherwise.
    const mine = ((ballots && ballots.items) || []).filter((b) =>
      String(b.subject_instance_id || (b.data && b.data.subject_instance_id) || '') === String(inst.id))
      .sort((a, b) => (a.state === 'open' ? -1 : 0) - (b.state === 'open' ? -1 : 0) || Number(b.id) - Number(a.id));
    details = recognitionDetails(ctx, inst, rso, mine);
  } else if (inst.workflow === 'partnership_initiative') {
    details = initiativeDetails(ctx, inst, rsoName);
  } else if (inst.workflow === 'momentum_plan') {
    let progress = null;
    try {
      const mod = await import('../components/plan_progress.js');
      progress = mod.renderPlanProgress(h('div', {}), inst, ctx);
      progressShown = true;
    } catch (e) {
      progress = null;  // the component is missing or failed: the table and the generic form
    }
    details = planDetails(ctx, inst, rsoName, initiative, progress);
  } else {
    details = genericDetails(ctx, inst);
  }

  const shown = flash && flash.id === id ? flash : null;
  flash = null;
  mount(main,
    shown ? h('div', { class: 'notification notification--success', id: 'flash', role: 'status', tabindex: '-1' },
      h('h2', { class: 'notification__title' }, t('instance.done_title')),
      h('p', { class: 'body' }, t('instance.done', { event: label('events', shown.event) }))) : null,
    h('span', { class: 'caption' }, label('workflows', inst.workflow), rsoName ? ` — ${rsoName}` : ''),
    h('h1', { class: 'heading-l page-title', id: 'page-title' }, inst.title || `#${inst.id}`),
    h('div', { class: 'state-line', id: 'instance-state' },
      h('span', {}, t('instance.state'), ': '), stateTag(label, inst.state),
      inst.terminal ? h('span', {}, t('instance.terminal')) : null,
      inst.due_at ? h('span', {}, t('inbox.due', { date: fmtDate(inst.due_at) })) : null),
    h('section', { class: 'section', id: 'instance-details' }, details,
      summaryList([[t('instance.created'), fmtDateTime(inst.created_at)],
        [t('instance.updated'), fmtDateTime(inst.updated_at)]], { class: 'summary-list small' })),
    actionsSection(ctx, inst, { exclude: progressShown ? ['report_progress'] : [], onDone: async (res, ev) => {
      // A referral opens a ballot: the user is taken to it, with the confirmation there.
      const ballotId = BALLOT_OPENING.includes(ev) ? await openedBallot(api, inst) : null;
      if (ballotId) {
        const ballotPage = await import('./ballot.js');
        ballotPage.setFlash({ id: ballotId, kind: 'event', event: ev });
        ctx.navigate(`#/ballots/${encodeURIComponent(ballotId)}`);
        return;
      }
      flash = { id, event: ev };
      await ctx.refresh({ focus: '#flash' });
    } }),
    documentsSection(ctx, docs, inst),
    h('section', { class: 'section', 'aria-labelledby': 'history-title' },
      h('h2', { class: 'heading-m', id: 'history-title' }, t('instance.history')),
      historyTimeline(ctx, (history && history.items) || [])),
    diagramSection(ctx, inst, svg));
}
