// The dashboard: hash routes (#/overview, #/network, #/events, #/event/ID, #/article/ID, #/search, #/analyse),
// a shared filter bar whose values travel in the hash query, and the database summary in the header.

import { h, fmt } from './util.js';
import { get, extract } from './api.js';
import { timeline } from './timeline.js';
import { map } from './map.js';
import { network } from './network.js';
import { articleView } from './article.js';
import { eventsList, eventDetail, search } from './events.js';

const FILTERS = ['type', 'country', 'role', 'actor', 'place', 'from', 'to', 'text'];
const view = document.getElementById('view');
const form = document.getElementById('filters');
const errorBox = document.getElementById('error');

function route() {
  const [path, query] = (location.hash.replace(/^#/, '') || '/overview').split('?');
  const params = new URLSearchParams(query || '');
  return { parts: path.split('/').filter(Boolean), params };
}

function filters(params) {
  const f = {};
  for (const k of FILTERS) if (params.get(k)) f[k] = params.get(k);
  return f;
}

function go(parts, f, extra = {}) {
  const q = new URLSearchParams({ ...f, ...extra });
  location.hash = '#/' + parts.join('/') + (q.toString() ? '?' + q : '');
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const { parts, params } = route();
  const f = {};
  for (const k of FILTERS) { const v = form.elements[k].value.trim(); if (v) f[k] = v; }
  const by = params.get('by');
  go(parts.length && ['overview', 'network', 'events'].includes(parts[0]) ? parts : ['overview'], f, by ? { by } : {});
});
form.addEventListener('reset', () => setTimeout(() => go(route().parts, {}), 0));

function showError(e) {
  errorBox.hidden = false;
  errorBox.textContent = e.message || String(e);
}

async function render() {
  const { parts, params } = route();
  const f = filters(params);
  for (const k of FILTERS) form.elements[k].value = f[k] || '';
  const name = parts[0] || 'overview';
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.view === name);
  errorBox.hidden = true;
  view.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    if (name === 'overview') {
      const by = params.get('by') || 'week';
      const tl = h('div', { id: 'timeline' }), mp = h('div', { id: 'map' });
      const bySel = h('select', { onchange: (e) => go(['overview'], f, { by: e.target.value }) },
        ['day', 'week', 'month'].map((b) => h('option', { value: b, selected: b === by }, b)));
      view.replaceChildren(h('div', { class: 'grid' },
        h('section', {}, h('h2', {}, 'Events by type per ', bySel), tl),
        h('section', {}, h('h2', {}, 'Where'), mp)));
      await Promise.all([
        timeline(tl, f, by, (t) => go(['overview'], { ...f, type: t }, { by })),
        map(mp, f),
      ]);
    } else if (name === 'network') {
      const box = h('div', { id: 'network' });
      view.replaceChildren(h('h2', {}, 'Who acts on whom'), box);
      await network(box, f);
    } else if (name === 'events') {
      const box = h('div', { id: 'events' });
      view.replaceChildren(box);
      await eventsList(box, f);
    } else if (name === 'event') {
      await eventDetail(view, parts[1]);
    } else if (name === 'article') {
      const a = await get(`articles/${encodeURIComponent(parts[1] || '')}`);
      view.replaceChildren(articleView(a, a.text, a.document));
    } else if (name === 'search') {
      await search(view, params.get('q'));
    } else if (name === 'analyse') {
      analyse();
    } else {
      view.replaceChildren(h('p', {}, 'No such view.'));
    }
  } catch (e) {
    view.replaceChildren();
    showError(e);
  }
}

function analyse() {
  const text = h('textarea', { placeholder: 'الصق نص الخبر هنا', lang: 'ar' });
  const published = h('input', { placeholder: 'published YYYY-MM-DD', size: 14 });
  const out = h('div', {});
  const run = async () => {
    errorBox.hidden = true;
    try {
      const res = await extract(text.value, { published: published.value.trim() });
      out.replaceChildren(...res.documents.map((d, i) => articleView({}, res.texts[i], d)));
    } catch (e) { showError(e); }
  };
  view.replaceChildren(h('h2', {}, 'Analyse a text (nothing is stored)'), text, h('p', {}, published, ' ',
    h('button', { onclick: run }, 'Analyse')), out);
}

async function info() {
  try {
    const i = await get('info');
    document.getElementById('info').textContent =
      `${fmt(i.articles)} articles · ${fmt(i.events)} events (${fmt(i.corroborated_events)} corroborated) · ` +
      `${i.first_day || '?'} – ${i.last_day || '?'} · ${i.backend}`;
  } catch (e) { document.getElementById('info').textContent = 'no database'; }
}

window.addEventListener('hashchange', render);
info();
render();
