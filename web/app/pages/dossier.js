// The dossier form of an RSO: PATCH /rsos/{id} with If-Match from the RSO's ETag, only the
// fields changed. Read-only, with a sentence saying why, unless the recognition is a draft
// or returned for changes (and the user is the secretariat or the RSO's liaison).
import { h, mount, summaryList } from '../core/dom.js';
import { textInput, selectField, radios, button, buttonGroup, showProblem, showErrors } from '../core/forms.js';
import { newIdempotencyKey } from '../core/api.js';
import { REGIONS, KINDS, stateTag } from '../core/ui.js';
import { dossierRows } from './rso.js';

const EDITABLE = ['draft', 'returned'];
let flash = null;

function codes(text) {
  return text.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
}

export async function render(main, params, ctx) {
  const { t, api, label } = ctx;
  const path = `/rsos/${encodeURIComponent(params.id)}`;
  const { data: rso, etag } = await api.getWithEtag(path);
  const editable = EDITABLE.includes(rso.status) && ['secretariat', 'rso_liaison'].includes(ctx.user.role);
  const back = h('p', {}, h('a', { href: `#${path}` }, t('dossier.back', { acronym: rso.acronym || '' })));
  const shown = flash && flash.id === rso.id ? flash : null;
  flash = null;
  const head = [
    shown ? h('div', { class: 'notification notification--success', id: 'flash', role: 'status', tabindex: '-1' },
      h('p', { class: 'body' }, t(shown.text))) : null,
    h('span', { class: 'caption' }, rso.name || ''),
    h('h1', { class: 'heading-l', id: 'page-title' }, t('dossier.title', { acronym: rso.acronym || '' })),
    h('div', { class: 'state-line' }, h('span', {}, t('rso.recognition'), ': '),
      rso.status ? stateTag(label, rso.status) : null),
  ];
  if (!editable) {
    mount(main, head,
      h('p', { class: 'inset', id: 'dossier-frozen' }, EDITABLE.includes(rso.status)
        ? t('problem.forbidden') : t('dossier.frozen', { state: label('states', rso.status) })),
      summaryList(dossierRows(ctx, rso), { id: 'dossier-readonly' }),
      back);
    return;
  }
  const bodies = Array.isArray(rso.member_bodies) ? rso.member_bodies.join(', ') : '';
  const form = h('form', { class: 'form', id: 'dossier-form', novalidate: true },
    textInput({ name: 'name', label: t('field.name'), value: rso.name }),
    textInput({ name: 'acronym', label: t('field.acronym'), value: rso.acronym, width: 'short' }),
    radios({ name: 'kind', legend: t('field.kind'), value: rso.kind,
      options: KINDS.map((k) => ({ value: k, text: t(`kind.${k}`) })) }),
    selectField({ name: 'region', label: t('field.region'), value: rso.region,
      options: [...(REGIONS.includes(rso.region) ? [] : [{ value: '', text: t('forms.choose') }]),
        ...REGIONS.map((r) => ({ value: r, text: label('regions', r) }))] }),
    textInput({ name: 'member_bodies', label: t('field.member_bodies'), hint: t('field.member_bodies_hint'),
      value: bodies }),
    textInput({ name: 'website', label: `${t('field.website')} ${t('forms.optional')}`, value: rso.website,
      type: 'url', autocomplete: 'url' }),
    textInput({ name: 'statutes_ref', label: t('field.statutes_ref'), hint: t('field.statutes_ref_hint'),
      value: rso.statutes_ref }),
    textInput({ name: 'contact_email', label: `${t('field.contact_email')} ${t('forms.optional')}`,
      value: rso.contact_email, type: 'email', autocomplete: 'email', width: 'medium' }),
    buttonGroup(button(t('dossier.save')), h('a', { href: `#${path}` }, t('forms.cancel'))));
  let key = newIdempotencyKey();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = {
      name: form.name.value.trim(), acronym: form.acronym.value.trim(),
      kind: form.querySelector('input[name=kind]:checked')?.value || '',
      region: form.region.value, member_bodies: codes(form.member_bodies.value),
      website: form.website.value.trim(), statutes_ref: form.statutes_ref.value.trim(),
      contact_email: form.contact_email.value.trim(),
    };
    const missing = [];
    if (!v.name) missing.push({ name: 'name', text: t('forms.required', { label: t('field.name') }) });
    if (!v.acronym) missing.push({ name: 'acronym', text: t('forms.required', { label: t('field.acronym') }) });
    if (missing.length) { showErrors(form, missing); return; }
    const body = {};
    for (const k of ['name', 'acronym', 'kind', 'region', 'website', 'statutes_ref', 'contact_email']) {
      if (v[k] !== (rso[k] || '') && !(v[k] === '' && !rso[k])) body[k] = v[k];
    }
    if (v.member_bodies.join(',') !== (rso.member_bodies || []).join(',')) body.member_bodies = v.member_bodies;
    if (!Object.keys(body).length) { showErrors(form, [{ text: t('dossier.no_change') }]); return; }
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      await api.patch(path, body, { ifMatch: etag, idempotencyKey: key });
      flash = { id: rso.id, text: 'dossier.saved' };
      await ctx.refresh({ focus: '#flash' });
    } catch (err) {
      submit.disabled = false;
      if (err.status !== 0) key = newIdempotencyKey();
      if (err.status !== 401) showProblem(form, err);
    }
  });
  mount(main, head, h('p', { class: 'body' }, t('dossier.intro')), form, back);
}
