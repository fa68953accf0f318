// loom-counter's live view: plain JavaScript, no build step, no network but the server's own /events stream.
//
// The server sends a batch ten times a second: gauges, the lanes (carrier and CPU-pool threads) and the events
// since the last batch, each stamped with the microsecond it happened on the server. The page keeps a model
// (subtasks per request, marks per lane) and draws it on every animation frame.
//
// A request's start is any 64-bit integer. JSON.parse reads every number as a double, exact only up to 2^53, so the
// server sends the start as a string of digits and the page keeps it as a BigInt: the card then shows the start,
// the counter (start + done) and the answer to the last digit. Times, indexes and counts stay plain numbers.
'use strict';

const PALETTE = ['#60a5fa', '#f472b6', '#34d399', '#fbbf24', '#a78bfa', '#f87171', '#22d3ee', '#fb923c',
  '#a3e635', '#e879f9', '#2dd4bf', '#facc15'];
const QUEUED = 0, RUNNING = 1, DONE = 2, CANCELLED = 3;
const LINGER_MS = 2500;        // a finished request stays this long, so that people see how it ended
const MIN_SHOWN_MS = 1200;     // a card stays at least this long, so that fast requests do not flicker
const FORGET_MS = 5000;        // a request with no news for this long is forgotten (its events were dropped)
const MAX_REQUESTS = 2000;     // requests the page keeps track of at most

const state = {
  holdsCarriers: false,
  offset: null,               // server micros minus local micros
  paused: false,
  pausedDrawn: false,
  pausedAt: 0,
  windowMicros: 5e6,
  lanes: [],                  // lane names, in order
  laneIndex: new Map(),
  marks: [],                  // {lane, t0, t1, color, cut, tick}
  hops: [],                   // {from, to, t0, t1, color}
  running: new Map(),         // "request#index" -> {lane, t0, color}
  requests: new Map(),        // request name -> model
  connections: new Map(),     // connection name -> {color, closed}
  shown: [],                  // request names of the cards on screen
  rateHistory: [],
  subtaskHistory: [],
  dropped: 0,
};

// ---- time ----------------------------------------------------------------------------------------------------

function localMicros() { return performance.now() * 1000; }

function serverNow() {
  if (state.offset === null) return 0;
  return state.paused ? state.pausedAt : localMicros() + state.offset;
}

function syncClock(serverMicros) {
  const offset = serverMicros - localMicros();
  // Batches arrive a little late, never early: follow the latest quickly, smooth out the jitter.
  if (state.offset === null || Math.abs(offset - state.offset) > 5e5) state.offset = offset;
  else state.offset = Math.max(offset, state.offset * 0.9 + offset * 0.1);
}

// ---- colours -------------------------------------------------------------------------------------------------

function connectionOf(request) {
  const slash = request.indexOf('/');
  return slash < 0 ? request : request.substring(0, slash);
}

function colourOf(connection) {
  let conn = state.connections.get(connection);
  if (!conn) {
    const number = parseInt(connection.replace(/\D+/g, ''), 10) || 0;
    conn = { color: PALETTE[(number + PALETTE.length - 1) % PALETTE.length], closed: null };
    state.connections.set(connection, conn);
  }
  return conn.color;
}

// ---- the model -----------------------------------------------------------------------------------------------

function request(name, now) {
  let r = state.requests.get(name);
  if (!r) {
    // Its start was dropped (or the page opened late): learn its size as subtasks show up.
    r = { name, conn: connectionOf(name), start: 0n, n: 0, states: new Uint8Array(16), running: 0, done: 0,
      cancelled: 0, t0: now, end: null, outcome: null, latency: 0, why: null, seen: performance.now(), shownAt: 0 };
    state.requests.set(name, r);
  }
  r.seen = performance.now();
  return r;
}

function setSubtask(r, index, next) {
  if (index > r.n) {
    r.n = index;
    if (index > r.states.length) {
      const grown = new Uint8Array(Math.max(index, r.states.length * 2));
      grown.set(r.states);
      r.states = grown;
    }
  }
  const i = index - 1;
  const before = r.states[i];
  if (before === next) return;
  if (before === RUNNING) r.running--;
  if (next === RUNNING) r.running++;
  if (next === DONE) r.done++;
  if (next === CANCELLED) r.cancelled++;
  r.states[i] = next;
}

