// Search as you type, across every kind, typo-tolerant (the server's search), grouped by kind.
import { api } from '../api.js';
import { h, clear, errorBox } from '../dom.js';
import { KIND_LABELS, itemCard, loadCovers } from '../items.js';

const ORDER = ['movie', 'series', 'episode', 'artist', 'album', 'track', 'audiobook', 'podcast', 'podcast_episode'];

export default async function render(main, params, ctx) {
  const input = h('input', {
    type: 'search', id: 'search-input', 'aria-label': 'Search', placeholder: 'Titles, names, genres…',
    value: new URLSearchParams(location.search).get('q') || '', autocomplete: 'off',
  });
  const results = h('div', { id: 'search-results', 'aria-live': 'polite' });
  main.append(h('h1', {}, 'Search'), h('div', { class: 'toolbar' }, input), results);
  let controller = null;
  let timer = null;

  async function run(q) {
    controller?.abort();
    if (!q.trim()) { clear(results); return; }
    controller = new AbortController();
    const signal = controller.signal;
    try {
      const found = await api('/api/v1/search', { query: { q, limit: 60 }, signal });
      if (signal.aborted) return;
      const groups = new Map();
      for (const hit of found.items) {
        if (!groups.has(hit.type)) groups.set(hit.type, []);
        groups.get(hit.type).push(hit);
      }
      const kinds = [...groups.keys()].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
      const draw = (covers) => clear(results, kinds.length
        ? kinds.map((kind) => h('section', { class: 'search-group', dataset: { kind } },
          h('h2', {}, KIND_LABELS[kind] || kind),
          h('div', { class: 'grid' }, groups.get(kind).map((hit) => itemCard(kind, hit, covers)))))
        : h('p', { class: 'muted' }, `Nothing matches “${q}”.`));
      // Results first, their covers a moment later: the covers cost a second round trip.
      draw({});
      if (found.items.length) {
        loadCovers(found.items.map((i) => i.id)).then((covers) => {
          if (!signal.aborted && Object.keys(covers).length) draw(covers);
        }, () => {});
      }
      results.dataset.query = q;
    } catch (error) {
      if (error.name !== 'AbortError') clear(results, errorBox(error));
    }
  }

  function schedule(q) {
    clearTimeout(timer);
    timer = setTimeout(() => run(q), 30);
  }
  input.addEventListener('input', () => {
    history.replaceState(null, '', input.value ? `/search?q=${encodeURIComponent(input.value)}` : '/search');
    schedule(input.value);
  });
  const fromHeader = (event) => { input.value = event.detail; schedule(event.detail); };
  window.addEventListener('revenge:search', fromHeader);
  if (input.value) run(input.value);
  if (!document.activeElement || document.activeElement === document.body) input.focus();
  return () => { window.removeEventListener('revenge:search', fromHeader); controller?.abort(); clearTimeout(timer); };
}
