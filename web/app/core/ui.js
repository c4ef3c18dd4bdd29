// Small pieces several pages share (state tags, links to items, RSO names).
import { h, tag } from './dom.js';

const GREEN = new Set(['recognized', 'approved', 'completed', 'active', 'in_progress']);
const RED = new Set(['rejected', 'declined', 'lapsed']);
const YELLOW = new Set(['returned', 'at_risk', 'no_quorum', 'on_hold', 'suspended', 'withdrawal_review']);
const GREY = new Set(['withdrawn', 'cancelled']);

// The state as a tag: its label says it, the colour only repeats it.
export function stateTag(label, state) {
  let variant = null;
  if (GREEN.has(state)) variant = 'green';
  else if (RED.has(state)) variant = 'red';
  else if (YELLOW.has(state)) variant = 'yellow';
  else if (GREY.has(state)) variant = 'grey';
  const el = tag(label('states', state), variant);
  el.dataset.state = state;
  return el;
}

// Where an item opens: ballots on the ballot page, the rest on the instance page.
export function itemHref(workflow, id) {
  return workflow === 'council_ballot' ? `#/ballots/${encodeURIComponent(id)}`
    : `#/instances/${encodeURIComponent(id)}`;
}

// id -> acronym of the RSOs the caller may see ({} when the list cannot be read, e.g. admin).
export async function rsoNames(api) {
  const out = {};
  try {
    let cursor = null;
    for (let i = 0; i < 10; i += 1) {
      const page = await api.get('/rsos', { limit: 200, cursor });
      for (const r of page.items || []) out[r.id] = r.acronym;
      cursor = page.next_cursor;
      if (!cursor) break;
    }
  } catch (e) { /* names are a convenience */ }
  return out;
}

export function rsoLink(id, names) {
  return h('a', { href: `#/rsos/${encodeURIComponent(id)}` }, (names && names[id]) || `#${id}`);
}

export const REGIONS = ['Africa', 'Americas', 'Arab region', 'Asia-Pacific', 'Europe & Central Asia'];
export const KINDS = ['regional', 'sub_regional'];
export const RECOGNITION_STATES = ['draft', 'submitted', 'secretariat_review', 'returned', 'council_review',
  'recognized', 'rejected', 'suspended', 'withdrawal_review', 'withdrawn'];

// A link only for a web address (http or https); anything else is shown as text.
export function safeUrl(url) {
  if (typeof url !== 'string') return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch (e) {
    return null;
  }
}

export function externalLink(url) {
  const safe = safeUrl(url);
  return safe ? h('a', { href: safe, rel: 'noopener noreferrer', target: '_blank' }, url) : url;
}