function lane(name) {
  if (!state.laneIndex.has(name)) {
    state.lanes.push(name);
    sortLanes();
  }
  return name;
}

function laneKind(name) {
  if (/^cpu-\d+$/.test(name)) return 'cpu';
  if (name === 'platform threads' || name === 'unmounted') return 'platform';
  return 'carrier';
}

function laneNumber(name) {
  const m = /(\d+)$/.exec(name);
  return m ? parseInt(m[1], 10) : 0;
}

function sortLanes() {
  const order = { carrier: 0, cpu: 1, platform: 2 };
  state.lanes.sort((a, b) => order[laneKind(a)] - order[laneKind(b)] || laneNumber(a) - laneNumber(b));
  state.laneIndex = new Map(state.lanes.map((name, i) => [name, i]));
  renderLanes();
}

function apply(event) {
  const [type, t] = event;
  switch (type) {
    case 'co': {
      colourOf(event[2]);
      state.connections.get(event[2]).closed = null;
      break;
    }
    case 'cc': {
      colourOf(event[2]);
      state.connections.get(event[2]).closed = event[3];
      for (const r of state.requests.values()) {
        if (r.conn === event[2] && r.outcome === 'cancelled' && !r.why) r.why = event[3];
      }
      break;
    }
    case 'rs': {
      const r = request(event[2], t);
      r.t0 = t;
      r.start = BigInt(event[3]);   // "-9223372036854775800": a string, so that no digit is rounded away
      const n = event[4];
      if (n > r.n) setSubtask(r, n, r.states[n - 1] || QUEUED);
      break;
    }
    case 're': {
      const r = request(event[2], t);
      r.end = t;
      r.outcome = event[3];
      r.latency = event[4];
      r.endedAt = performance.now();
      if (r.outcome !== 'answered') {
        // The scope is closed: whatever had not finished never will.
        for (let i = 0; i < r.n; i++) if (r.states[i] === QUEUED || r.states[i] === RUNNING) setSubtask(r, i + 1, CANCELLED);
      }
      break;
    }
    case 'ss': {
      const [, , name, index, carrier] = event;
      const r = request(name, t);
      setSubtask(r, index, RUNNING);
      const color = colourOf(r.conn);
      state.running.set(name + '#' + index, { lane: lane(carrier), t0: t, color });
      if (!state.holdsCarriers) state.marks.push({ lane: carrier, t0: t, t1: t, color, tick: true });
      break;
    }
    case 'sd':
    case 'sx': {
      const [, , name, index, carrier] = event;
      const r = request(name, t);
      const cut = type === 'sx';
      setSubtask(r, index, cut ? CANCELLED : DONE);
      const color = colourOf(r.conn);
      lane(carrier);
      const key = name + '#' + index;
      const began = state.running.get(key);
      state.running.delete(key);
      if (began && state.holdsCarriers && began.lane === carrier) {
        state.marks.push({ lane: carrier, t0: began.t0, t1: t, color, cut });
      } else {
        state.marks.push({ lane: carrier, t0: t, t1: t, color, cut, tick: true });
        if (began && began.lane !== carrier) state.hops.push({ from: began.lane, to: carrier, t0: began.t0, t1: t, color });
      }
      break;
    }
    case 'sl': {
      const [, , subtask, poolThread, length] = event;
      const slash = subtask.lastIndexOf('/');
      const color = colourOf(connectionOf(slash < 0 ? subtask : subtask.substring(0, slash)));
      state.marks.push({ lane: lane(poolThread), t0: t, t1: t + length, color });
      break;
    }
  }
}

function prune(now) {
  const oldest = now - 10.5e6;
  // Marks arrive roughly in time order: drop from the front, in one splice.
  let old = 0;
  while (old < state.marks.length && state.marks[old].t1 < oldest) old++;
  const excess = Math.max(old, state.marks.length - 60000);
  if (excess > 0) state.marks.splice(0, excess);
  let oldHops = 0;
  while (oldHops < state.hops.length && state.hops[oldHops].t1 < oldest) oldHops++;
  const excessHops = Math.max(oldHops, state.hops.length - 2000);
  if (excessHops > 0) state.hops.splice(0, excessHops);
  // Requests: keep the running ones and those on screen; an ended one goes once it has been seen to end, and one
  // whose events were dropped goes after a while. A busy server ends thousands a second.
  const nowMs = performance.now();
  for (const [name, r] of state.requests) {
    if (state.shown.includes(name)) continue;
    if ((r.outcome !== null && nowMs - r.endedAt > LINGER_MS) || nowMs - r.seen > FORGET_MS) state.requests.delete(name);
  }
  if (state.requests.size > MAX_REQUESTS) {
    for (const name of state.requests.keys()) {
      if (state.requests.size <= MAX_REQUESTS) break;
      if (!state.shown.includes(name)) state.requests.delete(name);
    }
  }
  for (const [key, run] of state.running) if (run.t0 < now - 60e6) state.running.delete(key);
}

