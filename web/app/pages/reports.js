// #/reports — workload and cycle times (GET /reports/summary) for the secretariat and audit:
// overdue items, instances by workflow and state, RSOs and active work by region and by RSO,
// median and mean days per state, cycle times by region. Each chart (components/reports_chart.js) has its table beside it.
import { h, mount, table, uid } from '../core/dom.js';
import { t, label, fmtDate, fmtDateTime, fmtNumber } from '../core/i18n.js';
import { loadKitStyles, pageHeading } from '../components/forms_kit.js';
import { barChart } from '../components/reports_chart.js';
import { stateTag } from '../components/initiatives_list.js';

const WORKFLOWS = ['rso_recognition', 'council_ballot', 'partnership_initiative', 'momentum_plan'];

function workflowName(w) {
  const key = `workflow.${w}`;
  return t(key) === key ? w : t(key);
}

// A figure: the chart, then the table it draws (the table is the text equivalent).
function figure(caption, headers, rows, chartRows, opts = {}) {
  const id = uid('report-table');
  return h('figure', { class: 'chart' },
    h('figcaption', { class: 'chart__caption' }, caption),
    chartRows.length ? barChart(chartRows, { name: t('reports.chart_name', { caption }), tableId: id, ...opts }) : null,
    table(t('reports.table_of', { caption }), headers, rows, { id, class: 'table table--compact' }));
}

function groupBy(items, key) {
  const out = {};
  for (const it of items) (out[it[key]] = out[it[key]] || []).push(it);
  return out;
}

function days(n) {
  return t('reports.days', { n: fmtNumber(n, { maximumFractionDigits: 1 }) });
}

function overdueSection(items) {
  return h('section', { class: 'section', 'aria-labelledby': 'rep-overdue' },
    h('h2', { id: 'rep-overdue' }, t('reports.overdue')),
    items.length ? table(t('reports.overdue_table', { n: items.length }),
      [t('reports.col_item'), t('reports.col_workflow'), t('reports.col_state'), t('reports.col_due')],
      items.map((o) => [
        h('a', { href: `#/instances/${encodeURIComponent(o.instance_id)}`, class: 'cell-wrap' }, o.title || o.instance_id),
        workflowName(o.workflow), stateTag(o.state), o.due_at ? fmtDate(o.due_at) : '']))
      : h('p', { class: 'body' }, t('reports.overdue_none')));
}

function byWorkflowSection(rows) {
  const groups = groupBy(rows, 'workflow');
  const order = WORKFLOWS.filter((w) => groups[w]).concat(Object.keys(groups).filter((w) => !WORKFLOWS.includes(w)));
  return h('section', { class: 'section', 'aria-labelledby': 'rep-workflow' },
    h('h2', { id: 'rep-workflow' }, t('reports.by_workflow')),
    order.length ? order.map((w) => {
      const list = groups[w];
      const total = list.reduce((s, r) => s + r.count, 0);
      return figure(t('reports.workflow_caption', { workflow: workflowName(w), n: total }),
        [t('reports.col_state'), t('reports.col_count')],
        list.map((r) => [label('states', r.state), fmtNumber(r.count)]),
        list.map((r) => ({ label: label('states', r.state), value: r.count })));
    }) : h('p', { class: 'body' }, t('reports.nothing')));
}

function byRegionSection(rows) {
  return h('section', { class: 'section', 'aria-labelledby': 'rep-region' },
    h('h2', { id: 'rep-region' }, t('reports.by_region')),
    rows.length ? figure(t('reports.region_caption'),
      [t('reports.col_region'), t('reports.col_rsos'), t('reports.col_recognized'), t('reports.col_active')],
      rows.map((r) => [label('regions', r.region), fmtNumber(r.rsos), fmtNumber(r.recognized), fmtNumber(r.active_instances)]),
      rows.map((r) => ({ label: label('regions', r.region), value: r.active_instances })), { alt: true })
      : h('p', { class: 'body' }, t('reports.nothing')));
}

