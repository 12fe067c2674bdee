// One notification channel: switch it on or off, send a test, read its delivery log, delete it.
import { api } from '../api.js';
import { h } from '../dom.js';
import { action, adminPage, live, outcome, section, table, when } from '../panels.js';
import { KINDS } from './admin-notifications.js';

export default async function render(main, params, ctx) {
  const base = `/api/v1/admin/notifications/channels/${params.id}`;
  const channel = await api(base);
  const report = outcome();
  const log = h('div');
  const reloadLog = live(log, async () => {
    const page = await api(`${base}/attempts`, { query: { limit: 50 } });
    return table(['When', 'Event', 'To', 'Outcome', 'Code', 'Took', 'Error'], page.items.map((a) => [
      when(a.created_at), a.event_type, a.recipient || '', h('span', { class: `status ${a.status}` }, a.status),
      a.response_code ?? '', `${a.duration_ms} ms`, a.error || '',
    ]), { empty: 'Nothing sent yet.' });
  });
  adminPage(main, channel.name,
    h('dl', { class: 'facts' },
      h('dt', {}, 'Kind'), h('dd', {}, KINDS[channel.kind] || channel.kind),
      h('dt', {}, 'Sends on'), h('dd', {}, channel.events.join(', ')),
      h('dt', {}, 'Settings'), h('dd', {}, h('code', {}, JSON.stringify(channel.config))),
      h('dt', {}, 'Secret'), h('dd', {}, channel.has_secret ? 'set (hidden)' : 'none'),
      h('dt', {}, 'State'), h('dd', {}, channel.enabled ? 'On' : 'Off')),
    h('div', { class: 'actions' },
      action('Send a test', async () => {
        await api(`${base}/test`, { method: 'POST' });
        report.ok('Test queued; the delivery log updates below.');
        setTimeout(reloadLog, 1500);
      }, { report }),
      action(channel.enabled ? 'Turn off' : 'Turn on', async () => {
        await api(base, { method: 'PATCH', body: { enabled: !channel.enabled } });
        ctx.navigate(location.pathname, { replace: true });
      }, { report }),
      action('Refresh log', async () => reloadLog(), { report }),
      action('Delete channel', async () => {
        await api(base, { method: 'DELETE' });
        ctx.navigate('/admin/notifications');
      }, { report, kind: 'danger', confirm: `Delete the channel “${channel.name}”?` })),
    report.el,
    section('Delivery log', log));
}