// ---- the stream ----------------------------------------------------------------------------------------------

function connect() {
  const status = document.getElementById('status');
  const source = new EventSource('events');
  source.addEventListener('hello', e => {
    const hello = JSON.parse(e.data);
    state.holdsCarriers = hello.subtasksHoldCarriers;
    document.getElementById('settings').textContent = hello.description;
    setStatus(state.paused ? 'paused' : 'live');
  });
  source.onmessage = e => {
    const batch = JSON.parse(e.data);
    if (!state.paused) syncClock(batch.t);
    else if (state.offset === null) state.offset = batch.t - localMicros();
    for (const name of batch.lanes) lane(name);
    for (const event of batch.events) apply(event);
    state.dropped = batch.dropped;
    gauges(batch.gauges);
    prune(batch.t);
  };
  source.onerror = () => setStatus('offline');
  source.onopen = () => setStatus(state.paused ? 'paused' : 'live');
  function setStatus(s) { status.dataset.state = s; status.textContent = s; }
  return setStatus;
}

// ---- gauges --------------------------------------------------------------------------------------------------

function formatNumber(value) {
  if (value === null || value === undefined) return '–';
  return Math.round(value).toLocaleString('en-US');
}

function formatMillis(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1) return Math.round(ms * 1000) + ' µs';
  if (ms < 10) return ms.toFixed(1) + ' ms';
  if (ms < 10000) return Math.round(ms) + ' ms';
  return (ms / 1000).toFixed(1) + ' s';
}

function gauges(g) {
  setValue('g-connections', formatNumber(g.connections));
  setValue('g-rate', formatNumber(g.requestsPerSecond));
  setValue('g-subtasks', formatNumber(g.loomcounter_subtasks_running));
  setValue('g-p50', formatMillis(g.p50Millis));
  setValue('g-p99', formatMillis(g.p99Millis));
  document.getElementById('s-parallelism').textContent = formatNumber(g.schedulerParallelism);
  document.getElementById('s-pool').textContent = formatNumber(g.schedulerPoolSize);
  document.getElementById('s-mounted').textContent = formatNumber(g.schedulerMounted);
  const queued = document.getElementById('s-queued');
  queued.textContent = formatNumber(g.schedulerQueued);
  queued.classList.toggle('hot', g.schedulerQueued > 0);
  push(state.rateHistory, g.requestsPerSecond || 0);
  push(state.subtaskHistory, g.loomcounter_subtasks_running || 0);
  document.getElementById('dropped').textContent = state.dropped > 0
    ? state.dropped.toLocaleString('en-US') + ' events dropped to keep the server fast' : '';
}

function push(history, value) {
  history.push(value);
  if (history.length > 150) history.shift();
}

function setValue(id, text) {
  document.querySelector('#' + id + ' .value').textContent = text;
}

function spark(canvas, history, color) {
  const ctx = fit(canvas);
  const w = canvas.clientWidth, h = canvas.clientHeight;
  ctx.clearRect(0, 0, w, h);
  if (history.length < 2) return;
  const max = Math.max(1, ...history);
  ctx.beginPath();
  history.forEach((v, i) => {
    const x = w * i / (history.length - 1), y = h - 2 - (h - 6) * v / max;
    if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  });
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.lineTo(w, h);
  ctx.lineTo(0, h);
  ctx.closePath();
  ctx.fillStyle = color + '22';
  ctx.fill();
}

// ---- lanes and the timeline ----------------------------------------------------------------------------------

