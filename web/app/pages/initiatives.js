// Two routes load this module (main.js):
//   #/initiatives     — partnership initiatives (GET /instances?workflow=partnership_initiative),
//                       filtered by state and RSO; each opens on CORE's #/instances/{id};
//   #/new/initiative  — propose one (POST /initiatives), with Guide 21 standards rows for a
//                       standards_adoption initiative; on 201 the user lands on its page.
import { h, mount } from '../core/dom.js';
import { t, label, fmtDate } from '../core/i18n.js';
import { textInput, textArea, selectField, button, buttonGroup, showErrors, field } from '../core/forms.js';
import { parseHash } from '../core/router.js';
import { loadKitStyles, pageHeading, showApiProblem, splitLines, isDate } from '../components/forms_kit.js';
import { renderInstanceList, titleCell, stateTag, allRsos } from '../components/initiatives_list.js';

const STATES = ['proposed', 'under_review', 'approved', 'active', 'on_hold', 'completed', 'declined',
  'cancelled'];
// The server's list (partnership_initiative::Types()); `other` needs a description.
const TYPES = ['event_promotion', 'engagement_strategy', 'standards_adoption', 'training',
  'technical_assistance', 'information_sharing', 'cooperative_exchange', 'technical_cooperation', 'other'];
const DEGREES = ['IDT', 'MOD', 'NEQ'];
const METHODS = ['endorsement', 'cover_sheet', 'reprint', 'translation', 'redrafting'];
const CAN_PROPOSE = ['secretariat', 'rso_liaison'];

async function renderList(main, params, ctx) {
  const holder = h('div', {});
  await renderInstanceList(holder, ctx, params.query || {}, {
    hash: '#/initiatives',
    workflow: 'partnership_initiative',
    states: STATES,
    caption: t('work.initiatives.table'),
    empty: t('work.initiatives.empty'),
    columns: [
      { head: t('work.col_title'), cell: titleCell },
      { head: t('work.col_rso'), cell: (i, names) => names[i.rso_id] || i.rso_id || '' },
      { head: t('work.col_type'), cell: (i) => label('initiative_types', i.data && i.data.type) },
      { head: t('work.col_state'), cell: (i) => stateTag(i.state) },
      { head: t('work.col_updated'), cell: (i) => fmtDate(i.updated_at) },
    ],
  });
  mount(main,
    pageHeading(t('work.initiatives.title')),
    h('p', { class: 'body' }, t('work.initiatives.intro')),
    ctx.user && CAN_PROPOSE.includes(ctx.user.role)
      ? h('p', {}, h('a', { class: 'button', href: '#/new/initiative' }, t('work.initiatives.new'))) : null,
    holder);
}

// ISO/IEC Guide 21's pairings of degree and method, as the server checks them (named here so
// the person reads them in their language before sending).
function guide21Problem(degree, method) {
  if (!degree || !method) return null;
  if ((method === 'endorsement' || method === 'cover_sheet') && degree !== 'IDT') return 'unchanged_idt';
  if (method === 'redrafting' && degree === 'IDT') return 'redrafted_not_idt';
  if (degree === 'NEQ' && method !== 'redrafting') return 'neq_redrafted';
  return null;
}

// One Guide 21 row: reference, degree, method, and a button that removes it.
function standardRow(list, onChange) {
  const li = h('li', { class: 'rows__item' });
  const legend = h('legend', { class: 'rows__legend' });
  const ref = h('input', { class: 'input', type: 'text', name: 'standards[].reference', spellcheck: 'false' });
  const degree = h('select', { class: 'select', name: 'standards[].degree' },
    h('option', { value: '' }, t('kit.choose')), DEGREES.map((d) => h('option', { value: d }, t(`work.degree.${d}`))));
  const method = h('select', { class: 'select', name: 'standards[].method' },
    h('option', { value: '' }, t('kit.choose')), METHODS.map((m) => h('option', { value: m }, t(`work.method.${m}`))));
  const remove = h('button', { type: 'button', class: 'button button--secondary', onclick: () => {
    li.remove();
    onChange();
    const next = list.querySelector('input');
    if (next) next.focus();
  } });
  li.append(h('fieldset', { class: 'fieldset' }, legend,
    h('div', { class: 'rows__grid rows__grid--3' },
      field({ label: t('work.initiative.reference'), hint: t('work.initiative.reference_hint'), input: ref }),
      field({ label: t('work.initiative.degree'), input: degree }),
      field({ label: t('work.initiative.method'), input: method })),
    remove));
  list.append(li);
  onChange();
  return li;
}

