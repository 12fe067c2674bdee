// Notification channels: the list, and a form to add one whose fields follow the chosen kind.
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { action, adminPage, field, form, input, live, outcome, section, select, table } from '../panels.js';

export const KINDS = {
  webhook: 'Webhook', email: 'Email', ntfy: 'ntfy', gotify: 'Gotify', discord: 'Discord', custom_webhook: 'Custom JSON webhook',
};

// The config fields of each kind: [name, label, attributes, hint].
const CONFIG = {
  webhook: [['url', 'URL', { type: 'url', required: true }]],
  email: [
    ['host', 'SMTP server', { required: true }], ['port', 'Port', { type: 'number', value: '587', min: 1, max: 65535 }],
    ['security', 'Security', { choices: [['starttls', 'STARTTLS'], ['tls', 'TLS'], ['none', 'None']] }],
    ['username', 'SMTP username', {}], ['from_address', 'From address', { type: 'email', required: true }],
    ['to', 'To (one address per line)', { textarea: true }],
  ],
  ntfy: [['url', 'Topic URL', { type: 'url', required: true, placeholder: 'https://ntfy.sh/my-media' }], ['priority', 'Priority (1–5)', { type: 'number', value: '3', min: 1, max: 5 }]],
  gotify: [['url', 'Gotify server', { type: 'url', required: true }], ['priority', 'Priority (0–10)', { type: 'number', value: '5', min: 0, max: 10 }]],
  discord: [['url', 'Webhook URL', { type: 'url', required: true }], ['username', 'Post as (name)', {}]],
  custom_webhook: [['url', 'URL', { type: 'url', required: true }], ['template', 'Body template (Jinja2 rendering JSON)', { textarea: true, required: true, value: '{"text": {{ event.title | tojson }}}' }]],
};
const SECRET = {
  webhook: 'Signing secret (optional)', email: 'SMTP password', ntfy: 'Access token (optional)',
  gotify: 'Application token', custom_webhook: 'Signing secret (optional)',
};

function configControl(kind, [name, label, attrs]) {
  const { choices, textarea, ...rest } = attrs;
  let el;
  if (choices) el = select(`config.${name}`, choices, choices[0][0]);
  else if (textarea) el = h('textarea', { name: `config.${name}`, rows: 3, required: rest.required }, rest.value || '');
  else el = input(`config.${name}`, rest);
  return field(label, el);
}

function configOf(kind, values) {
  const config = {};
  for (const [name, , attrs] of CONFIG[kind]) {
    let value = values[`config.${name}`];
    if (value === '' || value === null || value === undefined) continue;
    if (name === 'to') value = value.split('\n').map((v) => v.trim()).filter(Boolean);
    config[name] = attrs.type === 'number' ? Number(value) : value;
  }
  return config;
}

export default async function render(main) {
  const box = h('div');
  const report = outcome();
  const events = await api('/api/v1/admin/notifications/events');
  const adding = h('div');
  adminPage(main, 'Notifications', box, report.el, section('Add a channel', adding));
  const reload = live(box, async () => {
    const channels = await api('/api/v1/admin/notifications/channels');
    return table(['Channel', 'Kind', 'Events', 'State', ''], channels.map((c) => [
      h('a', { href: `/admin/notifications/${c.id}` }, c.name), KINDS[c.kind] || c.kind, c.events.join(', '),
      c.enabled ? 'On' : 'Off',
      action('Send a test', async () => {
        await api(`/api/v1/admin/notifications/channels/${c.id}/test`, { method: 'POST' });
        report.ok(`Test sent to ${c.name}; see its delivery log.`);
      }, { report }),
    ]), { empty: 'No channels yet.' });
  });

  const kind = select('kind', Object.entries(KINDS), 'webhook');
  const kindField = field('Kind', kind);
  function draw() {
    const chosen = kind.value;
    clear(adding, form([
      kindField,
      field('Name', input('name', { required: true, maxlength: 100 })),
      CONFIG[chosen].map((spec) => configControl(chosen, spec)),
      SECRET[chosen] ? field(SECRET[chosen], input('secret', { type: 'password', autocomplete: 'off', required: chosen === 'gotify' })) : null,
      h('fieldset', {}, h('legend', {}, 'Send on'),
        events.map((type) => field(type, h('input', { type: 'checkbox', name: `event:${type}`, checked: type !== 'system.test' })))),
    ], async (values, el) => {
      const body = {
        kind: chosen, name: values.name, config: configOf(chosen, values),
        events: events.filter((type) => values[`event:${type}`]),
      };
      if (values.secret) body.secret = values.secret;
      const created = await api('/api/v1/admin/notifications/channels', { method: 'POST', body });
      el.reset();
      reload();
      return `Channel “${created.name}” added.`;
    }, { submit: 'Add channel' }));
  }
  kind.addEventListener('change', draw);
  draw();
}
