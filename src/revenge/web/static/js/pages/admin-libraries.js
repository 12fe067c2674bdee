// Libraries: the list with each one's latest scan (live while one runs), and a form to add one.
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { action, adminPage, field, form, input, live, outcome, section, select, table } from '../panels.js';
import { scanProgress, TYPES } from './admin-library.js';

export default async function render(main) {
  const box = h('div');
  const report = outcome();
  const watchers = [];
  adminPage(main, 'Libraries', box, report.el, section('Add a library', addForm()));
  const reload = live(box, async () => {
    watchers.splice(0).forEach((stop) => stop());
    const libraries = await api('/api/v1/libraries');
    return table(['Name', 'Kind', 'Folders', 'Last scan', ''], libraries.map((library) => {
      const progress = h('div', { class: 'scan-cell' });
      watchers.push(scanProgress(progress, library.id));
      return [
        h('a', { href: `/admin/libraries/${library.id}` }, library.name),
        TYPES[library.type] || library.type,
        library.paths.join(', '),
        progress,
        action('Scan now', async () => {
          await api(`/api/v1/libraries/${library.id}/scans`, { method: 'POST', body: { type: 'incremental' } });
          report.ok(`Scan of ${library.name} queued.`);
          reload();
        }, { report }),
      ];
    }), { empty: 'No libraries yet: add one below.', caption: 'Libraries' });
  });

  function addForm() {
    return form([
      field('Name', input('name', { required: true, maxlength: 200 })),
      field('Kind', select('type', Object.entries(TYPES), 'movie')),
      field('Folders', h('textarea', { name: 'paths', rows: 2, required: true }), 'One folder per line, as the server sees it.'),
    ], async (values, el) => {
      const paths = values.paths.split('\n').map((p) => p.trim()).filter(Boolean);
      const created = await api('/api/v1/libraries', { method: 'POST', body: { name: values.name, type: values.type, paths } });
      el.reset();
      reload();
      return `Library “${created.name}” added; its first scan is queued.`;
    }, { submit: 'Add library' });
  }
  return () => watchers.forEach((stop) => stop());
}
