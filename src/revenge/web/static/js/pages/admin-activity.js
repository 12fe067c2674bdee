// Activity log: who did what, filtered by user, module, action, time and failures.
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { adminPage, field, input, olderPages, select, when } from '../panels.js';

const KEYS = ['user_id', 'module', 'action', 'since', 'until', 'failures_only'];

export default async function render(main, params, ctx) {
  const query = new URLSearchParams(location.search);
  const users = (await api('/api/v1/users', { query: { limit: 500 } })).items;
  const names = new Map(users.map((u) => [u.id, u.username]));
  const filters = Object.fromEntries(KEYS.map((k) => [k, query.get(k) || '']));
  const controls = {
    user_id: select('user_id', [['', 'anyone'], ...users.map((u) => [u.id, u.username])], filters.user_id),
    module: input('module', { value: filters.module, maxlength: 64, placeholder: 'e.g. auth' }),
    action: input('action', { value: filters.action, maxlength: 64, placeholder: 'e.g. login' }),
    since: input('since', { type: 'datetime-local', value: filters.since.slice(0, 16) }),
    until: input('until', { type: 'datetime-local', value: filters.until.slice(0, 16) }),
    failures_only: h('input', { type: 'checkbox', name: 'failures_only', checked: filters.failures_only === 'true' }),
  };
  const bar = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter activity' },
    field('User', controls.user_id), field('Module', controls.module), field('Action', controls.action),
    field('From', controls.since), field('Until', controls.until), field('Failures only', controls.failures_only),
    h('button', { type: 'submit' }, 'Filter'));
  bar.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of KEYS) {
      const control = controls[key];
      const value = control.type === 'checkbox' ? (control.checked ? 'true' : '') : control.value.trim();
      if (value) next.set(key, control.type === 'datetime-local' ? new Date(value).toISOString() : value);
    }
    ctx.navigate(`/admin/activity${next.size ? `?${next}` : ''}`, { replace: true });
  });
  const rows = h('tbody');
  const results = h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('thead', {}, h('tr', {}, ['When', 'User', 'What', 'On', 'From', 'Outcome'].map((t) => h('th', { scope: 'col' }, t)))), rows));
  const more = h('button', { type: 'button' }, 'Older entries');
  const box = h('div', {}, results, more);
  adminPage(main, 'Activity', bar, box);

  const sent = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
  const page = olderPages(more, box, async (cursor) => {
    const found = await api('/api/v1/admin/activity', { query: { ...sent, limit: 50, cursor } });
    for (const entry of found.items) {
      rows.append(h('tr', {},
        h('td', {}, when(entry.created_at)),
        h('td', {}, entry.user_id ? names.get(entry.user_id) || entry.user_id : 'system'),
        h('td', {}, `${entry.module} · ${entry.action}`),
        h('td', {}, [entry.resource_type, entry.resource_id].filter(Boolean).join(' ')),
        h('td', {}, entry.ip_address || ''),
        h('td', {}, entry.success ? 'ok' : h('span', { class: 'error' }, entry.error || 'failed'))));
    }
    if (!rows.children.length) clear(box, h('p', { class: 'muted' }, 'No activity matches.'));
    return found.next_cursor;
  });
  await page();
}
