// A filtered, paged list of workflow instances (GET /instances?workflow=...), shared by the
// initiatives and momentum plans pages. Filters live in the address (#/plans?state=at_risk),
// so a filtered list can be bookmarked and the back button works.
import { h, mount, table, tag } from '../core/dom.js';
import { t, label } from '../core/i18n.js';
import { selectField, button } from '../core/forms.js';
import { moreButton, problemBox } from './forms_kit.js';

export function stateTag(state) {
  const variant = { completed: 'green', approved: 'green', recognized: 'green', at_risk: 'red',
    on_hold: 'yellow', drafting: 'grey', proposed: 'grey', declined: 'grey', cancelled: 'grey',
    lapsed: 'grey', withdrawn: 'grey' }[state];
  return tag(label('states', state), variant);
}

export async function allRsos(api) {
  const out = [];
  let cursor = null;
  do {
    const page = await api.get('/rsos', { limit: 200, cursor });
    out.push(...(page.items || []));
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

// opts: {hash, workflow, states, columns: [{head, cell(inst, rsoNames)}], caption, empty}
export async function renderInstanceList(holder, ctx, query, opts) {
  let rsos = [];
  try { rsos = await allRsos(ctx.api); } catch (e) { rsos = []; }
  const rsoNames = {};
  rsos.forEach((r) => { rsoNames[r.id] = r.acronym; });
  const state = opts.states.includes(query.state) ? query.state : '';
  const rsoId = rsoNames[query.rso_id] ? query.rso_id : '';

  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': t('work.filter_apply') },
    selectField({ name: 'state', label: t('work.filter_state'), value: state, options: [
      { value: '', text: t('work.any') }, ...opts.states.map((s) => ({ value: s, text: label('states', s) }))] }),
    rsos.length > 1 ? selectField({ name: 'rso_id', label: t('work.filter_rso'), value: rsoId, options: [
      { value: '', text: t('work.any') }, ...rsos.map((r) => ({ value: r.id, text: r.acronym }))] }) : null,
    button(t('work.filter_apply'), { variant: 'secondary' }));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (filters.elements.state.value) q.set('state', filters.elements.state.value);
    if (filters.elements.rso_id && filters.elements.rso_id.value) q.set('rso_id', filters.elements.rso_id.value);
    const s = q.toString();
    ctx.navigate(`${opts.hash}${s ? `?${s}` : ''}`);
  });

  const results = h('div', { id: 'list-results' });
  const items = [];
  let cursor = null;
  async function load() {
    const page = await ctx.api.get('/instances', { workflow: opts.workflow, state, rso_id: rsoId,
      limit: 50, cursor });
    items.push(...(page.items || []));
    cursor = page.next_cursor;
    mount(results,
      items.length ? table(opts.caption, opts.columns.map((c) => c.head),
        items.map((inst) => opts.columns.map((c) => c.cell(inst, rsoNames))))
        : h('p', { class: 'body' }, opts.empty),
      cursor ? moreButton(async (e) => {
        const before = items.length;
        try { await load(); } catch (err) { results.append(problemBox(err)); return; }
        // Keep the keyboard where the new rows begin.
        const link = results.querySelectorAll('tbody tr')[before];
        const a = link && link.querySelector('a');
        if (a) a.focus();
        else if (e && e.target) e.target.blur();
      }) : null);
  }
  await load();
  mount(holder, filters, results);
}

export function titleCell(inst) {
  return h('a', { href: `#/instances/${encodeURIComponent(inst.id)}`, class: 'cell-wrap' }, inst.title || inst.id);
}
