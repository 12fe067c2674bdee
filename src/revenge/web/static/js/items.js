// Catalogue items across kinds: their page, their cover, their card.
import { api } from './api.js';
import { posterCard } from './dom.js';
import { addToPlaylistButton } from './playlist-add.js';

export const KIND_LABELS = {
  movie: 'Movies', series: 'TV shows', episode: 'Episodes', artist: 'Artists', album: 'Albums',
  track: 'Songs', audiobook: 'Audiobooks', podcast: 'Podcasts', podcast_episode: 'Podcast episodes',
  audiobook_chapter: 'Chapters',
};

// The page of an item, from its kind and what the listing says about it.
export function itemHref(kind, item) {
  switch (kind) {
    case 'movie': return `/movies/${item.id}`;
    case 'series': return `/tv/${item.id}`;
    case 'episode': return item.series_id ? `/tv/${item.series_id}` : null;
    case 'artist': return `/music/artists/${item.id}`;
    case 'album': return `/music/albums/${item.id}`;
    case 'track': return item.album_id ? `/music/albums/${item.album_id}` : null;
    case 'audiobook': return `/audiobooks/${item.id}`;
    case 'podcast': return `/podcasts/${item.id}`;
    case 'podcast_episode': return item.podcast_id ? `/podcasts/${item.podcast_id}` : null;
    default: return null;
  }
}

export function shapeOf(kind) {
  return ['album', 'artist', 'track', 'podcast', 'podcast_episode', 'audiobook'].includes(kind) ? 'square' : 'poster';
}

// {item id: {id, blurhash}} for up to 200 ids per request.
export async function loadCovers(ids) {
  const unique = [...new Set(ids.filter(Boolean))];
  const found = {};
  for (let i = 0; i < unique.length; i += 200) {
    Object.assign(found, await api('/api/v1/images/covers', { query: { items: unique.slice(i, i + 200).join(',') } }));
  }
  return found;
}

// A card for any listed item; `covers` from loadCovers (an episode falls back to its series).
export function itemCard(kind, item, covers = {}, extra = {}) {
  const cover = covers[item.id] || (item.series_id && covers[item.series_id]) || (item.album_id && covers[item.album_id]);
  let subtitle = item.year ? String(item.year) : null;
  if (kind === 'episode') subtitle = `S${item.season_number ?? item.season_number}E${item.episode_number ?? item.number ?? '?'}`;
  if (kind === 'album') subtitle = item.album_artist || subtitle;
  if (kind === 'audiobook') subtitle = (item.authors || []).join(', ') || subtitle;
  if (kind === 'podcast') subtitle = item.author || subtitle;
  return posterCard({
    href: itemHref(kind, item) || '#',
    title: item.title || item.name,
    subtitle,
    imageId: cover?.id,
    blurhash: cover?.blurhash,
    shape: shapeOf(kind),
    badge: item.played ? '✓' : item.missing ? 'missing' : item.unplayed_count ? String(item.unplayed_count) : null,
    ...extra,
  });
}

// A compact "+" beside a row (track, episode, podcast episode) that adds it to a playlist.
export function addButton(item) {
  const button = addToPlaylistButton(item, { label: '+' });
  button.setAttribute('aria-label', `Add ${item.title} to a playlist`);
  return button;
}
