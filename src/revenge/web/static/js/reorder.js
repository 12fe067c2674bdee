// A list the user reorders by dragging a row or, from the keyboard, with Alt+Arrow keys or the
// row's Up/Down buttons. `move(entry, afterEntry|null)` saves one move; on failure the list is
// drawn again from `reload()` so the screen never shows an order the server did not keep.
import { h } from './dom.js';

export function reorderList(entries, { label, render, move, remove, reload, editable = true }) {
  const list = h('ol', { class: 'reorder', 'aria-label': label });
  let dragged = null;

  async function place(row, index) {
    const rows = [...list.children];
    const from = rows.indexOf(row);
    if (index < 0 || index >= rows.length || index === from) return;
    const target = rows[index];
    if (index > from) target.after(row); else target.before(row);
    const before = row.previousElementSibling;
    try {
      await move(row.entry, before ? before.entry : null);
      announce(`${row.dataset.title} moved to position ${index + 1}.`);
    } catch (error) {
      announce(error.message || String(error));
      reload();
    }
  }

  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'assertive' });
  function announce(text) { status.textContent = text; }

  for (const entry of entries) {
    const row = h('li', { class: 'reorder-row', draggable: editable ? 'true' : null, tabindex: editable ? '0' : null, dataset: { title: entry.title } });
    row.entry = entry;
    const up = h('button', { type: 'button', class: 'icon', 'aria-label': `Move ${entry.title} up` }, '↑');
    const down = h('button', { type: 'button', class: 'icon', 'aria-label': `Move ${entry.title} down` }, '↓');
    up.addEventListener('click', () => place(row, [...list.children].indexOf(row) - 1).then(() => up.focus()));
    down.addEventListener('click', () => place(row, [...list.children].indexOf(row) + 1).then(() => down.focus()));
    row.append(
      editable ? h('span', { class: 'grip', 'aria-hidden': 'true' }, '⋮⋮') : null,
      h('div', { class: 'reorder-main' }, render(entry)),
      editable ? h('div', { class: 'reorder-actions' }, up, down,
        remove ? h('button', { type: 'button', class: 'danger', 'aria-label': `Remove ${entry.title}`, onclick: async () => {
          try { await remove(entry); row.remove(); announce(`${entry.title} removed.`); } catch (error) { announce(error.message); reload(); }
        } }, 'Remove') : null) : null);
    if (editable) {
      row.addEventListener('keydown', (event) => {
        if (event.target !== row || !event.altKey) return;
        const index = [...list.children].indexOf(row);
        if (event.key === 'ArrowUp') { event.preventDefault(); place(row, index - 1).then(() => row.focus()); }
        if (event.key === 'ArrowDown') { event.preventDefault(); place(row, index + 1).then(() => row.focus()); }
      });
      row.addEventListener('dragstart', (event) => {
        dragged = row;
        row.classList.add('dragging');
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', entry.title);
      });
      row.addEventListener('dragend', () => { row.classList.remove('dragging'); dragged = null; });
      row.addEventListener('dragover', (event) => { if (dragged && dragged !== row) event.preventDefault(); });
      row.addEventListener('drop', (event) => {
        event.preventDefault();
        if (!dragged || dragged === row) return;
        place(dragged, [...list.children].indexOf(row));
      });
    }
    list.append(row);
  }
  return h('div', {}, editable && entries.length > 1 ? h('p', { class: 'hint' }, 'Drag to reorder, or focus a row and press Alt+↑ / Alt+↓.') : null, list, status);
}
