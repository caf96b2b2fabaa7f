// Article view: the original text right-to-left with every analysis layer highlighted, and hover details.
//
// The document's offsets are Unicode code points into the original text, so the text is split with
// Array.from (code points), never indexed as UTF-16.

import { h, tip, pair, fmt } from './util.js';

function participant(p) {
  if (!p) return '–';
  const code = [p.country, p.role].filter(Boolean).join(' ');
  return `${p.text}${code ? ' [' + code + ']' : ''}${p.actor_id ? ' ' + p.actor_id : ''}`;
}

function chain(attribution) {
  return (attribution || []).map((a) => a.kind + (a.name ? ': ' + a.name : a.text ? ': ' + a.text : '')).join(' › ');
}

/** Every highlighted layer as {start, end, cls, tip} (code-point offsets). */
export function annotations(doc) {
  const out = [];
  for (const b of doc.boilerplate || []) out.push({ start: b.start, end: b.end, cls: 'boiler', tip: `boilerplate: ${b.kind}` });
  for (const s of doc.sentences || []) {
    out.push({ start: s.start, end: s.end, cls: 's-' + s.kind,
      tip: `sentence ${s.index}: ${s.kind}${s.body ? '' : ' (not body)'}${s.duplicate_of !== null && s.duplicate_of !== undefined ? ', repeats ' + s.duplicate_of : ''}\nvoice: ${chain(s.attribution)}` });
    for (const a of s.attribution || []) {
      if (a.start !== null && a.start !== undefined && a.end > a.start) {
        out.push({ start: a.start, end: a.end, cls: 'attr', tip: `attribution: ${a.kind}${a.name ? ' = ' + a.name : ''}` });
      }
    }
  }
  for (const e of doc.entities || []) {
    const a = e.actor;
    out.push({ start: e.start, end: e.end, cls: 'ent ent-' + e.type,
      tip: `entity ${e.type}` + (a ? `\nactor ${a.id} · ${a.name}\ncountry ${a.country || '–'} · role ${a.role || '–'}` : '\n(not coded)') });
  }
  for (const l of doc.loaded || []) out.push({ start: l.start, end: l.end, cls: 'loaded', tip: `loaded term: ${l.category}` });
  (doc.events || []).forEach((ev, i) => {
    const counts = ev.counts ? Object.entries(ev.counts).filter(([, c]) => c).map(([k, c]) => `${k} ${c.approx ? '~' : ''}${c.value}`).join(', ') : '';
    out.push({ start: ev.trigger.start, end: ev.trigger.end, cls: 'trig',
      tip: `event #${i} ${ev.type}${ev.cameo ? ' · CAMEO ' + ev.cameo : ''}\nrule ${ev.rule}\nsource ${participant(ev.source)}\ntarget ${participant(ev.target)}` +
        `${ev.date ? '\ndate ' + ev.date.value + ' (' + ev.date.precision + ')' : ''}${ev.place ? '\nplace ' + ev.place.name + (ev.place.country ? ' ' + ev.place.country : '') : ''}` +
        `${counts ? '\ncounts ' + counts : ''}\n${ev.modality}${ev.negated ? ', negated' : ''}` });
    const m = ev.date && ev.date.mention;
    if (m) out.push({ start: m.start, end: m.end, cls: 'date', tip: `date of event #${i}: ${ev.date.value} (${ev.date.precision})` });
  });
  return out.filter((a) => a.end > a.start);
}

/** The text as spans, one per stretch covered by the same set of layers. */
export function annotatedText(text, doc) {
  const chars = Array.from(text);
  const anns = annotations(doc);
  const cuts = new Set([0, chars.length]);
  for (const a of anns) { cuts.add(Math.min(a.start, chars.length)); cuts.add(Math.min(a.end, chars.length)); }
  const points = [...cuts].sort((a, b) => a - b);
  const box = h('div', { class: 'article-text', dir: 'rtl', lang: 'ar', 'data-annotations': anns.length });
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = chars.slice(a, b).join('');
    const on = anns.filter((x) => x.start <= a && x.end >= b);
    if (!on.length) { box.append(piece); continue; }
    const span = h('span', { class: [...new Set(on.flatMap((x) => x.cls.split(' ')))].join(' '), 'data-start': a }, piece);
    tip(span, () => on.filter((x) => !x.cls.startsWith('s-')).concat(on.filter((x) => x.cls.startsWith('s-')))
      .map((x) => x.tip).join('\n—\n'));
    box.append(span);
  }
  return box;
}

