// The inbox (home page): what waits for the caller, most urgent first as the API serves it,
// overdue items marked in words, the counts at the top, paging with "More".
import { h, mount, tag } from '../core/dom.js';
import { button } from '../core/forms.js';
import { stateTag, itemHref, rsoNames } from '../core/ui.js';

export async function render(main, params, ctx) {
  const { t, api, label, fmtDate } = ctx;
  // Page size: 50, or ?limit= (1-200) in the address, which lets a test page through "More".
  const asked = Number((params.query || {}).limit);
  const limit = Number.isInteger(asked) && asked >= 1 && asked <= 200 ? asked : 50;
  const [first, rsos] = await Promise.all([api.get('/inbox', { limit }), rsoNames(api)]);
  const items = [...(first.items || [])];
  let cursor = first.next_cursor || null;

  const countsEl = h('ul', { class: 'counts', id: 'inbox-counts', 'aria-label': t('inbox.title') });
  const countsNote = h('p', { class: 'secondary small', id: 'inbox-counts-note' });
  const list = h('ul', { class: 'task-list', id: 'inbox-list', 'aria-label': t('inbox.list') });
  const moreWrap = h('div', { class: 'pagination' });

  function renderCounts() {
    const overdue = items.filter((i) => i.overdue).length;
    const ballots = items.filter((i) => i.workflow === 'council_ballot').length;
    const plus = cursor ? '+' : '';
    mount(countsEl,
      h('li', { class: 'counts__item', id: 'count-total' },
        h('span', { class: 'counts__number' }, `${items.length}${plus}`), t('inbox.count_total')),
      h('li', { class: ['counts__item', overdue ? 'counts__item--overdue' : null], id: 'count-overdue' },
        h('span', { class: 'counts__number' }, `${overdue}${overdue ? plus : ''}`), t('inbox.count_overdue')),
      ballots || ctx.user.role === 'council' ? h('li', { class: 'counts__item', id: 'count-ballots' },
        h('span', { class: 'counts__number' }, `${ballots}${plus && ballots ? plus : ''}`),
        t('inbox.count_ballots')) : null);
    countsNote.textContent = cursor ? t('inbox.counts_more') : '';
  }

  function itemNode(it) {
    const rso = it.rso_id && rsos[it.rso_id];
    const events = (it.allowed_events || []).map((e) => label('events', e)).join(', ');
    return h('li', { class: ['task', it.overdue ? 'task--overdue' : null], dataset: { id: it.instance_id } },
      h('h2', { class: 'task__title' },
        h('a', { href: itemHref(it.workflow, it.instance_id) }, it.title || `#${it.instance_id}`)),
      h('p', { class: 'task__meta' },
        it.overdue ? tag(t('inbox.overdue'), 'overdue') : null,
        stateTag(label, it.state),
        h('span', {}, label('workflows', it.workflow)),
        rso ? h('span', {}, rso) : null,
        h('span', {}, it.due_at ? t('inbox.due', { date: fmtDate(it.due_at) }) : t('inbox.no_due')),
        it.on_behalf_of ? h('span', {}, t('instance.on_behalf', { who: it.on_behalf_of })) : null),
      events ? h('p', { class: 'task__meta small' }, t('inbox.actions', { events })) : null);
  }

  function renderMore() {
    mount(moreWrap, cursor ? button(t('inbox.more'), { type: 'button', variant: 'secondary',
      onclick: async (e) => {
        e.target.disabled = true;
        const page = await api.get('/inbox', { limit, cursor });
        const added = page.items || [];
        items.push(...added);
        cursor = page.next_cursor || null;
        added.forEach((it) => list.appendChild(itemNode(it)));
        renderCounts();
        renderMore();
        const firstNew = added.length ? list.querySelector(`li[data-id="${added[0].instance_id}"] a`) : null;
        if (firstNew) firstNew.focus();
      } }) : null);
  }

  items.forEach((it) => list.appendChild(itemNode(it)));
  renderCounts();
  renderMore();

  const role = ctx.user.role;
  mount(main,
    h('h1', { class: 'heading-l' }, t('inbox.title')),
    h('p', { class: 'body lead' }, t('inbox.intro')),
    countsEl, countsNote,
    items.length ? list : h('p', { class: 'body', id: 'inbox-empty' }, t('inbox.empty')),
    items.length ? null : list,
    moreWrap,
    role === 'secretariat' ? h('section', { class: 'section', 'aria-labelledby': 'inbox-start' },
      h('h2', { class: 'heading-m', id: 'inbox-start' }, t('inbox.start')),
      h('ul', { class: 'list' },
        h('li', {}, h('a', { href: '#/new/rso' }, t('inbox.new_rso'))),
        h('li', {}, h('a', { href: '#/new/ballot' }, t('inbox.new_ballot'))),
        h('li', {}, h('a', { href: '#/new/iso-event' }, t('inbox.new_event'))))) : null);
}
