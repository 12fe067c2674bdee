// Administration overview: counts that need attention, and maintenance mode.
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { action, adminPage, live, outcome } from '../panels.js';

export default async function render(main) {
  const tiles = h('div', { class: 'tiles' });
  const maintenance = h('div');
  adminPage(main, 'Administration', tiles, maintenance);
  const [libraries, users, queued, failed] = await Promise.all([
    api('/api/v1/libraries'),
    api('/api/v1/users', { query: { limit: 1 } }),
    api('/api/v1/admin/jobs', { query: { status: 'queued', limit: 500 } }),
    api('/api/v1/admin/jobs', { query: { status: 'failed', limit: 500 } }),
  ]);
  const tile = (href, count, label) => h('a', { class: 'tile', href }, h('strong', {}, String(count)), label);
  clear(tiles,
    tile('/admin/libraries', libraries.length, 'libraries'),
    tile('/admin/users', users.total, 'users'),
    tile('/admin/jobs?status=queued', queued.items.length + (queued.next_before ? '+' : ''), 'jobs waiting'),
    tile('/admin/jobs?status=failed', failed.items.length + (failed.next_before ? '+' : ''), 'failed jobs'));
  const report = outcome();
  const reload = live(maintenance, async () => {
    const setting = await api('/api/v1/admin/settings/maintenance.mode');
    const on = setting.value === true;
    return h('section', { class: `panel${on ? ' maintenance-on' : ''}` },
      h('h2', {}, 'Maintenance mode'),
      h('p', {}, on
        ? 'On: only administrators can use the server; everyone else is told it is under maintenance.'
        : 'Off: everyone can use the server.'),
      action(on ? 'Turn maintenance mode off' : 'Turn maintenance mode on', async () => {
        await api('/api/v1/admin/settings/maintenance.mode', { method: 'PUT', body: { value: !on } });
        report.ok(on ? 'Maintenance mode is off.' : 'Maintenance mode is on.');
        reload();
      }, { report, confirm: on ? null : 'Turn maintenance mode on? Users other than administrators are refused until it is off.' }),
      report.el);
  });
}