const KEY = [['s-report', 'report'], ['s-quote', 'quote'], ['s-opinion', 'opinion'], ['boiler', 'boilerplate'],
  ['ent ent-PER', 'person'], ['ent ent-ORG', 'organisation'], ['ent ent-LOC', 'place'], ['trig', 'event trigger'],
  ['date', 'event date'], ['attr', 'attribution'], ['loaded', 'loaded term']];

/** The whole article view: heading, legend, annotated text, events and entities. */
export function articleView(meta, text, doc) {
  const events = doc.events || [];
  const entities = doc.entities || [];
  return h('div', { id: 'article', 'data-events': events.length, 'data-entities': entities.length },
    h('h2', { class: 'ar', dir: 'rtl' }, meta.title || doc.title || meta.ext_id || doc.id),
    h('p', { class: 'muted' }, [meta.outlet || doc.source, meta.published || doc.published, doc.id].filter(Boolean).join(' · '),
      meta.url ? [' · ', h('a', { href: meta.url, rel: 'noreferrer' }, 'original')] : null,
      meta.duplicate_of ? [' · near-duplicate of ', h('a', { href: `#/article/${meta.duplicate_of}` }, `article ${meta.duplicate_of}`)] : null,
      doc.framing ? ` · ${fmt(doc.framing.words)} words, opinion share ${(100 * doc.framing.opinion_share).toFixed(0)}%, ` +
        `${doc.framing.loaded_per_1000_words.toFixed(1)} loaded terms per 1,000 words` : null),
    h('div', { class: 'key' }, KEY.map(([cls, name]) => h('span', { class: cls }, name))),
    annotatedText(text, doc),
    h('h2', {}, `Events (${events.length})`),
    h('table', { id: 'article-events' },
      h('tr', {}, ['Type', 'Trigger', 'Source', 'Target', 'Date', 'Place', 'Rule', 'Attribution'].map((t) => h('th', {}, t))),
      events.map((ev) => h('tr', {},
        h('td', { class: 'code' }, ev.type + (ev.cameo ? ' ' + ev.cameo : '') + (ev.negated ? ' (negated)' : '') + (ev.modality !== 'asserted' ? ' ' + ev.modality : '')),
        h('td', { class: 'ar' }, ev.trigger.text),
        h('td', {}, side(ev.source)), h('td', {}, side(ev.target)),
        h('td', {}, ev.date ? ev.date.value : ''),
        h('td', {}, ev.place ? pair(ev.place.name, null, ev.place.country) : ''),
        h('td', { class: 'code' }, ev.rule),
        h('td', {}, chain(ev.attribution))))),
    h('h2', {}, `Entities (${entities.length})`),
    h('table', { id: 'article-entities' },
      h('tr', {}, ['Text', 'Name', 'Type', 'Actor', 'Country', 'Role'].map((t) => h('th', {}, t))),
      entities.map((e) => h('tr', {},
        h('td', { class: 'ar' }, e.text), h('td', {}, e.actor ? e.actor.name : ''),
        h('td', { class: 'code' }, e.type), h('td', { class: 'code' }, e.actor ? e.actor.id : ''),
        h('td', { class: 'code' }, e.actor && e.actor.country || ''), h('td', { class: 'code' }, e.actor && e.actor.role || '')))));
}

function side(p) {
  if (!p) return '';
  return pair(p.text, null, [p.country, p.role].filter(Boolean).join(' ') + (p.actor_id ? ' ' + p.actor_id : ''));
}
