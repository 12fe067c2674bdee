// A movie: play (resume), versions, extras, cast, and the administrators' tools.
import { api } from '../api.js';
import { h, clear, formatDuration } from '../dom.js';
import { adminTools, cast, files, header } from '../details.js';
import { addToPlaylistButton } from '../playlist-add.js';

export default async function render(main, params, ctx) {
  const draw = async () => {
    const movie = await api(`/api/v1/movies/${params.id}`);
    const state = movie.user_state;
    const item = { kind: 'movie', id: movie.id, title: movie.title, subtitle: movie.year ? String(movie.year) : '' };
    const player = () => ctx.loadPlayer();
    const resumeAt = !state.played && state.position_seconds > 5 ? state.position_seconds : 0;
    const actions = [
      movie.missing ? null : h('button', { type: 'button', class: 'primary play', onclick: async () => (await player()).play(item) },
        resumeAt ? `▶ Resume from ${formatDuration(resumeAt)}` : '▶ Play'),
      resumeAt ? h('button', { type: 'button', onclick: async () => (await player()).play(item, { resume: false }) }, 'Play from the start') : null,
      h('button', { type: 'button', class: 'played-toggle', 'aria-pressed': String(state.played), onclick: async () => {
        await api(`/api/v1/items/movie/${movie.id}/state`, { method: 'PATCH', body: { played: !state.played } });
        draw();
      } }, state.played ? '✓ Watched' : 'Mark watched'),
      addToPlaylistButton({ type: 'movie', id: movie.id, title: movie.title }),
    ];
    clear(main,
      header({
        title: movie.title, images: movie.images, missing: movie.missing, overview: movie.overview, actions,
        facts: [movie.year, movie.runtime_minutes && `${movie.runtime_minutes} min`, (movie.genres || []).join(', '),
          movie.community_rating && `★ ${movie.community_rating.toFixed(1)}`, movie.original_title !== movie.title && movie.original_title],
      }),
      cast(movie.people),
      // An extra plays without touching the movie's own progress.
      files(movie.files, async (file) => (await player()).play(
        { ...item, title: file.extra_type ? `${movie.title}: ${file.name}` : movie.title, noProgress: Boolean(file.extra_type) },
        { fileId: file.id, resume: !file.extra_type })),
      ctx.admin ? adminTools(`/api/v1/movies/${movie.id}`, movie, { onChange: draw }) : null);
  };
  await draw();
}