function byRsoSection(rows) {
  const sorted = rows.slice().sort((a, b) => b.active_instances - a.active_instances ||
    String(a.acronym).localeCompare(String(b.acronym)));
  return h('section', { class: 'section', 'aria-labelledby': 'rep-rso' },
    h('h2', { id: 'rep-rso' }, t('reports.by_rso')),
    sorted.length ? figure(t('reports.rso_caption'),
      [t('reports.col_rso'), t('reports.col_region'), t('reports.col_status'), t('reports.col_active')],
      sorted.map((r) => [h('a', { href: `#/rsos/${encodeURIComponent(r.rso_id)}` }, r.acronym),
        label('regions', r.region), r.status ? stateTag(r.status) : '', fmtNumber(r.active_instances)]),
      sorted.filter((r) => r.active_instances > 0).map((r) => ({ label: r.acronym, value: r.active_instances })))
      : h('p', { class: 'body' }, t('reports.nothing')));
}

function mediansSection(rows) {
  const groups = groupBy(rows, 'workflow');
  const order = WORKFLOWS.filter((w) => groups[w]).concat(Object.keys(groups).filter((w) => !WORKFLOWS.includes(w)));
  return h('section', { class: 'section', 'aria-labelledby': 'rep-median' },
    h('h2', { id: 'rep-median' }, t('reports.medians')),
    h('p', { class: 'body' }, t('reports.medians_intro')),
    order.length ? order.map((w) => figure(workflowName(w),
      [t('reports.col_state'), t('reports.col_median'), t('reports.col_mean'), t('reports.col_samples')],
      groups[w].map((r) => [label('states', r.state), days(r.median_days),
        r.mean_days === undefined ? '' : days(r.mean_days), fmtNumber(r.samples)]),
      groups[w].map((r) => ({ label: label('states', r.state), value: r.median_days,
        display: fmtNumber(r.median_days, { maximumFractionDigits: 1 }) })), { alt: true }))
      : h('p', { class: 'body' }, t('reports.nothing')));
}

// Cycle times (creation to a terminal state) by region and workflow: a table.
function cyclesSection(regions) {
  const rows = [];
  for (const r of regions) {
    for (const c of r.cycle_times || []) {
      rows.push([label('regions', r.region), workflowName(c.workflow), fmtNumber(c.completed), days(c.mean_days)]);
    }
  }
  return h('section', { class: 'section', 'aria-labelledby': 'rep-cycles' },
    h('h2', { id: 'rep-cycles' }, t('reports.cycles')),
    h('p', { class: 'body' }, t('reports.cycles_intro')),
    rows.length ? table(t('reports.cycles'),
      [t('reports.col_region'), t('reports.col_workflow'), t('reports.col_completed'), t('reports.col_mean')],
      rows, { class: 'table table--compact' })
      : h('p', { class: 'body' }, t('reports.nothing')));
}

export async function render(main, params, ctx) {
  loadKitStyles();
  if (!ctx.user || !['secretariat', 'auditor'].includes(ctx.user.role)) {
    mount(main, pageHeading(t('reports.title')), h('p', { class: 'body' }, t('kit.not_allowed')));
    return;
  }
  const s = await ctx.api.get('/reports/summary');
  mount(main,
    pageHeading(t('reports.title')),
    h('p', { class: 'body' }, t('reports.intro')),
    s.generated_at ? h('p', { class: 'secondary' }, t('reports.generated', { at: fmtDateTime(s.generated_at) })) : null,
    h('nav', { class: 'section', 'aria-label': t('reports.contents') },
      h('ul', { class: 'list' },
        [['rep-overdue', 'reports.overdue'], ['rep-workflow', 'reports.by_workflow'], ['rep-region', 'reports.by_region'],
          ['rep-rso', 'reports.by_rso'], ['rep-median', 'reports.medians'], ['rep-cycles', 'reports.cycles']].map(([id, key]) =>
          h('li', {}, h('a', { href: `#${id}`, onclick: (e) => {
            e.preventDefault();
            const target = main.querySelector(`#${id}`) || document.getElementById(id);
            if (target) { target.setAttribute('tabindex', '-1'); target.focus(); target.scrollIntoView(); }
          } }, t(key)))))),
    overdueSection(s.overdue || []),
    byWorkflowSection(s.by_workflow || []),
    byRegionSection(s.by_region || []),
    byRsoSection(s.by_rso || []),
    mediansSection(s.median_days_in_state || []),
    cyclesSection(s.by_region || []));
}
