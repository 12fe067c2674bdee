// The API client. The access token lives in this module's memory only; the refresh token is an
// HttpOnly cookie the script never sees. A 401 refreshes once (through the cookie, with the
// CSRF header) and retries; a refresh that fails signs the app out ("session ended").

const CSRF_COOKIE = 'revenge_csrf';
const channel = 'BroadcastChannel' in window ? new BroadcastChannel('revenge-auth') : null;

let accessToken = null;
let currentUser = null;
let refreshing = null;
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function user() { return currentUser; }
export function isAdmin() { return currentUser?.role === 'admin'; }
export function token() { return accessToken; }

// Called with (user, reason) whenever the signed-in user changes; reason 'ended' when the
// server no longer accepts the session.
export function onAuthChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setSession(payload, reason = null, broadcast = true) {
  const before = currentUser?.id;
  accessToken = payload?.access_token ?? null;
  currentUser = payload?.user ?? null;
  // Other tabs of this app share the rotated token rather than each refreshing (a refresh
  // token works once: two tabs racing would end the session).
  if (broadcast && channel) channel.postMessage(payload ? { access_token: accessToken, user: currentUser } : null);
  if (before !== currentUser?.id || reason) listeners.forEach((fn) => fn(currentUser, reason));
}

channel?.addEventListener('message', (event) => setSession(event.data, null, false));

function csrfToken() {
  const found = document.cookie.match(new RegExp(`(?:^|;\\s*)${CSRF_COOKIE}=([^;]*)`));
  return found ? decodeURIComponent(found[1]) : '';
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { title: response.statusText, status: response.status };
  }
}

async function cookieCall(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() },
    body: JSON.stringify(body ?? {}),
  });
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.status === 204 ? null : response.json();
}

// One refresh at a time in this tab, and (with the Web Locks API) across tabs.
export function refresh() {
  // The CSRF cookie is set with the refresh cookie and cleared with it: without it there is
  // no browser session to refresh, and asking would only log a refusal on the console.
  if (!csrfToken()) return Promise.resolve(false);
  if (!refreshing) {
    const run = async () => {
      // No session cookies in this browser: nothing to refresh (and no refused request to log).
      if (!csrfToken()) return false;
      try {
        setSession(await cookieCall('/api/v1/auth/browser/refresh'));
        return true;
      } catch {
        return false;
      }
    };
    const locked = navigator.locks ? navigator.locks.request('revenge-refresh', run) : run();
    refreshing = locked.finally(() => { refreshing = null; });
  }
  return refreshing;
}

export async function login(username, password, twoFactorCode) {
  const body = { username, password, device_name: navigator.userAgent.slice(0, 100), client_name: 'Revenge web' };
  if (twoFactorCode) body.two_factor_code = twoFactorCode;
  setSession(await cookieCall('/api/v1/auth/browser/login', body));
  return currentUser;
}

export async function exchangeLoginCode(loginCode) {
  setSession(await cookieCall('/api/v1/auth/oidc/browser-exchange', { login_code: loginCode, client_name: 'Revenge web' }));
  return currentUser;
}

export async function logout() {
  try {
    await fetch('/api/v1/auth/browser/logout', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrfToken(), ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}) },
    });
  } finally {
    setSession(null, 'signed-out');
  }
}

function url(path, query) {
  const target = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => target.searchParams.append(key, v));
    else target.searchParams.set(key, value);
  }
  return target.pathname + target.search;
}

async function send(path, { method = 'GET', body, query, signal, headers = {} }) {
  const init = { method, signal, headers: { Accept: 'application/json', ...headers } };
  if (accessToken) init.headers.Authorization = `Bearer ${accessToken}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(url(path, query), init);
}

// api('/api/v1/movies', {query: {limit: 50}}) -> parsed JSON (null for 204).
export async function api(path, options = {}) {
  let response = await send(path, options);
  if (response.status === 401) {
    if (await refresh()) response = await send(path, options);
    else if (currentUser || accessToken) setSession(null, 'ended');
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') || '';
  return type.includes('json') ? response.json() : response.text();
}
