// An artist: their albums.
import { api } from '../api.js';
import { h, errorBox } from '../dom.js';
import { itemCard, loadCovers } from '../items.js';

export default async function render(main, params) {
  const [page, covers] = await Promise.all([
    api('/api/v1/music/albums', { query: { artist_id: params.id, sort: 'year', limit: 200 } }),
    Promise.resolve(null),
  ]);
  const name = page.items[0]?.album_artist || 'Artist';
  main.append(h('h1', {}, name), h('h2', {}, 'Albums'));
  try {
    const found = covers || await loadCovers(page.items.map((a) => a.id));
    main.append(page.items.length ? h('div', { class: 'grid' }, page.items.map((a) => itemCard('album', a, found)))
      : h('p', { class: 'muted' }, 'No albums.'));
  } catch (error) {
    main.append(errorBox(error));
  }
}
