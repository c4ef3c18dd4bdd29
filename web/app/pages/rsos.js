// The RSO directory: filters (kind, region, recognition) as labelled selects kept in the
// address (#/rsos?kind=regional), the list as a table, "More" through next_cursor.
import { h, mount } from '../core/dom.js';
import { selectField, button, buttonGroup, errorSummary, problemText } from '../core/forms.js';
import { stateTag, REGIONS, KINDS, RECOGNITION_STATES } from '../core/ui.js';

export async function render(main, params, ctx) {
  const { t, api, label } = ctx;
  const q = params.query || {};
  const filters = { kind: q.kind || '', region: q.region || '', status: q.status || '' };
  const asked = Number(q.limit);  // ?limit= (1-200) in the address, else 50
  const limit = Number.isInteger(asked) && asked >= 1 && asked <= 200 ? asked : 50;
  let page = null;
  let problem = null;
  try {
    page = await api.get('/rsos', { ...filters, limit });
  } catch (err) {
    if (err.status !== 400) throw err;
    problem = err;  // a filter the server does not know: say so, list nothing
  }
  const items = page ? [...(page.items || [])] : [];
  let cursor = page ? page.next_cursor : null;

  const any = { value: '', text: t('forms.any') };
  const form = h('form', { class: 'filters', id: 'rsos-filters', 'aria-label': t('rsos.filters'), novalidate: true },
    selectField({ name: 'kind', label: t('rsos.kind'), value: filters.kind,
      options: [any, ...KINDS.map((k) => ({ value: k, text: t(`kind.${k}`) }))] }),
    selectField({ name: 'region', label: t('rsos.region'), value: filters.region,
      options: [any, ...REGIONS.map((r) => ({ value: r, text: label('regions', r) }))] }),
    selectField({ name: 'status', label: t('rsos.status'), value: filters.status,
      options: [any, ...RECOGNITION_STATES.map((s) => ({ value: s, text: label('states', s) }))] }),
    buttonGroup(button(t('rsos.filter'), { variant: 'secondary' }),
      filters.kind || filters.region || filters.status ? h('a', { href: '#/rsos' }, t('rsos.clear')) : null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const qs = new URLSearchParams();
    for (const k of ['kind', 'region', 'status']) if (form[k].value) qs.set(k, form[k].value);
    const s = qs.toString();
    ctx.navigate(s ? `#/rsos?${s}` : '#/rsos');
  });

  const tbody = h('tbody', {});
  const heads = [t('rsos.acronym'), t('rsos.name'), t('rsos.kind'), t('rsos.region'), t('rsos.status')];
  const row = (r) => h('tr', {}, [
    h('a', { href: `#/rsos/${encodeURIComponent(r.id)}` }, r.acronym || `#${r.id}`),
    r.name || '', r.kind ? t(`kind.${r.kind}`) : '', label('regions', r.region),
    r.status ? stateTag(label, r.status) : '',
  ].map((c, i) => h('td', { dataset: { label: heads[i] } }, c)));
  items.forEach((r) => tbody.appendChild(row(r)));
  const count = h('p', { class: 'body', id: 'rsos-count', role: 'status' });
  const setCount = () => { count.textContent = t('rsos.count', { n: `${items.length}${cursor ? '+' : ''}` }); };
  setCount();
  const more = h('div', { class: 'pagination' });
  const renderMore = () => mount(more, cursor ? button(t('rsos.more'), { type: 'button', variant: 'secondary',
    onclick: async (e) => {
      e.target.disabled = true;
      const next = await api.get('/rsos', { ...filters, limit, cursor });
      const added = next.items || [];
      items.push(...added);
      cursor = next.next_cursor;
      added.forEach((r) => tbody.appendChild(row(r)));
      setCount();
      renderMore();
      if (added.length) tbody.querySelector(`a[href="#/rsos/${encodeURIComponent(added[0].id)}"]`)?.focus();
    } }) : null);
  renderMore();

  mount(main,
    h('h1', { class: 'heading-l' }, t('rsos.title')),
    ctx.user.role === 'secretariat' ? h('p', {}, h('a', { class: 'button', href: '#/new/rso' }, t('rsos.register'))) : null,
    form,
    problem ? errorSummary([{ text: problemText(problem) }], { detail: problem.detail }) : null,
    count,
    items.length ? h('div', { class: 'table-wrap' },
      h('table', { class: 'table table--stack', id: 'rsos-list' },
        h('caption', { class: 'visually-hidden' }, t('rsos.list')),
        h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col' }, x)))),
        tbody)) : h('p', { class: 'body', id: 'rsos-empty' }, t('rsos.empty')),
    more);
}
