// A podcast: its episodes, newest first, each playable and marked when played.
import { api } from '../api.js';
import { h, clear, formatDuration } from '../dom.js';
import { header } from '../details.js';
import { addButton } from '../items.js';

export default async function render(main, params, ctx) {
  const [podcast, page] = await Promise.all([
    api(`/api/v1/podcasts/${params.id}`),
    api(`/api/v1/podcasts/${params.id}/episodes`, { query: { limit: 200 } }),
  ]);
  const queue = page.items.filter((e) => !e.missing).map((e) => ({ kind: 'podcast_episode', id: e.id, title: e.title, subtitle: podcast.title }));
  clear(main,
    header({ title: podcast.title, images: podcast.images, shape: 'square', overview: podcast.description,
      facts: [podcast.author, `${podcast.episode_count} episodes`, podcast.unplayed_count && `${podcast.unplayed_count} unplayed`] }),
    h('ol', { class: 'tracks' }, page.items.map((e) => h('li', { class: e.missing ? 'missing' : null },
      h('span', { 'aria-label': e.played ? 'Played' : 'Not played' }, e.played ? '✓' : '○'),
      h('span', { class: 'grow' }, e.title, h('br'), h('small', { class: 'muted' }, [e.published_on, formatDuration(e.duration_seconds)].filter(Boolean).join(' · '))),
      addButton({ type: 'podcast_episode', id: e.id, title: e.title }),
      e.missing ? h('span', { class: 'tag missing' }, 'missing')
        : h('button', { type: 'button', 'aria-label': `Play ${e.title}`, onclick: async () => (await ctx.loadPlayer()).playQueue(queue, queue.findIndex((q) => q.id === e.id)) }, '▶')))));
}
