// Server settings: a typed form built from the settings registry (GET /api/v1/admin/settings),
// grouped by their first name part. Only changed values are sent, all at once, and checked by
// the server before any is stored; a 422 names the setting.
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { action, adminPage, field, live, outcome, section } from '../panels.js';

function control(setting) {
  const name = setting.key;
  if (setting.type === 'bool') return h('input', { type: 'checkbox', name, checked: setting.value === true });
  if (setting.choices) {
    return h('select', { name }, setting.choices.map((c) => h('option', { value: c, selected: c === setting.value }, String(c))));
  }
  if (setting.type === 'int' || setting.type === 'float') {
    return h('input', {
      type: 'number', name, value: String(setting.value), step: setting.type === 'int' ? '1' : 'any',
      min: setting.minimum ?? null, max: setting.maximum ?? null, required: true,
    });
  }
  if (setting.type === 'list') {
    return h('textarea', { name, rows: Math.max(2, setting.value.length + 1) }, setting.value.join('\n'));
  }
  return h('input', {
    type: 'text', name, value: setting.value ?? '', pattern: setting.pattern ?? null,
    minlength: setting.minimum ?? null, maxlength: setting.maximum ?? null,
  });
}

function read(setting, el) {
  if (setting.type === 'bool') return el.checked;
  if (setting.type === 'int' || setting.type === 'float') return Number(el.value);
  if (setting.type === 'list') return el.value.split('\n').map((v) => v.trim()).filter(Boolean);
  return el.value;
}

function hint(setting) {
  const parts = [setting.description];
  parts.push(setting.source === 'default' ? 'Default.' : `Set (${setting.source}); default ${JSON.stringify(setting.default)}.`);
  if (setting.restart_required) parts.push('Takes effect after a restart.');
  return parts.join(' ');
}

export default async function render(main) {
  const box = h('div');
  const report = outcome();
  adminPage(main, 'Server settings', report.el, box);
  const reload = live(box, async () => {
    const settings = await api('/api/v1/admin/settings');
    const controls = new Map();
    const groups = new Map();
    for (const setting of settings) {
      const group = setting.key.split('.')[0];
      if (!groups.has(group)) groups.set(group, []);
      const el = control(setting);
      controls.set(setting.key, [setting, el]);
      groups.get(group).push(h('div', { class: 'setting' },
        field(setting.key, el, hint(setting)),
        setting.source === 'stored' ? action('Reset to default', async () => {
          await api(`/api/v1/admin/settings/${encodeURIComponent(setting.key)}`, { method: 'DELETE' });
          report.ok(`${setting.key} is back to its default.`);
          reload();
        }, { report, kind: 'link' }) : null));
    }
    const form = h('form', { class: 'stack' },
      [...groups].map(([group, fields]) => section(group[0].toUpperCase() + group.slice(1), fields)),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save changes')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const values = {};
      for (const [key, [setting, el]] of controls) {
        const value = read(setting, el);
        if (JSON.stringify(value) !== JSON.stringify(setting.value)) values[key] = value;
      }
      if (!Object.keys(values).length) { report.ok('Nothing changed.'); return; }
      try {
        await api('/api/v1/admin/settings', { method: 'PATCH', body: { values } });
        report.ok(`Saved ${Object.keys(values).join(', ')}.`);
        reload();
      } catch (error) {
        report.fail(error);
        const key = error.problem?.key;
        if (key && controls.has(key)) controls.get(key)[1].focus();
      }
    });
    return form;
  });
}
