// Small helpers shared by the pages of the second front-end engineer (registration forms,
// initiatives, plans, reports, audit, users, account). Everything builds on core/dom.js and
// core/forms.js: strings become text nodes, styles are classes of style.css or of
// components/forms_kit.css (loaded once, same origin, so the strict CSP allows it).
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { showErrors, showProblem, problemText } from '../core/forms.js';

let cssLoaded = false;
export function loadKitStyles() {
  if (cssLoaded || document.querySelector('link[data-kit="forms_kit"]')) { cssLoaded = true; return; }
  cssLoaded = true;
  document.head.appendChild(h('link', { rel: 'stylesheet', href: '/app/components/forms_kit.css',
    dataset: { kit: 'forms_kit' } }));
}

export const REGIONS = ['Africa', 'Americas', 'Arab region', 'Asia-Pacific', 'Europe & Central Asia'];

// The page's heading with an optional caption above it (GOV.UK's "caption + h1").
export function pageHeading(title, caption) {
  return [caption ? h('span', { class: 'caption' }, caption) : null,
    h('h1', { class: 'heading-l page-title' }, title)];
}

// Splits "KE, UG\nTZ" into ['KE','UG','TZ'] (upper case, no empties, no duplicates).
export function splitCodes(text) {
  const out = [];
  for (const part of String(text || '').split(/[\s,;]+/)) {
    const c = part.trim().toUpperCase();
    if (c && !out.includes(c)) out.push(c);
  }
  return out;
}

export function splitLines(text) {
  return String(text || '').split(/\n/).map((s) => s.trim()).filter(Boolean);
}

// Shows an API refusal on a form. `messages` maps a field name the server named (e.g.
// 'acronym', 'actions[0].title') to {name?, text} or a text; fields without a message get the
// generic "Check <label>". A 409 duplicate may name the field through `duplicateField`.
// Problems without fields (403, 422 reasons...) go to core's showProblem.
export function showApiProblem(form, err, messages = () => null, { duplicateField } = {}) {
  let fields = err.fields || [];
  if (err.code === 'duplicate' && duplicateField && fields.length === 0) fields = [duplicateField];
  if (!fields.length) { showProblem(form, err); return; }
  const errors = [];
  for (const name of fields) {
    const m = messages(name, err);
    if (m && typeof m === 'object') errors.push({ name: m.name || name, text: m.text });
    else if (m) errors.push({ name, text: m });
    else {
      const control = form.querySelector(`[name="${cssEscape(name)}"]`);
      const labelText = control ? labelText_(form, control) : name;
      errors.push({ name, text: t('forms.check_field', { label: labelText }) });
    }
  }
  (err.reasons || []).forEach((r) => errors.push({ name: null, text: r }));
  showErrors(form, errors);
  const box = form.querySelector('.error-summary');
  if (box) {
    box.dataset.code = err.code || '';
    if (err.detail && !fields.every((f) => messages(f, err))) {
      box.insertBefore(h('p', { class: 'error-summary__detail' }, err.detail),
        box.querySelector('ul'));
    }
  }
}

function cssEscape(s) {
  return window.CSS && CSS.escape ? CSS.escape(s) : String(s).replace(/"/g, '\\"');
}

function labelText_(form, control) {
  const group = control.closest('.form-group');
  const legend = group && group.querySelector('legend');
  if (legend) return legend.textContent;
  const lab = control.id ? form.querySelector(`label[for="${cssEscape(control.id)}"]`) : null;
  return lab ? lab.textContent : control.name;
}

// A page-level message box (not tied to a form) for a failed load or action.
export function problemBox(err, title) {
  return h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' },
    h('h2', { class: 'error-summary__title' }, title || t('forms.problem')),
    h('p', {}, problemText(err)),
    err && err.detail && err.code === 'invalid_request' ? h('p', {}, err.detail) : null);
}

// A success banner; focus it so a screen reader reads it.
export function successBox(title, text) {
  return h('div', { class: 'notification notification--success', role: 'status', tabindex: '-1' },
    h('h2', { class: 'notification__title' }, title),
    text ? h('p', { class: 'body' }, text) : null);
}

// Local date and time inputs -> RFC 3339 UTC ('' when incomplete or invalid).
export function localToIso(date, time) {
  if (!date) return '';
  const d = new Date(`${date}T${time || '00:00'}`);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

export function isDate(s) { return /^\d{4}-\d{2}-\d{2}$/.test(s || ''); }

// A "More" button under a list; onMore fetches and shows the next page (next_cursor).
export function moreButton(onMore) {
  return h('div', { class: 'pagination' },
    h('button', { type: 'button', class: 'button button--secondary', onclick: onMore }, t('kit.more')));
}

// Whether an API error means "this server does not have this endpoint yet".
export function isMissingEndpoint(err) {
  return !!err && (err.status === 404 || err.status === 405) &&
    (err.code === 'method_not_allowed' || err.code === 'not_found' || err.code.startsWith('http_'));
}
