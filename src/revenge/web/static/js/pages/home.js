// Home: scans in progress, continue watching/listening, next up, recently added per library.
import { api } from '../api.js';
import { h, clear, errorBox } from '../dom.js';
import { itemCard, loadCovers } from '../items.js';

function shelf(title, cards) {
  if (!cards.length) return null;
  return h('section', { 'aria-label': title }, h('h2', {}, title), h('div', { class: 'shelf' }, cards));
}

function scanLine(library, scan) {
  const done = scan.files_processed;
  const total = Math.max(scan.files_seen, done);
  return h('div', { class: 'scan-progress', role: 'status' },
    h('span', {}, `Scanning ${library.name}: `, scan.phase || scan.status, total ? ` (${done} of ${total} files)` : ''),
    h('progress', { max: total || 1, value: total ? done : 0, 'aria-label': `Scan of ${library.name}` }));
}

export default async function render(main, params, ctx) {
  const scans = h('div', { class: 'scans', 'aria-live': 'polite' });
  const shelves = h('div');
  main.append(h('h1', { class: 'visually-hidden' }, 'Home'), scans, shelves);
  let libraries = [];
  let timer = null;
  let stopped = false;
  let wasScanning = false;
  let polls = 0;

  async function loadShelves() {
    const [resume, next, recent] = await Promise.all([
      api('/api/v1/me/continue-watching', { query: { limit: 20 } }),
      api('/api/v1/me/next-up', { query: { limit: 20 } }),
      api('/api/v1/me/recently-added', { query: { limit: 100 } }),
    ]);
    const covers = await loadCovers([...resume, ...next, ...recent].flatMap((i) => [i.id, i.series_id]));
    const progress = (i) => (i.duration_seconds ? i.position_seconds / i.duration_seconds : null);
    const sections = [
      shelf('Continue watching and listening', resume.map((i) => itemCard(i.kind, i, covers, { progress: progress(i) }))),
      shelf('Next up', next.map((i) => itemCard(i.kind, i, covers))),
    ];
    for (const library of libraries) {
      const items = recent.filter((i) => i.library_id === library.id);
      sections.push(shelf(`Recently added in ${library.name}`, items.map((i) => itemCard(i.kind, i, covers))));
    }
    const shown = sections.filter(Boolean);
    if (!shown.length) {
      shown.push(h('p', { class: 'muted' }, libraries.length
        ? 'Nothing here yet: your libraries are empty or still being scanned.'
        : ctx.admin ? h('span', {}, 'No libraries yet. ', h('a', { href: '/setup' }, 'Add a library')) : 'No libraries are shared with you yet.'));
    }
    clear(shelves, shown);
  }

  // Scan progress by polling each library's latest scan (works on every node and proxy).
  async function pollScans() {
    if (stopped) return;
    const lines = [];
    let scanning = false;
    for (const library of libraries) {
      try {
        const [latest] = await api(`/api/v1/libraries/${library.id}/scans`, { query: { limit: 1 } });
        if (latest && (latest.status === 'running' || latest.status === 'queued' || latest.status === 'pending')) {
          scanning = true;
          lines.push(scanLine(library, latest));
        } else if (latest && wasScanning && latest.status === 'completed') {
          lines.push(h('p', { class: 'ok scan-done' }, `Scan of ${library.name} finished: ${latest.files_added} added.`));
        }
      } catch { /* a library may vanish meanwhile */ }
    }
    if (stopped) return;
    clear(scans, lines);
    // New items show while a scan runs (every few polls) and once more when it ends.
    polls += 1;
    if ((wasScanning && !scanning) || (scanning && polls % 3 === 0)) await loadShelves().catch(() => {});
    wasScanning = scanning;
    timer = setTimeout(pollScans, scanning ? 1000 : 5000);
  }

  try {
    libraries = await api('/api/v1/libraries');
    // Scans first: one that ends after this look is seen ending by a later poll, which shows
    // its items; one that ended before it is already in the shelves loaded next.
    if (ctx.admin) await pollScans(); // scan progress is for administrators
    await loadShelves();
  } catch (error) {
    main.append(errorBox(error));
  }
  return () => { stopped = true; clearTimeout(timer); };
}
