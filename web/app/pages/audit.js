// #/audit — the audit log for auditors and the secretariat: filters (after_seq, instance_id,
// actor; kept in the address), entries oldest first with "More" (next_cursor), the chain's
// verification (GET /audit/verify: ok or the first bad seq, head seq and hash) and, for the
// auditor, downloads of the whole log (plain links: the cookie session goes with them).
import { h, mount, table, summaryList } from '../core/dom.js';
import { t, label, fmtDateTime } from '../core/i18n.js';
import { textInput, button, buttonGroup, showErrors } from '../core/forms.js';
import { loadKitStyles, pageHeading, moreButton, problemBox } from '../components/forms_kit.js';

const WHO = ['auditor', 'secretariat'];

function workflowName(w) {
  const key = `workflow.${w}`;
  return t(key) === key ? w : t(key);
}

function entryRow(e) {
  const actor = e.actor || {};
  return [
    String(e.seq),
    fmtDateTime(e.at),
    // Entries about users and tokens (workflow "accounts") are tied to no instance.
    h('span', {}, e.instance_id
      ? h('a', { href: `#/instances/${encodeURIComponent(e.instance_id)}` }, `#${e.instance_id}`) : '—',
    h('br', {}), h('span', { class: 'small secondary' }, workflowName(e.workflow))),
    label('events', e.event),
    e.from_state ? `${label('states', e.from_state)} → ${label('states', e.to_state)}` : label('states', e.to_state),
    h('span', { class: 'cell-wrap' }, actor.username || label('roles', actor.role),
      actor.username && actor.role ? h('span', { class: 'small secondary' }, ` (${label('roles', actor.role)})`) : null,
      e.on_behalf_of ? [h('br', {}), h('span', { class: 'small' }, t('audit.on_behalf', { id: e.on_behalf_of }))] : null),
    h('span', { class: 'cell-wrap' }, e.comment || '',
      e.redacted ? h('span', { class: 'small secondary' }, ` ${t('audit.redacted')}`) : null),
  ];
}

function filterForm(query, ctx) {
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('audit.filters'), novalidate: true },
    textInput({ name: 'after_seq', label: t('audit.after_seq'), value: query.after_seq || '',
      inputmode: 'numeric', width: 'short' }),
    textInput({ name: 'instance_id', label: t('audit.instance_id'), value: query.instance_id || '',
      inputmode: 'numeric', width: 'short' }),
    textInput({ name: 'actor', label: t('audit.actor'), value: query.actor || '', autocomplete: 'off' }),
    buttonGroup(button(t('audit.apply'), { variant: 'secondary' }),
      (query.after_seq || query.instance_id || query.actor)
        ? h('a', { href: '#/audit', class: 'link' }, t('audit.clear')) : null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const errors = [];
    const q = new URLSearchParams();
    for (const name of ['after_seq', 'instance_id']) {
      const v = form.elements[name].value.trim();
      if (v && !/^\d+$/.test(v)) errors.push({ name, text: t('audit.err.number') });
      else if (v) q.set(name, v);
    }
    if (errors.length) { showErrors(form, errors); return; }
    const actor = form.elements.actor.value.trim();
    if (actor) q.set('actor', actor);
    const s = q.toString();
    ctx.navigate(`#/audit${s ? `?${s}` : ''}`);
  });
  return form;
}

