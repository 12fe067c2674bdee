// Boot, layout and the history router. The player lives outside <main>, so moving between
// pages never stops what is playing.
import { api, isAdmin, onAuthChange, refresh, user, logout } from './api.js';
import { h, clear, errorBox } from './dom.js';
import { match } from './routes.js';

const main = document.getElementById('main');
const top = document.getElementById('top');
let cleanup = null;
let serverInfo = null;
let renderCount = 0;

export const ctx = {
  navigate,
  get user() { return user(); },
  get admin() { return isAdmin(); },
  get server() { return serverInfo; },
  player: null, // set by ./player.js once loaded
  async loadPlayer() {
    if (!ctx.player) {
      const { Player } = await import('./player.js');
      ctx.player = new Player(document.getElementById('player'), ctx);
    }
    return ctx.player;
  },
};

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  return render();
}

function navLink(href, label) {
  return h('a', { href }, label);
}

// The header is built once per signed-in user (so typing in its search box survives page
// changes); each render only moves the "current page" mark.
let builtFor = null;
function layout() {
  const signedIn = user();
  if (!signedIn) { top.hidden = true; builtFor = null; return; }
  top.hidden = false;
  if (builtFor !== signedIn.id) {
    builtFor = signedIn.id;
    buildHeader(signedIn);
  }
  for (const link of top.querySelectorAll('nav a')) {
    const href = link.getAttribute('href');
    const here = location.pathname === href || (href !== '/' && location.pathname.startsWith(`${href}/`));
    if (here) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const search = top.querySelector('input[type=search]');
  if (location.pathname !== '/search' && document.activeElement !== search) search.value = '';
}

function buildHeader(signedIn) {
  const search = h('input', {
    type: 'search', name: 'q', placeholder: 'Search', 'aria-label': 'Search everything',
    value: location.pathname === '/search' ? new URLSearchParams(location.search).get('q') || '' : '',
  });
  search.addEventListener('input', () => {
    const q = search.value;
    const target = `/search${q ? `?q=${encodeURIComponent(q)}` : ''}`;
    if (location.pathname === '/search') {
      history.replaceState(null, '', target);
      window.dispatchEvent(new CustomEvent('revenge:search', { detail: q }));
    } else navigate(target);
  });
  clear(top,
    h('a', { class: 'brand', href: '/' }, 'Revenge'),
    h('nav', { 'aria-label': 'Main' },
      navLink('/', 'Home'), navLink('/movies', 'Movies'), navLink('/tv', 'TV'),
      navLink('/music', 'Music'), navLink('/audiobooks', 'Audiobooks'), navLink('/podcasts', 'Podcasts'),
      navLink('/playlists', 'Playlists'),
      isAdmin() ? navLink('/admin', 'Administration') : null),
    h('form', { class: 'search-form', role: 'search', onsubmit: (e) => e.preventDefault() }, search),
    h('div', { class: 'account' },
      h('a', { href: '/account' }, signedIn.display_name || signedIn.username),
      h('button', { type: 'button', class: 'link', onclick: () => logout() }, 'Sign out')));
}

async function render() {
  const count = ++renderCount;
  if (cleanup) { try { cleanup(); } catch (e) { console.warn(e); } cleanup = null; }
  const found = match(location.pathname);
  if (!found) {
    layout();
    clear(main, h('h1', {}, 'Not found'), h('p', {}, 'Nothing lives at this address. '), h('a', { href: '/' }, 'Go home'));
    return;
  }
  const { route, params } = found;
  if (serverInfo?.setup_pending && route.path !== '/setup') return navigate('/setup', { replace: true });
  if (!route.public && !user()) {
    const back = location.pathname + location.search;
    return navigate(`/login${back !== '/' ? `?next=${encodeURIComponent(back)}` : ''}`, { replace: true });
  }
  if (route.admin && !isAdmin()) {
    layout();
    clear(main, h('h1', {}, 'Not allowed'), h('p', {}, 'This page is for administrators.'));
    return;
  }
  layout();
  document.body.classList.toggle('bare', Boolean(route.bare));
  clear(main, h('p', { class: 'loading' }, 'Loading…'));
  try {
    const module = await route.page();
    if (count !== renderCount) return;
    const page = h('div', { class: 'page' });
    clear(main, page);
    const done = await module.default(page, params, ctx);
    if (count !== renderCount) { if (typeof done === 'function') done(); return; }
    cleanup = typeof done === 'function' ? done : null;
    const heading = main.querySelector('h1');
    document.title = heading ? `${heading.textContent} · Revenge` : 'Revenge';
  } catch (error) {
    if (count !== renderCount) return;
    console.warn(error);
    clear(main, h('h1', {}, 'Something went wrong'), errorBox(error));
  }
}

// Same-origin links inside the app are routed here instead of reloading the page.
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href]');
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target || link.hasAttribute('download')) return;
  const target = new URL(link.href, location.href);
  if (target.origin !== location.origin || !match(target.pathname)) return;
  event.preventDefault();
  if (target.pathname + target.search !== location.pathname + location.search) navigate(target.pathname + target.search);
  else if (target.hash) location.hash = target.hash;
});
window.addEventListener('popstate', () => render());

onAuthChange((current, reason) => {
  if (current) return;
  ctx.player?.stop();
  const path = reason === 'ended' ? '/login?ended=1' : '/login';
  navigate(path, { replace: true });
});

async function boot() {
  try {
    serverInfo = await api('/api/v1/system/info');
  } catch (error) {
    clear(main, h('h1', {}, 'The server cannot be reached'), errorBox(error));
    return;
  }
  if (!serverInfo.setup_pending) await refresh();
  await render();
}

boot();
