// One library: edit it, scan it now and watch the scan's progress, its scan history, and the
// files that failed to read or went missing.
import { api } from '../api.js';
import { h, clear, errorBox } from '../dom.js';
import { action, adminPage, bytes, field, form, input, live, outcome, section, table, when } from '../panels.js';
import { onLive, SCAN_EVENTS } from '../live.js';

export const TYPES = { movie: 'Movies', tv: 'TV shows', music: 'Music', audiobook: 'Audiobooks', podcast: 'Podcasts' };
const ACTIVE = new Set(['queued', 'running']);

function counters(scan) {
  return h('span', { class: 'counters' },
    h('span', {}, `${scan.files_processed}/${scan.files_seen} files`),
    scan.files_added ? h('span', {}, `${scan.files_added} added`) : null,
    scan.files_updated ? h('span', {}, `${scan.files_updated} updated`) : null,
    scan.files_moved ? h('span', {}, `${scan.files_moved} moved`) : null,
    scan.files_missing ? h('span', {}, `${scan.files_missing} missing`) : null,
    scan.files_failed ? h('span', {}, `${scan.files_failed} failed`) : null);
}

export function scanSummary(scan) {
  if (!scan) return h('span', { class: 'muted' }, 'never scanned');
  const active = ACTIVE.has(scan.status);
  const label = active
    ? `${scan.status === 'queued' ? 'Queued' : 'Scanning'}${scan.phase ? ` (${scan.phase})` : ''}`
    : `${scan.status === 'completed' ? 'Finished' : scan.status} ${when(scan.finished_at || scan.started_at)}`;
  return h('div', { class: 'scan-progress', dataset: { status: scan.status } },
    h('span', { class: `status ${scan.status}` }, label), ' ',
    active ? h('progress', {
      max: Math.max(1, scan.files_seen), value: scan.files_processed,
      'aria-label': `Scan progress of ${scan.files_seen} files`,
    }) : null,
    counters(scan),
    scan.error ? h('p', { class: 'error' }, scan.error) : null);
}

// Keeps `el` showing the library's latest scan: read again at each live scan event of this
// library, and without one every five seconds while a scan is queued or running, every thirty
// otherwise (a stream cut by a proxy must not freeze the page). Returns the stop function.
export function scanProgress(el, libraryId, { onFinish } = {}) {
  let timer = 0;
  let stopped = false;
  let wasActive = false;
  let round = 0;
  async function tick(mine) {
    let delay = 30_000;
    try {
      const [scan] = await api(`/api/v1/libraries/${libraryId}/scans`, { query: { limit: 1 } });
      if (stopped || mine !== round) return;
      clear(el, scanSummary(scan));
      const active = Boolean(scan && ACTIVE.has(scan.status));
      if (wasActive && !active && onFinish) onFinish(scan);
      wasActive = active;
      if (active) delay = 5000;
    } catch (error) {
      if (stopped || mine !== round) return;
      clear(el, errorBox(error));
    }
    timer = setTimeout(() => tick(mine), delay);
  }
  // Asked again at once (after "Scan now"), without a second polling loop.
  function restart() { round += 1; clearTimeout(timer); tick(round); }
  restart();
  const unsubscribe = onLive(SCAN_EVENTS, (event) => {
    if (event.data?.library_id === libraryId) restart();
  });
  const stop = () => { stopped = true; clearTimeout(timer); unsubscribe(); };
  stop.restart = restart;
  return stop;
}

export default async function render(main, params, ctx) {
  const base = `/api/v1/libraries/${params.id}`;
  const library = await api(base);
  const report = outcome();
  const progress = h('div');
  const history = h('div');
  const failed = h('div');
  const missing = h('div');
  const reloadHistory = live(history, async () => {
    const scans = await api(`${base}/scans`, { query: { limit: 10 } });
    return table(['Started', 'Kind', 'Outcome', 'Files'], scans.map((s) => [
      when(s.started_at), s.type, h('span', { class: `status ${s.status}` }, s.status), counters(s),
    ]), { empty: 'No scans yet.' });
  });
  const reloadFailed = live(failed, async () => {
    const page = await api(`${base}/failed-files`, { query: { limit: 100 } });
    return h('div', {}, h('p', { class: 'muted' }, `${page.total} file(s) could not be read.`),
      table(['File', 'Size', 'Reason', 'Seen'], page.items.map((f) => [f.path, bytes(f.size), f.reason || '', when(f.updated_at)]), { empty: '' }));
  });
  const reloadMissing = live(missing, async () => {
    const page = await api(`${base}/missing-files`, { query: { limit: 100 } });
    return h('div', {}, h('p', { class: 'muted' }, `${page.total} file(s) are missing; they are removed when the grace period ends, or come back if they reappear.`),
      table(['File', 'Size', 'Missing since'], page.items.map((f) => [f.path, bytes(f.size), when(f.missing_since)]), { empty: '' }));
  });
  const stop = scanProgress(progress, library.id, {
    onFinish: () => { reloadHistory(); reloadFailed(); reloadMissing(); },
  });
  const scan = (type) => action(type === 'full' ? 'Full rescan' : 'Scan now', async () => {
    await api(`${base}/scans`, { method: 'POST', body: { type } });
    report.ok(type === 'full' ? 'Full rescan queued.' : 'Scan queued.');
    stop.restart();
  }, { report });

  adminPage(main, library.name,
    section('Scan', progress, h('div', { class: 'actions' }, scan('incremental'), scan('full')), report.el),
    section('Settings', editForm(library, base)),
    section('Scan history', history),
    section('Files that failed', failed),
    section('Missing files', missing),
    section('Remove', h('p', {}, 'Removes the library and its items from the server; the files on disk are not touched.'),
      action('Remove library', async () => {
        await api(base, { method: 'DELETE' });
        ctx.navigate('/admin/libraries');
      }, { kind: 'danger', report, confirm: `Remove the library “${library.name}”? Watch history of its items is lost.` })));
  return stop;
}

function editForm(library, base) {
  return form([
    field('Name', input('name', { required: true, maxlength: 200, value: library.name })),
    field('Kind', input('kind', { value: TYPES[library.type] || library.type, disabled: true })),
    field('Folders', h('textarea', { name: 'paths', rows: Math.max(2, library.paths.length), required: true }, library.paths.join('\n')), 'One folder per line.'),
    field('Preferred metadata language', input('preferred_language', { value: library.preferred_language || '', maxlength: 16, placeholder: 'e.g. en' })),
    field('Enabled (scanned and shown)', h('input', { type: 'checkbox', name: 'enabled', checked: library.enabled })),
  ], async (values) => {
    const paths = values.paths.split('\n').map((p) => p.trim()).filter(Boolean);
    await api(base, { method: 'PATCH', body: {
      name: values.name, paths, enabled: values.enabled, preferred_language: values.preferred_language || null,
    } });
    return 'Saved.';
  });
}