function verifySection(ctx) {
  const result = h('div', { 'aria-live': 'polite' });
  const verify = button(t('audit.verify'), { type: 'button', onclick: async () => {
    verify.disabled = true;
    mount(result, h('p', { class: 'loading' }, t('audit.verifying')));
    try {
      const r = await ctx.api.get('/audit/verify');
      const head = r.head || {};
      const hashCode = h('code', { class: 'code-block', id: 'audit-head-hash', tabindex: '0' }, head.hash || '');
      const copied = h('p', { class: 'small', role: 'status' });
      mount(result,
        h('div', { class: r.ok ? 'notification notification--success' : 'error-summary', tabindex: '-1',
          id: 'audit-verify-result' },
        h('h3', { class: 'notification__title' }, r.ok ? t('audit.ok') : t('audit.bad')),
        h('p', { class: 'body' }, r.ok ? t('audit.ok_text', { n: r.entries })
          : t('audit.bad_text', { seq: r.first_bad_seq })),
        r.ok ? null : (r.problem ? h('p', { class: 'body' }, r.problem) : null),
        h('h4', { class: 'heading-s' }, t('audit.head')),
        summaryList([[t('audit.head_seq'), String(head.seq ?? '')],
          [t('audit.head_hash'), hashCode]]),
        navigator.clipboard ? h('button', { type: 'button', class: 'button button--secondary', onclick: async () => {
          try { await navigator.clipboard.writeText(head.hash || ''); copied.textContent = t('audit.copied'); } catch (e) { /* select it instead */ window.getSelection().selectAllChildren(hashCode); }
        } }, t('audit.copy')) : null,
        copied));
      result.querySelector('#audit-verify-result').focus();
    } catch (err) {
      if (err.status === 401) return;
      mount(result, problemBox(err));
    } finally {
      verify.disabled = false;
    }
  } });
  return h('section', { class: 'section', 'aria-labelledby': 'audit-verify-title' },
    h('h2', { id: 'audit-verify-title' }, t('audit.verify_title')),
    h('p', { class: 'body' }, t('audit.verify_intro')),
    verify, result);
}

function exportsSection() {
  return h('section', { class: 'section', 'aria-labelledby': 'audit-exports-title' },
    h('h2', { id: 'audit-exports-title' }, t('audit.exports')),
    h('p', { class: 'body' }, t('audit.exports_intro')),
    h('ul', { class: 'list' },
      h('li', {}, h('a', { href: '/api/v1/audit/export?format=csv', download: 'rsoflow-audit.csv' }, t('audit.export_csv'))),
      h('li', {}, h('a', { href: '/api/v1/audit/export?format=jsonl', download: 'rsoflow-audit.jsonl' }, t('audit.export_jsonl')))));
}

export async function render(main, params, ctx) {
  loadKitStyles();
  if (!ctx.user || !WHO.includes(ctx.user.role)) {
    mount(main, pageHeading(t('audit.title')), h('p', { class: 'body' }, t('kit.not_allowed')));
    return;
  }
  const query = params.query || {};
  const results = h('div', {});
  const items = [];
  let cursor = null;
  const headers = [t('audit.col_seq'), t('audit.col_at'), t('audit.col_item'), t('audit.col_event'),
    t('audit.col_change'), t('audit.col_actor'), t('audit.col_comment')];
  async function load() {
    const page = await ctx.api.get('/audit', { after_seq: query.after_seq, instance_id: query.instance_id,
      actor: query.actor, limit: 50, cursor });
    items.push(...(page.items || []));
    cursor = page.next_cursor;
    mount(results,
      items.length ? table(t('audit.table'), headers, items.map(entryRow), { class: 'table table--stack table--compact' })
        : h('p', { class: 'body' }, t('audit.empty')),
      cursor ? moreButton(async (e) => {
        const before = items.length;
        try { await load(); } catch (err) { results.append(problemBox(err)); return; }
        const row = results.querySelectorAll('tbody tr')[before];
        const a = row && row.querySelector('a');
        if (a) a.focus(); else if (e && e.target) e.target.blur();
      }) : null);
  }
  try {
    await load();
  } catch (err) {
    if (err.status !== 400) throw err;
    mount(results, problemBox(err));  // a filter the server refused: say so, keep the page
  }
  mount(main,
    pageHeading(t('audit.title')),
    h('p', { class: 'body' }, t('audit.intro')),
    verifySection(ctx),
    ctx.user.role === 'auditor' ? exportsSection() : null,
    h('section', { class: 'section', 'aria-labelledby': 'audit-log-title' },
      h('h2', { id: 'audit-log-title' }, t('audit.filters')),
      filterForm(query, ctx),
      results));
}
