// An album: its tracks; play all, shuffle, or from a track, each plays on to the next.
import { api } from '../api.js';
import { h, clear, formatDuration } from '../dom.js';
import { adminTools, header } from '../details.js';
import { addToPlaylistButton } from '../playlist-add.js';
import { addButton } from '../items.js';

export default async function render(main, params, ctx) {
  const draw = async () => {
    const album = await api(`/api/v1/music/albums/${params.id}`);
    const queue = album.tracks.filter((t) => !t.missing).map((t) => ({
      kind: 'track', id: t.id, title: t.title, subtitle: t.artist_name || album.album_artist || '', album: album.title,
    }));
    const play = async (index, shuffle = false) => (await ctx.loadPlayer()).playQueue(queue, index, { shuffle, resume: false });
    const discs = new Set(album.tracks.map((t) => t.disc_number)).size > 1;
    clear(main,
      header({
        title: album.title, images: album.images, shape: 'square',
        facts: [album.album_artist_id ? h('a', { href: `/music/artists/${album.album_artist_id}` }, album.album_artist) : album.album_artist,
          album.year, (album.genres || []).join(', '), `${album.tracks.length} tracks`],
        actions: [
          h('button', { type: 'button', class: 'primary play', disabled: !queue.length, onclick: () => play(0) }, '▶ Play'),
          h('button', { type: 'button', disabled: queue.length < 2, onclick: () => play(Math.floor(Math.random() * queue.length), true) }, 'Shuffle'),
          ctx.admin ? addToPlaylistButton({ type: 'album', id: album.id, title: album.title }, { label: 'Add to collection' }) : null,
        ],
      }),
      h('ol', { class: 'tracks' }, album.tracks.map((t) => h('li', { class: t.missing ? 'missing' : null },
        h('span', { class: 'muted' }, discs ? `${t.disc_number}-${t.track_number ?? ''}` : t.track_number ?? ''),
        h('span', { class: 'grow' }, t.title, t.artist_name && t.artist_name !== album.album_artist ? h('small', { class: 'muted' }, ` · ${t.artist_name}`) : null),
        h('span', { class: 'muted' }, formatDuration(t.duration_seconds)),
        addButton({ type: 'track', id: t.id, title: t.title }),
        t.missing ? h('span', { class: 'tag missing' }, 'missing')
          : h('button', { type: 'button', 'aria-label': `Play ${t.title}`, onclick: () => play(queue.findIndex((q) => q.id === t.id)) }, '▶')))),
      ctx.admin ? adminTools(`/api/v1/music/albums/${album.id}`, album, { fields: ['title', 'year', 'genres'], onChange: draw }) : null);
  };
  await draw();
}
