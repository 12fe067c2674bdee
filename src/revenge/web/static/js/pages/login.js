// Sign in: password, identity providers as buttons, and why the last session ended.
import { api, exchangeLoginCode, login } from '../api.js';
import { h, clear, errorBox } from '../dom.js';

function nextPath() {
  const next = new URLSearchParams(location.search).get('next') || '/';
  // Only a path on this server (never //host or a backslash).
  return /^\/(?![/\\])/.test(next) ? next : '/';
}

export default async function render(main, params, ctx) {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('login_code')) {
    history.replaceState(null, '', location.pathname + location.search);
    try {
      await exchangeLoginCode(hash.get('login_code'));
      return ctx.navigate(nextPath(), { replace: true });
    } catch (error) {
      main.append(errorBox(error));
    }
  }
  if (ctx.user) return ctx.navigate(nextPath(), { replace: true });
  const ended = new URLSearchParams(location.search).has('ended');
  const username = h('input', { id: 'login-username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', type: 'password', autocomplete: 'current-password', required: true });
  const code = h('input', { id: 'login-code', inputMode: 'numeric', autocomplete: 'one-time-code' });
  const codeField = h('div', { class: 'field', hidden: true }, h('label', { for: 'login-code' }, 'Two-factor code'), code);
  const status = h('div', { 'aria-live': 'polite' });
  const providers = h('div', { class: 'stack' });
  const form = h('form', { class: 'panel stack' },
    h('h1', {}, `Sign in to ${ctx.server?.name || 'Revenge'}`),
    ended ? h('p', { class: 'notice', role: 'status' }, 'You were signed out because your session ended. Please sign in again.') : null,
    h('div', { class: 'field' }, h('label', { for: 'login-username' }, 'Username'), username),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'), password),
    codeField, status,
    h('button', { class: 'primary', type: 'submit' }, 'Sign in'),
    providers);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    try {
      await login(username.value, password.value, code.value || undefined);
      ctx.navigate(nextPath(), { replace: true });
    } catch (error) {
      if (error.problem?.second_factor_required) {
        codeField.hidden = false;
        code.focus();
      }
      status.append(errorBox(error));
    }
  });
  main.append(form);
  username.focus();
  try {
    const found = await api('/api/v1/auth/oidc/providers');
    for (const provider of found) {
      const href = `/api/v1/auth/oidc/${encodeURIComponent(provider.name)}/login?return_to=${encodeURIComponent('/login')}`;
      providers.append(h('a', { class: 'button', href, 'data-external': '' }, `Sign in with ${provider.name}`));
    }
  } catch {
    /* no providers offered */
  }
}
