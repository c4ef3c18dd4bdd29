// #/new/ballot — the secretariat opens a Council ballot not tied to an RSO (POST /ballots).
// The deadline is typed as a local date and time and sent as RFC 3339 UTC; on 201 the user
// lands on the ballot's page.
import { h, mount } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { textInput, textArea, selectField, button, buttonGroup, showErrors, field } from '../core/forms.js';
import { loadKitStyles, pageHeading, showApiProblem, localToIso } from '../components/forms_kit.js';

const THRESHOLDS = ['simple_majority', 'two_thirds', 'unanimous'];

function isoDay(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function deadlineFields() {
  const inFortnight = new Date(Date.now() + 14 * 24 * 3600 * 1000);
  const date = h('input', { class: 'input input--date', type: 'date', name: 'deadline_date',
    value: isoDay(inFortnight) });
  const time = h('input', { class: 'input input--date', type: 'time', name: 'deadline_time',
    value: '17:00' });
  return h('div', { class: 'form-group', dataset: { field: 'deadline' } },
    h('fieldset', { class: 'fieldset', 'aria-describedby': 'deadline-hint' },
      h('legend', { class: 'fieldset__legend' }, t('registry.ballot.deadline')),
      h('div', { class: 'hint', id: 'deadline-hint' }, t('registry.ballot.deadline_hint')),
      h('div', { class: 'date-time' },
        field({ label: t('registry.ballot.deadline_date'), input: date }),
        field({ label: t('registry.ballot.deadline_time'), input: time }))));
}

function localErrors(v) {
  const errors = [];
  if (!v.title.trim() || v.title.length > 200) errors.push({ name: 'title', text: t('registry.ballot.err.title') });
  if (!v.question.trim() || v.question.length > 4000) errors.push({ name: 'question', text: t('registry.ballot.err.question') });
  if (!v.deadline) errors.push({ name: 'deadline_date', text: t('registry.ballot.err.deadline') });
  else if (new Date(v.deadline).getTime() <= Date.now()) {
    errors.push({ name: 'deadline_date', text: t('registry.ballot.err.deadline_past') });
  }
  const q = Number(String(v.quorum).replace(',', '.'));
  if (String(v.quorum).trim() === '' || !Number.isFinite(q) || q < 0.5 || q > 1) {
    errors.push({ name: 'quorum', text: t('registry.ballot.err.quorum') });
  }
  return errors;
}

export async function render(main, params, ctx) {
  loadKitStyles();
  if (!ctx.user || ctx.user.role !== 'secretariat') {
    mount(main, pageHeading(t('registry.ballot.title'), t('registry.ballot.caption')),
      h('p', { class: 'body' }, t('kit.not_allowed')));
    return;
  }
  const form = h('form', { class: 'form', novalidate: true });
  const submit = button(t('registry.ballot.submit'));
  form.append(
    textInput({ name: 'title', label: t('registry.ballot.name'), hint: t('registry.ballot.name_hint'), required: true }),
    textArea({ name: 'question', label: t('registry.ballot.question'), hint: t('registry.ballot.question_hint'), rows: 5 }),
    deadlineFields(),
    selectField({ name: 'threshold', label: t('registry.ballot.threshold'), hint: t('registry.ballot.threshold_hint'),
      value: 'simple_majority',
      options: THRESHOLDS.map((x) => ({ value: x, text: t(`registry.ballot.threshold.${x}`) })) }),
    textInput({ name: 'quorum', label: t('registry.ballot.quorum'), hint: t('registry.ballot.quorum_hint'),
      value: '0.5', inputmode: 'decimal', width: 'short' }),
    buttonGroup(submit, h('a', { class: 'link', href: '#/inbox' }, t('kit.cancel'))));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const el = form.elements;
    const v = {
      title: el.title.value, question: el.question.value, threshold: el.threshold.value,
      quorum: el.quorum.value, deadline: localToIso(el.deadline_date.value, el.deadline_time.value),
    };
    const errors = localErrors(v);
    if (errors.length) { showErrors(form, errors); return; }
    const body = { title: v.title.trim(), question: v.question.trim(), deadline: v.deadline,
      threshold: v.threshold, quorum: Number(String(v.quorum).replace(',', '.')) };
    submit.disabled = true;
    try {
      const ballot = await ctx.api.post('/ballots', body);
      ctx.navigate(`#/ballots/${encodeURIComponent(ballot.id)}`);
    } catch (err) {
      submit.disabled = false;
      if (err.status === 401) return;
      if (err.code === 'guard_failed' && (err.reasons || []).some((r) => /deadline/.test(r))) {
        showErrors(form, [{ name: 'deadline_date', text: t('registry.ballot.err.deadline_past') }]);
        return;
      }
      showApiProblem(form, err, (name) => {
        const key = name === 'deadline' ? 'deadline_date' : name;
        const known = ['title', 'question', 'threshold', 'quorum'];
        if (name === 'deadline') return { name: key, text: t('registry.ballot.err.deadline') };
        return known.includes(name) ? t(`registry.ballot.err.${name}`) : null;
      });
    }
  });

  mount(main,
    pageHeading(t('registry.ballot.title'), t('registry.ballot.caption')),
    h('p', { class: 'body' }, t('registry.ballot.intro')),
    form);
}