function renderLanes() {
  const box = document.getElementById('lanes');
  box.replaceChildren(...state.lanes.map(name => {
    const div = document.createElement('div');
    const kind = laneKind(name);
    div.className = 'lane';
    div.dataset.thread = name;
    div.dataset.kind = kind;
    div.title = name;
    const tag = document.createElement('span');
    tag.className = 'kind';
    tag.textContent = kind === 'cpu' ? 'cpu pool' : kind === 'platform' ? 'os' : 'carrier';
    const label = document.createElement('span');
    label.textContent = kind === 'carrier' ? 'worker-' + laneNumber(name) : kind === 'cpu' ? name : 'threads';
    div.append(tag, label);
    return div;
  }));
}

function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * ratio)), h = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

function drawTimeline() {
  const canvas = document.getElementById('timeline');
  const ctx = fit(canvas);
  const w = canvas.clientWidth, h = canvas.clientHeight;
  const axis = 22, laneCount = Math.max(1, state.lanes.length), laneH = (h - axis) / laneCount;
  const now = serverNow(), span = state.windowMicros, from = now - span;
  const x = t => (t - from) / span * w;
  ctx.clearRect(0, 0, w, h);

  state.lanes.forEach((name, i) => {
    ctx.fillStyle = i % 2 ? '#171d2a' : '#1a2130';
    ctx.fillRect(0, i * laneH, w, laneH);
    if (i > 0 && laneKind(name) !== laneKind(state.lanes[i - 1])) {
      ctx.fillStyle = '#3b4a63';
      ctx.fillRect(0, i * laneH - 1, w, 2);
    }
  });
  // Seconds ago, along the bottom.
  ctx.font = '11px sans-serif';
  ctx.textAlign = 'center';
  const step = span > 6e6 ? 2e6 : span > 3e6 ? 1e6 : 5e5;
  for (let t = Math.ceil(from / step) * step; t <= now; t += step) {
    const px = x(t);
    ctx.fillStyle = '#263041';
    ctx.fillRect(px, 0, 1, h - axis);
    ctx.fillStyle = '#8b98a9';
    const ago = (now - t) / 1e6;
    ctx.fillText(ago < 0.01 ? 'now' : '−' + (+ago.toFixed(1)) + ' s', Math.min(w - 16, Math.max(16, px)), h - 6);
  }

  const pad = Math.max(2, laneH * 0.16), barH = laneH - 2 * pad;
  const y = name => state.laneIndex.get(name) * laneH + pad;
  const busy = new Map();
  const lastX = new Map();
  for (const m of state.marks) {
    if (m.t1 < from || !state.laneIndex.has(m.lane)) continue;
    const x0 = Math.max(0, x(m.t0)), x1 = x(m.t1);
    // Thousands of tiny marks: skip those that would land on the pixel just drawn in the same lane.
    const previous = lastX.get(m.lane) ?? -1;
    if (!m.cut && x1 < previous + 1 && x1 - x0 < 1) continue;
    lastX.set(m.lane, x1);
    if (m.tick) {
      ctx.fillStyle = m.cut ? '#f87171' : m.color;
      ctx.fillRect(x0 - 1, y(m.lane) + barH * 0.1, 3, barH * 0.8);
      continue;
    }
    ctx.fillStyle = m.color;
    ctx.fillRect(x0, y(m.lane), Math.max(1, x1 - x0 - 0.5), barH);
    if (m.cut) {
      ctx.fillStyle = '#f87171';
      ctx.fillRect(Math.max(x0, x1 - 3), y(m.lane) - 1, 3, barH + 2);
    }
    if (m.t1 > now - span / 10) busy.set(m.lane, true);
  }
  // Subtasks still mounted: their bars grow until they end.
  if (state.holdsCarriers) {
    for (const run of state.running.values()) {
      if (!state.laneIndex.has(run.lane)) continue;
      const x0 = Math.max(0, x(run.t0));
      ctx.fillStyle = run.color;
      ctx.fillRect(x0, y(run.lane), Math.max(2, w - x0), barH);
      ctx.fillStyle = '#ffffff';
      ctx.globalAlpha = 0.5;
      ctx.fillRect(w - 2, y(run.lane), 2, barH);
      ctx.globalAlpha = 1;
    }
  }
  // A subtask that started on one carrier and ended on another: a dotted hop between the two lanes.
  ctx.setLineDash([2, 3]);
  ctx.lineWidth = 1;
  // Only the latest few hundred: each is a curve to stroke, and a busy server makes thousands a second.
  for (let i = Math.max(0, state.hops.length - 300); i < state.hops.length; i++) {
    const hop = state.hops[i];
    if (hop.t1 < from || !state.laneIndex.has(hop.from) || !state.laneIndex.has(hop.to)) continue;
    const x0 = x(hop.t0), x1 = x(hop.t1), y0 = y(hop.from) + barH / 2, y1 = y(hop.to) + barH / 2;
    ctx.strokeStyle = hop.color + '55';
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.bezierCurveTo((x0 + x1) / 2, y0, (x0 + x1) / 2, y1, x1, y1);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  if (state.paused) {
    ctx.fillStyle = '#facc15';
    ctx.font = 'bold 12px sans-serif';
    ctx.textAlign = 'right';
    ctx.fillText('❚❚ paused', w - 8, 14);
  }
}

// ---- scopes --------------------------------------------------------------------------------------------------

function chooseScopes() {
  const nowMs = performance.now();
  const keep = state.shown.filter(name => {
    const r = state.requests.get(name);
    if (!r) return false;
    if (nowMs - r.shownAt < MIN_SHOWN_MS) return true;
    return r.outcome === null || nowMs - r.endedAt < (r.outcome === 'answered' ? LINGER_MS : 2 * LINGER_MS);
  });
  // Fill free places with the requests running longest; when none runs, the latest finished ones stay.
  const room = scopeRoom();
  const candidates = [];
  for (const r of state.requests.values()) {
    if (r.n > 0 && !keep.includes(r.name) && (r.outcome === null || nowMs - r.endedAt < LINGER_MS)) candidates.push(r);
  }
  candidates.sort((a, b) => (a.outcome === null) - (b.outcome === null) || b.t0 - a.t0);
  const show = (r, place) => {
    r.shownAt = nowMs;
    if (place < keep.length) keep[place] = r.name; else keep.push(r.name);
  };
  while (keep.length < room && candidates.length > 0) show(candidates.pop(), keep.length);
  // A full panel: a running request takes the place of a finished one that has been seen long enough.
  for (let place = 0; place < keep.length && candidates.length > 0; place++) {
    const shown = state.requests.get(keep[place]);
    const next = candidates[candidates.length - 1];
    if (next.outcome === null && shown.outcome !== null && nowMs - shown.endedAt > MIN_SHOWN_MS) show(candidates.pop(), place);
  }
  state.shown = keep;
  const running = [...state.requests.values()].filter(r => r.outcome === null && !keep.includes(r.name)).length;
  document.getElementById('more').textContent = running > 0 ? '+ ' + running.toLocaleString('en-US') + (running === 1 ? ' more request running' : ' more requests running') : '';
}

/** As many cards as the panel has room for, measured from a card on screen. */
function scopeRoom() {
  const box = document.getElementById('scopes');
  const card = box.firstElementChild;
  const height = card ? card.offsetHeight + 8 : 140;
  return Math.max(1, Math.floor(box.clientHeight / height));
}

function renderScopes() {
  chooseScopes();
  const box = document.getElementById('scopes');
  const cards = new Map([...box.children].map(card => [card.dataset.request, card]));
  const order = state.shown.map(name => cards.get(name) || makeCard(state.requests.get(name)));
  box.replaceChildren(...order);
  // Filled in once in the panel: a new card's grid measures the width it has there (outside it has none, and its
  // first frame showed one column of squares).
  order.forEach((card, i) => updateCard(card, state.requests.get(state.shown[i])));
}

function makeCard(r) {
  const card = document.createElement('div');
  card.className = 'scope';
  card.dataset.request = r.name;
  card.innerHTML = `
    <div class="tree-conn"><span class="dot"></span><span class="conn"></span><span class="sub"></span></div>
    <div class="tree-req">
      <div class="req-line"><span class="name"></span><span class="sum"></span><span class="badge"></span></div>
      <canvas class="grid"></canvas>
      <div class="stats"><span>counter <b class="counter"></b></span> · <span><b class="n-running"></b> running</span> · <span><b class="n-queued"></b> queued</span> · <span><b class="n-done"></b> done</span><b class="n-cancelled cut"></b></div>
    </div>`;
  card.style.setProperty('--conn', colourOf(r.conn));
  card.querySelector('.conn').textContent = r.conn;
  card.querySelector('.name').textContent = r.name.substring(r.conn.length + 1) || r.name;
  return card;
}

function stateOf(r) {
  if (r.outcome === null) return 'running';
  return r.outcome === 'answered' ? 'joined' : r.outcome;
}

function updateCard(card, r) {
  const s = stateOf(r);
  card.dataset.state = s;
  card.dataset.running = r.running;
  card.dataset.done = r.done;
  card.dataset.cancelled = r.cancelled;
  const conn = state.connections.get(r.conn);
  card.querySelector('.sub').textContent = conn && conn.closed ? 'connection scope · closed: ' + conn.closed : 'connection scope';
  // BigInt's toLocaleString groups the digits like a number's: -9,223,372,036,854,775,800.
  card.querySelector('.sum').textContent = r.start.toLocaleString('en-US') + ' + ' + r.n.toLocaleString('en-US');
  const badge = card.querySelector('.badge');
  badge.textContent = s === 'running' ? 'join() waiting'
    : s === 'joined' ? 'joined ✓ ' + formatMillis(r.latency / 1000)
    : s === 'timeout' ? 'timed out ✗'
    : s === 'failed' ? 'failed ✗ a subtask failed'
    : s === 'overloaded' ? 'refused ✗ overloaded'
    : 'cancelled ✗' + (r.why ? ' ' + r.why : '');
  const queued = r.n - r.running - r.done - r.cancelled;
  // Text only, in place: the elements stay the same from one update to the next.
  // BigInt and number do not mix in arithmetic (a TypeError, not a silent rounding): done joins as a BigInt.
  text(card, '.counter', (r.start + BigInt(r.done)).toLocaleString('en-US'));
  text(card, '.n-running', r.running.toLocaleString('en-US'));
  text(card, '.n-queued', Math.max(0, queued).toLocaleString('en-US'));
  text(card, '.n-done', r.done.toLocaleString('en-US'));
  text(card, '.n-cancelled', r.cancelled > 0 ? ' · ' + r.cancelled.toLocaleString('en-US') + ' cancelled' : '');
  drawGrid(card.querySelector('.grid'), r, colourOf(r.conn));
}

function text(card, css, value) {
  const element = card.querySelector(css);
  if (element.textContent !== value) element.textContent = value;
}

function drawGrid(canvas, r, color) {
  const width = canvas.parentElement.clientWidth - 4;
  const n = Math.max(1, r.n);
  let cell = 14;
  while (cell > 2 && Math.ceil(n / Math.floor(width / cell)) * cell > 48) cell--;
  const cols = Math.max(1, Math.floor(width / cell)), rows = Math.ceil(n / cols);
  canvas.style.width = Math.min(n, cols) * cell + 'px';
  canvas.style.height = rows * cell + 'px';
  const ctx = fit(canvas);
  ctx.clearRect(0, 0, cols * cell, rows * cell);
  const gap = cell >= 6 ? 2 : cell >= 4 ? 1 : 0;
  const fills = ['#3a4558', color, color + '70', '#f87171'];
  for (let i = 0; i < r.n; i++) {
    const st = r.states[i];
    ctx.fillStyle = fills[st];
    const cx = (i % cols) * cell, cy = Math.floor(i / cols) * cell;
    ctx.fillRect(cx, cy, cell - gap, cell - gap);
    if (st === RUNNING && cell >= 6) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1;
      ctx.strokeRect(cx + 0.5, cy + 0.5, cell - gap - 1, cell - gap - 1);
    }
    if (st === CANCELLED && cell >= 8) {
      ctx.strokeStyle = '#111722';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(cx + 2, cy + 2); ctx.lineTo(cx + cell - gap - 2, cy + cell - gap - 2);
      ctx.moveTo(cx + cell - gap - 2, cy + 2); ctx.lineTo(cx + 2, cy + cell - gap - 2);
      ctx.stroke();
    }
  }
}

