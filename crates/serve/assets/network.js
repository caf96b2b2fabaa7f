// Network view: who acts on whom, edges weighted by the number of events, laid out by a small force simulation.

import { h, s, tip, fmt, pair } from './util.js';
import { get } from './api.js';

const W = 900, H = 600;

/** Draw the heaviest `limit` source→target pairs of the events matching `filters`. */
export async function network(box, filters, limit = 60) {
  const data = await get('network', { ...filters, limit });
  const edges = data.edges;
  const nodes = new Map();
  for (const e of edges) {
    for (const [id, name] of [[e.source, e.source_name], [e.target, e.target_name]]) {
      const n = nodes.get(id) || { id, name, weight: 0 };
      n.weight += e.events;
      if (!n.name && name) n.name = name;
      nodes.set(id, n);
    }
  }
  const list = [...nodes.values()];
  layout(list, edges, nodes);
  const max = Math.max(1, ...edges.map((e) => e.events));
  const svg = s('svg', { id: 'network-chart', class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': 'actor network', 'data-edges': edges.length });
  svg.append(s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 16, refY: 5, markerWidth: 6,
    markerHeight: 6, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0L10,5L0,10z', fill: '#7a8a94' }))));
  for (const e of edges) {
    const a = nodes.get(e.source), b = nodes.get(e.target);
    const line = a === b
      ? s('path', { class: 'edge', d: `M${a.x},${a.y} c-30,-40 30,-40 0,0`, 'stroke-width': 1 + 6 * e.events / max })
      : s('line', { class: 'edge', x1: a.x, y1: a.y, x2: b.x, y2: b.y, 'stroke-width': 1 + 6 * e.events / max,
        'marker-end': 'url(#arrow)' });
    tip(line, () => `${label(a)} → ${label(b)}\n${fmt(e.events)} events`);
    svg.append(line);
  }
  const maxW = Math.max(1, ...list.map((n) => n.weight));
  for (const n of list) {
    const g = s('g', { class: 'node', transform: `translate(${n.x},${n.y})` },
      s('circle', { r: 4 + 8 * Math.sqrt(n.weight / maxW) }),
      s('text', { x: 0, y: -12, 'text-anchor': 'middle' }, n.name ? `${n.name} · ${n.id}` : n.id));
    tip(g, () => `${label(n)}\n${fmt(n.weight)} events as source or target`);
    svg.append(g);
  }
  box.replaceChildren(
    edges.length ? svg : h('p', { class: 'muted' }, 'No event with both a source and a target matches these filters.'),
    h('h2', {}, 'Heaviest pairs'),
    h('table', {}, h('tr', {}, h('th', {}, 'Source'), h('th', {}, 'Target'), h('th', {}, 'Events')),
      edges.slice(0, 15).map((e) => h('tr', {},
        h('td', {}, pair(nameAr(e.source_name), nameLat(e.source_name), e.source)),
        h('td', {}, pair(nameAr(e.target_name), nameLat(e.target_name), e.target)),
        h('td', {}, fmt(e.events))))));
}

const label = (n) => (n.name ? `${n.name} (${n.id})` : n.id);
const nameAr = (n) => (n && /[\u0600-\u06FF]/.test(n) ? n : null);
const nameLat = (n) => (n && !/[\u0600-\u06FF]/.test(n) ? n : null);

/** Fruchterman–Reingold, fixed iterations from a circle (deterministic, so the picture is stable). */
function layout(list, edges, nodes) {
  const n = list.length;
  list.forEach((v, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, n);
    v.x = W / 2 + (W / 3) * Math.cos(a);
    v.y = H / 2 + (H / 3) * Math.sin(a);
  });
  const k = Math.sqrt((W * H) / Math.max(1, n)) * 0.6;
  let temp = W / 8;
  for (let it = 0; it < 200; it++) {
    for (const v of list) { v.dx = 0; v.dy = 0; }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const a = list[i], b = list[j];
        let dx = a.x - b.x, dy = a.y - b.y;
        const d = Math.max(0.01, Math.hypot(dx, dy));
        const f = (k * k) / d;
        dx /= d; dy /= d;
        a.dx += dx * f; a.dy += dy * f; b.dx -= dx * f; b.dy -= dy * f;
      }
    }
    for (const e of edges) {
      const a = nodes.get(e.source), b = nodes.get(e.target);
      if (a === b) continue;
      let dx = a.x - b.x, dy = a.y - b.y;
      const d = Math.max(0.01, Math.hypot(dx, dy));
      const f = (d * d) / k;
      dx /= d; dy /= d;
      a.dx -= dx * f; a.dy -= dy * f; b.dx += dx * f; b.dy += dy * f;
    }
    for (const v of list) {
      const d = Math.max(0.01, Math.hypot(v.dx, v.dy));
      v.x = Math.min(W - 60, Math.max(60, v.x + (v.dx / d) * Math.min(d, temp)));
      v.y = Math.min(H - 20, Math.max(30, v.y + (v.dy / d) * Math.min(d, temp)));
    }
    temp *= 0.97;
  }
}
