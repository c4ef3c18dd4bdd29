// An RSO page: its dossier, its recognition (state, link to the process, resolution, basis),
// and its partnership initiatives, momentum plans and other processes.
import { h, mount, summaryList } from '../core/dom.js';
import { stateTag, itemHref, externalLink } from '../core/ui.js';

const EDITABLE = ['draft', 'returned'];

export function dossierRows(ctx, rso) {
  const { t, label, fmtDate } = ctx;
  const bodies = Array.isArray(rso.member_bodies) ? rso.member_bodies : [];
  return [
    [t('field.name'), rso.name],
    [t('field.acronym'), rso.acronym],
    [t('field.kind'), rso.kind ? t(`kind.${rso.kind}`) : ''],
    [t('field.region'), label('regions', rso.region)],
    [t('field.member_bodies'), bodies.length ? `${t('rso.member_count', { n: bodies.length })}: ${bodies.join(', ')}` : ''],
    [t('field.website'), rso.website ? externalLink(rso.website) : ''],
    [t('field.statutes_ref'), rso.statutes_ref],
    [t('field.contact_email'), rso.contact_email],
    [t('field.recognized_on'), rso.recognized_on ? fmtDate(rso.recognized_on) : ''],
  ];
}

function processList(ctx, items, id, empty) {
  const { label, fmtDate, t } = ctx;
  if (!items.length) return h('p', { class: 'body', id }, empty);
  return h('ul', { class: 'task-list', id }, items.map((i) => h('li', { class: 'task' },
    h('h3', { class: 'task__title' }, h('a', { href: itemHref(i.workflow, i.id) }, i.title || `#${i.id}`)),
    h('p', { class: 'task__meta' }, stateTag(label, i.state),
      i.workflow === 'partnership_initiative' && i.data && i.data.type
        ? h('span', {}, label('initiative_types', i.data.type)) : null,
      i.workflow !== 'partnership_initiative' && i.workflow !== 'momentum_plan'
        ? h('span', {}, label('workflows', i.workflow)) : null,
      i.due_at ? h('span', {}, t('inbox.due', { date: fmtDate(i.due_at) })) : null))));
}

async function allInstances(api, rsoId) {
  const out = [];
  let cursor = null;
  for (let n = 0; n < 10; n += 1) {
    const page = await api.get('/instances', { rso_id: rsoId, limit: 200, cursor });
    out.push(...(page.items || []));
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

export async function render(main, params, ctx) {
  const { t, api, label } = ctx;
  const rso = await api.get(`/rsos/${encodeURIComponent(params.id)}`);
  let instances = [];
  try { instances = await allInstances(api, rso.id); } catch (e) { if (e.status === 401) throw e; }
  const initiatives = instances.filter((i) => i.workflow === 'partnership_initiative');
  const plans = instances.filter((i) => i.workflow === 'momentum_plan');
  const others = instances.filter((i) => i.workflow !== 'partnership_initiative' && i.workflow !== 'momentum_plan'
    && i.id !== rso.recognition_instance_id);
  const mayEdit = ['secretariat', 'rso_liaison'].includes(ctx.user.role);
  const editable = EDITABLE.includes(rso.status);

  mount(main,
    h('span', { class: 'caption' }, t('rso.caption'), ` — ${rso.acronym || ''}`),
    h('h1', { class: 'heading-l page-title', id: 'page-title' }, rso.name || rso.acronym || `#${rso.id}`),
    h('div', { class: 'state-line', id: 'rso-status' },
      h('span', {}, t('rso.recognition'), ': '), rso.status ? stateTag(label, rso.status) : null),
    h('section', { class: 'section', id: 'rso-recognition', 'aria-labelledby': 'recognition-title' },
      h('h2', { class: 'heading-m', id: 'recognition-title' }, t('rso.recognition')),
      summaryList([
        [t('field.status'), rso.status ? label('states', rso.status) : ''],
        [t('field.basis'), rso.basis ? t('field.basis_value', { basis: rso.basis }) : ''],
        [t('field.resolution'), rso.resolution || (rso.status === 'recognized' ? t('rso.no_resolution') : '')],
      ]),
      rso.recognition_instance_id ? h('p', {}, h('a', { href: `#/instances/${encodeURIComponent(rso.recognition_instance_id)}` },
        t('rso.recognition_link'))) : null),
    h('section', { class: 'section', id: 'rso-dossier', 'aria-labelledby': 'dossier-title' },
      h('h2', { class: 'heading-m', id: 'dossier-title' }, t('rso.dossier')),
      summaryList(dossierRows(ctx, rso), { id: 'rso-dossier-list' }),
      mayEdit ? h('p', {}, h('a', { href: `#/rsos/${encodeURIComponent(rso.id)}/dossier`,
        class: editable ? 'button button--secondary' : null },
      editable ? t('rso.edit_dossier') : t('rso.view_dossier'))) : null),
    h('section', { class: 'section', 'aria-labelledby': 'initiatives-title' },
      h('h2', { class: 'heading-m', id: 'initiatives-title' }, t('rso.initiatives')),
      processList(ctx, initiatives, 'rso-initiatives', t('rso.none_initiatives'))),
    h('section', { class: 'section', 'aria-labelledby': 'plans-title' },
      h('h2', { class: 'heading-m', id: 'plans-title' }, t('rso.plans')),
      processList(ctx, plans, 'rso-plans', t('rso.none_plans'))),
    others.length ? h('section', { class: 'section', 'aria-labelledby': 'others-title' },
      h('h2', { class: 'heading-m', id: 'others-title' }, t('rso.other')),
      processList(ctx, others, 'rso-others', '')) : null);
}
