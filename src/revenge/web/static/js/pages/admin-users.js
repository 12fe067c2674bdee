// Users: everyone with their role and state, and a form to add an account.
import { api } from '../api.js';
import { h } from '../dom.js';
import { adminPage, field, form, input, live, section, select, table, when } from '../panels.js';

export default async function render(main) {
  const box = h('div');
  adminPage(main, 'Users', box, section('Add a user', form([
    field('Username', input('username', { required: true, maxlength: 64, autocomplete: 'off' })),
    field('Password', input('password', { type: 'password', required: true, autocomplete: 'new-password' })),
    field('Display name', input('display_name', { maxlength: 100 })),
    field('Role', select('role', [['user', 'User'], ['admin', 'Administrator']], 'user')),
    field('Sees every library', h('input', { type: 'checkbox', name: 'all_libraries', checked: true }), 'Untick to choose libraries on the user’s page.'),
  ], async (values, el) => {
    const body = { ...values };
    if (!body.display_name) delete body.display_name;
    const created = await api('/api/v1/users', { method: 'POST', body });
    el.reset();
    reload();
    return `Account “${created.username}” created.`;
  }, { submit: 'Add user' })));
  const reload = live(box, async () => {
    const page = await api('/api/v1/users', { query: { limit: 500 } });
    return table(['User', 'Role', 'Libraries', 'State', 'Last sign-in'], page.items.map((u) => [
      h('a', { href: `/admin/users/${u.id}` }, u.display_name ? `${u.display_name} (${u.username})` : u.username),
      u.role === 'admin' ? 'Administrator' : 'User',
      u.all_libraries ? 'All' : 'Chosen',
      u.disabled ? h('span', { class: 'status failed' }, 'Disabled') : 'Active',
      when(u.last_login_at),
    ]), { caption: `${page.total} account(s)` });
  });
}
