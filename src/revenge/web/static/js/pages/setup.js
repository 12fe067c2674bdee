// First run: the administrator, then the first library (folders picked on the server), then
// optional metadata keys; home shows the first scan's progress.
import { api, login } from '../api.js';
import { h, clear, errorBox } from '../dom.js';

const KINDS = [
  ['movie', 'Movies'], ['tv', 'TV shows'], ['music', 'Music'], ['audiobook', 'Audiobooks'], ['podcast', 'Podcasts'],
];
const KEYS = [['tmdb', 'TMDb (movies and TV)'], ['tvdb', 'TheTVDB (TV)'], ['fanarttv', 'fanart.tv (artwork)']];

function field(label, input) {
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
}

function adminStep(main, ctx, next) {
  const username = h('input', { id: 'setup-username', autocomplete: 'username', required: true, value: 'admin' });
  const password = h('input', { id: 'setup-password', type: 'password', autocomplete: 'new-password', required: true, minLength: 8 });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'panel stack' },
    h('h1', {}, 'Welcome to Revenge'),
    h('p', {}, 'Create the administrator account.'),
    field('Username', username), field('Password', password), status,
    h('button', { class: 'primary', type: 'submit' }, 'Create administrator'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    try {
      await api('/api/v1/setup', { method: 'POST', body: { username: username.value, password: password.value } });
      ctx.server.setup_pending = false;
      await login(username.value, password.value);
      next();
    } catch (error) {
      status.append(errorBox(error));
    }
  });
  clear(main, form);
  username.focus();
}

// A folder browser over /api/v1/admin/folders: only folders the server may read and use.
function folderPicker(onPick) {
  const list = h('ul', { class: 'tracks folder-list', 'aria-label': 'Folders' });
  const where = h('p', { class: 'muted' });
  const box = h('div', { class: 'panel' }, where, list);
  let latest = 0;
  async function open(path) {
    const asked = ++latest;
    try {
      const listing = await api('/api/v1/admin/folders', { query: { path } });
      if (asked !== latest) return; // a later click won
      clear(where, 'In ', h('code', {}, listing.path));
      const rows = [];
      if (listing.parent) rows.push(h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => open(listing.parent) }, '.. (up)')));
      for (const folder of listing.folders) {
        rows.push(h('li', {},
          h('button', { type: 'button', class: 'link grow', onclick: () => open(folder.path) }, `${folder.name}/`),
          folder.usable
            ? h('button', { type: 'button', onclick: () => onPick(folder.path), 'aria-label': `Use ${folder.path}` }, 'Use')
            : h('span', { class: 'muted', title: folder.reason || '' }, 'not usable')));
      }
      if (!listing.folders.length) rows.push(h('li', { class: 'muted' }, 'No folders here.'));
      clear(list, rows);
    } catch (error) {
      clear(list, h('li', {}, errorBox(error)));
    }
  }
  open('/');
  return { box, open };
}

function libraryStep(main, ctx, next) {
  const name = h('input', { id: 'library-name', required: true, value: 'Movies' });
  const type = h('select', { id: 'library-type' }, KINDS.map(([value, label]) => h('option', { value }, label)));
  type.addEventListener('change', () => { name.value = KINDS.find(([v]) => v === type.value)[1]; });
  const path = h('input', { id: 'library-path', required: true, placeholder: '/path/to/media' });
  const status = h('div', { 'aria-live': 'polite' });
  const picker = folderPicker((picked) => { path.value = picked; path.focus(); });
  const form = h('form', { class: 'panel stack' },
    h('h1', {}, 'Add your first library'),
    field('Kind', type), field('Name', name),
    h('div', { class: 'field' }, h('label', { for: path.id }, 'Folder'),
      h('div', { class: 'row' }, path, h('button', { type: 'button', onclick: () => picker.open(path.value || '/') }, 'Browse'))),
    picker.box,
    status,
    h('div', { class: 'row' },
      h('button', { class: 'primary', type: 'submit' }, 'Add library and scan'),
      h('button', { type: 'button', onclick: () => next(null) }, 'Skip')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    try {
      const library = await api('/api/v1/libraries', {
        method: 'POST', body: { name: name.value, type: type.value, paths: [path.value], scan: true },
      });
      next(library);
    } catch (error) {
      status.append(errorBox(error));
    }
  });
  clear(main, form);
}

function keysStep(main, ctx, done) {
  const rows = KEYS.map(([service, label]) => {
    const input = h('input', { id: `key-${service}`, type: 'password', autocomplete: 'off' });
    const result = h('span', { 'aria-live': 'polite' });
    const test = async () => {
      clear(result, 'Testing…');
      try {
        if (input.value) await api(`/api/v1/admin/credentials/${service}`, { method: 'PUT', body: { value: input.value } });
        const outcome = await api(`/api/v1/admin/credentials/${service}/test`, { method: 'POST' });
        clear(result, h('span', { class: outcome.ok ? 'ok' : 'error' }, outcome.ok ? 'Works' : outcome.detail));
      } catch (error) {
        clear(result, errorBox(error));
      }
    };
    return { service, input, block: h('div', { class: 'field' }, h('label', { for: input.id }, label),
      h('div', { class: 'row' }, input, h('button', { type: 'button', onclick: test }, 'Test'), result)) };
  });
  const status = h('div');
  const form = h('form', { class: 'panel stack' },
    h('h1', {}, 'Metadata keys (optional)'),
    h('p', { class: 'muted' }, 'Without keys, Revenge uses the names of your files, NFO files and embedded tags.'),
    rows.map((r) => r.block), status,
    h('button', { class: 'primary', type: 'submit' }, 'Finish'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      for (const row of rows) {
        if (row.input.value) await api(`/api/v1/admin/credentials/${row.service}`, { method: 'PUT', body: { value: row.input.value } });
      }
      done();
    } catch (error) {
      clear(status, errorBox(error));
    }
  });
  clear(main, form);
}

export default async function render(main, params, ctx) {
  if (!ctx.server?.setup_pending) {
    if (!ctx.user) return ctx.navigate('/login', { replace: true });
    // An administrator coming back to finish: straight to the library step.
    return libraryStep(main, ctx, () => keysStep(main, ctx, () => ctx.navigate('/')));
  }
  adminStep(main, ctx, () => {
    history.replaceState(null, '', '/setup');
    libraryStep(main, ctx, () => keysStep(main, ctx, () => ctx.navigate('/')));
  });
}
