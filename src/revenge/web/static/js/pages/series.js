// A series: seasons, each with its episodes and watched marks; play an episode and the episodes
// after it follow, into the next season (specials play on among the specials).
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { adminTools, cast, files, header } from '../details.js';
import { addToPlaylistButton } from '../playlist-add.js';
import { addButton } from '../items.js';

function episodeItem(series, e) {
  return { kind: 'episode', id: e.id, title: e.title, subtitle: `${series.title} · S${e.season_number}E${e.number ?? '?'}` };
}

export default async function render(main, params, ctx) {
  const draw = async () => {
    const series = await api(`/api/v1/tv/series/${params.id}`);
    const seasons = h('div');
    clear(main,
      header({
        title: series.title, images: series.images, overview: series.overview,
        facts: [series.year, (series.genres || []).join(', '), series.unplayed_count ? `${series.unplayed_count} unwatched` : 'All watched'],
        actions: ctx.admin ? [addToPlaylistButton({ type: 'series', id: series.id, title: series.title }, { label: 'Add to collection' })] : [],
      }),
      seasons, cast(series.people), files(series.extras, async (f) => (await ctx.loadPlayer()).play({ kind: 'episode', id: series.id, title: f.name, noProgress: true }, { fileId: f.id })),
      ctx.admin ? adminTools(`/api/v1/tv/series/${series.id}`, series, { onChange: draw }) : null);
    const lists = await Promise.all(series.seasons.map((season) => api(`/api/v1/tv/seasons/${season.id}/episodes`)));
    const playable = (episodes) => episodes.filter((e) => !e.missing).map((e) => episodeItem(series, e));
    const numbered = series.seasons.flatMap((season, i) => (season.number ? playable(lists[i]) : []));
    series.seasons.forEach((season, i) => {
      const list = h('ol', { class: 'tracks episodes' });
      const block = h('details', { class: 'season', open: series.seasons.length <= 2 || season.unplayed_count > 0 },
        h('summary', {}, h('strong', {}, season.title || (season.number ? `Season ${season.number}` : 'Specials')),
          h('span', { class: 'muted' }, ` · ${season.episode_count} episodes${season.unplayed_count ? `, ${season.unplayed_count} unwatched` : ''}`)),
        list);
      seasons.append(block);
      const episodes = lists[i];
      const queue = season.number ? numbered : playable(episodes);
      clear(list, episodes.map((e) => {
        const mark = h('button', { type: 'button', class: 'link watched', 'aria-pressed': String(e.played), 'aria-label': `${e.played ? 'Watched' : 'Not watched'}: ${e.title}` }, e.played ? '✓' : '○');
        mark.addEventListener('click', async () => {
          e.played = !e.played;
          await api(`/api/v1/items/episode/${e.id}/state`, { method: 'PATCH', body: { played: e.played } });
          mark.textContent = e.played ? '✓' : '○';
          mark.setAttribute('aria-pressed', String(e.played));
          mark.setAttribute('aria-label', `${e.played ? 'Watched' : 'Not watched'}: ${e.title}`);
        });
        return h('li', { class: e.missing ? 'missing' : null },
          mark,
          h('span', { class: 'grow' }, h('strong', {}, `${e.number ?? '?'}. `), e.title, e.air_date ? h('small', { class: 'muted' }, ` · ${e.air_date}`) : null),
          addButton({ type: 'episode', id: e.id, title: e.title }),
          e.missing ? h('span', { class: 'tag missing' }, 'missing')
            : h('button', { type: 'button', 'aria-label': `Play ${e.title}`, onclick: async () => {
              (await ctx.loadPlayer()).playQueue(queue, queue.findIndex((q) => q.id === e.id));
            } }, '▶'));
      }));
    });
  };
  await draw();
}