// ---- the thread dump -----------------------------------------------------------------------------------------

async function showDump() {
  const dialog = document.getElementById('dump-dialog');
  const tree = document.getElementById('dump-tree');
  tree.textContent = 'taking a thread dump…';
  dialog.showModal();
  const response = await fetch('threads');
  const dump = (await response.json()).threadDump;
  // The server's own dump: its scopes, each thread's stack from Thread.getStackTrace(). The JDK's JSON dump (jcmd
  // Thread.dump_to_file) has the same shape, but can crash a loaded JVM on JDK 25.0.3.
  document.getElementById('dump-meta').textContent =
    `pid ${dump.processId} · ${dump.time} · Java ${dump.runtimeVersion} · the server's scopes, in the shape of jcmd's JSON dump`;
  const containers = dump.threadContainers;
  const children = new Map();
  for (const c of containers) {
    const parent = c.parent ?? null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(c);
  }
  const render = (c, depth) => {
    const node = document.createElement('details');
    const name = scopeName(c.container);
    const isScope = !name.startsWith('<') && !name.startsWith('ForkJoinPool') && !name.startsWith('java.util');
    node.open = isScope || depth === 0;
    node.dataset.scope = name;
    const summary = document.createElement('summary');
    summary.innerHTML = `<span class="scope-name"></span> <span class="count"></span>`;
    summary.querySelector('.scope-name').textContent = name;
    // threadCount counts every thread; past a thousand, the dump lists the rest without their stacks.
    const count = Number(c.threadCount ?? c.threads.length);
    summary.querySelector('.count').textContent = `${count} thread${count === 1 ? '' : 's'}`
      + (count > c.threads.length ? ` (${c.threads.length} listed)` : '')
      + (c.owner ? ` · owned by #${c.owner}` : '');
    node.append(summary);
    if (name === '<root>') node.open = true;
    for (const t of c.threads) {
      const line = document.createElement('div');
      line.className = 'thread';
      const top = (t.stack && t.stack[0]) || '';
      line.innerHTML = `<span class="${t.virtual ? 'virtual' : 'platform'}"></span> <span class="tname"></span> <span class="frame"></span>`;
      line.children[0].textContent = (t.virtual ? 'virtual' : 'platform') + ' #' + t.tid;
      line.children[1].textContent = t.name || '(unnamed)';
      line.children[2].textContent = top ? '— ' + top : '';
      if (!isScope && name === '<root>') line.hidden = !/^(server|acceptor|cpu-|live-view)/.test(t.name || '');
      node.append(line);
    }
    for (const child of children.get(c.container) || []) node.append(render(child, depth + 1));
    return node;
  };
  tree.replaceChildren(...(children.get(null) || []).map(c => render(c, 0)));
}

