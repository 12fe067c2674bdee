// Home: scans in progress, continue watching/listening, next up, recently added per library.
import { api } from '../api.js';
import { h, clear, errorBox } from '../dom.js';
import { itemCard, loadCovers } from '../items.js';
import { onLive, SCAN_EVENTS } from '../live.js';

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
  let running = false;
  let again = false;
  let shelvesTimer = null;
  const unsubscribe = [];

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

  // Scan progress: each library's latest scan, read again whenever a live scan event arrives,
  // and now and then without one (a stream cut by a proxy must not freeze the page).
  async function pollScans() {
    if (stopped) return;
    if (running) { again = true; return; }
    running = true;
    clearTimeout(timer);
    try {
      await readScans();
    } finally {
      running = false;
    }
    if (stopped) return;
    timer = setTimeout(pollScans, again ? 0 : wasScanning ? 5000 : 30000);
    again = false;
  }

  async function readScans() {
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
  }

  // New items reach the shelves as they are announced (one reload for a burst of them).
  function itemsAdded() {
    clearTimeout(shelvesTimer);
    shelvesTimer = setTimeout(() => { if (!stopped) loadShelves().catch(() => {}); }, 500);
  }

  try {
    libraries = await api('/api/v1/libraries');
    // Scans first: one that ends after this look is seen ending by a later poll, which shows
    // its items; one that ended before it is already in the shelves loaded next.
    unsubscribe.push(onLive(['item.added'], itemsAdded));
    if (ctx.admin) { // scan progress is for administrators
      unsubscribe.push(onLive(SCAN_EVENTS, () => pollScans()));
      await pollScans();
    }
    await loadShelves();
  } catch (error) {
    main.append(errorBox(error));
  }
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(shelvesTimer);
    unsubscribe.forEach((stop) => stop());
  };
}
