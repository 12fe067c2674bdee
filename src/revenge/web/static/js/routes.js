// The route table: first match wins. `page` loads the module lazily; its default export is
// `render(main, params, ctx)`, returning an optional cleanup function. `public` pages are
// reachable signed out; `admin` pages only for administrators; `bare` pages hide the layout.
// Every first segment used here must be in WEB_APP_SEGMENTS (src/revenge/api/auth.py).
const browse = () => import('./pages/browse.js');

// A kind's catalogue: its listing (the browse page for `kind`) and the page of one item.
const catalogue = (path, kind, item) => [
  { path, page: browse, data: { kind } },
  { path: `${path}/:id`, page: item },
];

// An administration page: `pages/<module>.js`, for administrators only.
const admin = (path, module) => ({ path, page: () => import(`./pages/${module}.js`), admin: true });

export const routes = [
  { path: '/', page: () => import('./pages/home.js') },
  { path: '/setup', page: () => import('./pages/setup.js'), public: true, bare: true },
  { path: '/login', page: () => import('./pages/login.js'), public: true, bare: true },
  { path: '/search', page: () => import('./pages/search.js') },
  { path: '/libraries/:id', page: browse },
  ...catalogue('/movies', 'movies', () => import('./pages/movie.js')),
  ...catalogue('/tv', 'series', () => import('./pages/series.js')),
  { path: '/music', page: browse, data: { kind: 'albums' } },
  ...catalogue('/music/artists', 'artists', () => import('./pages/artist.js')),
  { path: '/music/albums/:id', page: () => import('./pages/album.js') },
  ...catalogue('/audiobooks', 'audiobooks', () => import('./pages/audiobook.js')),
  ...catalogue('/podcasts', 'podcasts', () => import('./pages/podcast.js')),
  // Account, playlists, collections and administration rows follow here.
  { path: '/account', page: () => import('./pages/account.js') },
  { path: '/playlists', page: () => import('./pages/playlists.js') },
  { path: '/playlists/:kind/:id', page: () => import('./pages/playlist.js') },
  { path: '/collections/:kind/:id', page: () => import('./pages/collection.js') },
  admin('/admin', 'admin'),
  admin('/admin/libraries', 'admin-libraries'),
  admin('/admin/libraries/:id', 'admin-library'),
  admin('/admin/users', 'admin-users'),
  admin('/admin/users/:id', 'admin-user'),
  admin('/admin/jobs', 'admin-jobs'),
  admin('/admin/jobs/:id', 'admin-job'),
  admin('/admin/activity', 'admin-activity'),
  admin('/admin/settings', 'admin-settings'),
  admin('/admin/credentials', 'admin-credentials'),
  admin('/admin/notifications', 'admin-notifications'),
  admin('/admin/notifications/:id', 'admin-channel'),
];

// Compiled once: '/movies/:id' -> /^\/movies\/([^/]+)$/ with the names of its parameters.
const compiled = routes.map((route) => {
  const names = [];
  const pattern = route.path.replace(/:([a-zA-Z_]+)/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, names, regex: new RegExp(`^${pattern}/?$`) };
});

export function match(pathname) {
  for (const { route, names, regex } of compiled) {
    const found = regex.exec(pathname);
    if (found) {
      const params = { ...(route.data || {}) };
      names.forEach((name, i) => { params[name] = decodeURIComponent(found[i + 1]); });
      return { route, params };
    }
  }
  return null;
}
