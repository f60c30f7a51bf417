// The cluster dashboard: follows /_cluster/dashboard/events (server-sent events, one snapshot per sample) and falls
// back to polling /_cluster/dashboard/snapshot every second while the stream is down. No framework, no external
// resource; every value goes into the page as text (textContent), never as markup.
(() => {
  'use strict';

  const base = '/_cluster/dashboard';
  const pollEveryMs = 1000;
  const streamRetryMs = 5000;
  const staleAfterMs = 5000;
  const chartSpanMs = 120 * 1000;

  const state = {
    sort: { key: 'rps', descending: true },
    snapshot: null,
    receivedAt: 0,
    source: null,
    pollTimer: 0,
    retryTimer: 0,
    errorsKey: '',
    eventsKey: '',
    reloading: false,
  };

  const byId = (id) => document.getElementById(id);

  // ---- Formatting -------------------------------------------------------------------------------------------------

  const dash = '–';

  function integer(value) {
    return value === null || value === undefined ? dash : String(Math.round(value));
  }

  function decimal(value, digits) {
    if (value === null || value === undefined || !Number.isFinite(value)) {
      return dash;
    }
    return value.toFixed(digits);
  }

  function rate(value) {
    if (value === null || value === undefined) {
      return dash;
    }
    return value >= 100 ? value.toFixed(0) : value.toFixed(1);
  }

  function milliseconds(value) {
    if (value === null || value === undefined || !Number.isFinite(value)) {
      return dash;
    }
    if (value >= 1000) {
      return (value / 1000).toFixed(2) + ' s';
    }
    return (value >= 10 ? value.toFixed(0) : value.toFixed(value >= 1 ? 1 : 2)) + ' ms';
  }

  function percent(ratio, digits) {
    if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) {
      return dash;
    }
    return (ratio * 100).toFixed(digits) + ' %';
  }

  function bytes(value) {
    if (value === null || value === undefined) {
      return dash;
    }
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let amount = value;
    let unit = 0;
    while (amount >= 1024 && unit < units.length - 1) {
      amount /= 1024;
      unit++;
    }
    return (unit === 0 ? String(amount) : amount.toFixed(1)) + ' ' + units[unit];
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) {
      return dash;
    }
    const total = Math.floor(seconds);
    const days = Math.floor(total / 86400);
    const hours = Math.floor((total % 86400) / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const secs = total % 60;
    if (days > 0) {
      return days + 'd ' + hours + 'h';
    }
    if (hours > 0) {
      return hours + 'h ' + minutes + 'm';
    }
    return minutes > 0 ? minutes + 'm ' + secs + 's' : secs + 's';
  }

  // .NET writes seven fraction digits; the standard date format has three, and not every browser reads more.
  function parseTime(iso) {
    const time = Date.parse(iso);
    return Number.isNaN(time) && typeof iso === 'string' ? Date.parse(iso.replace(/(\.\d{3})\d+/, '$1')) : time;
  }

  function clock(iso) {
    const date = new Date(parseTime(iso));
    return Number.isNaN(date.getTime()) ? dash : date.toLocaleTimeString([], { hour12: false });
  }

  function setText(element, text) {
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function cell(row, field) {
    return row.querySelector('td[data-field="' + field + '"]');
  }

  function newCell(row, field, className) {
    const td = document.createElement('td');
    if (field) {
      td.setAttribute('data-field', field);
    }
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  // Keeps one row per key in the order given: existing rows are updated in place (no flicker, selection kept).
  function syncRows(tbody, items, keyAttribute, keyOf, create, update) {
    const existing = new Map();
    for (const row of Array.from(tbody.rows)) {
      existing.set(row.getAttribute(keyAttribute), row);
    }
    items.forEach((item, index) => {
      const key = keyOf(item);
      let row = existing.get(key);
      if (row) {
        existing.delete(key);
      } else {
        row = create(item);
        row.setAttribute(keyAttribute, key);
      }
      update(row, item);
      if (tbody.rows[index] !== row) {
        tbody.insertBefore(row, tbody.rows[index] || null);
      }
    });
    for (const row of existing.values()) {
      row.remove();
    }
  }

  // ---- Rendering --------------------------------------------------------------------------------------------------

  function render(snapshot) {
    if (!snapshot || typeof snapshot.sequence !== 'number') {
      return;
    }
    if (state.snapshot && snapshot.sequence < state.snapshot.sequence && Date.now() - state.receivedAt < staleAfterMs) {
      // An older sample (a poll answered after a newer event): keep the newer one. (After a while it is a restarted gateway.)
      return;
    }
    state.snapshot = snapshot;
    state.receivedAt = Date.now();
    renderHeader(snapshot);
    renderSummary(snapshot);
    renderSilos(snapshot.silos || []);
    renderRoutes(snapshot.routes || []);
    renderErrors(snapshot.errors || []);
    renderEvents(snapshot.events || []);
    drawCharts(snapshot.throughput || []);
    document.body.setAttribute('data-sequence', String(snapshot.sequence));
    updateStaleness();
  }

  function renderHeader(snapshot) {
    const gateway = snapshot.gateway || {};
    setText(byId('cluster-id'), gateway.clusterId || '');
    setText(byId('gateway-app'), gateway.app || dash);
    const where = gateway.silo ? gateway.host + ' (silo ' + gateway.silo + ')' : gateway.host;
    setText(byId('gateway-host'), where || dash);
    const updated = byId('updated');
    setText(updated, clock(snapshot.at));
    updated.setAttribute('datetime', snapshot.at);
    document.title = 'Cluster ' + (gateway.clusterId || '') + ' · dashboard';
  }

  function renderSummary(snapshot) {
    const silos = snapshot.silos || [];
    const active = silos.filter((silo) => silo.status === 'Active').length;
    const live = silos.filter((silo) => silo.status !== 'Dead').length;
    setText(byId('summary-silos'), active + ' / ' + live);
    const points = snapshot.throughput || [];
    const last = points.length > 0 ? points[points.length - 1] : null;
    setText(byId('summary-rps'), last ? rate(last.requestsPerSecond) : dash);
    setText(byId('summary-p50'), last ? milliseconds(last.p50Ms) : dash);
    setText(byId('summary-p99'), last ? milliseconds(last.p99Ms) : dash);
    setText(byId('summary-errors'), last ? rate(last.errorsPerSecond) : dash);
  }

  const siloFields = ['status', 'uptime', 'activations', 'cpu', 'memory', 'received', 'sent', 'rejected', 'queued', 'connections'];

  function renderSilos(silos) {
    const tbody = byId('silos').tBodies[0];
    byId('silos-empty').hidden = silos.length > 0;
    syncRows(tbody, silos, 'data-silo', (silo) => silo.address, createSiloRow, updateSiloRow);
  }

  function createSiloRow() {
    const row = document.createElement('tr');
    const who = newCell(row, 'address');
    const address = document.createElement('span');
    address.className = 'silo-address';
    const name = document.createElement('span');
    name.className = 'silo-name';
    who.append(address, name);
    for (const field of siloFields) {
      const td = newCell(row, field, field === 'status' ? '' : 'num');
      if (field === 'status') {
        const badge = document.createElement('span');
        badge.className = 'badge';
        td.appendChild(badge);
      }
    }
    return row;
  }

  function updateSiloRow(row, silo) {
    const dead = silo.status === 'Dead';
    row.setAttribute('data-status', silo.status);
    row.classList.toggle('silo-dead', dead);
    row.classList.toggle('silo-unreachable', !dead && !silo.reachable);
    const who = cell(row, 'address');
    setText(who.querySelector('.silo-address'), silo.address);
    setText(who.querySelector('.silo-name'), [silo.name, silo.host].filter((part) => part).join(' · '));
    const badge = cell(row, 'status').firstElementChild;
    setText(badge, silo.status);
    badge.className = 'badge badge-' + silo.status;
    setText(cell(row, 'uptime'), duration(silo.uptimeSeconds));
    setText(cell(row, 'activations'), integer(silo.activations));
    setText(cell(row, 'cpu'), silo.cpuPercent === null || silo.cpuPercent === undefined ? dash : decimal(silo.cpuPercent, 1) + ' %');
    const memory = cell(row, 'memory');
    setText(memory, bytes(silo.workingSetBytes));
    memory.title = 'GC heap ' + bytes(silo.gcHeapBytes);
    setText(cell(row, 'received'), integer(silo.messagesReceived));
    setText(cell(row, 'sent'), integer(silo.messagesSent));
    setText(cell(row, 'rejected'), integer(silo.messagesRejected));
    setText(cell(row, 'queued'), integer(silo.queuedRequests));
    setText(cell(row, 'connections'), integer(silo.connections));
  }

  const sortKeys = {
    pattern: (route) => route.pattern,
    kind: (route) => route.kind,
    owner: (route) => route.owner || '',
    requests: (route) => route.requests,
    rps: (route) => route.requestsPerSecond,
    p50: (route) => (route.p50Ms === null ? -1 : route.p50Ms),
    p99: (route) => (route.p99Ms === null ? -1 : route.p99Ms),
    errors: (route) => route.errorRate,
    'hit-ratio': (route) => (route.cacheHitRatio === null ? -1 : route.cacheHitRatio),
  };

  function compareRoutes(a, b) {
    const key = sortKeys[state.sort.key] || sortKeys.rps;
    const left = key(a);
    const right = key(b);
    let order = typeof left === 'string' ? left.localeCompare(right) : left - right;
    if (state.sort.descending) {
      order = -order;
    }
    return order !== 0 ? order : b.requests - a.requests || a.pattern.localeCompare(b.pattern);
  }

  function renderRoutes(routes) {
    const tbody = byId('routes').tBodies[0];
    const sorted = routes.slice().sort(compareRoutes);
    syncRows(tbody, sorted, 'data-route', (route) => route.pattern, createRouteRow, updateRouteRow);
  }

  function createRouteRow() {
    const row = document.createElement('tr');
    newCell(row, 'pattern');
    newCell(row, 'kind');
    newCell(row, 'owner');
    for (const field of ['requests', 'rps', 'p50', 'p99', 'errors', 'hit-ratio']) {
      newCell(row, field, 'num');
    }
    return row;
  }

  function updateRouteRow(row, route) {
    setText(cell(row, 'pattern'), route.pattern);
    setText(cell(row, 'kind'), route.kind);
    setText(cell(row, 'owner'), route.owner || (route.kind === 'worker' ? 'every silo' : dash));
    setText(cell(row, 'requests'), integer(route.requests));
    setText(cell(row, 'rps'), rate(route.requestsPerSecond));
    setText(cell(row, 'p50'), milliseconds(route.p50Ms));
    setText(cell(row, 'p99'), milliseconds(route.p99Ms));
    setText(cell(row, 'errors'), percent(route.errorRate, 1));
    setText(cell(row, 'hit-ratio'), percent(route.cacheHitRatio, 0));
    row.classList.toggle('route-failing', route.errorRate > 0);
  }

  function renderErrors(errors) {
    const key = errors.length + '|' + (errors.length > 0 ? errors[0].at + errors[0].traceId : '');
    if (key === state.errorsKey) {
      return;
    }
    state.errorsKey = key;
    byId('errors-empty').hidden = errors.length > 0;
    const rows = errors.map((error) => {
      const row = document.createElement('tr');
      row.setAttribute('data-trace-id', error.traceId || '');
      setText(newCell(row, 'at'), clock(error.at));
      setText(newCell(row, 'route'), error.method + ' ' + error.route);
      const status = newCell(row, 'status', 'num');
      setText(status, String(error.statusCode));
      status.classList.toggle('status-5xx', error.statusCode >= 500);
      setText(newCell(row, 'silo'), error.silo || dash);
      setText(newCell(row, 'trace', 'trace'), error.traceId || dash);
      setText(newCell(row, 'reason', 'wrap'), error.reason || '');
      return row;
    });
    byId('errors').replaceChildren(...rows);
  }

  function renderEvents(events) {
    const key = events.length + '|' + (events.length > 0 ? events[0].at + events[0].silo + events[0].status : '');
    if (key === state.eventsKey) {
      return;
    }
    state.eventsKey = key;
    byId('events-empty').hidden = events.length > 0;
    const rows = events.map((change) => {
      const row = document.createElement('tr');
      row.setAttribute('data-status', change.status);
      setText(newCell(row, 'at'), clock(change.at));
      setText(newCell(row, 'silo'), change.silo);
      const what = newCell(row, 'status');
      const badge = document.createElement('span');
      badge.className = 'badge badge-' + change.status;
      badge.textContent = change.status;
      if (change.previousStatus) {
        what.append(document.createTextNode(change.previousStatus + ' → '));
      } else {
        what.append(document.createTextNode('joined → '));
      }
      what.append(badge);
      return row;
    });
    byId('events').replaceChildren(...rows);
  }

  // ---- Charts -----------------------------------------------------------------------------------------------------

  // A round top for the y axis and how many grid steps divide it into round numbers (e.g. 50 in 5 steps of 10).
  function niceScale(value) {
    if (!(value > 0)) {
      return { maximum: 1, steps: 5 };
    }
    const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (const [step, steps] of [[1, 5], [2, 4], [2.5, 5], [5, 5], [10, 5]]) {
      if (value <= step * magnitude) {
        return { maximum: step * magnitude, steps };
      }
    }
    return { maximum: 10 * magnitude, steps: 5 };
  }

  function cssColor(element, name) {
    return getComputedStyle(element).getPropertyValue(name).trim() || '#888';
  }

  // Draws lines over the last two minutes: x is time (the newest point at the right edge), y from 0 to a round maximum.
  function drawChart(canvas, points, series, formatTick) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width === 0 || height === 0) {
      return;
    }
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const context = canvas.getContext('2d');
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);

    const left = 56;
    const right = 10;
    const top = 8;
    const bottom = 22;
    const plotWidth = width - left - right;
    const plotHeight = height - top - bottom;
    const end = points.length > 0 ? parseTime(points[points.length - 1].at) : Date.now();
    const start = end - chartSpanMs;
    const visible = points.filter((point) => parseTime(point.at) >= start);

    let highest = 0;
    for (const point of visible) {
      for (const line of series) {
        const value = point[line.field];
        if (value !== null && value !== undefined && value > highest) {
          highest = value;
        }
      }
    }
    const { maximum, steps } = niceScale(highest);

    const grid = cssColor(canvas, '--chart-grid');
    const text = cssColor(canvas, '--chart-text');
    context.font = '11px system-ui, sans-serif';
    context.lineWidth = 1;
    context.strokeStyle = grid;
    context.fillStyle = text;
    context.textBaseline = 'middle';
    context.textAlign = 'right';
    for (let i = 0; i <= steps; i++) {
      const value = (maximum * i) / steps;
      const y = top + plotHeight - (plotHeight * i) / steps;
      context.beginPath();
      context.moveTo(left, Math.round(y) + 0.5);
      context.lineTo(left + plotWidth, Math.round(y) + 0.5);
      context.stroke();
      context.fillText(value === 0 ? '0' : formatTick(value), left - 6, y);
    }
    context.textAlign = 'center';
    context.textBaseline = 'top';
    for (const secondsAgo of [120, 90, 60, 30, 0]) {
      const x = left + plotWidth - (plotWidth * secondsAgo * 1000) / chartSpanMs;
      context.fillText(secondsAgo === 0 ? 'now' : '-' + secondsAgo + 's', x, top + plotHeight + 6);
    }

    const x = (point) => left + ((parseTime(point.at) - start) / chartSpanMs) * plotWidth;
    const y = (value) => top + plotHeight - (Math.min(value, maximum) / maximum) * plotHeight;
    // A gap longer than a few samples (nobody watched, or the stream was down) breaks the line.
    const gapMs = 5000;
    context.lineWidth = 2;
    context.lineJoin = 'round';
    for (const line of series) {
      const color = cssColor(canvas, line.color);
      context.strokeStyle = color;
      context.fillStyle = color;
      // Runs of points close enough in time to join; a run of one point is drawn as a dot.
      const runs = [];
      let run = null;
      let previousAt = 0;
      for (const point of visible) {
        const value = point[line.field];
        const at = parseTime(point.at);
        if (value === null || value === undefined) {
          run = null;
          continue;
        }
        if (!run || at - previousAt > gapMs) {
          run = [];
          runs.push(run);
        }
        run.push([x(point), y(value)]);
        previousAt = at;
      }
      for (const points of runs) {
        if (points.length === 1) {
          context.beginPath();
          context.arc(points[0][0], points[0][1], 2, 0, 2 * Math.PI);
          context.fill();
          continue;
        }
        context.beginPath();
        context.moveTo(points[0][0], points[0][1]);
        for (const [px, py] of points.slice(1)) {
          context.lineTo(px, py);
        }
        context.stroke();
      }
    }
  }

  function drawCharts(points) {
    drawChart(
      byId('throughput-chart'),
      points,
      [
        { field: 'requestsPerSecond', color: '--series-rps' },
        { field: 'errorsPerSecond', color: '--series-errors' },
      ],
      (value) => (value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 0 : 1)));
    drawChart(
      byId('latency-chart'),
      points,
      [
        { field: 'p50Ms', color: '--series-p50' },
        { field: 'p99Ms', color: '--series-p99' },
      ],
      milliseconds);
  }

  // ---- Connection -------------------------------------------------------------------------------------------------

  function setConnection(text) {
    const element = byId('connection');
    setText(element, text);
    element.className = 'connection ' + text;
  }

  function updateStaleness() {
    const stale = state.receivedAt > 0 && Date.now() - state.receivedAt > staleAfterMs;
    byId('updated').classList.toggle('stale', stale);
  }

  function reloadForSignIn() {
    // The session ended or the token changed: the page itself answers with the sign-in form.
    if (!state.reloading) {
      state.reloading = true;
      window.location.reload();
    }
  }

  async function poll() {
    try {
      const response = await fetch(base + '/snapshot', {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { Accept: 'application/json' },
      });
      if (response.status === 401 || response.status === 403) {
        reloadForSignIn();
        return;
      }
      if (!response.ok) {
        setConnection('reconnecting');
        return;
      }
      render(await response.json());
      if (!state.source || state.source.readyState !== EventSource.OPEN) {
        setConnection('polling');
      }
    } catch {
      setConnection('reconnecting');
    }
  }

  function startPolling() {
    if (!state.pollTimer) {
      poll();
      state.pollTimer = window.setInterval(poll, pollEveryMs);
    }
  }

  function stopPolling() {
    if (state.pollTimer) {
      window.clearInterval(state.pollTimer);
      state.pollTimer = 0;
    }
  }

  function connect() {
    if (!('EventSource' in window)) {
      startPolling();
      return;
    }
    const source = new EventSource(base + '/events');
    state.source = source;
    source.addEventListener('open', () => {
      stopPolling();
      setConnection('live');
    });
    source.addEventListener('snapshot', (event) => {
      let snapshot;
      try {
        snapshot = JSON.parse(event.data);
      } catch {
        // A malformed event: the next one replaces it.
        return;
      }
      render(snapshot);
    });
    source.addEventListener('error', () => {
      // Polling covers the gap: the browser reconnects a dropped stream by itself, but gives up on a refused one.
      setConnection('reconnecting');
      startPolling();
      if (source.readyState === EventSource.CLOSED && !state.retryTimer) {
        state.retryTimer = window.setTimeout(() => {
          state.retryTimer = 0;
          connect();
        }, streamRetryMs);
      }
    });
  }

  function setUpSorting() {
    const headers = byId('routes').tHead.querySelectorAll('button[data-sort]');
    const markSorted = () => {
      for (const button of headers) {
        const th = button.parentElement;
        if (button.getAttribute('data-sort') === state.sort.key) {
          th.setAttribute('aria-sort', state.sort.descending ? 'descending' : 'ascending');
        } else {
          th.removeAttribute('aria-sort');
        }
      }
    };
    for (const button of headers) {
      button.addEventListener('click', () => {
        const key = button.getAttribute('data-sort');
        if (state.sort.key === key) {
          state.sort.descending = !state.sort.descending;
        } else {
          // Text columns read best A to Z, numbers largest first.
          state.sort = { key, descending: !['pattern', 'kind', 'owner'].includes(key) };
        }
        markSorted();
        if (state.snapshot) {
          renderRoutes(state.snapshot.routes || []);
        }
      });
    }
    markSorted();
  }

  function start() {
    setUpSorting();
    setConnection('connecting');
    connect();
    window.setInterval(updateStaleness, 1000);
    window.addEventListener('resize', () => {
      if (state.snapshot) {
        drawCharts(state.snapshot.throughput || []);
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
