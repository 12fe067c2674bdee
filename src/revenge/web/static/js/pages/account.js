// Account: password, two-factor sign-in, sessions, personal access keys, Subsonic app passwords.
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { action, field, form, input, live, outcome, section, shownOnce, table, when } from '../panels.js';

export default async function render(main, params, ctx) {
  const me = await api('/api/v1/users/me');
  main.classList.add('account-page');
  main.append(
    h('h1', {}, 'Your account'),
    h('p', { class: 'muted' }, `Signed in as ${me.username}${me.role === 'admin' ? ' (administrator)' : ''}.`),
    passwordSection(me),
    twoFactorSection(),
    sessionsSection(),
    accessKeysSection(),
    appPasswordsSection());
}

function passwordSection(me) {
  if (!me.has_password) {
    return section('Password', h('p', { class: 'muted' }, 'This account signs in through an identity provider.'));
  }
  const current = input('current_password', { type: 'password', autocomplete: 'current-password', required: true });
  const fresh = input('new_password', { type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const others = h('input', { type: 'checkbox', name: 'end_other_sessions', checked: true });
  return section('Password', form([
    field('Current password', current),
    field('New password', fresh),
    field('Sign out my other sessions', others),
  ], async (values, el) => {
    const done = await api('/api/v1/users/me/password', { method: 'POST', body: values });
    el.reset();
    return `Password changed. ${done.ended_sessions} other session(s) signed out.`;
  }, { submit: 'Change password' }));
}

function twoFactorSection() {
  const box = h('div');
  const report = outcome();
  const reload = live(box, async () => {
    const status = await api('/api/v1/me/2fa');
    if (!status.enabled) {
      return h('div', {},
        h('p', {}, 'Two-factor sign-in is off. Turn it on to ask for a code from an authenticator app at each sign-in.'),
        action('Set up two-factor sign-in', async () => clear(box, await enrolment(reload, report)), { report }));
    }
    const code = input('code', { inputmode: 'numeric', autocomplete: 'one-time-code', required: true });
    return h('div', {},
      h('p', {}, `On since ${when(status.enabled_at)}; ${status.recovery_codes_left} recovery code(s) left.`),
      form([field('Code from your app (or a recovery code)', code)], async (values) => {
        await api('/api/v1/me/2fa/disable', { method: 'POST', body: values });
        reload();
        return 'Two-factor sign-in is off.';
      }, { submit: 'Turn off', report }));
  });
  return section('Two-factor sign-in', box, report.el);
}

async function enrolment(reload, report) {
  const setup = await api('/api/v1/me/2fa/setup', { method: 'POST' });
  const code = input('code', { inputmode: 'numeric', autocomplete: 'one-time-code', required: true, pattern: '[0-9 ]{6,8}' });
  const codes = h('div');
  return h('div', {},
    h('p', {}, 'Add this account to your authenticator app with the key below (or open the link on your phone), then enter the code it shows.'),
    h('p', {}, h('code', { class: 'secret' }, setup.secret)),
    h('p', {}, h('a', { href: setup.provisioning_uri }, 'Open in an authenticator app')),
    form([field('Code', code)], async (values, el) => {
      const done = await api('/api/v1/me/2fa/enable', { method: 'POST', body: values });
      el.remove();
      clear(codes, shownOnce('Recovery codes', done.recovery_codes.join('\n')),
        h('button', { type: 'button', onclick: reload }, 'Done'));
      return 'Two-factor sign-in is on.';
    }, { submit: 'Turn on', report }),
    codes);
}

function sessionsSection() {
  const box = h('div');
  const report = outcome();
  const reload = live(box, async () => {
    const sessions = await api('/api/v1/sessions');
    return table(['Device', 'App', 'Address', 'Signed in', 'Last active', ''], sessions.map((s) => [
      s.device_name || s.user_agent || 'Unknown device',
      [s.client_name, s.client_version].filter(Boolean).join(' '),
      s.ip_address || '',
      when(s.created_at),
      when(s.last_activity_at),
      s.current ? h('strong', {}, 'This browser') : action('Sign out', async () => {
        await api(`/api/v1/sessions/${s.id}`, { method: 'DELETE' });
        reload();
      }, { report }),
    ]), { caption: 'Where you are signed in' });
  });
  return section('Sessions', box,
    action('Sign out all other sessions', async () => {
      const done = await api('/api/v1/sessions/revoke-others', { method: 'POST' });
      report.ok(`${done.revoked} other session(s) signed out.`);
      reload();
    }, { report }),
    report.el);
}

function accessKeysSection() {
  const box = h('div');
  const shown = h('div');
  const reload = live(box, async () => {
    const keys = await api('/api/v1/access-keys');
    return table(['Name', 'Starts with', 'Scopes', 'Created', 'Last used', 'Expires', ''], keys.map((k) => [
      k.name, h('code', {}, k.prefix), k.scopes.join(', '), when(k.created_at), when(k.last_used_at),
      k.expires_at ? when(k.expires_at) : 'never',
      action('Revoke', async () => { await api(`/api/v1/access-keys/${k.id}`, { method: 'DELETE' }); reload(); },
        { confirm: `Revoke the key “${k.name}”? Apps using it stop working.` }),
    ]), { empty: 'No access keys.' });
  });
  const scope = h('select', { name: 'scope' },
    h('option', { value: 'read' }, 'Read only'),
    h('option', { value: 'write' }, 'Read and write'));
  return section('Personal access keys',
    h('p', { class: 'muted' }, 'For scripts and tools that call the API. A key is shown once, when it is made.'),
    box,
    form([field('Name', input('name', { required: true, maxlength: 100 })), field('Access', scope)], async (values, el) => {
      const scopes = values.scope === 'write' ? ['read', 'write'] : ['read'];
      const created = await api('/api/v1/access-keys', { method: 'POST', body: { name: values.name, scopes } });
      clear(shown, shownOnce(`Key “${created.name}”`, created.key));
      el.reset();
      reload();
    }, { submit: 'Create key' }),
    shown);
}

function appPasswordsSection() {
  const box = h('div');
  const shown = h('div');
  const reload = live(box, async () => {
    const rows = await api('/api/v1/me/app-passwords');
    return table(['App', 'Starts with', 'Created', 'Last used', ''], rows.map((p) => [
      p.name, h('code', {}, p.prefix), when(p.created_at), when(p.last_used_at),
      action('Revoke', async () => { await api(`/api/v1/me/app-passwords/${p.id}`, { method: 'DELETE' }); reload(); },
        { confirm: `Revoke the app password for “${p.name}”?` }),
    ]), { empty: 'No app passwords.' });
  });
  return section('App passwords (Subsonic apps)',
    h('p', { class: 'muted' }, 'Music apps that speak Subsonic sign in with your username and one of these.'),
    box,
    form([field('App name', input('name', { required: true, maxlength: 100 }))], async (values, el) => {
      const created = await api('/api/v1/me/app-passwords', { method: 'POST', body: values });
      clear(shown, shownOnce(`Password for “${created.name}”`, created.password));
      el.reset();
      reload();
    }, { submit: 'Create app password' }),
    shown);
}
