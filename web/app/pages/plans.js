// Two routes load this module (main.js):
//   #/plans     — momentum plans (GET /instances?workflow=momentum_plan), filtered by state and
//                 RSO; each opens on CORE's #/instances/{id}, where components/plan_progress.js
//                 shows the actions and their progress forms;
//   #/new/plan  — draft one (POST /momentum-plans) with repeatable action rows (title, owner,
//                 due date; "Add an action" / "Remove action n"); on 201 the user lands on it.
import { h, mount, tag } from '../core/dom.js';
import { t, fmtDate } from '../core/i18n.js';
import { textInput, selectField, button, buttonGroup, showErrors, field } from '../core/forms.js';
import { parseHash } from '../core/router.js';
import { loadKitStyles, pageHeading, showApiProblem, isDate } from '../components/forms_kit.js';
import { renderInstanceList, titleCell, stateTag, allRsos } from '../components/initiatives_list.js';

const STATES = ['drafting', 'submitted', 'approved', 'in_progress', 'at_risk', 'completed', 'lapsed',
  'withdrawn'];
const CAN_DRAFT = ['secretariat', 'rso_liaison'];

async function renderList(main, params, ctx) {
  const holder = h('div', {});
  await renderInstanceList(holder, ctx, params.query || {}, {
    hash: '#/plans',
    workflow: 'momentum_plan',
    states: STATES,
    caption: t('work.plans.table'),
    empty: t('work.plans.empty'),
    columns: [
      { head: t('work.col_title'), cell: titleCell },
      { head: t('work.col_rso'), cell: (i, names) => names[i.rso_id] || i.rso_id || '' },
      { head: t('work.col_event'), cell: (i) => h('span', { class: 'cell-wrap' }, (i.data && i.data.iso_event_title) || '') },
      { head: t('work.col_state'), cell: (i) => stateTag(i.state) },
      { head: t('work.col_due'), cell: (i) => (i.due_at ? [fmtDate(i.due_at),
        !i.terminal && new Date(i.due_at).getTime() < Date.now()
          ? [' ', tag(t('work.overdue'), 'overdue')] : null] : '') },
      { head: t('work.col_updated'), cell: (i) => fmtDate(i.updated_at) },
    ],
  });
  mount(main,
    pageHeading(t('work.plans.title')),
    h('p', { class: 'body' }, t('work.plans.intro')),
    h('div', { class: 'section-actions' },
      ctx.user && CAN_DRAFT.includes(ctx.user.role)
        ? h('p', {}, h('a', { class: 'button', href: '#/new/plan' }, t('work.plans.new'))) : null,
      h('p', {}, h('a', { href: '#/iso-events' }, t('work.plans.events')))),
    holder);
}

function actionRow(list, onChange) {
  const li = h('li', { class: 'rows__item' });
  const input = (name, type) => h('input', { class: type === 'date' ? 'input input--date' : 'input', type,
    name: `actions[].${name}` });
  const title = input('title', 'text');
  const remove = h('button', { type: 'button', class: 'button button--secondary', onclick: () => {
    li.remove();
    onChange();
    const next = list.querySelector('input');
    if (next) next.focus();
  } });
  li.append(h('fieldset', { class: 'fieldset' },
    h('legend', { class: 'rows__legend' }),
    h('div', { class: 'rows__grid rows__grid--3' },
      field({ label: t('work.plan.action_title'), input: title }),
      field({ label: t('work.plan.action_owner'), hint: t('work.plan.action_owner_hint'), input: input('owner', 'text') }),
      field({ label: t('work.plan.action_due'), input: input('due_on', 'date') })),
    remove));
  list.append(li);
  onChange();
  return li;
}

function renumber(list) {
  list.querySelectorAll('.rows__item').forEach((li, i) => {
    li.querySelector('legend').textContent = t('work.plan.action_n', { n: i + 1 });
    li.querySelectorAll('[name]').forEach((el) => {
      el.name = el.name.replace(/^actions\[\d*\]/, `actions[${i}]`);
    });
    li.querySelector('button').textContent = t('work.plan.remove_action', { n: i + 1 });
  });
}

function eventOption(ev) {
  return { value: ev.id, text: t('work.plan.iso_event_option',
    { title: ev.title, from: fmtDate(ev.starts_on), to: fmtDate(ev.ends_on) }) };
}