// Numbers rows 1..n in their legends and names (standards[0].reference ...), so the server's
// field names (standards[i].x) find their inputs.
function renumber(list) {
  list.querySelectorAll('.rows__item').forEach((li, i) => {
    li.querySelector('legend').textContent = t('work.initiative.standard_n', { n: i + 1 });
    li.querySelectorAll('[name]').forEach((el) => {
      el.name = el.name.replace(/^standards\[\d*\]/, `standards[${i}]`);
    });
    const b = li.querySelector('button');
    b.textContent = t('work.initiative.remove_standard', { n: i + 1 });
  });
}

async function renderForm(main, params, ctx) {
  const heading = pageHeading(t('work.initiative.title'), t('work.initiative.caption'));
  if (!ctx.user || !CAN_PROPOSE.includes(ctx.user.role)) {
    mount(main, heading, h('p', { class: 'body' }, t('kit.not_allowed')));
    return;
  }
  const rsos = (await allRsos(ctx.api)).filter((r) => r.status === 'recognized');
  if (!rsos.length) {
    mount(main, heading, h('p', { class: 'body' }, t('work.initiative.rso_none')));
    return;
  }
  let events = [];
  try { events = (await ctx.api.get('/iso-events', { limit: 200 })).items || []; } catch (e) { events = []; }
  const q = params.query || {};
  const form = h('form', { class: 'form', novalidate: true });
  const submit = button(t('work.initiative.submit'));
  const list = h('ol', { class: 'rows' });
  const change = () => renumber(list);
  const standards = h('div', { class: 'form-group', dataset: { field: 'standards' } },
    h('fieldset', { class: 'fieldset', 'aria-describedby': 'standards-hint' },
      h('legend', { class: 'fieldset__legend' }, t('work.initiative.standards')),
      h('div', { class: 'hint', id: 'standards-hint' }, t('work.initiative.standards_hint')),
      list,
      button(t('work.initiative.add_standard'), { variant: 'secondary', type: 'button', onclick: () => {
        const li = standardRow(list, change);
        li.querySelector('input').focus();
      } })));
  standardRow(list, change);
  const typeSelect = selectField({ name: 'type', label: t('work.initiative.type'), value: q.type || '', options: [
    { value: '', text: t('kit.choose') }, ...TYPES.map((x) => ({ value: x, text: label('initiative_types', x) }))] });
  const showStandards = () => { standards.hidden = form.elements.type.value !== 'standards_adoption'; };
  typeSelect.querySelector('select').addEventListener('change', showStandards);
  form.append(
    selectField({ name: 'rso_id', label: t('work.initiative.rso'), hint: t('work.initiative.rso_hint'),
      value: q.rso_id || (rsos.length === 1 ? rsos[0].id : ''), options: [
        ...(rsos.length > 1 ? [{ value: '', text: t('kit.choose') }] : []),
        ...rsos.map((r) => ({ value: r.id, text: `${r.acronym} — ${r.name}` }))] }),
    typeSelect,
    textInput({ name: 'title', label: t('work.initiative.name'), required: true }),
    textArea({ name: 'description', label: `${t('work.initiative.description')} ${t('kit.optional')}`,
      hint: t('work.initiative.description_hint'), rows: 4 }),
    textArea({ name: 'objectives', label: `${t('work.initiative.objectives')} ${t('kit.optional')}`,
      hint: t('work.initiative.objectives_hint'), rows: 3 }),
    h('div', { class: 'date-time' },
      field({ label: `${t('work.initiative.start_date')} ${t('kit.optional')}`,
        input: h('input', { class: 'input input--date', type: 'date', name: 'start_date' }) }),
      field({ label: `${t('work.initiative.end_date')} ${t('kit.optional')}`,
        input: h('input', { class: 'input input--date', type: 'date', name: 'end_date' }) })),
    selectField({ name: 'iso_event_id', label: `${t('work.initiative.iso_event')} ${t('kit.optional')}`,
      hint: t('work.initiative.iso_event_hint'), value: q.iso_event_id || '', options: [
        { value: '', text: t('kit.none') }, ...events.map((ev) => ({ value: ev.id, text: ev.title }))] }),
    standards,
    buttonGroup(submit, h('a', { class: 'link', href: '#/initiatives' }, t('kit.cancel'))));
  showStandards();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const el = form.elements;
    const adoption = el.type.value === 'standards_adoption';
    const rows = Array.from(list.querySelectorAll('.rows__item')).map((li, i) => ({
      i, reference: li.querySelector('input').value.trim(),
      degree: li.querySelectorAll('select')[0].value, method: li.querySelectorAll('select')[1].value }));
    const errors = [];
    if (!el.rso_id.value) errors.push({ name: 'rso_id', text: t('work.initiative.err.rso_id') });
    if (!el.type.value) errors.push({ name: 'type', text: t('work.initiative.err.type') });
    if (!el.title.value.trim()) errors.push({ name: 'title', text: t('work.initiative.err.title') });
    if (el.type.value === 'other' && !el.description.value.trim()) {
      errors.push({ name: 'description', text: t('work.initiative.err.description_other') });
    }
    if (el.start_date.value && !isDate(el.start_date.value)) errors.push({ name: 'start_date', text: t('work.initiative.err.start_date') });
    if (el.start_date.value && el.end_date.value && el.end_date.value < el.start_date.value) {
      errors.push({ name: 'end_date', text: t('work.initiative.err.end_date') });
    }
    if (adoption) {
      if (!rows.length) errors.push({ name: 'standards', text: t('work.initiative.err.standards') });
      for (const r of rows) {
        if (!r.reference) errors.push({ name: `standards[${r.i}].reference`, text: t('work.initiative.err.reference') });
        if (!r.degree) errors.push({ name: `standards[${r.i}].degree`, text: t('work.initiative.err.degree') });
        if (!r.method) errors.push({ name: `standards[${r.i}].method`, text: t('work.initiative.err.method') });
        const rule = guide21Problem(r.degree, r.method);
        if (rule) errors.push({ name: `standards[${r.i}].degree`, text: t(`work.initiative.err.${rule}`, { n: r.i + 1 }) });
      }
    }
    if (errors.length) { showErrors(form, errors); return; }
    const body = { rso_id: el.rso_id.value, type: el.type.value, title: el.title.value.trim() };
    if (el.description.value.trim()) body.description = el.description.value.trim();
    const objectives = splitLines(el.objectives.value);
    if (objectives.length) body.objectives = objectives;
    for (const k of ['start_date', 'end_date', 'iso_event_id']) if (el[k].value) body[k] = el[k].value;
    if (adoption) body.standards = rows.map((r) => ({ reference: r.reference, degree: r.degree, method: r.method }));
    submit.disabled = true;
    try {
      const inst = await ctx.api.post('/initiatives', body);
      ctx.navigate(`#/instances/${encodeURIComponent(inst.id)}`);
    } catch (err) {
      submit.disabled = false;
      if (err.status === 401) return;
      showApiProblem(form, err, (name) => {
        if (name === 'standards') {
          // The server names problems of rows inside its detail: standards[i].reference ...
          const m = /standards\[(\d+)\]\.?(reference|degree|method)?/.exec(err.detail || '');
          const target = m ? `standards[${m[1]}].${m[2] || 'reference'}` : 'standards[0].reference';
          const text = (err.detail || t('work.initiative.err.standards'))
            .replace(/standards\[(\d+)\]\.?/g, (x, i) => `${t('work.initiative.standard_n', { n: Number(i) + 1 })} `);
          return { name: target, text };
        }
        const key = `work.initiative.err.${name}`;
        return t(key) === key ? null : t(key);
      });
    }
  });

  mount(main, heading, h('p', { class: 'body' }, t('work.initiative.intro')), form);
}

export async function render(main, params, ctx) {
  loadKitStyles();
  const { path } = parseHash(window.location.hash);
  if (path.startsWith('/new/')) await renderForm(main, params, ctx);
  else await renderList(main, params, ctx);
}
