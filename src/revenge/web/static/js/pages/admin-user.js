// One user: role, state and password; which libraries they see; their sessions; two-factor reset.
import { api } from '../api.js';
import { h } from '../dom.js';
import { action, adminPage, field, form, input, live, outcome, section, select, table, when } from '../panels.js';

export default async function render(main, params, ctx) {
  const base = `/api/v1/users/${params.id}`;
  const [user, access, libraries] = await Promise.all([
    api(base), api(`${base}/libraries`), api('/api/v1/libraries'),
  ]);
  const report = outcome();
  const sessions = h('div');
  const reloadSessions = live(sessions, async () => {
    const rows = await api(`/api/v1/admin/users/${user.id}/sessions`);
    return table(['Device', 'App', 'Address', 'Last active', ''], rows.map((s) => [
      s.device_name || s.user_agent || 'Unknown device', s.client_name || '', s.ip_address || '', when(s.last_activity_at),
      action('Sign out', async () => { await api(`/api/v1/admin/sessions/${s.id}`, { method: 'DELETE' }); reloadSessions(); }, { report }),
    ]), { empty: 'Not signed in anywhere.' });
  });
  const chosen = new Set(access.library_ids);
  adminPage(main, user.display_name || user.username,
    section('Account', form([
      field('Username', input('username', { required: true, value: user.username, maxlength: 64 })),
      field('Display name', input('display_name', { value: user.display_name || '', maxlength: 100 })),
      field('Role', select('role', [['user', 'User'], ['admin', 'Administrator']], user.role)),
      field('Disabled (cannot sign in; signed out at once)', h('input', { type: 'checkbox', name: 'disabled', checked: user.disabled })),
      field('New password', input('password', { type: 'password', autocomplete: 'new-password' }), 'Leave empty to keep the current one.'),
    ], async (values) => {
      const body = { username: values.username, display_name: values.display_name || null, role: values.role, disabled: values.disabled };
      if (values.password) body.password = values.password;
      await api(base, { method: 'PATCH', body });
      return 'Saved.';
    })),
    section('Library access', form([
      field('Sees every library, including ones added later', h('input', { type: 'checkbox', name: 'all_libraries', checked: access.all_libraries })),
      h('fieldset', {}, h('legend', {}, 'Or only these'),
        libraries.length ? libraries.map((l) => field(l.name, h('input', { type: 'checkbox', name: `library:${l.id}`, checked: chosen.has(l.id) })))
          : h('p', { class: 'muted' }, 'No libraries yet.')),
    ], async (values) => {
      const ids = libraries.filter((l) => values[`library:${l.id}`]).map((l) => l.id);
      await api(`${base}/libraries`, { method: 'PUT', body: { all_libraries: values.all_libraries, library_ids: ids } });
      return 'Library access saved.';
    })),
    section('Sessions', sessions,
      action('Sign out everywhere', async () => {
        const done = await api(`/api/v1/admin/users/${user.id}/sessions`, { method: 'DELETE' });
        report.ok(`${done.revoked} session(s) signed out.`);
        reloadSessions();
      }, { report })),
    section('Two-factor sign-in',
      h('p', {}, 'If they lost their phone and recovery codes, turn it off; they can set it up again.'),
      action('Turn off two-factor sign-in', async () => {
        await api(`/api/v1/admin/users/${user.id}/2fa`, { method: 'DELETE' });
        report.ok('Two-factor sign-in is off for this user.');
      }, { report, confirm: 'Turn off two-factor sign-in for this user?' })),
    section('Delete',
      action('Delete account', async () => {
        await api(base, { method: 'DELETE' });
        ctx.navigate('/admin/users');
      }, { kind: 'danger', report, confirm: `Delete ${user.username} with their playlists and watch history?` })),
    report.el);
}
