// Jobs: filter by state, queue or task, page back through them; periodic tasks with "run now".
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { action, adminPage, field, input, live, olderPages, outcome, section, select, table, when } from '../panels.js';

const STATUSES = ['queued', 'running', 'failed', 'completed', 'errored', 'cancelled'];
const QUEUES = ['', 'scan', 'metadata', 'images', 'search', 'maintenance', 'notifications', 'integrations'];

export default async function render(main, params, ctx) {
  const query = new URLSearchParams(location.search);
  const filters = {
    status: STATUSES.includes(query.get('status')) ? query.get('status') : 'queued',
    queue: query.get('queue') || '',
    task: query.get('task') || '',
  };
  const results = h('div');
  const status = select('status', STATUSES.map((s) => [s, s]), filters.status);
  const queue = select('queue', QUEUES.map((q) => [q, q || 'any']), filters.queue);
  const task = input('task', { value: filters.task, maxlength: 100, placeholder: 'e.g. libraries.scan' });
  const bar = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter jobs' },
    field('State', status), field('Queue', queue), field('Task', task), h('button', { type: 'submit' }, 'Filter'));
  bar.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams({ status: status.value });
    if (queue.value) next.set('queue', queue.value);
    if (task.value.trim()) next.set('task', task.value.trim());
    ctx.navigate(`/admin/jobs?${next}`, { replace: true });
  });
  status.addEventListener('change', () => bar.requestSubmit());
  queue.addEventListener('change', () => bar.requestSubmit());
  const report = outcome();
  const periodic = h('div');
  adminPage(main, 'Jobs', bar, results, report.el, section('Periodic tasks', periodic));

  const rows = h('tbody');
  const more = h('button', { type: 'button' }, 'Older jobs');
  const page = olderPages(more, results, async (before) => {
    const found = await api('/api/v1/admin/jobs', { query: { ...filters, limit: 50, before } });
    for (const job of found.items) {
      rows.append(h('tr', {},
        h('td', {}, h('a', { href: `/admin/jobs/${job.id}` }, `#${job.id}`)),
        h('td', {}, job.task), h('td', {}, job.queue || ''),
        h('td', {}, h('span', { class: `status ${job.status}` }, job.status)),
        h('td', {}, job.attempts ?? ''), h('td', {}, when(job.updated))));
    }
    if (!rows.children.length) clear(results, h('p', { class: 'muted' }, `No ${filters.status} jobs.`));
    return found.next_before;
  });
  clear(results, h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('thead', {}, h('tr', {}, ['Job', 'Task', 'Queue', 'State', 'Attempts', 'Updated'].map((t) => h('th', { scope: 'col' }, t)))),
    rows)), more);
  await page();

  const reloadPeriodic = live(periodic, async () => {
    const tasks = await api('/api/v1/admin/jobs/periodic');
    return table(['Name', 'Schedule', 'Task', 'Last run', 'Next run', ''], tasks.map((t) => [
      t.name, h('code', {}, t.cron), t.task, when(t.last_run), when(t.next_run),
      action('Run now', async () => {
        const done = await api(`/api/v1/admin/jobs/periodic/${encodeURIComponent(t.name)}/run`, { method: 'POST' });
        report.ok(done.deduplicated ? `${t.name} is already queued.` : `${t.name} queued as job #${done.job_id}.`);
        reloadPeriodic();
      }, { report }),
    ]), { empty: 'No periodic tasks.' });
  });
}
