// The player: one per tab, outside <main>, so browsing never stops it. Video goes through the
// playback decision (direct file or HLS through hls.js); audio plays a queue (album, playlist,
// shuffle) with speed, chapters and lock-screen controls (Media Session API).
import { api } from './api.js';
import { h, clear, formatDuration } from './dom.js';

const VIDEO_KINDS = new Set(['movie', 'episode']);
const SAVE_EVERY_MS = 10_000;
const SPEEDS = [0.75, 1, 1.25, 1.5, 1.75, 2];

function profile() {
  const agent = navigator.userAgent;
  if (/Firefox\//.test(agent)) return 'browser-firefox';
  if (/Safari\//.test(agent) && !/Chrom(e|ium)\//.test(agent)) return 'browser-safari';
  return 'browser-chromium';
}

let hlsModule = null;
function loadHls() {
  hlsModule ??= import('../vendor/hls-1.7.4.min.mjs').then((m) => m.default);
  return hlsModule;
}

export class Player {
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.queue = [];
    this.index = -1;
    this.media = null;
    this.hls = null;
    this.decision = null;
    this.file = null;
    this.saveTimer = null;
    this.lastSaved = 0;
    this.speed = 1;
  }

  get current() { return this.queue[this.index] || null; }

  // items: [{kind, id, title, subtitle, chapters?}]; start: index; options: {shuffle, resume}
  async playQueue(items, start = 0, { shuffle = false, resume = true, fileId = null } = {}) {
    let list = [...items];
    if (shuffle) {
      const [first] = list.splice(start, 1);
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [list[i], list[j]] = [list[j], list[i]];
      }
      list = [first, ...list];
      start = 0;
    }
    this.queue = list;
    this.shuffled = shuffle;
    return this.load(start, { resume, fileId });
  }

  play(item, options) { return this.playQueue([item], 0, options); }

  async next() { if (this.index + 1 < this.queue.length) await this.load(this.index + 1, { resume: false }); }

  async previous() {
    if (this.media && this.media.currentTime > 5) { this.media.currentTime = 0; return; }
    if (this.index > 0) await this.load(this.index - 1, { resume: false });
  }

  async load(index, { resume = true, fileId = null, audioStream = null, subtitle = null, at = null } = {}) {
    await this.report({ stopped: true });
    this.teardown();
    this.index = index;
    const item = this.current;
    const video = VIDEO_KINDS.has(item.kind);
    const body = { profile: profile(), client_name: 'Revenge web' };
    if (fileId) body.file_id = fileId;
    if (audioStream !== null) body.audio_stream = audioStream;
    if (subtitle) body.subtitle_track = subtitle;
    this.decision = await api(`/api/v1/items/${item.id}/playback`, { method: 'POST', body });
    this.file = this.decision.files.find((f) => f.selected) || this.decision.files[0];
    if (!this.file || this.file.method === 'none' || !this.file.url) {
      this.showError(`This cannot be played here${this.file?.reasons?.length ? `: ${this.file.reasons.join(', ')}` : ''}.`);
      return;
    }
    this.media = h(video ? 'video' : 'audio', { controls: true, autoplay: true, preload: 'auto', playsInline: true });
    this.media.dataset.method = this.file.method;
    this.render(video);
    if (this.file.subtitle?.url && video) {
      this.media.append(h('track', { kind: 'subtitles', src: this.file.subtitle.url, srclang: this.file.subtitle.language || 'und', label: this.file.subtitle.title || this.file.subtitle.language || 'Subtitles', default: true }));
    }
    const start = at ?? (resume ? await this.savedPosition(item) : 0);
    await this.attach(this.file, start);
    this.media.playbackRate = this.speed;
    this.bind();
    this.mediaSession();
  }

  async attach(file, start) {
    const media = this.media;
    const isHls = file.url.includes('.m3u8');
    const seek = () => { if (start > 0 && Math.abs(media.currentTime - start) > 1) media.currentTime = start; };
    media.addEventListener('loadedmetadata', seek, { once: true });
    if (isHls && !media.canPlayType('application/vnd.apple.mpegurl')) {
      const Hls = await loadHls();
      this.hls = new Hls({ startPosition: start > 0 ? start : -1 });
      this.hls.on(Hls.Events.ERROR, (_, data) => {
        if (data.fatal) this.showError(`Playback failed (${data.details}).`);
      });
      this.hls.loadSource(file.url);
      this.hls.attachMedia(media);
    } else {
      media.src = file.url;
    }
    media.play().catch(() => { /* autoplay may wait for a gesture */ });
  }

  async savedPosition(item) {
    try {
      const state = await api(`/api/v1/items/${item.kind}/${item.id}/state`);
      const duration = this.file?.duration_seconds || 0;
      if (state.played || !state.position_seconds) return 0;
      return duration && state.position_seconds > duration * 0.95 ? 0 : state.position_seconds;
    } catch {
      return 0;
    }
  }

  // Progress for the current item: position, pause, stop (ends the server's playback session).
  async report(extra = {}) {
    const item = this.current;
    const media = this.media;
    if (!item || !media || !this.decision || item.noProgress) return;
    const body = { position_seconds: Math.max(0, media.currentTime || 0), paused: media.paused, ...extra };
    if (this.file?.playback_session_id) body.playback_session_id = this.file.playback_session_id;
    this.lastSaved = Date.now();
    try {
      await api(`/api/v1/items/${item.kind}/${item.id}/state`, { method: 'PATCH', body });
    } catch (error) {
      console.warn('progress not saved', error);
    }
  }

  async markPlayed() {
    const item = this.current;
    if (!item) return;
    await api(`/api/v1/items/${item.kind}/${item.id}/state`, { method: 'PATCH', body: { played: true } });
    this.root.querySelector('.mark-played')?.replaceChildren('✓ Played');
  }

  bind() {
    const media = this.media;
    media.addEventListener('timeupdate', () => {
      if (Date.now() - this.lastSaved > SAVE_EVERY_MS && !media.paused) this.report();
      this.updateChapter();
    });
    media.addEventListener('pause', () => { if (!media.ended) this.report({ paused: true }); });
    media.addEventListener('ended', async () => {
      await this.report({ stopped: true });
      this.decision = null; // reported: the next load must not report this item again
      if (this.index + 1 < this.queue.length) this.load(this.index + 1, { resume: false });
    });
    media.addEventListener('error', () => { if (!this.hls) this.showError('The media could not be loaded.'); });
  }

  render(video) {
    const item = this.current;
    const file = this.file;
    this.root.hidden = false;
    this.root.classList.toggle('video', video);
    this.root.classList.remove('mini');
    document.documentElement.style.setProperty('--player-height', video ? '0px' : '150px');
    const controls = h('div', { class: 'controls' });
    const now = h('div', { class: 'now' }, h('strong', {}, item.title), item.subtitle ? h('span', { class: 'muted' }, ` · ${item.subtitle}`) : null,
      h('span', { class: 'muted method' }, ` · ${file.method === 'direct' ? 'direct play' : file.method}`));
    controls.append(now);
    if (this.queue.length > 1) {
      controls.append(h('button', { type: 'button', onclick: () => this.previous() }, 'Previous'),
        h('button', { type: 'button', class: 'next', onclick: () => this.next(), disabled: this.index + 1 >= this.queue.length }, 'Next'),
        h('span', { class: 'muted' }, `${this.index + 1} / ${this.queue.length}`));
    }
    if (file.audio_tracks?.length > 1) {
      const select = h('select', { 'aria-label': 'Audio track' }, file.audio_tracks.map((t) => h('option', { value: t.index, selected: t.index === file.audio?.index }, [t.language, t.title, t.codec, t.channels && `${t.channels} ch`].filter(Boolean).join(' · ') || `Track ${t.index}`)));
      select.addEventListener('change', () => this.load(this.index, { fileId: file.file_id, audioStream: Number(select.value), at: this.media.currentTime }));
      controls.append(select);
    }
    if (video && file.subtitle_tracks?.length) {
      const select = h('select', { 'aria-label': 'Subtitles' }, h('option', { value: '' }, 'No subtitles'),
        file.subtitle_tracks.map((t) => h('option', { value: t.id, selected: t.id === file.subtitle?.id }, [t.language, t.title, t.forced && 'forced', t.sdh && 'SDH'].filter(Boolean).join(' · ') || t.id)));
      select.addEventListener('change', () => this.load(this.index, { fileId: file.file_id, subtitle: select.value || null, audioStream: file.audio?.index ?? null, at: this.media.currentTime }));
      controls.append(select);
    }
    if (item.chapters?.length) {
      this.chapterSelect = h('select', { 'aria-label': 'Chapter' }, item.chapters.map((c, i) => h('option', { value: i }, `${c.title} (${formatDuration(c.start_seconds)})`)));
      this.chapterSelect.addEventListener('change', () => { this.media.currentTime = item.chapters[Number(this.chapterSelect.value)].start_seconds; });
      controls.append(this.chapterSelect);
    } else this.chapterSelect = null;
    const speed = h('select', { 'aria-label': 'Playback speed' }, SPEEDS.map((s) => h('option', { value: s, selected: s === this.speed }, `${s}×`)));
    speed.addEventListener('change', () => { this.speed = Number(speed.value); this.media.playbackRate = this.speed; });
    controls.append(...[speed,
      h('button', { type: 'button', class: 'mark-played', onclick: () => this.markPlayed() }, 'Mark played'),
      video ? h('button', { type: 'button', onclick: () => this.root.classList.toggle('mini'), 'aria-label': 'Minimise or restore the video' }, '▭') : null,
      h('button', { type: 'button', class: 'close', onclick: () => this.stop(), 'aria-label': 'Stop and close the player' }, '✕')].filter(Boolean));
    clear(this.root, video ? this.media : null, controls, video ? null : this.media);
    if (this.queue.length > 1 && !video) {
      this.root.append(h('details', { class: 'queue' }, h('summary', {}, this.shuffled ? 'Queue (shuffled)' : 'Queue'),
        h('ol', {}, this.queue.map((q, i) => h('li', { 'aria-current': i === this.index ? 'true' : null },
          h('button', { type: 'button', class: 'link', onclick: () => this.load(i, { resume: false }) }, q.title))))));
    }
  }

  updateChapter() {
    const chapters = this.current?.chapters;
    if (!chapters?.length || !this.chapterSelect) return;
    const t = this.media.currentTime;
    let found = 0;
    chapters.forEach((c, i) => { if (c.start_seconds <= t) found = i; });
    if (Number(this.chapterSelect.value) !== found) this.chapterSelect.value = String(found);
  }

  mediaSession() {
    if (!('mediaSession' in navigator)) return;
    const item = this.current;
    const artwork = (this.decision.images || []).filter((i) => ['cover', 'poster', 'thumb'].includes(i.kind)).map((i) => ({ src: i.url }));
    navigator.mediaSession.metadata = new MediaMetadata({ title: item.title, artist: item.subtitle || '', album: item.album || '', artwork });
    const actions = {
      play: () => this.media?.play(),
      pause: () => this.media?.pause(),
      previoustrack: () => this.previous(),
      nexttrack: () => this.next(),
      seekbackward: () => { this.media.currentTime = Math.max(0, this.media.currentTime - 10); },
      seekforward: () => { this.media.currentTime += 30; },
      seekto: (details) => { this.media.currentTime = details.seekTime; },
    };
    for (const [action, handler] of Object.entries(actions)) {
      try { navigator.mediaSession.setActionHandler(action, handler); } catch { /* unsupported action */ }
    }
  }

  showError(message) {
    this.root.hidden = false;
    this.root.append(h('p', { class: 'error', role: 'alert' }, message));
  }

  teardown() {
    if (this.hls) { this.hls.destroy(); this.hls = null; }
    if (this.media) { this.media.pause(); this.media.removeAttribute('src'); this.media.load(); this.media = null; }
  }

  async stop() {
    await this.report({ stopped: true });
    this.teardown();
    this.decision = null;
    this.queue = [];
    this.index = -1;
    this.root.hidden = true;
    clear(this.root);
    document.documentElement.style.setProperty('--player-height', '0px');
  }
}
