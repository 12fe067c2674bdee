// One collection: its members in order; administrators reorder and remove them.
import { api } from '../api.js';
import { h, clear, errorBox } from '../dom.js';
import { action, outcome } from '../panels.js';
import { reorderList } from '../reorder.js';

const ITEM_PATHS = { movie: '/movies/', series: '/tv/', album: '/music/albums/', audiobook: '/audiobooks/' };

// A link to the item's own page where it has one, else its title as text.
export function itemLink(entry) {
  const prefix = ITEM_PATHS[entry.type];
  const title = entry.year ? `${entry.title} (${entry.year})` : entry.title;
  return prefix ? h('a', { href: `${prefix}${entry.id}` }, title) : h('span', {}, title);
}

export default async function render(main, params, ctx) {
  const base = `/api/v1/collections/${params.kind}/${params.id}`;
  const heading = h('h1', {});
  const body = h('div');
  const report = outcome();
  main.append(heading, body);
  const key = (entry) => `${entry.type}/${entry.id}`;

  async function reload() {
    try {
      const collection = await api(base);
      heading.textContent = collection.name;
      clear(body,
        collection.description ? h('p', {}, collection.description) : null,
        collection.items.length ? reorderList(collection.items, {
          label: `Members of ${collection.name}`,
          editable: ctx.admin,
          render: (entry) => itemLink(entry),
          move: (entry, after) => api(`${base}/items/${key(entry)}/move`, { method: 'POST', body: { after: after ? { type: after.type, id: after.id } : null } }),
          remove: (entry) => api(`${base}/items/${key(entry)}`, { method: 'DELETE' }),
          reload,
        }) : h('p', { class: 'muted' }, 'No members yet.'),
        ctx.admin ? action('Delete collection', async () => {
          await api(base, { method: 'DELETE' });
          ctx.navigate('/playlists');
        }, { confirm: `Delete the collection “${collection.name}”?`, report, kind: 'danger' }) : null,
        report.el);
    } catch (error) {
      clear(body, errorBox(error));
    }
  }
  await reload();
}
