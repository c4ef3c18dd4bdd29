// #/new/rso — the secretariat registers an RSO (POST /rsos). The RSO's recognition starts in
// `draft`; on 201 the user lands on the RSO's page. Errors follow GOV.UK: a summary at the top
// linking to each field, the message repeated beside the field.
import { h, mount } from '../core/dom.js';
import { t, label } from '../core/i18n.js';
import { textInput, textArea, selectField, radios, button, buttonGroup, showErrors } from '../core/forms.js';
import { loadKitStyles, pageHeading, splitCodes, showApiProblem, REGIONS } from '../components/forms_kit.js';

const FIELDS = ['acronym', 'name', 'kind', 'region', 'member_bodies', 'website', 'statutes_ref',
  'contact_email'];

// Checks a user would want before sending; the server checks everything again.
function localErrors(v) {
  const errors = [];
  if (!/^[A-Za-z0-9-]{2,20}$/.test(v.acronym.trim())) errors.push({ name: 'acronym', text: t('registry.rso.err.acronym') });
  if (!v.name.trim() || v.name.length > 300) errors.push({ name: 'name', text: t('registry.rso.err.name') });
  if (!v.kind) errors.push({ name: 'kind', text: t('registry.rso.err.kind') });
  if (!v.region) errors.push({ name: 'region', text: t('registry.rso.err.region') });
  const bad = splitCodes(v.member_bodies).filter((c) => !/^[A-Z]{2}$/.test(c));
  if (bad.length) {
    errors.push({ name: 'member_bodies', text: t('registry.rso.err.member_bodies_bad', { codes: bad.join(', ') }) });
  }
  if (v.website.trim() && !/^https?:\/\/\S+$/i.test(v.website.trim())) {
    errors.push({ name: 'website', text: t('registry.rso.err.website') });
  }
  if (v.contact_email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.contact_email.trim())) {
    errors.push({ name: 'contact_email', text: t('registry.rso.err.contact_email') });
  }
  return errors;
}

function serverMessage(name, err) {
  const key = name.replace(/^(body|data)\./, '');
  if (!FIELDS.includes(key)) return null;
  if (key === 'member_bodies' && err.detail) {
    const m = /bad country code '([^']*)'/.exec(err.detail);
    if (m) return t('registry.rso.err.member_bodies_bad', { codes: m[1] });
  }
  return t(`registry.rso.err.${key}`);
}

export async function render(main, params, ctx) {
  loadKitStyles();
  if (!ctx.user || ctx.user.role !== 'secretariat') {
    mount(main, pageHeading(t('registry.rso.title'), t('registry.rso.caption')),
      h('p', { class: 'body' }, t('kit.not_allowed')));
    return;
  }
  const form = h('form', { class: 'form', novalidate: true });
  const submit = button(t('registry.rso.submit'));
  form.append(
    textInput({ name: 'acronym', label: t('registry.rso.acronym'), hint: t('registry.rso.acronym_hint'),
      width: 'short', required: true, autocomplete: 'off' }),
    textInput({ name: 'name', label: t('registry.rso.name'), hint: t('registry.rso.name_hint'), required: true }),
    radios({ name: 'kind', legend: t('registry.rso.kind'), hint: t('registry.rso.kind_hint'), options: [
      { value: 'regional', text: t('registry.rso.kind_regional'), hint: t('registry.rso.kind_regional_hint') },
      { value: 'sub_regional', text: t('registry.rso.kind_sub_regional'), hint: t('registry.rso.kind_sub_regional_hint') },
    ] }),
    selectField({ name: 'region', label: t('registry.rso.region'), value: '', options: [
      { value: '', text: t('kit.choose') }, ...REGIONS.map((r) => ({ value: r, text: label('regions', r) }))] }),
    textArea({ name: 'member_bodies', label: t('registry.rso.member_bodies'),
      hint: t('registry.rso.member_bodies_hint'), rows: 3 }),
    textInput({ name: 'website', label: `${t('registry.rso.website')} ${t('kit.optional')}`,
      hint: t('registry.rso.website_hint'), type: 'url', autocomplete: 'url' }),
    textInput({ name: 'statutes_ref', label: `${t('registry.rso.statutes_ref')} ${t('kit.optional')}`,
      hint: t('registry.rso.statutes_ref_hint') }),
    textInput({ name: 'contact_email', label: `${t('registry.rso.contact_email')} ${t('kit.optional')}`,
      type: 'email', autocomplete: 'email', width: 'medium' }),
    buttonGroup(submit, h('a', { class: 'link', href: '#/rsos' }, t('kit.cancel'))));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const el = form.elements;
    const v = {
      acronym: el.acronym.value, name: el.name.value, region: el.region.value,
      kind: (form.querySelector('input[name="kind"]:checked') || {}).value || '',
      member_bodies: el.member_bodies.value, website: el.website.value,
      statutes_ref: el.statutes_ref.value, contact_email: el.contact_email.value,
    };
    const errors = localErrors(v);
    if (errors.length) { showErrors(form, errors); return; }
    const body = {
      acronym: v.acronym.trim(), name: v.name.trim(), kind: v.kind, region: v.region,
      member_bodies: splitCodes(v.member_bodies),
    };
    for (const k of ['website', 'statutes_ref', 'contact_email']) if (v[k].trim()) body[k] = v[k].trim();
    submit.disabled = true;
    try {
      const rso = await ctx.api.post('/rsos', body);
      ctx.navigate(`#/rsos/${encodeURIComponent(rso.id)}`);
    } catch (err) {
      submit.disabled = false;
      if (err.status === 401) return;
      showApiProblem(form, err, (name) => {
        if (err.code === 'duplicate') return t('registry.rso.err.acronym_taken');
        return serverMessage(name, err);
      }, { duplicateField: 'acronym' });
    }
  });

  mount(main,
    pageHeading(t('registry.rso.title'), t('registry.rso.caption')),
    h('p', { class: 'body' }, t('registry.rso.intro')),
    form);
}