async function renderForm(main, params, ctx) {
  const heading = pageHeading(t('work.plan.title'), t('work.plan.caption'));
  if (!ctx.user || !CAN_DRAFT.includes(ctx.user.role)) {
    mount(main, heading, h('p', { class: 'body' }, t('kit.not_allowed')));
    return;
  }
  const rsos = (await allRsos(ctx.api)).filter((r) => r.status === 'recognized');
  if (!rsos.length) {
    mount(main, heading, h('p', { class: 'body' }, t('work.plan.rso_none')));
    return;
  }
  let events = [];
  try { events = (await ctx.api.get('/iso-events', { limit: 200 })).items || []; } catch (e) { events = []; }
  // Every registered event may have a plan (DESIGN 8), the latest first.
  events.sort((a, b) => (b.ends_on || '').localeCompare(a.ends_on || ''));
  let initiatives = [];
  try {
    initiatives = (await ctx.api.get('/instances', { workflow: 'partnership_initiative', limit: 200 })).items || [];
  } catch (e) { initiatives = []; }
  const q = params.query || {};
  const form = h('form', { class: 'form', novalidate: true });
  const submit = button(t('work.plan.submit'));
  const list = h('ol', { class: 'rows' });
  const change = () => renumber(list);
  actionRow(list, change);
  const rsoName = {};
  rsos.forEach((r) => { rsoName[r.id] = r.acronym; });
  form.append(
    selectField({ name: 'rso_id', label: t('work.plan.rso'), hint: t('work.plan.rso_hint'),
      value: q.rso_id || (rsos.length === 1 ? rsos[0].id : ''), options: [
        ...(rsos.length > 1 ? [{ value: '', text: t('kit.choose') }] : []),
        ...rsos.map((r) => ({ value: r.id, text: `${r.acronym} — ${r.name}` }))] }),
    selectField({ name: 'iso_event_id', label: t('work.plan.iso_event'), hint: t('work.plan.iso_event_hint'),
      value: q.iso_event_id || '', options: [{ value: '', text: t('kit.choose') },
        ...events.map(eventOption)] }),
    selectField({ name: 'initiative_id', label: `${t('work.plan.initiative')} ${t('kit.optional')}`,
      hint: t('work.plan.initiative_hint'), value: q.initiative_id || '', options: [
        { value: '', text: t('kit.none') },
        ...initiatives.filter((i) => rsoName[i.rso_id]).map((i) => ({ value: i.id,
          text: `${rsoName[i.rso_id]}: ${i.title}` }))] }),
    textInput({ name: 'title', label: t('work.plan.name'), required: true }),
    h('div', { class: 'form-group', dataset: { field: 'actions' } },
      h('fieldset', { class: 'fieldset', 'aria-describedby': 'actions-hint' },
        h('legend', { class: 'fieldset__legend' }, t('work.plan.actions')),
        h('div', { class: 'hint', id: 'actions-hint' }, t('work.plan.actions_hint')),
        list,
        button(t('work.plan.add_action'), { variant: 'secondary', type: 'button', onclick: () => {
          actionRow(list, change).querySelector('input').focus();
        } }))),
    buttonGroup(submit, h('a', { class: 'link', href: '#/plans' }, t('kit.cancel'))));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const el = form.elements;
    const rows = Array.from(list.querySelectorAll('.rows__item')).map((li) => {
      const [title, owner, due] = li.querySelectorAll('input');
      return { title: title.value.trim(), owner: owner.value.trim(), due_on: due.value };
    });
    const errors = [];
    if (!el.rso_id.value) errors.push({ name: 'rso_id', text: t('work.plan.err.rso_id') });
    if (!el.iso_event_id.value) errors.push({ name: 'iso_event_id', text: t('work.plan.err.iso_event_id') });
    if (!el.title.value.trim()) errors.push({ name: 'title', text: t('work.plan.err.title') });
    if (!rows.length) errors.push({ name: 'actions', text: t('work.plan.err.actions') });
    rows.forEach((r, i) => {
      if (!r.title) errors.push({ name: `actions[${i}].title`, text: t('work.plan.err.action_title', { n: i + 1 }) });
      if (!r.owner) errors.push({ name: `actions[${i}].owner`, text: t('work.plan.err.action_owner', { n: i + 1 }) });
      if (!isDate(r.due_on)) errors.push({ name: `actions[${i}].due_on`, text: t('work.plan.err.action_due', { n: i + 1 }) });
    });
    if (errors.length) { showErrors(form, errors); return; }
    const body = { rso_id: el.rso_id.value, iso_event_id: el.iso_event_id.value,
      title: el.title.value.trim(), actions: rows };
    if (el.initiative_id.value) body.initiative_id = el.initiative_id.value;
    submit.disabled = true;
    try {
      const inst = await ctx.api.post('/momentum-plans', body);
      ctx.navigate(`#/instances/${encodeURIComponent(inst.id)}`);
    } catch (err) {
      submit.disabled = false;
      if (err.status === 401) return;
      showApiProblem(form, err, (name) => {
        const m = /^actions\[(\d+)\]\.(title|owner|due_on)$/.exec(name);
        if (m) {
          const which = m[2] === 'due_on' ? 'action_due' : `action_${m[2]}`;
          return t(`work.plan.err.${which}`, { n: Number(m[1]) + 1 });
        }
        const key = `work.plan.err.${name}`;
        return t(key) === key ? null : t(key);
      });
    }
  });

  mount(main, heading, h('p', { class: 'body' }, t('work.plan.intro')),
    events.length ? null : h('p', { class: 'inset' }, t('work.plan.events_none')), form);
}

export async function render(main, params, ctx) {
  loadKitStyles();
  const { path } = parseHash(window.location.hash);
  if (path.startsWith('/new/')) await renderForm(main, params, ctx);
  else await renderList(main, params, ctx);
}
