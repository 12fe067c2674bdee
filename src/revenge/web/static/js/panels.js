// Building blocks of the account, playlist and administration pages: sections, tables, labelled
// fields, buttons that report their outcome, secrets shown once. Text always goes in as text.
import { h, clear, errorBox } from './dom.js';

export function when(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

export function section(title, ...children) {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...children);
}

// A table with a header row; `rows` are arrays of cells (text or nodes).
export function table(headers, rows, { caption, empty = 'Nothing here yet.' } = {}) {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data' },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell)))))));
}

let fieldCount = 0;

// A labelled control: the label is tied to it by id, so screen readers and tests find it.
export function field(label, control, hint) {
  const id = control.id || `f${++fieldCount}`;
  control.id = id;
  const hintNode = hint ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null;
  if (hintNode) control.setAttribute('aria-describedby', hintNode.id);
  if (control.type === 'checkbox') {
    return h('div', { class: 'field check' }, control, h('label', { for: id }, label), hintNode);
  }
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintNode);
}

export function input(name, attrs = {}) {
  return h('input', { name, type: 'text', ...attrs });
}

export function select(name, options, selected) {
  return h('select', { name },
    options.map(([value, label]) => h('option', { value, selected: String(value) === String(selected) }, label)));
}

// A polite live region for the outcome of the last action in a section.
export function outcome() {
  const el = h('p', { class: 'outcome', role: 'status', 'aria-live': 'polite' });
  return {
    el,
    ok(message) { el.className = 'outcome ok'; el.textContent = message; },
    fail(error) { el.className = 'outcome error'; el.textContent = error?.message || String(error); },
    clear() { el.className = 'outcome'; el.textContent = ''; },
  };
}

// A button that runs `action` once at a time; failures land in `report` (or next to it).
export function action(label, run, { confirm: question, report, kind = '' } = {}) {
  const button = h('button', { type: 'button', class: kind }, label);
  button.addEventListener('click', async () => {
    if (question && !window.confirm(question)) return;
    button.disabled = true;
    try {
      await run();
    } catch (error) {
      if (report) report.fail(error);
      else button.after(errorBox(error));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

// A form whose submit runs `run(values)` with its fields as an object (checkboxes as booleans).
export function form(children, run, { submit = 'Save', report } = {}) {
  const status = report || outcome();
  const el = h('form', { class: 'stack' }, children, h('div', { class: 'actions' }, h('button', { type: 'submit' }, submit)), report ? null : status.el);
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = {};
    for (const control of el.elements) {
      if (!control.name) continue;
      if (control.type === 'checkbox') values[control.name] = control.checked;
      else if (control.type === 'number') values[control.name] = control.value === '' ? null : Number(control.value);
      else if (control.multiple) values[control.name] = [...control.selectedOptions].map((o) => o.value);
      else values[control.name] = control.value;
    }
    const button = el.querySelector('button[type=submit]');
    button.disabled = true;
    status.clear();
    try {
      const message = await run(values, el);
      if (message) status.ok(message);
    } catch (error) {
      status.fail(error);
    } finally {
      button.disabled = false;
    }
  });
  return el;
}

// A secret the server shows only once (a key, a password, recovery codes).
export function shownOnce(label, secret) {
  const value = h('code', { class: 'secret' }, secret);
  const copy = h('button', { type: 'button' }, 'Copy');
  copy.addEventListener('click', () => {
    navigator.clipboard?.writeText(secret).then(() => { copy.textContent = 'Copied'; }, () => {});
  });
  return h('div', { class: 'shown-once', role: 'alert' },
    h('p', {}, h('strong', {}, label), ' — copy it now; it will not be shown again.'),
    value, ' ', copy);
}

// Re-renders `box` from `load()`; returns the reload function (pages call it after changes).
export function live(box, load) {
  async function reload() {
    try {
      const content = await load();
      clear(box, content);
    } catch (error) {
      clear(box, errorBox(error));
    }
  }
  reload();
  return reload;
}

const ADMIN_SECTIONS = [
  ['/admin', 'Overview'],
  ['/admin/libraries', 'Libraries'],
  ['/admin/users', 'Users'],
  ['/admin/jobs', 'Jobs'],
  ['/admin/activity', 'Activity'],
  ['/admin/settings', 'Settings'],
  ['/admin/credentials', 'Provider keys'],
  ['/admin/notifications', 'Notifications'],
];

// The administration pages' own navigation, with the current one marked.
export function adminNav() {
  const here = location.pathname;
  const current = ADMIN_SECTIONS.filter(([href]) => here === href || (href !== '/admin' && here.startsWith(`${href}/`))).pop();
  return h('nav', { class: 'subnav', 'aria-label': 'Administration' },
    ADMIN_SECTIONS.map(([href, label]) => h('a', { href, 'aria-current': current?.[0] === href ? 'page' : null }, label)));
}

export function adminPage(main, title, ...children) {
  main.classList.add('admin');
  main.append(adminNav(), h('h1', {}, title), ...children);
}

export function bytes(size) {
  if (size === null || size === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = size;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${value.toFixed(unit ? 1 : 0)} ${units[unit]}`;
}

// An "Older ..." button paging back through a list: `load(cursor)` adds one page and answers
// the next page's cursor (none: the button hides). A failure replaces `box` with the error.
// Answers the function that loads the next page (call it once for the first).
export function olderPages(more, box, load) {
  let cursor = null;
  async function page() {
    more.disabled = true;
    try {
      cursor = await load(cursor);
      more.hidden = !cursor;
    } catch (error) {
      clear(box, errorBox(error));
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', page);
  return page;
}
