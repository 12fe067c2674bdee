// An audiobook: authors, narrators, chapters; plays with speed and chapter jumps, resuming.
import { api } from '../api.js';
import { h, clear, formatDuration } from '../dom.js';
import { header } from '../details.js';
import { addToPlaylistButton } from '../playlist-add.js';

export default async function render(main, params, ctx) {
  const book = await api(`/api/v1/audiobooks/${params.id}`);
  const state = book.user_state;
  const item = { kind: 'audiobook', id: book.id, title: book.title, subtitle: (book.authors || []).join(', '), chapters: book.chapters };
  const play = async (at) => {
    const player = await ctx.loadPlayer();
    await player.play(item, { resume: at === undefined });
    if (at !== undefined) player.media.currentTime = at;
  };
  clear(main,
    header({
      title: book.title, images: book.images, shape: 'square', missing: book.missing, overview: book.description,
      facts: [(book.authors || []).length && `by ${book.authors.join(', ')}`, (book.narrators || []).length && `read by ${book.narrators.join(', ')}`,
        book.series_name && `${book.series_name}${book.series_position ? ` #${book.series_position}` : ''}`, book.year, formatDuration(book.duration_seconds)],
      actions: book.missing ? [] : [h('button', { type: 'button', class: 'primary play', onclick: () => play() },
        state.position_seconds > 5 && !state.played ? `▶ Resume from ${formatDuration(state.position_seconds)}` : '▶ Play'),
      addToPlaylistButton({ type: 'audiobook', id: book.id, title: book.title })],
    }),
    book.chapters.length ? h('section', {}, h('h2', {}, 'Chapters'), h('ol', { class: 'tracks chapters' }, book.chapters.map((c) => h('li', {},
      h('span', { class: 'grow' }, c.title), h('span', { class: 'muted' }, formatDuration(c.start_seconds)),
      h('button', { type: 'button', 'aria-label': `Play from ${c.title}`, onclick: () => play(c.start_seconds) }, '▶'))))) : null);
}
