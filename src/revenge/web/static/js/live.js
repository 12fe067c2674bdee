// Live updates from `GET /api/v1/events` (server-sent events), shared by every page.
//
// Read with fetch rather than EventSource: EventSource cannot send the Authorization header,
// and the access token lives only in this app's memory. One stream is open while any page
// listens; it reconnects with Last-Event-ID (the server replays what it still holds) and
// takes the newest access token each time, so a refreshed token is used from then on.
import { token, refresh } from './api.js';

const listeners = new Set();
let controller = null;
let lastId = null;
let retry = 0;

function dispatch(type, data) {
  let event;
  try {
    event = JSON.parse(data);
  } catch {
    return;
  }
  for (const listener of listeners) {
    if (listener.types.has(type)) listener.fn(event);
  }
}

// Splits the stream into messages ("id:", "event:", "data:" lines, a blank line ends one).
function parse(buffer, onMessage) {
  let end;
  while ((end = buffer.indexOf('\n\n')) >= 0) {
    const block = buffer.slice(0, end);
    buffer = buffer.slice(end + 2);
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('id:')) lastId = line.slice(3).trim();
      else if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length) onMessage(type, data.join('\n'));
  }
  return buffer;
}

async function readStream(signal) {
  const headers = { Accept: 'text/event-stream' };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (lastId) headers['Last-Event-ID'] = lastId;
  const response = await fetch('/api/v1/events', { headers, signal, cache: 'no-store' });
  if (response.status === 401) {
    await refresh();
    throw new Error('signed out of the stream');
  }
  if (!response.ok || !response.body) throw new Error(`live updates: HTTP ${response.status}`);
  retry = 0;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer = parse(buffer + value.replaceAll('\r\n', '\n'), dispatch);
  }
}

async function run(own) {
  while (!own.signal.aborted) {
    try {
      await readStream(own.signal);
    } catch {
      if (own.signal.aborted) return;
      retry = Math.min(retry + 1, 5);
    }
    // The server ends streams now and then (token expiry, its own limit): come back soon;
    // after failures, back off up to half a minute.
    await new Promise((resolve) => setTimeout(resolve, retry ? 1000 * 2 ** retry : 250));
  }
}

// Calls `fn(event)` for each live event of the given types; returns the function that stops.
export function onLive(types, fn) {
  const listener = { types: new Set(types), fn };
  listeners.add(listener);
  if (!controller) {
    controller = new AbortController();
    run(controller);
  }
  return () => {
    listeners.delete(listener);
    if (!listeners.size && controller) {
      controller.abort();
      controller = null;
    }
  };
}

export const SCAN_EVENTS = ['library.scan.progress', 'library.scan.completed', 'library.scan.failed'];
