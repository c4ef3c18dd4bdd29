// GOV.UK-style form helpers: a visible label on every control, hints under labels, an error
// summary at the top of the form linking to each field in error, the error repeated beside its
// field, and the refusal reasons of a 422 listed in the summary beside the form.
import { h, uid } from './dom.js';
import { t, labelOr } from './i18n.js';

function describe(input, ...ids) {
  const now = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  ids.filter(Boolean).forEach((id) => { if (!now.includes(id)) now.push(id); });
  if (now.length) input.setAttribute('aria-describedby', now.join(' '));
}

// A labelled form group around `input` (an element with a name).
export function field({ label, hint, input, width }) {
  if (!input.id) input.id = uid(`f-${input.name || 'field'}`);
  const hintId = hint ? `${input.id}-hint` : null;
  if (hintId) describe(input, hintId);
  if (width) input.classList.add(`input--${width}`);
  return h('div', { class: 'form-group', dataset: { field: input.name || '' } },
    h('label', { class: 'label', for: input.id }, label),
    hint ? h('div', { class: 'hint', id: hintId }, hint) : null,
    input);
}

export function textInput({ name, label, hint, value, type = 'text', autocomplete, required,
  width, inputmode, min, max, step, readonly }) {
  const input = h('input', { class: 'input', type, name, value: value ?? '', autocomplete,
    inputmode, min, max, step, readonly, spellcheck: type === 'text' ? null : 'false',
    'aria-required': required ? 'true' : null });
  return field({ label, hint, input, width });
}

export function textArea({ name, label, hint, value, rows = 4, required, readonly }) {
  const input = h('textarea', { class: 'textarea', name, rows, readonly,
    'aria-required': required ? 'true' : null });
  input.value = value ?? '';
  return field({ label, hint, input });
}

// options: [{value, text}]; `value` is the one selected.
export function selectField({ name, label, hint, options, value, disabled }) {
  const input = h('select', { class: 'select', name, disabled },
    options.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value ?? '') },
      o.text)));
  return field({ label, hint, input });
}

// A fieldset of radio buttons with a legend; options: [{value, text, hint}].
export function radios({ name, legend, hint, options, value, legendClass }) {
  const hintId = hint ? uid(`${name}-hint`) : null;
  return h('div', { class: 'form-group', dataset: { field: name } },
    h('fieldset', { class: 'fieldset', 'aria-describedby': hintId },
      h('legend', { class: ['fieldset__legend', legendClass] }, legend),
      hint ? h('div', { class: 'hint', id: hintId }, hint) : null,
      h('div', { class: 'radios' }, options.map((o) => {
        const id = uid(`${name}-${o.value}`);
        const itemHint = o.hint ? `${id}-hint` : null;
        return h('div', { class: 'radios__item' },
          h('input', { class: 'radios__input', type: 'radio', id, name, value: o.value,
            checked: String(o.value) === String(value ?? ''), 'aria-describedby': itemHint }),
          h('label', { class: 'label radios__label', for: id }, o.text),
          o.hint ? h('div', { class: 'hint radios__hint', id: itemHint }, o.hint) : null);
      }))));
}

export function checkbox({ name, label, checked, hint }) {
  const id = uid(`f-${name}`);
  return h('div', { class: 'form-group checkboxes__item', dataset: { field: name } },
    h('input', { class: 'checkboxes__input', type: 'checkbox', id, name, checked }),
    h('label', { class: 'label checkboxes__label', for: id }, label),
    hint ? h('div', { class: 'hint' }, hint) : null);
}

// variant: undefined (primary), 'secondary' or 'warning'.
export function button(text, { variant, type = 'submit', onclick, name, value, disabled } = {}) {
  return h('button', { class: ['button', variant ? `button--${variant}` : null], type, onclick,
    name, value, disabled }, text);
}

export function buttonGroup(...buttons) {
  return h('div', { class: 'button-group' }, buttons);
}

// Plain words for a problem the API answered (by its code), else a generic sentence.
export function problemText(err) {
  if (!err) return t('error.generic');
  if (err.code === 'rate_limited' && err.retryAfter) {
    return t('problem.rate_limited_for', { minutes: Math.max(1, Math.ceil(err.retryAfter / 60)) });
  }
  const key = `problem.${err.code}`;
  const text = t(key);
  return text === key ? t('error.generic') : text;
}

// Text of the i-th refusal reason: the label of its code if known, else the server's words.
export function reasonText(err, i) {
  const code = err.reason_codes && err.reason_codes[i];
  return code ? labelOr('reasons', code, err.reasons[i]) : err.reasons[i];
}

