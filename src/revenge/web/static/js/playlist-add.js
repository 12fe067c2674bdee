// "Add to playlist" for any page: `addToPlaylistButton({type, id, title})` returns a button that
// opens a small dialog listing the caller's playlists of the right kind (and, for administrators,
// the collections), with a field to start a new playlist.
import { api, isAdmin } from './api.js';
import { h, clear, errorBox } from './dom.js';

const PLAYLIST_KIND = {
  movie: 'video', episode: 'video',
  track: 'audio', audiobook: 'audio', audiobook_chapter: 'audio', podcast_episode: 'audio',
};
const COLLECTION_KIND = {
  movie: 'video', series: 'video', episode: 'video', album: 'audio', track: 'audio', audiobook: 'audio',
};

export function addToPlaylistButton(item, { label = 'Add to playlist' } = {}) {
  const button = h('button', { type: 'button', class: 'add-to-playlist', 'aria-haspopup': 'dialog' }, label);
  button.addEventListener('click', () => openAddDialog(item, button));
  return button;
}

export async function addToPlaylist(kind, playlistId, item) {
  const ref = { type: item.type, id: item.id };
  if (item.chapter !== undefined && item.chapter !== null) ref.chapter = item.chapter;
  return api(`/api/v1/playlists/${kind}/${playlistId}/items`, { method: 'POST', body: { items: [ref] } });
}

function openAddDialog(item, opener) {
  const status = h('p', { class: 'outcome', role: 'status', 'aria-live': 'polite' });
  const lists = h('div', { class: 'choices' }, h('p', { class: 'loading' }, 'Loading…'));
  const name = h('input', { name: 'name', type: 'text', required: true, maxlength: 200, id: 'new-playlist-name' });
  const close = h('button', { type: 'button', class: 'link' }, 'Close');
  const create = h('form', { class: 'inline' },
    h('label', { for: 'new-playlist-name' }, 'New playlist'), name, h('button', { type: 'submit' }, 'Create and add'));
  const dialog = h('dialog', { class: 'add-dialog', 'aria-labelledby': 'add-dialog-title' },
    h('h2', { id: 'add-dialog-title' }, `Add “${item.title || 'this'}” to…`), lists, create, status, close);
  const kind = PLAYLIST_KIND[item.type];
  if (!kind) create.remove();

  const done = (message) => { status.className = 'outcome ok'; status.textContent = message; };
  const failed = (error) => { status.className = 'outcome error'; status.textContent = error?.message || String(error); };

  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => { dialog.remove(); opener?.focus(); });
  create.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const playlist = await api('/api/v1/playlists', { method: 'POST', body: { kind, name: name.value.trim() } });
      await addToPlaylist(kind, playlist.id, item);
      done(`Added to ${playlist.name}.`);
      name.value = '';
      fill();
    } catch (error) { failed(error); }
  });

  async function fill() {
    try {
      const choices = [];
      if (kind) {
        for (const playlist of await api(`/api/v1/playlists/${kind}`)) {
          choices.push(h('button', {
            type: 'button', class: 'choice',
            onclick: async () => {
              try { await addToPlaylist(kind, playlist.id, item); done(`Added to ${playlist.name}.`); } catch (error) { failed(error); }
            },
          }, playlist.name, h('small', {}, ` ${playlist.item_count} item(s)`)));
        }
      }
      const collectionKind = COLLECTION_KIND[item.type];
      if (isAdmin() && collectionKind) {
        for (const collection of await api(`/api/v1/collections/${collectionKind}`)) {
          choices.push(h('button', {
            type: 'button', class: 'choice',
            onclick: async () => {
              try {
                await api(`/api/v1/collections/${collectionKind}/${collection.id}/items`, { method: 'POST', body: { items: [{ type: item.type, id: item.id }] } });
                done(`Added to the collection ${collection.name}.`);
              } catch (error) { failed(error); }
            },
          }, collection.name, h('small', {}, ' collection')));
        }
      }
      clear(lists, choices.length ? choices : h('p', { class: 'muted' }, 'No playlists yet: make one below.'));
    } catch (error) {
      clear(lists, errorBox(error));
    }
  }

  document.body.append(dialog);
  dialog.showModal();
  fill();
  (kind ? name : close).focus();
}
