// One job: its arguments, attempts and last error; retry a failed one, cancel a queued one.
import { api } from '../api.js';
import { h } from '../dom.js';
import { action, adminPage, outcome, section, table, when } from '../panels.js';

export default async function render(main, params, ctx) {
  const job = await api(`/api/v1/admin/jobs/${encodeURIComponent(params.id)}`);
  const report = outcome();
  const facts = [
    ['Task', job.task], ['Queue', job.queue || ''], ['State', h('span', { class: `status ${job.status}` }, job.status)],
    ['Priority', String(job.priority)], ['Attempts', job.attempts ?? ''], ['Created', when(job.created)],
    ['Runs after', when(job.execute_after)], ['Last heartbeat', when(job.heartbeat)], ['Updated', when(job.updated)],
    ['Deduplication key', job.dedupe_key || ''],
  ];
  const again = () => ctx.navigate(location.pathname, { replace: true });
  adminPage(main, `Job #${job.id}`,
    h('dl', { class: 'facts' }, facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    h('div', { class: 'actions' },
      job.status === 'failed' ? action('Retry', async () => { await api(`/api/v1/admin/jobs/${job.id}/retry`, { method: 'POST' }); report.ok('Queued again.'); again(); }, { report }) : null,
      job.status === 'queued' ? action('Cancel', async () => { await api(`/api/v1/admin/jobs/${job.id}/cancel`, { method: 'POST' }); report.ok('Cancelled.'); again(); }, { report, kind: 'danger' }) : null,
      h('a', { href: '/admin/jobs', class: 'button' }, 'All jobs')),
    report.el,
    job.error ? section('Last error', h('pre', { class: 'error-text' }, job.error)) : null,
    job.args ? section('Arguments', h('pre', { class: 'error-text' }, JSON.stringify(job.args, null, 2))) : null,
    section('History', table(['When', 'State', 'Error'], job.history.map((a) => [
      when(a.at), h('span', { class: `status ${a.status}` }, a.status), a.error ? h('pre', { class: 'error-text' }, a.error) : '',
    ]), { empty: 'No history yet.' })));
}
