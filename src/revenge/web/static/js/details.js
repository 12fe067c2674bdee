// Pieces the detail pages share: the header, cast, files (versions, extras, missing), and the
// administrators' "identify" and "edit metadata" with locked fields.
import { api } from './api.js';
import { h, clear, errorBox, formatDuration, picture } from './dom.js';

export function coverOf(images, kinds = ['poster', 'cover', 'primary', 'thumb']) {
  for (const kind of kinds) {
    const found = images?.find((i) => i.kind === kind);
    if (found) return found;
  }
  return images?.[0] || null;
}

export function header({ title, images, shape = 'poster', facts = [], overview, actions = [], missing = false }) {
  const cover = coverOf(images);
  return h('section', { class: 'details' },
    picture({ imageId: cover?.id, blurhash: cover?.blurhash, alt: `Cover of ${title}`, letter: title, width: 400, shape }),
    h('div', { class: 'stack' },
      h('h1', {}, title),
      missing ? h('p', {}, h('span', { class: 'tag missing' }, 'Missing'), ' The files of this item are gone from the library folder.') : null,
      h('div', { class: 'facts' }, facts.filter(Boolean).map((f) => h('span', {}, f))),
      overview ? h('p', { class: 'overview' }, overview) : null,
      h('div', { class: 'row actions' }, actions)));
}

export function cast(people) {
  if (!people?.length) return null;
  return h('section', { 'aria-label': 'Cast and crew' }, h('h2', {}, 'Cast and crew'),
    h('div', { class: 'cast' }, people.slice(0, 40).map((p) => h('div', { class: 'card' },
      picture({ imageId: p.photo_id, alt: p.name, width: 200, shape: 'round' }),
      h('span', { class: 'card-title' }, p.name),
      h('span', { class: 'card-subtitle' }, p.character || p.role)))));
}

export function fileLine(file) {
  const video = file.streams?.find((s) => s.kind === 'video');
  return [file.version, file.container, video?.height && `${video.height}p`, video?.codec,
    file.duration_seconds && formatDuration(file.duration_seconds), file.size && `${(file.size / 1e9).toFixed(2)} GB`]
    .filter(Boolean).join(' · ');
}

// Versions and extras; `onPlay(file)` plays one of them.
export function files(list, onPlay) {
  if (!list?.length) return null;
  const main = list.filter((f) => !f.extra_type);
  const extras = list.filter((f) => f.extra_type);
  const row = (f) => h('li', { class: f.missing ? 'missing' : null },
    h('span', { class: 'grow' }, f.extra_type ? h('strong', {}, `${f.extra_type}: `) : null, f.name, h('br'), h('small', { class: 'muted' }, fileLine(f))),
    f.missing ? h('span', { class: 'tag missing' }, 'missing') : h('button', { type: 'button', onclick: () => onPlay(f), 'aria-label': `Play ${f.name}` }, '▶'));
  return h('div', {},
    main.length > 1 || main.some((f) => f.missing) ? h('section', {}, h('h2', {}, 'Versions'), h('ul', { class: 'tracks' }, main.map(row))) : null,
    extras.length ? h('section', {}, h('h2', {}, 'Extras'), h('ul', { class: 'tracks' }, extras.map(row))) : null);
}

const EDITABLE = ['title', 'original_title', 'overview', 'year', 'genres'];

// Identify (pick the right provider match) and edit metadata; a field edited by hand is locked
// against provider refreshes until unlocked. `base` is e.g. '/api/v1/movies/<id>'.
export function adminTools(base, item, { fields = EDITABLE, onChange }) {
  const panel = h('div', { class: 'panel stack', hidden: true });
  const identify = async () => {
    const q = h('input', { type: 'search', value: item.title, 'aria-label': 'Search the providers' });
    const list = h('ul', { class: 'tracks' });
    const search = async () => {
      clear(list, h('li', { class: 'muted' }, 'Searching…'));
      try {
        const found = await api(`${base}/identify`, { query: { q: q.value } });
        clear(list, found.length ? found.map((c) => h('li', {},
          h('span', { class: 'grow' }, h('strong', {}, c.title), c.year ? ` (${c.year})` : '', h('br'), h('small', { class: 'muted' }, `${c.provider} · ${Math.round(c.confidence * 100)}%`)),
          h('button', { type: 'button', onclick: async () => {
            try { await api(`${base}/identify`, { method: 'POST', body: { provider: c.provider, id: c.provider_id } }); onChange(); } catch (e) { list.append(errorBox(e)); }
          } }, 'This one'))) : h('li', { class: 'muted' }, 'No matches.'));
      } catch (error) {
        clear(list, h('li', {}, errorBox(error)));
      }
    };
    clear(panel, h('h2', {}, 'Identify'), h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); search(); } }, q, h('button', { type: 'submit' }, 'Search')), list);
    panel.hidden = false;
    search();
  };
  const edit = () => {
    const locked = new Set(item.locked_fields || []);
    const inputs = {};
    const rows = fields.map((name) => {
      const value = name === 'genres' ? (item.genres || []).join(', ') : item[name] ?? '';
      const input = name === 'overview' ? h('textarea', { id: `edit-${name}`, rows: 4 }, String(value)) : h('input', { id: `edit-${name}`, value: String(value), type: name === 'year' ? 'number' : 'text' });
      const unlock = h('input', { type: 'checkbox', id: `unlock-${name}`, disabled: !locked.has(name) });
      inputs[name] = { input, unlock };
      return h('div', { class: 'field' }, h('label', { for: input.id }, name.replace('_', ' '), locked.has(name) ? ' (locked)' : ''), input,
        locked.has(name) ? h('label', { class: 'row' }, unlock, 'Unlock (let providers change it again)') : null);
    });
    const status = h('div');
    const form = h('form', { class: 'stack' }, rows, status, h('button', { type: 'submit', class: 'primary' }, 'Save'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = { unlock: [] };
      for (const [name, { input, unlock }] of Object.entries(inputs)) {
        if (unlock.checked) { body.unlock.push(name); continue; }
        const raw = input.value.trim();
        const before = name === 'genres' ? (item.genres || []).join(', ') : String(item[name] ?? '');
        if (raw === before) continue;
        body[name] = name === 'year' ? (raw ? Number(raw) : null) : name === 'genres' ? raw.split(',').map((g) => g.trim()).filter(Boolean) : raw || null;
      }
      try {
        await api(`${base}/metadata`, { method: 'PATCH', body });
        onChange();
      } catch (error) {
        clear(status, errorBox(error));
      }
    });
    clear(panel, h('h2', {}, 'Edit metadata'), h('p', { class: 'muted' }, 'Fields you change are locked against provider updates.'), form);
    panel.hidden = false;
  };
  return h('div', { class: 'admin-tools' },
    h('div', { class: 'row' },
      h('button', { type: 'button', onclick: identify }, 'Identify…'),
      h('button', { type: 'button', onclick: edit }, 'Edit metadata…')),
    panel);
}
