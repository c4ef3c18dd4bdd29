// Two routes load this module (main.js):
//   #/new/iso-event — the secretariat registers an ISO event (POST /iso-events); after 201 the
//                     same page says so (?created=<id>) and offers the list;
//   #/iso-events    — the list of ISO events (GET /iso-events), for every role but admin.
import { h, mount, table } from '../core/dom.js';
import { t, label, fmtDate } from '../core/i18n.js';
import { textInput, selectField, button, buttonGroup, showErrors, field, checkbox } from '../core/forms.js';
import { parseHash } from '../core/router.js';
import { loadKitStyles, pageHeading, showApiProblem, successBox, moreButton, problemBox,
  REGIONS, isDate } from '../components/forms_kit.js';

export const EVENT_TYPES = ['iso_week', 'regional_workshop', 'devco_meeting', 'leadership_programme',
  'rso_general_assembly', 'webinar', 'other'];

async function allRsos(api) {
  const out = [];
  let cursor = null;
  do {
    const page = await api.get('/rsos', { limit: 200, cursor });
    out.push(...(page.items || []));
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

function dateField(name, text) {
  const input = h('input', { class: 'input input--date', type: 'date', name });
  return field({ label: text, input });
}

function localErrors(v) {
  const errors = [];
  if (!v.title.trim() || v.title.length > 300) errors.push({ name: 'title', text: t('registry.event.err.title') });
  if (!v.type) errors.push({ name: 'type', text: t('registry.event.err.type') });
  if (!v.region) errors.push({ name: 'region', text: t('registry.event.err.region') });
  if (!isDate(v.starts_on)) errors.push({ name: 'starts_on', text: t('registry.event.err.starts_on') });
  if (!isDate(v.ends_on) || (isDate(v.starts_on) && v.ends_on < v.starts_on)) {
    errors.push({ name: 'ends_on', text: t('registry.event.err.ends_on') });
  }
  if (v.location.length > 300) errors.push({ name: 'location', text: t('registry.event.err.location') });
  return errors;
}

async function renderForm(main, params, ctx) {
  if (!ctx.user || ctx.user.role !== 'secretariat') {
    mount(main, pageHeading(t('registry.event.title'), t('registry.event.caption')),
      h('p', { class: 'body' }, t('kit.not_allowed')));
    return;
  }
  const rsos = await allRsos(ctx.api);
  let created = null;
  const createdId = params.query && params.query.created;
  if (createdId) {
    try { created = await ctx.api.get(`/iso-events/${encodeURIComponent(createdId)}`); } catch (e) { created = null; }
  }
  const form = h('form', { class: 'form', novalidate: true });
  const submit = button(t('registry.event.submit'));
  const rsoGroup = h('div', { class: 'form-group', dataset: { field: 'rso_ids' } },
    h('fieldset', { class: 'fieldset', 'aria-describedby': 'event-rsos-hint' },
      h('legend', { class: 'fieldset__legend' }, `${t('registry.event.rsos')} ${t('kit.optional')}`),
      h('div', { class: 'hint', id: 'event-rsos-hint' }, t('registry.event.rsos_hint')),
      rsos.length ? h('div', { class: 'checkbox-columns' }, rsos.map((r) => {
        const c = checkbox({ name: 'rso_ids', label: r.acronym });
        c.querySelector('input').value = r.id;
        return c;
      })) : h('p', { class: 'body' }, t('registry.event.rsos_none'))));
  form.append(
    textInput({ name: 'title', label: t('registry.event.name'), required: true }),
    selectField({ name: 'type', label: t('registry.event.type'), value: '', options: [
      { value: '', text: t('kit.choose') },
      ...EVENT_TYPES.map((x) => ({ value: x, text: t(`registry.event.type.${x}`) }))] }),
    selectField({ name: 'region', label: t('registry.event.region'), value: '', options: [
      { value: '', text: t('kit.choose') }, ...REGIONS.map((r) => ({ value: r, text: label('regions', r) }))] }),
    rsoGroup,
    h('div', { class: 'date-time' },
      dateField('starts_on', t('registry.event.starts_on')),
      dateField('ends_on', t('registry.event.ends_on'))),
    textInput({ name: 'location', label: `${t('registry.event.location')} ${t('kit.optional')}`,
      hint: t('registry.event.location_hint'), width: 'medium' }),
    buttonGroup(submit, h('a', { class: 'link', href: '#/iso-events' }, t('registry.events.title'))));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const el = form.elements;
    const v = { title: el.title.value, type: el.type.value, region: el.region.value,
      starts_on: el.starts_on.value, ends_on: el.ends_on.value, location: el.location.value };
    const errors = localErrors(v);
    if (errors.length) { showErrors(form, errors); return; }
    const body = { title: v.title.trim(), type: v.type, region: v.region, starts_on: v.starts_on,
      ends_on: v.ends_on,
      rso_ids: Array.from(form.querySelectorAll('input[name="rso_ids"]:checked')).map((c) => c.value) };
    if (v.location.trim()) body.location = v.location.trim();
    submit.disabled = true;
    try {
      const ev = await ctx.api.post('/iso-events', body);
      ctx.navigate(`#/new/iso-event?created=${encodeURIComponent(ev.id)}`);
    } catch (err) {
      submit.disabled = false;
      if (err.status === 401) return;
      showApiProblem(form, err, (name) => {
        if (err.code === 'duplicate') return { name: 'title', text: t('registry.event.err.duplicate') };
        const key = `registry.event.err.${name}`;
        return t(key) === key ? null : t(key);
      }, { duplicateField: 'title' });
    }
  });

  mount(main,
    created ? successBox(t('kit.saved'), t('registry.event.created', { title: created.title })) : null,
    pageHeading(t('registry.event.title'), t('registry.event.caption')),
    h('p', { class: 'body' }, t('registry.event.intro')),
    form);
  // A new registration confirmed: focus the banner so it is read out (the router focused h1).
  if (created) setTimeout(() => { const b = main.querySelector('.notification'); if (b) b.focus(); }, 0);
}

