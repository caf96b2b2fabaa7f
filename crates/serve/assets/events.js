// Events table with cursor paging, one event with its mentions, and full-text search over articles.

import { h, pair, fmt } from './util.js';
import { get } from './api.js';

function actor(name, country, role, id) {
  const code = [country, role].filter(Boolean).join(' ');
  if (!name && !code) return '';
  const ar = name && /[\u0600-\u06FF]/.test(name) ? name : null;
  return pair(ar, ar ? id : name, code);
}

/** Pages of events matching `filters`; `cursors` is the stack of cursors of the pages before. */
export async function eventsList(box, filters, cursors = []) {
  const cursor = cursors[cursors.length - 1];
  const data = await get('events', { ...filters, limit: 50, cursor });
  const table = h('table', { id: 'events-table', 'data-rows': data.events.length },
    h('tr', {}, ['#', 'Type', 'Date', 'Source', 'Target', 'Place', 'Killed', 'Sources', 'Trigger', 'Outlet'].map((t) => h('th', {}, t))),
    data.events.map((e) => h('tr', {},
      h('td', {}, h('a', { href: `#/event/${e.id}` }, e.id)),
      h('td', { class: 'code' }, e.type + (e.cameo ? ' ' + e.cameo : '')),
      h('td', {}, e.date || ''),
      h('td', {}, actor(e.source_name, e.source_country, e.source_role, e.source_actor_id)),
      h('td', {}, actor(e.target_name, e.target_country, e.target_role, e.target_actor_id)),
      h('td', {}, e.place ? pair(e.place, null, e.place_country) : ''),
      h('td', {}, fmt(e.killed)),
      h('td', {}, fmt(e.sources)),
      h('td', { class: 'ar' }, h('a', { href: `#/article/${e.article_id}` }, e.trigger)),
      h('td', {}, e.outlet || ''))));
  const pager = h('div', { class: 'pager' },
    cursors.length ? h('button', { onclick: () => eventsList(box, filters, cursors.slice(0, -1)) }, '← previous') : null,
    data.next_cursor ? h('button', { onclick: () => eventsList(box, filters, [...cursors, data.next_cursor]) }, 'next →') : null,
    h('span', { class: 'muted' }, `${data.events.length} events on this page`));
  box.replaceChildren(pager, table);
}

/** One merged event and the articles that report it. */
export async function eventDetail(box, id) {
  const d = await get(`events/${encodeURIComponent(id)}`);
  const e = d.event;
  box.replaceChildren(
    h('h2', {}, `Event ${e.id}: ${e.type}${e.cameo ? ' (CAMEO ' + e.cameo + ')' : ''}`),
    h('p', {}, actor(e.source_name, e.source_country, e.source_role, e.source_actor_id), ' → ',
      actor(e.target_name, e.target_country, e.target_role, e.target_actor_id)),
    h('p', { class: 'muted' }, [e.date, e.place, e.modality, e.negated ? 'negated' : null,
      `${e.sources} source articles (${e.independent_sources} independent)`, d.outlets.join(', ')].filter(Boolean).join(' · ')),
    h('table', { id: 'mentions' },
      h('tr', {}, ['Article', 'Outlet', 'Published', 'Sentence', 'Rule', 'Attribution'].map((t) => h('th', {}, t))),
      d.mentions.map((m) => h('tr', {},
        h('td', {}, h('a', { href: `#/article/${m.article_id}` }, m.title || m.article_ext_id)),
        h('td', {}, m.outlet || ''), h('td', {}, m.published || ''),
        h('td', { class: 'ar' }, m.sentence_text),
        h('td', { class: 'code' }, m.rule), h('td', {}, m.attribution)))));
}

/** Articles containing the words of `q`. */
export async function search(box, q) {
  const input = h('input', { name: 'q', value: q || '', size: 40, dir: 'auto', placeholder: 'words, in Arabic' });
  const form = h('form', { onsubmit: (ev) => { ev.preventDefault(); location.hash = '#/search?q=' + encodeURIComponent(input.value); } },
    input, h('button', { type: 'submit' }, 'Search'));
  if (!q) { box.replaceChildren(form); return; }
  const data = await get('search', { q, limit: 50 });
  box.replaceChildren(form, h('p', { class: 'muted' }, `${data.hits.length} articles`),
    h('div', { id: 'hits' }, data.hits.map((a) => h('div', { class: 'hit' },
      h('a', { href: `#/article/${a.id}`, class: 'ar', dir: 'rtl' }, a.title || a.ext_id),
      h('div', { class: 'muted' }, [a.outlet, a.published, a.ext_id].filter(Boolean).join(' · ')),
      h('div', { class: 'ar', dir: 'rtl' }, a.snippet + '…')))));
}
