// A horizontal bar chart drawn as inline SVG with document.createElementNS (no library, no
// inline style: colours come from classes in forms_kit.css). Labels and values are text
// nodes. The chart is a picture of a table that the page always shows next to it, so it is
// marked as an image with a short name and points to that table (aria-describedby).
const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined && text !== null) el.appendChild(document.createTextNode(String(text)));
  return el;
}

// Cuts a long label so it fits beside the bars; the full text is in the table.
function short(text, max) {
  const s = String(text);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

// rows: [{label, value, display?}]; opts: {name (accessible name), tableId, alt (class variant),
// format(value) -> text}
export function barChart(rows, opts = {}) {
  const width = 360;
  const labelWidth = 150;
  const valueWidth = 44;
  const barHeight = 18;
  const gap = 8;
  const top = 4;
  const height = top + rows.length * (barHeight + gap) + 4;
  const max = Math.max(1, ...rows.map((r) => Number(r.value) || 0));
  const span = width - labelWidth - valueWidth;
  const root = svg('svg', { class: 'chart__svg', viewBox: `0 0 ${width} ${height}`, role: 'img',
    focusable: 'false', preserveAspectRatio: 'xMinYMin meet' });
  if (opts.name) {
    const title = svg('title', {}, opts.name);
    root.appendChild(title);
    root.setAttribute('aria-label', opts.name);
  }
  if (opts.tableId) root.setAttribute('aria-describedby', opts.tableId);
  root.appendChild(svg('line', { class: 'chart-axis', x1: labelWidth, y1: 0, x2: labelWidth, y2: height }));
  rows.forEach((r, i) => {
    const y = top + i * (barHeight + gap);
    const v = Number(r.value) || 0;
    const w = Math.max(v > 0 ? 2 : 0, (v / max) * span);
    const g = svg('g', {});
    g.appendChild(svg('text', { class: 'chart-text', x: labelWidth - 6, y: y + barHeight - 5,
      'text-anchor': 'end' }, short(r.label, 22)));
    g.appendChild(svg('rect', { class: opts.alt ? 'chart-bar chart-bar--alt' : 'chart-bar',
      x: labelWidth + 1, y, width: w.toFixed(1), height: barHeight }));
    g.appendChild(svg('text', { class: 'chart-text chart-value', x: labelWidth + 1 + w + 4,
      y: y + barHeight - 5 }, r.display !== undefined ? r.display : (opts.format ? opts.format(v) : v)));
    root.appendChild(g);
  });
  return root;
}
