// A tiny element helper and the widgets every page shares. No innerHTML with data anywhere:
// text always goes in as text nodes, so titles from files and providers cannot inject markup.
import { api, token } from './api.js';

// h('a', {href: '/movies', class: 'card', onclick: fn}, 'text', child, [more]) -> Element.
// `style` takes an object (set through the CSSOM, which the CSP allows; a style attribute
// would be refused), `dataset` an object, `on<event>` a listener; true/false toggle a boolean
// attribute; null/undefined/false children are skipped.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'style') Object.assign(el.style, value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key in el && typeof value !== 'string' && key !== 'list') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function errorBox(error) {
  return h('p', { class: 'error', role: 'alert' }, error?.message || String(error));
}

export function formatDuration(seconds) {
  if (!seconds && seconds !== 0) return '';
  const s = Math.round(seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

// --- images: fetched with the bearer token (an <img> cannot send it), kept as blob URLs ---

const imageCache = new Map(); // key -> Promise<objectURL>
const IMAGE_CACHE_LIMIT = 400;

export function imageUrl(imageId, width = 300) {
  const key = `${imageId}@${width}`;
  if (!imageCache.has(key)) {
    const loading = fetch(`/api/v1/images/${imageId}?width=${width}`, {
      headers: token() ? { Authorization: `Bearer ${token()}` } : {},
    }).then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`image ${r.status}`))))
      .then((blob) => URL.createObjectURL(blob));
    loading.catch(() => imageCache.delete(key));
    imageCache.set(key, loading);
    if (imageCache.size > IMAGE_CACHE_LIMIT) {
      const [oldest, url] = imageCache.entries().next().value;
      imageCache.delete(oldest);
      url.then((u) => setTimeout(() => URL.revokeObjectURL(u), 60_000), () => {});
    }
  }
  return imageCache.get(key);
}

let blurhashModule = null;
function paintBlurhash(canvas, hash) {
  blurhashModule ??= import('../vendor/blurhash-2.0.5.mjs');
  blurhashModule.then(({ decode }) => {
    const pixels = decode(hash, 32, 32);
    const context = canvas.getContext('2d');
    const data = context.createImageData(32, 32);
    data.data.set(pixels);
    context.putImageData(data, 0, 0);
  }).catch(() => {});
}

// A picture box: the blurhash paints at once, the image fades in over it when it arrives.
export function picture({ imageId, blurhash, alt = '', width = 300, shape = 'poster', letter = alt }) {
  const box = h('div', { class: `picture ${shape}` });
  if (blurhash) {
    const canvas = h('canvas', { width: 32, height: 32, 'aria-hidden': 'true' });
    box.append(canvas);
    paintBlurhash(canvas, blurhash);
  }
  if (imageId) {
    const img = h('img', { alt, decoding: 'async' });
    imageUrl(imageId, width).then((src) => {
      img.src = src;
      img.addEventListener('load', () => img.classList.add('loaded'), { once: true });
    }, () => img.remove());
    box.append(img);
  } else {
    box.append(h('span', { class: 'picture-fallback', 'aria-hidden': 'true' }, letter.slice(0, 1)));
  }
  return box;
}

// A poster card linking to an item's page.
export function posterCard({ href, title, subtitle, imageId, blurhash, shape = 'poster', badge, progress }) {
  return h('a', { class: 'card', href },
    picture({ imageId, blurhash, alt: title, shape }),
    progress ? h('span', { class: 'progress', style: { width: `${Math.min(100, progress * 100)}%` } }) : null,
    badge ? h('span', { class: 'badge' }, badge) : null,
    h('span', { class: 'card-title' }, title),
    subtitle ? h('span', { class: 'card-subtitle' }, subtitle) : null);
}

// A grid that keeps only the visible rows (plus a margin) in the DOM. `fetchMore()` resolves to
// {items, done}; it is called when the end comes near. `render(item)` builds one cell.
// Rows are as tall as a cell's picture (`aspect`: height / width) plus `caption` pixels. Cells
// are placed absolutely and kept while visible, so a scroll step builds only the row that
// comes into view (and a new page of items builds nothing until it is scrolled to).
export function virtualGrid(container, { render, fetchMore, cellWidth = 160, aspect = 1.5, caption = 56, gap = 16 }) {
  const items = [];
  let done = false;
  let loading = null;
  const root = h('div', { class: 'vgrid', role: 'list' });
  container.append(root);
  const cells = new Map(); // item index -> its cell, for the indexes in the page
  let columns = 1;
  let columnWidth = cellWidth;
  let rowHeight = cellWidth * aspect + caption;
  let frame = 0;

  function measure() {
    const width = root.clientWidth || container.clientWidth || 800;
    columns = Math.max(1, Math.floor((width + gap) / (cellWidth + gap)));
    columnWidth = (width - gap * (columns - 1)) / columns;
    rowHeight = Math.ceil(columnWidth * aspect + caption);
    for (const cell of cells.values()) cell.remove();
    cells.clear();
  }

  function cell(i) {
    const row = Math.floor(i / columns);
    const column = i % columns;
    return h('div', {
      class: 'vgrid-cell', role: 'listitem',
      style: {
        width: `${columnWidth}px`, height: `${rowHeight}px`,
        transform: `translate(${column * (columnWidth + gap)}px, ${row * (rowHeight + gap)}px)`,
      },
    }, render(items[i], i));
  }

  function draw() {
    frame = 0;
    const step = rowHeight + gap;
    const rows = Math.ceil(items.length / columns);
    root.style.height = `${rows * step}px`;
    const top = root.getBoundingClientRect().top;
    const firstRow = Math.max(0, Math.floor(-top / step) - 2);
    const lastRow = Math.min(rows, Math.ceil((window.innerHeight - top) / step) + 2);
    const from = firstRow * columns;
    const to = Math.min(items.length, lastRow * columns);
    for (const [i, el] of cells) {
      if (i < from || i >= to) { el.remove(); cells.delete(i); }
    }
    // New cells go before or after the ones kept, so the DOM (and Tab) order stays the visual one.
    const kept = cells.size ? Math.min(...cells.keys()) : to;
    const before = document.createDocumentFragment();
    const after = document.createDocumentFragment();
    for (let i = from; i < to; i++) {
      if (cells.has(i)) continue;
      const el = cell(i);
      cells.set(i, el);
      (i < kept ? before : after).append(el);
    }
    root.prepend(before);
    root.append(after);
    if (!done && !loading && lastRow >= rows - 3) more();
  }

  function schedule() { if (!frame) frame = requestAnimationFrame(draw); }

  async function more() {
    loading = fetchMore().then((page) => {
      items.push(...page.items);
      done = page.done;
    }).finally(() => { loading = null; schedule(); });
    return loading;
  }

  function onResize() { measure(); schedule(); }
  window.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', onResize);
  measure();
  more();
  return {
    items,
    get done() { return done; },
    refresh: () => { measure(); schedule(); },
    destroy() {
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', onResize);
      if (frame) cancelAnimationFrame(frame);
      root.remove();
    },
  };
}

export { api };
