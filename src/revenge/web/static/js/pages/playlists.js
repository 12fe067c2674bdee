// Playlists and collections: the caller's playlists of both kinds, a form to start one, and the
// collections of the libraries they can see (administrators can make new ones).
import { api } from '../api.js';
import { h } from '../dom.js';
import { field, form, input, live, section, select, table } from '../panels.js';

const KINDS = [['video', 'Video'], ['audio', 'Music and audio']];

export default async function render(main, params, ctx) {
  const box = h('div');
  const reload = live(box, async () => {
    const [video, audio] = await Promise.all(KINDS.map(([kind]) => api(`/api/v1/playlists/${kind}`)));
    return table(['Name', 'Kind', 'Items', 'Shared'], [...video, ...audio].map((p) => [
      h('a', { href: `/playlists/${p.kind}/${p.id}` }, p.name),
      p.kind === 'video' ? 'Video' : 'Audio',
      String(p.item_count),
      p.is_public ? 'Public' : 'Private',
    ]), { empty: 'No playlists yet.', caption: 'Your playlists' });
  });
  main.append(
    h('h1', {}, 'Playlists and collections'),
    section('Playlists', box,
      form([
        field('Name', input('name', { required: true, maxlength: 200 })),
        field('Kind', select('kind', KINDS, 'audio')),
        field('Public (other users can see it)', h('input', { type: 'checkbox', name: 'is_public' })),
      ], async (values, el) => {
        const playlist = await api('/api/v1/playlists', { method: 'POST', body: values });
        el.reset();
        reload();
        return `Playlist “${playlist.name}” created.`;
      }, { submit: 'Create playlist' })),
    await collectionsSection(ctx));
}

async function collectionsSection(ctx) {
  const box = h('div');
  const reload = live(box, async () => {
    const [video, audio] = await Promise.all(KINDS.map(([kind]) => api(`/api/v1/collections/${kind}`)));
    return table(['Name', 'Kind', 'Source'], [...video, ...audio].map((c) => [
      h('a', { href: `/collections/${c.kind}/${c.id}` }, c.name), c.kind === 'video' ? 'Video' : 'Audio', c.source,
    ]), { empty: 'No collections yet.', caption: 'Collections' });
  });
  if (!ctx.admin) return section('Collections', box);
  const libraries = await api('/api/v1/libraries');
  const videoTypes = new Set(['movie', 'tv']);
  return section('Collections', box,
    libraries.length ? form([
      field('Name', input('name', { required: true, maxlength: 200 })),
      field('Library', select('library_id', libraries.map((l) => [l.id, l.name]))),
    ], async (values, el) => {
      const library = libraries.find((l) => l.id === values.library_id);
      const kind = videoTypes.has(library.type) ? 'video' : 'audio';
      const created = await api(`/api/v1/collections/${kind}`, { method: 'POST', body: values });
      el.reset();
      reload();
      return `Collection “${created.name}” created.`;
    }, { submit: 'Create collection' }) : null);
}
