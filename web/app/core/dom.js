// Building the page without HTML strings: every string becomes a TEXT NODE, so a title such as
// "<img src=x onerror=...>" shows as characters. Nothing here (or anywhere in the app) uses
// innerHTML; the CSP forbids inline style, so there is no `style` attribute either: use classes.

const BOOLEAN_ATTRS = new Set(['disabled', 'checked', 'selected', 'required', 'hidden', 'readonly',
  'multiple', 'open', 'novalidate', 'autofocus']);

function append(el, child) {
  if (child === null || child === undefined || child === false || child === true) return;
  if (Array.isArray(child)) { child.forEach((c) => append(el, c)); return; }
  if (child instanceof Node) { el.appendChild(child); return; }
  el.appendChild(document.createTextNode(String(child)));
}

// h('a', {href: '#/inbox', class: 'link'}, 'Inbox') -> <a href="#/inbox" class="link">Inbox</a>
// attrs: `class` (string or array), `on<event>` (function), boolean attributes (true/false),
// `dataset` (object), any other attribute as text; null/undefined/false values are left out.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'style') throw new Error('inline style is forbidden by the CSP; use a class');
    if (key === 'class' || key === 'className') {
      const names = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      if (names) el.className = names;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'value' && 'value' in el) {
      el.value = String(value);
    } else if (BOOLEAN_ATTRS.has(key)) {
      if (value) el.setAttribute(key, '');
    } else {
      el.setAttribute(key === 'htmlFor' ? 'for' : key, String(value));
    }
  }
  append(el, children);
  return el;
}

// Replaces everything inside `el` with the children (strings as text).
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A state or status shown as a tag; the text says it, the colour only repeats it.
export function tag(text, variant) {
  return h('strong', { class: ['tag', variant ? `tag--${variant}` : null] }, text);
}

// A description list of [term, value] pairs; pairs with an empty value are left out.
export function summaryList(rows, attrs) {
  const list = h('dl', Object.assign({ class: 'summary-list' }, attrs || {}));
  for (const [term, value] of rows) {
    if (value === null || value === undefined || value === '' ||
        (Array.isArray(value) && value.length === 0)) continue;
    list.appendChild(h('div', { class: 'summary-list__row' },
      h('dt', { class: 'summary-list__key' }, term),
      h('dd', { class: 'summary-list__value' }, value)));
  }
  return list;
}

// A table with a caption: headers are strings, rows are arrays of cells (strings or nodes).
// On a narrow screen each row stacks, every cell led by its column's header (data-label).
export function table(caption, headers, rows, attrs) {
  return h('div', { class: 'table-wrap' },
    h('table', Object.assign({ class: 'table table--stack' }, attrs || {}),
      caption ? h('caption', { class: 'table__caption' }, caption) : null,
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h('td', { dataset: { label: headers[i] } }, c)))))));
}

// A unique id for pairing labels, hints and errors with their controls.
let counter = 0;
export function uid(prefix) {
  counter += 1;
  return `${prefix || 'id'}-${counter}`;
}
