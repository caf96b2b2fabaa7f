// Map view: country outlines (world-atlas 110m, converted into world-110m.json) and geocoded events as dots.

import { h, s, tip, fmt, pair } from './util.js';
import { get } from './api.js';

let world = null;

async function outlines() {
  if (!world) {
    const res = await fetch('/assets/world-110m.json');
    world = await res.json();
  }
  return world;
}

/** Draw the places of the events matching `filters`. */
export async function map(box, filters) {
  const [geo, data] = await Promise.all([outlines(), get('places', { ...filters, limit: 2000 })]);
  const places = data.places.filter((p) => p.lat !== null && p.lon !== null);
  const byCountry = new Map();
  for (const p of data.places) if (p.country) byCountry.set(p.country, (byCountry.get(p.country) || 0) + p.events);
  // Frame the events (at least 30° wide), else the Middle East and North Africa.
  let [x0, x1, y0, y1] = [-18, 64, -44, -8];
  if (places.length) {
    x0 = Math.min(...places.map((p) => p.lon)); x1 = Math.max(...places.map((p) => p.lon));
    y0 = Math.min(...places.map((p) => -p.lat)); y1 = Math.max(...places.map((p) => -p.lat));
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    const w = Math.max(30, (x1 - x0) * 1.2), hgt = Math.max(18, (y1 - y0) * 1.2, w / 2);
    [x0, x1, y0, y1] = [cx - Math.max(w, hgt * 2) / 2, cx + Math.max(w, hgt * 2) / 2, cy - hgt / 2, cy + hgt / 2];
  }
  const svg = s('svg', { id: 'map-chart', class: 'chart', viewBox: `${x0} ${y0} ${x1 - x0} ${y1 - y0}`,
    preserveAspectRatio: 'xMidYMid meet', role: 'img', 'aria-label': 'map of event places', 'data-places': places.length });
  svg.append(s('rect', { x: -180, y: -90, width: 360, height: 180, fill: '#f4f8fb' }));
  for (const c of geo.countries) {
    const n = c.iso3 ? byCountry.get(c.iso3) || 0 : 0;
    const path = s('path', { class: 'country' + (n ? ' has' : ''), d: c.d, 'data-iso3': c.iso3 || '' });
    tip(path, () => `${c.name}${c.iso3 ? ' (' + c.iso3 + ')' : ''}${n ? '\n' + fmt(n) + ' events' : ''}`);
    svg.append(path);
  }
  const scale = (x1 - x0) / 900;
  const max = Math.max(1, ...places.map((p) => p.events));
  for (const p of places.sort((a, b) => b.events - a.events)) {
    const r = scale * (3 + 12 * Math.sqrt(p.events / max));
    const dot = s('circle', { class: 'event-dot', cx: p.lon, cy: -p.lat, r, 'data-events': p.events });
    tip(dot, () => `${p.name}${p.country ? ' · ' + p.country : ''}\n${fmt(p.events)} events: ` +
      Object.entries(p.types).map(([t, n]) => `${t} ${n}`).join(', '));
    svg.append(dot);
  }
  const unplaced = data.places.filter((p) => p.lat === null || p.lon === null).reduce((a, p) => a + p.events, 0);
  box.replaceChildren(svg, h('p', { class: 'muted' },
    `${fmt(places.length)} places with coordinates; ${fmt(unplaced)} events have a place without coordinates.` +
    (data.truncated ? ` Only the first ${fmt(data.scanned)} matching events were placed.` : '')),
    h('table', {}, h('tr', {}, h('th', {}, 'Place'), h('th', {}, 'Country'), h('th', {}, 'Events')),
      data.places.slice(0, 12).map((p) => h('tr', {}, h('td', {}, pair(p.name, null)), h('td', { class: 'code' }, p.country || ''),
        h('td', {}, fmt(p.events))))));
}
