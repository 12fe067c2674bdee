// Provider keys: each metadata provider with its stored key masked, a field to set or replace
// it, a button asking the provider whether it works, and removal.
import { api } from '../api.js';
import { h } from '../dom.js';
import { action, adminPage, live, outcome, table, when } from '../panels.js';

export default async function render(main) {
  const box = h('div');
  const report = outcome();
  adminPage(main, 'Provider keys',
    h('p', { class: 'muted' }, 'Keys for metadata providers are stored encrypted and only ever shown masked.'),
    report.el, box);
  const reload = live(box, async () => {
    const [providers, stored] = await Promise.all([
      api('/api/v1/admin/credentials/providers'), api('/api/v1/admin/credentials'),
    ]);
    const byService = new Map(stored.map((c) => [c.service, c]));
    return table(['Provider', 'Key', 'Last used', 'Set a new key', ''], providers.map((p) => {
      const current = byService.get(p.service);
      const value = h('input', { type: 'password', name: 'value', autocomplete: 'off', 'aria-label': `New key for ${p.name}`, maxlength: 4096 });
      const save = h('form', { class: 'inline' }, value, h('button', { type: 'submit' }, 'Save'));
      save.addEventListener('submit', async (event) => {
        event.preventDefault();
        if (!value.value.trim()) return;
        try {
          await api(`/api/v1/admin/credentials/${p.service}`, { method: 'PUT', body: { value: value.value } });
          report.ok(`Key for ${p.name} saved.`);
          reload();
        } catch (error) { report.fail(error); }
      });
      return [
        p.name,
        current ? h('code', {}, current.masked_value) : h('span', { class: 'muted' }, 'none'),
        current ? when(current.last_used_at) : '',
        save,
        current ? h('div', { class: 'actions' },
          action('Test', async () => {
            const result = await api(`/api/v1/admin/credentials/${p.service}/test`, { method: 'POST' });
            if (result.ok) report.ok(`${p.name}: the key works.`);
            else report.fail(`${p.name}: ${result.detail || 'the key was refused'}.`);
          }, { report }),
          action('Remove', async () => {
            await api(`/api/v1/admin/credentials/${p.service}`, { method: 'DELETE' });
            report.ok(`Key for ${p.name} removed.`);
            reload();
          }, { report, kind: 'danger', confirm: `Remove the key for ${p.name}?` })) : '',
      ];
    }), { caption: 'Metadata providers' });
  });
}
