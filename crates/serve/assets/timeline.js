// Timeline view: stacked bars of event counts per time bucket, one colour per PLOVER type.

import { h, s, typeColour, tip, fmt } from './util.js';
import { get } from './api.js';

const W = 900, H = 260, PAD = { l: 44, r: 10, t: 10, b: 34 };

/** Draw the timeline for `filters` into `box`; `onType(type)` is called when a legend entry is clicked. */
export async function timeline(box, filters, by, onType) {
  const data = await get('timeline', { ...filters, by });
  const points = data.points;
  const buckets = [...new Set(points.map((p) => p.bucket))].sort();
  const types = [...new Set(points.map((p) => p.type))].sort();
  const totals = new Map(types.map((t) => [t, 0]));
  const stack = new Map(buckets.map((b) => [b, []]));
  for (const p of points) {
    stack.get(p.bucket).push(p);
    totals.set(p.type, totals.get(p.type) + p.events);
  }
  const max = Math.max(1, ...buckets.map((b) => stack.get(b).reduce((a, p) => a + p.events, 0)));
  const iw = W - PAD.l - PAD.r, ih = H - PAD.t - PAD.b;
  const bw = iw / Math.max(1, buckets.length);
  const svg = s('svg', { id: 'timeline-chart', class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': 'events per ' + by, 'data-buckets': buckets.length, 'data-events': [...totals.values()].reduce((a, b) => a + b, 0) });
  const y = (v) => PAD.t + ih - (v / max) * ih;
  for (const v of ticks(max)) {
    svg.append(s('line', { x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v), stroke: '#eceff1' }),
      s('text', { x: PAD.l - 4, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v)));
  }
  const every = Math.ceil(buckets.length / 10);
  buckets.forEach((b, i) => {
    let acc = 0;
    const x = PAD.l + i * bw;
    for (const p of stack.get(b).sort((a, c) => a.type.localeCompare(c.type))) {
      const r = s('rect', { class: 'bar', x: x + bw * 0.1, width: Math.max(0.5, bw * 0.8), y: y(acc + p.events),
        height: Math.max(0.5, y(acc) - y(acc + p.events)), fill: typeColour(p.type), 'data-type': p.type });
      tip(r, () => `${b}\n${p.type}: ${fmt(p.events)} events, ${fmt(p.sources)} source articles`);
      svg.append(r);
      acc += p.events;
    }
    if (i % every === 0) svg.append(s('text', { x: x + bw / 2, y: H - PAD.b + 14, 'text-anchor': 'middle' }, b));
  });
  svg.append(s('line', { x1: PAD.l, x2: W - PAD.r, y1: y(0), y2: y(0), stroke: '#9aa5ad' }));
  const legend = h('div', { class: 'legend' }, [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([t, n]) =>
    h('span', { style: 'cursor:pointer', title: 'show only ' + t, onclick: () => onType && onType(t) },
      h('i', { style: `background:${typeColour(t)}` }), `${t} ${fmt(n)}`)));
  box.replaceChildren(
    buckets.length ? svg : h('p', { class: 'muted' }, 'No dated events match these filters.'), legend);
}

function ticks(max) {
  const step = Math.pow(10, Math.floor(Math.log10(max)));
  const unit = max / step > 5 ? step * 2 : max / step > 2 ? step : step / 2;
  const out = [];
  for (let v = unit; v <= max; v += unit) out.push(Math.round(v));
  return out;
}