function eventRow(ev, rsoNames, ctx) {
  const ended = ev.ends_on && ev.ends_on < new Date().toISOString().slice(0, 10);
  const acronyms = (ev.rso_ids || []).map((id) => rsoNames[id] || id).join(', ');
  return [
    h('span', { class: 'cell-wrap' }, ev.title),
    t(`registry.event.type.${ev.type}`),
    label('regions', ev.region),
    [t('registry.events.dates', { from: fmtDate(ev.starts_on), to: fmtDate(ev.ends_on) }),
      ended ? [' ', h('strong', { class: 'tag tag--grey' }, t('registry.events.ended'))] : null],
    ev.location || '',
    acronyms,
  ].concat(ctx.canPlan ? [(ev.rso_ids || []).length
    ? h('a', { href: `#/new/plan?iso_event_id=${encodeURIComponent(ev.id)}` }, t('registry.events.plan')) : ''] : []);
}

async function renderList(main, params, ctx) {
  const rsoNames = {};
  try {
    for (const r of await allRsos(ctx.api)) rsoNames[r.id] = r.acronym;
  } catch (e) { /* the list still shows ids */ }
  const canPlan = ['secretariat', 'rso_liaison'].includes(ctx.user && ctx.user.role);
  const headers = [t('registry.events.col_title'), t('registry.events.col_type'), t('registry.events.col_region'),
    t('registry.events.col_dates'), t('registry.events.col_location'), t('registry.events.col_rsos')];
  if (canPlan) headers.push(t('registry.events.col_next'));
  const holder = h('div', {});
  const rows = [];
  let cursor = null;
  async function load() {
    const page = await ctx.api.get('/iso-events', { limit: 50, cursor });
    rows.push(...(page.items || []));
    cursor = page.next_cursor;
    mount(holder,
      rows.length ? table(t('registry.events.table'), headers,
        rows.map((ev) => eventRow(ev, rsoNames, { ...ctx, canPlan }))) : h('p', { class: 'body' }, t('registry.events.empty')),
      cursor ? moreButton(async () => {
        try { await load(); } catch (err) { holder.append(problemBox(err)); }
      }) : null);
  }
  await load();
  mount(main,
    pageHeading(t('registry.events.title')),
    h('p', { class: 'body' }, t('registry.events.intro')),
    ctx.user && ctx.user.role === 'secretariat'
      ? h('p', {}, h('a', { class: 'button', href: '#/new/iso-event' }, t('registry.events.new'))) : null,
    holder);
}

export async function render(main, params, ctx) {
  loadKitStyles();
  const { path } = parseHash(window.location.hash);
  if (path.startsWith('/iso-events')) await renderList(main, params, ctx);
  else await renderForm(main, params, ctx);
}
