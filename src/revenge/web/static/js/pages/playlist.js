// One playlist: its items in order, reordered by dragging or by keyboard, removed one by one;
// the owner renames it, shares it or deletes it.
import { api } from '../api.js';
import { h, clear, errorBox } from '../dom.js';
import { action, field, form, input, outcome, section } from '../panels.js';
import { reorderList } from '../reorder.js';
import { itemLink } from './collection.js';

export default async function render(main, params, ctx) {
  const base = `/api/v1/playlists/${params.kind}/${params.id}`;
  const items = h('div');
  const heading = h('h1', {});
  const report = outcome();
  main.append(heading, items);

  async function reload() {
    try {
      const playlist = await api(base);
      heading.textContent = playlist.name;
      const mine = playlist.owner_id === ctx.user?.id;
      clear(items,
        playlist.description ? h('p', {}, playlist.description) : null,
        h('p', { class: 'muted' }, `${playlist.items.length} item(s) · ${playlist.is_public ? 'public' : 'private'}`),
        playlist.items.length ? reorderList(playlist.items, {
          label: `Items of ${playlist.name}`,
          editable: mine,
          render: (entry) => h('span', {}, itemLink(entry), entry.subtitle ? h('small', { class: 'muted' }, ` · ${entry.subtitle}`) : null),
          move: (entry, after) => api(`${base}/items/${entry.entry_id}/move`, { method: 'POST', body: { after: after ? after.entry_id : null } }),
          remove: (entry) => api(`${base}/items/${entry.entry_id}`, { method: 'DELETE' }),
          reload,
        }) : h('p', { class: 'muted' }, 'Empty: use “Add to playlist” on any movie, episode, track or book.'),
        mine ? settings(playlist) : null);
    } catch (error) {
      clear(items, errorBox(error));
    }
  }

  function settings(playlist) {
    return section('Playlist settings',
      form([
        field('Name', input('name', { required: true, maxlength: 200, value: playlist.name })),
        field('Public (other users can see it)', h('input', { type: 'checkbox', name: 'is_public', checked: playlist.is_public })),
      ], async (values) => {
        await api(base, { method: 'PATCH', body: values });
        reload();
        return 'Saved.';
      }, { report }),
      action('Delete playlist', async () => {
        await api(base, { method: 'DELETE' });
        ctx.navigate('/playlists');
      }, { confirm: `Delete the playlist “${playlist.name}”?`, report, kind: 'danger' }),
      report.el);
  }

  await reload();
}
