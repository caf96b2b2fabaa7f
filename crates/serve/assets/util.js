// Small DOM helpers shared by the dashboard views (no framework).

const SVG_NS = 'http://www.w3.org/2000/svg';

function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** An HTML element: h('a', {href: '#'}, 'text', child…). */
export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Colours of the PLOVER types (stable, so a type keeps its colour across charts). */
const PALETTE = ['#0b6e7f', '#d97706', '#7c3aed', '#dc2626', '#059669', '#2563eb', '#a16207', '#db2777',
  '#4b5563', '#0891b2', '#65a30d', '#facc15', '#ea580c', '#1d4ed8', '#be123c', '#15803d'];
const TYPES = ['AGREE', 'ACCUSE', 'ASSAULT', 'AID', 'COERCE', 'CONSULT', 'COOPERATE', 'DEMAND', 'MOBILIZE',
  'PROTEST', 'REQUEST', 'REJECT', 'RETREAT', 'SANCTION', 'SUPPORT', 'THREATEN'];
export function typeColour(t) {
  const i = TYPES.indexOf(t);
  if (i >= 0) return PALETTE[i % PALETTE.length];
  let hsh = 0;
  for (const ch of t) hsh = (hsh * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hsh % PALETTE.length];
}

/** An Arabic name beside its Latin form (either may be missing). */
export function pair(arabic, latin, code) {
  return h('span', { class: 'pair' },
    arabic ? h('span', { class: 'ar', lang: 'ar', dir: 'rtl' }, arabic) : null,
    latin && latin !== arabic ? h('span', { class: 'lat', dir: 'ltr' }, latin) : null,
    code ? h('span', { class: 'code' }, code) : null);
}

/** Whether a string is mostly Arabic script. */
export function isArabic(text) {
  return /[\u0600-\u06FF]/.test(text || '');
}

const tipEl = () => document.getElementById('tip');

/** Show `text` near the pointer while it hovers `el`. */
export function tip(el, text) {
  el.addEventListener('mouseenter', () => { const t = tipEl(); t.textContent = text(); t.hidden = false; });
  el.addEventListener('mousemove', (e) => {
    const t = tipEl();
    t.style.left = Math.min(e.clientX + 14, window.innerWidth - t.offsetWidth - 8) + 'px';
    t.style.top = (e.clientY + 14) + 'px';
  });
  el.addEventListener('mouseleave', () => { tipEl().hidden = true; });
}

export function fmt(n) {
  return n === null || n === undefined ? '' : Number(n).toLocaleString('en');
}