function scopeName(container) {
  // "conn-1/req-1/jdk.internal.misc.ThreadFlock$ThreadContainerImpl@7e1593e9": the scope's name comes first.
  const flock = container.indexOf('/jdk.internal.misc.ThreadFlock');
  if (flock >= 0) return container.substring(0, flock);
  return container.replace(/@[0-9a-f]+$/, '');
}

// ---- controls and the frame loop -----------------------------------------------------------------------------

function setup() {
  const setStatus = connect();
  const pause = document.getElementById('pause');
  pause.addEventListener('click', () => {
    state.pausedAt = serverNow();
    state.paused = !state.paused;
    pause.setAttribute('aria-pressed', String(state.paused));
    pause.textContent = state.paused ? '▶ Resume' : '❚❚ Pause';
    setStatus(state.paused ? 'paused' : 'live');
  });
  document.getElementById('window').addEventListener('change', e => { state.windowMicros = e.target.value * 1e6; });
  document.getElementById('dump').addEventListener('click', () => showDump().catch(error => {
    document.getElementById('dump-tree').textContent = 'no thread dump: ' + error;
  }));
  document.getElementById('dump-close').addEventListener('click', () => document.getElementById('dump-dialog').close());
  let lastScopes = 0;
  let lastFrame = 0;
  const frame = time => {
    // Twenty frames a second scroll smoothly enough, and leave the cores to the server on the same machine.
    if (time - lastFrame < 48) { requestAnimationFrame(frame); return; }
    lastFrame = time;
    // Paused: one last frame with the mark, then nothing to redraw until Resume.
    if (!state.paused || !state.pausedDrawn) drawTimeline();
    state.pausedDrawn = state.paused;
    if (time - lastScopes > 250) {
      lastScopes = time;
      if (!state.paused) renderScopes();
      spark(document.querySelector('#g-rate .spark'), state.rateHistory, '#7dd3fc');
      spark(document.querySelector('#g-subtasks .spark'), state.subtaskHistory, '#a78bfa');
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

setup();
