// #/resolutions — the Council's register of resolutions (GET /resolutions): every decision
// rsoflow knows, from ballots, taken in session or imported, newest first; a liaison sees its
// RSO's. The secretariat records a decision the Council took in session (POST /resolutions);
// one about a recognition waiting for the Council moves it and cancels its open ballot.
import { h, mount, table } from '../core/dom.js';
import { t, fmtDate } from '../core/i18n.js';
import { textInput, selectField, button, buttonGroup, showErrors, field } from '../core/forms.js';
import { loadKitStyles, pageHeading, showApiProblem, successBox, moreButton, problemBox,
  isDate } from '../components/forms_kit.js';

const NUMBER = /^\d{1,6}\/\d{4}$/;

// Recognitions waiting for a Council decision: the subjects a session decision may have.
async function waitingRecognitions(api) {
  const out = [];
  for (const state of ['council_review', 'withdrawal_review']) {
    const page = await api.get('/instances', { workflow: 'rso_recognition', state, limit: 200 });
    out.push(...(page.items || []));
  }
  return out;
}

function localErrors(v) {
  const errors = [];
  if (!NUMBER.test(v.number.trim())) errors.push({ name: 'number', text: t('resolutions.err.number') });
  if (!isDate(v.decided_on)) errors.push({ name: 'decided_on', text: t('resolutions.err.decided_on') });
  else if (NUMBER.test(v.number.trim()) && v.number.trim().slice(-4) !== v.decided_on.slice(0, 4)) {
    errors.push({ name: 'number', text: t('resolutions.err.year') });
  }
  if (!v.title.trim()) errors.push({ name: 'title', text: t('resolutions.err.title') });
  if (!v.outcome) errors.push({ name: 'outcome', text: t('resolutions.err.outcome') });
  return errors;
}

async function sessionForm(ctx, onRecorded) {
  let waiting = [];
  try { waiting = await waitingRecognitions(ctx.api); } catch (e) { waiting = []; }
  const form = h('form', { class: 'form', novalidate: true });
  const submit = button(t('resolutions.form.submit'));
  const date = h('input', { class: 'input input--date', type: 'date', name: 'decided_on' });
  form.append(
    h('h2', { class: 'heading-m' }, t('resolutions.form.title')),
    h('p', { class: 'body' }, t('resolutions.form.intro')),
    textInput({ name: 'number', label: t('resolutions.form.number'),
      hint: t('resolutions.form.number_hint'), required: true, width: 'small' }),
    field({ label: t('resolutions.form.decided_on'), input: date }),
    textInput({ name: 'title', label: t('resolutions.form.decision'), required: true }),
    selectField({ name: 'outcome', label: t('resolutions.form.outcome'), value: '', options: [
      { value: '', text: t('kit.choose') },
      { value: 'approved', text: t('resolutions.outcome.approved') },
      { value: 'rejected', text: t('resolutions.outcome.rejected') }] }),
    selectField({ name: 'subject_instance_id', label: `${t('resolutions.form.subject')} ${t('kit.optional')}`,
      hint: t('resolutions.form.subject_hint'), value: '', options: [
        { value: '', text: t('kit.none') },
        ...waiting.map((i) => ({ value: i.id, text: i.title }))] }),
    buttonGroup(submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const el = form.elements;
    const v = { number: el.number.value, decided_on: el.decided_on.value, title: el.title.value,
      outcome: el.outcome.value, subject: el.subject_instance_id.value };
    const errors = localErrors(v);
    if (errors.length) { showErrors(form, errors); return; }
    const body = { number: v.number.trim(), decided_on: v.decided_on, title: v.title.trim(),
      outcome: v.outcome };
    if (v.subject) body.subject_instance_id = v.subject;
    submit.disabled = true;
    try {
      const r = await ctx.api.post('/resolutions', body);
      onRecorded(r);
    } catch (err) {
      submit.disabled = false;
      if (err.status === 401) return;
      showApiProblem(form, err, (name) => {
        if (err.code === 'duplicate') return { name: 'number', text: t('resolutions.err.duplicate') };
        const key = `resolutions.err.${name}`;
        return t(key) === key ? null : t(key);
      }, { duplicateField: 'number' });
      if (err.code === 'invalid_transition') {
        showErrors(form, [{ name: 'subject_instance_id', text: t('resolutions.err.not_waiting') }]);
      }
    }
  });
  return form;
}

function link(r) {
  if (r.ballot_id) return h('a', { href: `#/ballots/${encodeURIComponent(r.ballot_id)}` }, t('resolutions.ballot'));
  if (r.subject_instance_id) {
    return h('a', { href: `#/instances/${encodeURIComponent(r.subject_instance_id)}` }, t('resolutions.subject'));
  }
  return '';
}

function row(r) {
  return [
    h('strong', {}, r.number),
    fmtDate(r.decided_on),
    h('span', { class: 'cell-wrap' }, r.title),
    t(`resolutions.outcome.${r.outcome}`),
    t(`resolutions.source.${r.source}`),
    link(r),
  ];
}

export async function render(main, params, ctx) {
  loadKitStyles();
  const headers = [t('resolutions.col.number'), t('resolutions.col.date'), t('resolutions.col.title'),
    t('resolutions.col.outcome'), t('resolutions.col.source'), t('resolutions.col.link')];
  const holder = h('div', {});
  const rows = [];
  let cursor = null;
  async function load() {
    const page = await ctx.api.get('/resolutions', { limit: 50, cursor });
    rows.push(...(page.items || []));
    cursor = page.next_cursor;
    mount(holder,
      rows.length ? table(t('resolutions.table'), headers, rows.map(row))
        : h('p', { class: 'body' }, t('resolutions.empty')),
      cursor ? moreButton(async () => {
        try { await load(); } catch (err) { holder.append(problemBox(err)); }
      }) : null);
  }
  await load();
  const recorded = params.query && params.query.recorded;
  const form = ctx.user && ctx.user.role === 'secretariat'
    ? await sessionForm(ctx, (r) => ctx.navigate(`#/resolutions?recorded=${encodeURIComponent(r.number)}`))
    : null;
  mount(main,
    recorded ? successBox(t('kit.saved'), t('resolutions.recorded', { number: recorded })) : null,
    pageHeading(t('resolutions.title')),
    h('p', { class: 'body' }, t('resolutions.intro')),
    holder,
    form);
  if (recorded) setTimeout(() => { const b = main.querySelector('.notification'); if (b) b.focus(); }, 0);
}
