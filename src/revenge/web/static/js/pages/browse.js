// Browse one kind (or one library): sort, filters, and endless scrolling over keyset pages,
// with only the visible rows in the page (a 10,000-item library scrolls smoothly).
import { api } from '../api.js';
import { h, errorBox, virtualGrid } from '../dom.js';
import { itemCard, loadCovers } from '../items.js';

const KINDS = {
  movies: { title: 'Movies', item: 'movie', path: '/api/v1/movies', sorts: ['title', 'year', 'added', 'rating', 'runtime'], played: true, genre: true },
  series: { title: 'TV shows', item: 'series', path: '/api/v1/tv/series', sorts: ['title', 'year', 'added', 'rating'], played: true },
  albums: { title: 'Albums', item: 'album', path: '/api/v1/music/albums', sorts: ['title', 'year', 'added'] },
  artists: { title: 'Artists', item: 'artist', path: '/api/v1/music/artists', sorts: ['name', 'added'] },
  audiobooks: { title: 'Audiobooks', item: 'audiobook', path: '/api/v1/audiobooks', sorts: ['title', 'year', 'added', 'series'] },
  podcasts: { title: 'Podcasts', item: 'podcast', path: '/api/v1/podcasts', sorts: ['title', 'added'] },
};
const LIBRARY_KIND = { movie: 'movies', tv: 'series', music: 'albums', audiobook: 'audiobooks', podcast: 'podcasts' };
const SORT_LABELS = { title: 'Title', name: 'Name', year: 'Year', added: 'Date added', rating: 'Rating', runtime: 'Running time', series: 'Series' };
const PAGE = 100;

export default async function render(main, params) {
  let kind = params.kind;
  let library = null;
  if (params.id) {
    library = await api(`/api/v1/libraries/${params.id}`);
    kind = LIBRARY_KIND[library.type];
  }
  const spec = KINDS[kind];
  const state = new URLSearchParams(location.search);
  const sort = h('select', { id: 'browse-sort', 'aria-label': 'Sort by' },
    spec.sorts.map((s) => h('option', { value: s, selected: state.get('sort') === s }, SORT_LABELS[s])));
  const order = h('select', { id: 'browse-order', 'aria-label': 'Order' },
    h('option', { value: 'asc', selected: state.get('order') !== 'desc' }, 'Ascending'),
    h('option', { value: 'desc', selected: state.get('order') === 'desc' }, 'Descending'));
  const played = spec.played ? h('select', { id: 'browse-played', 'aria-label': 'Watched' },
    h('option', { value: '' }, 'All'),
    h('option', { value: 'false', selected: state.get('played') === 'false' }, 'Unwatched'),
    h('option', { value: 'true', selected: state.get('played') === 'true' }, 'Watched')) : null;
  const genre = spec.genre ? h('input', { type: 'search', id: 'browse-genre', placeholder: 'Genre', 'aria-label': 'Genre', value: state.get('genre') || '' }) : null;
  const count = h('span', { class: 'muted', 'aria-live': 'polite' });
  const tabs = kind === 'albums' || kind === 'artists'
    ? h('nav', { class: 'row', 'aria-label': 'Music' }, h('a', { href: '/music', 'aria-current': kind === 'albums' ? 'page' : null }, 'Albums'), h('a', { href: '/music/artists', 'aria-current': kind === 'artists' ? 'page' : null }, 'Artists'))
    : null;
  const results = h('div');
  main.append(...[h('h1', {}, library ? library.name : spec.title), tabs,
    h('div', { class: 'toolbar' }, sort, order, played, genre, count), results].filter(Boolean));

  let grid = null;
  function start() {
    grid?.destroy();
    const query = { sort: sort.value, order: order.value, played: played?.value, genre: genre?.value, library_id: library?.id, limit: PAGE };
    const shown = new URLSearchParams(Object.entries({ sort: sort.value, order: order.value, played: played?.value || '', genre: genre?.value || '' }).filter(([, v]) => v));
    history.replaceState(null, '', `${location.pathname}${shown.size ? `?${shown}` : ''}`);
    let cursor = null;
    let first = true;
    const covers = {};
    grid = virtualGrid(results, {
      cellWidth: 150,
      aspect: ['albums', 'artists', 'audiobooks', 'podcasts'].includes(kind) ? 1 : 1.5,
      render: (item) => itemCard(spec.item, item, covers),
      fetchMore: async () => {
        if (!first && !cursor) return { items: [], done: true };
        try {
          const page = await api(spec.path, { query: { ...query, cursor } });
          if (first) count.textContent = `${page.total} ${page.total === 1 ? 'item' : 'items'}`;
          first = false;
          cursor = page.next_cursor;
          Object.assign(covers, await loadCovers(page.items.map((i) => i.id)).catch(() => ({})));
          if (!page.items.length && grid && !grid.items.length) results.append(h('p', { class: 'muted empty' }, 'Nothing here yet.'));
          return { items: page.items, done: !cursor };
        } catch (error) {
          results.append(errorBox(error));
          return { items: [], done: true };
        }
      },
    });
  }
  for (const control of [sort, order, played].filter(Boolean)) control.addEventListener('change', start);
  let typing = null;
  genre?.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(start, 300); });
  start();
  return () => grid?.destroy();
}