export function clearErrors(form) {
  form.querySelectorAll('.error-summary').forEach((n) => n.remove());
  form.querySelectorAll('.error-message').forEach((n) => n.remove());
  form.querySelectorAll('.form-group--error').forEach((n) => n.classList.remove('form-group--error'));
  form.querySelectorAll('[aria-invalid]').forEach((n) => {
    n.removeAttribute('aria-invalid');
    const ids = (n.getAttribute('aria-describedby') || '').split(' ')
      .filter((x) => x && !x.endsWith('-error'));
    if (ids.length) n.setAttribute('aria-describedby', ids.join(' '));
    else n.removeAttribute('aria-describedby');
  });
}

function controlFor(form, name) {
  const esc = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/"/g, '\\"'));
  const tries = [name, name.replace(/^(data|body)\./, ''), name.split('.').pop(),
    name.replace(/\[\d+\].*$/, '').replace(/^(data|body)\./, '')];
  for (const n of tries) {
    const el = form.querySelector(`[name="${esc(n)}"]`);
    if (el) return el;
  }
  return null;
}

function labelOf(control) {
  const group = control.closest('.form-group');
  const legend = group && group.querySelector('legend');
  if (legend) return legend.textContent;
  const lab = control.id ? control.form?.querySelector(`label[for="${control.id}"]`) ||
    document.querySelector(`label[for="${control.id}"]`) : null;
  return lab ? lab.textContent : control.name;
}

function markField(control, message) {
  const group = control.closest('.form-group');
  const errId = `${control.id || uid('ctl')}-error`;
  if (!control.id) control.id = errId.replace(/-error$/, '');
  const msg = h('p', { class: 'error-message', id: errId },
    h('span', { class: 'visually-hidden' }, `${t('forms.error_prefix')} `), message);
  if (group) {
    group.classList.add('form-group--error');
    const legend = group.querySelector('legend');
    const lab = group.querySelector(`label[for="${control.id}"]`);
    const hint = group.querySelector('.hint');
    const after = hint || legend || lab;
    if (after && after.parentNode) after.parentNode.insertBefore(msg, after.nextSibling);
    else group.insertBefore(msg, group.firstChild);
  }
  control.setAttribute('aria-invalid', 'true');
  describe(control, errId);
}

// The summary box: items are {text, control?}; a linked item moves focus to its control.
export function errorSummary(items, { title, detail } = {}) {
  const titleId = uid('error-summary-title');
  const box = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1',
    'aria-labelledby': titleId },
  h('h2', { class: 'error-summary__title', id: titleId }, title || t('forms.problem')),
  detail ? h('p', { class: 'error-summary__detail' }, detail) : null,
  items.length ? h('ul', { class: 'error-summary__list' }, items.map((it) => h('li', {},
    it.control ? h('a', { href: `#${it.control.id}`, onclick: (e) => {
      e.preventDefault();
      it.control.focus();
      it.control.scrollIntoView({ block: 'center' });
    } }, it.text) : it.text))) : null);
  return box;
}

function place(form, box) {
  form.insertBefore(box, form.firstChild);
  box.focus();
}

// Client-side errors: [{name, text}] -> marked fields and a summary at the top of the form.
export function showErrors(form, errors) {
  clearErrors(form);
  const items = [];
  for (const e of errors) {
    const control = e.name ? controlFor(form, e.name) : null;
    if (control) markField(control, e.text);
    items.push({ text: e.text, control });
  }
  place(form, errorSummary(items));
}

// An ApiError shown on a form: `fields` marked beside their inputs, every `reasons` entry
// listed in the summary, otherwise the problem in plain words.
export function showProblem(form, err) {
  clearErrors(form);
  const items = [];
  for (const name of err.fields || []) {
    const control = controlFor(form, name);
    if (control) {
      const text = t('forms.check_field', { label: labelOf(control) });
      markField(control, text);
      items.push({ text, control });
    } else {
      items.push({ text: t('forms.check_named', { name }) });
    }
  }
  (err.reasons || []).forEach((r, i) => items.push({ text: reasonText(err, i) }));
  let title;
  let detail = null;
  if (err.reasons && err.reasons.length) title = t('forms.refused');
  else if (items.length) {
    title = t('forms.problem');
    detail = err.detail || null;
  } else {
    title = t('forms.problem');
    items.push({ text: problemText(err) });
  }
  const box = errorSummary(items, { title, detail });
  box.dataset.code = err.code || '';
  place(form, box);
}

// Values of a form's named controls (checkboxes as booleans, empty strings kept).
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'radio') { if (el.checked) out[el.name] = el.value; }
    else out[el.name] = el.value;
  }
  return out;
}
