// mitmlab dashboard. Plain JavaScript, no libraries, no build step.
//
// Data path: /api/stream (Server-Sent Events) sends every flow event of the lab with the table rows it
// made or changed (the server folds events into rows, the same way `mitmlab watch` does). The page keeps
// the rows by id, draws the visible ones, and asks /api/events?flow=ID and /api/certificates/ID when a
// row is opened. Everything that came from the network is written with textContent, never as HTML:
// request paths, headers and bodies are whatever a client sent.
'use strict';

(function () {
  const MAX_SHOWN = 400;
  const LABELS = {
    'intercept': 'intercepted',
    'pass-through': 'passed through',
    'refuse': 'refused',
    'plain-http': 'plain HTTP',
  };

  const state = {
    rows: new Map(),      // id -> row
    order: [],            // ids, first seen first
    shown: new Map(),     // id -> <tr>
    fresh: new Set(),     // ids to flash once
    instance: null,
    lastSeq: 0,
    replayUntil: 0,       // messages up to this number were sent before this page connected
    clearedSeq: 0,
    paused: false,
    missedWhilePaused: 0,
    selected: null,       // row id in the detail drawer
    domains: new Set(),
    renderQueued: false,
    connected: false,
    overviewTimer: null,
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }

  function clock(iso) {
    const d = new Date(iso);
    return isNaN(d) ? '' : d.toLocaleTimeString([], { hour12: false });
  }

  function bytes(n) {
    if (n === undefined || n === null || n < 0) return '';
    if (n < 1000) return n + ' B';
    if (n < 1e6) return (n / 1000).toFixed(1) + ' kB';
    return (n / 1e6).toFixed(1) + ' MB';
  }

  function decisionKey(row) {
    if (row.outcome === 'rejected') return 'rejected';
    if (row.outcome === 'failed') return 'failed';
    return row.decision || 'unknown';
  }

  function decisionLabel(row) {
    if (row.outcome === 'rejected') return 'cert refused';
    if (row.outcome === 'failed') return 'failed';
    return LABELS[row.decision] || 'unknown';
  }

  function whatHappened(row) {
    if (row.path) return null;
    if (row.outcome === 'rejected') return 'the client refused the forged certificate (' + (row.detail || '').split(':')[0] + ')';
    if (row.outcome === 'failed') return row.detail || 'failed';
    if (row.outcome === 'no-request') return 'closed without a request';
    if (row.pending) return 'waiting for the first request…';
    if (row.decision === 'pass-through') return 'encrypted: the box cannot read it';
    return row.detail || '';
  }

  // ------------------------------------------------------------------ filters

  function matches(row) {
    const domain = $('filter-domain').value.trim().toLowerCase();
    const decision = $('filter-decision').value;
    if (domain && !(row.domain || '').toLowerCase().includes(domain)) return false;
    if (decision === 'rejected') return row.outcome === 'rejected';
    if (decision && row.decision !== decision) return false;
    return true;
  }

  // ------------------------------------------------------------------ rows

  function upsert(row, live) {
    const known = state.rows.has(row.id);
    state.rows.set(row.id, row);
    if (!known) {
      state.order.push(row.id);
      if (live) state.fresh.add(row.id); // rows replayed on connect do not flash
      if (state.paused) state.missedWhilePaused++;
    }
    const tr = state.shown.get(row.id);
    if (tr) tr.dataset.stale = '1';
    if (row.domain && !state.domains.has(row.domain)) {
      state.domains.add(row.domain);
      $('domain-list').appendChild(el('option', { value: row.domain }));
    }
    if (state.selected === row.id) refreshDetailSoon();
  }

  function rowElement(row) {
    const key = decisionKey(row);
    const what = whatHappened(row);
    const pathCell = what === null
      ? el('td', { class: 'path mono', title: row.path }, row.path)
      : el('td', { class: 'path what', title: what }, what);
    if (row.formFields > 0) {
      pathCell.appendChild(el('span', { class: 'form-tag', title: row.detail }, 'FORM ×' + row.formFields));
    }
    const tr = el('tr', {
      'data-row-id': row.id, 'data-flow-id': row.flowId, 'data-domain': row.domain || '',
      'data-decision': key, class: (row.pending ? 'pending' : '') + (state.selected === row.id ? ' selected' : ''),
    },
      el('td', { class: 'time mono' }, clock(row.time)),
      el('td', { class: 'client mono', title: row.client || '' }, row.client || ''),
      el('td', { class: 'domain', title: row.domain || '' }, row.domain || ''),
      el('td', { class: 'decision' }, el('span', { class: 'badge ' + key }, decisionLabel(row))),
      el('td', { class: 'method mono' }, row.method || ''),
      pathCell,
      el('td', { class: 'status mono' }, row.status > 0 ? String(row.status) : ''),
      el('td', { class: 'size mono' }, bytes(row.size)));
    tr.addEventListener('click', () => openDetail(row.id));
    return tr;
  }

  function queueRender() {
    if (state.renderQueued) return;
    state.renderQueued = true;
    requestAnimationFrame(() => {
      state.renderQueued = false;
      render();
    });
  }

  function render() {
    updateLive();
    if (state.paused) return;
    const tbody = $('flow-rows');
    const visible = [];
    let matching = 0;
    for (let i = state.order.length - 1; i >= 0; i--) {
      const row = state.rows.get(state.order[i]);
      if (!matches(row)) continue;
      matching++;
      if (visible.length < MAX_SHOWN) visible.push(row);
    }
    const keep = new Set(visible.map((r) => r.id));
    for (const [id, tr] of state.shown) {
      if (!keep.has(id)) {
        tr.remove();
        state.shown.delete(id);
      }
    }
    let previous = null;
    for (const row of visible) {
      let tr = state.shown.get(row.id);
      if (!tr || tr.dataset.stale) {
        const fresh = rowElement(row);
        if (state.fresh.has(row.id)) fresh.classList.add('fresh');
        if (tr) tr.replaceWith(fresh);
        tr = fresh;
        state.shown.set(row.id, tr);
      }
      const want = previous ? previous.nextSibling : tbody.firstChild;
      if (want !== tr) tbody.insertBefore(tr, want);
      previous = tr;
    }
    state.fresh.clear();
    $('empty').hidden = state.order.length > 0;
    $('shown').textContent = state.order.length === 0 ? ''
      : matching === state.order.length ? state.order.length + ' rows'
        : matching + ' of ' + state.order.length + ' rows';
  }

  function updateLive() {
    const live = $('live');
    if (state.paused) {
      live.className = 'live paused';
      live.textContent = 'paused' + (state.missedWhilePaused ? ' · ' + state.missedWhilePaused + ' new' : '');
    } else if (state.connected) {
      live.className = 'live on';
      live.textContent = 'live';
    } else {
      live.className = 'live connecting';
      live.textContent = 'reconnecting…';
    }
  }

  // ------------------------------------------------------------------ stream

  function connect() {
    const source = new EventSource('/api/stream');
    source.addEventListener('hello', (e) => {
      const hello = JSON.parse(e.data);
      if (state.instance && state.instance !== hello.instance) {
        // The lab restarted: its flows start over. A new stream (without the old Last-Event-ID) replays them all.
        source.close();
        resetAll();
        state.instance = null;
        connect();
        return;
      }
      state.instance = hello.instance;
      state.replayUntil = hello.lastSeq;
      const cleared = JSON.parse(sessionStorage.getItem('mitmlab.cleared') || 'null');
      state.clearedSeq = cleared && cleared.instance === hello.instance ? cleared.seq : 0;
      state.connected = true;
      queueRender();
    });
    source.addEventListener('flow', (e) => {
      const message = JSON.parse(e.data);
      if (message.seq <= state.lastSeq) return;
      state.lastSeq = message.seq;
      showScenario(message.event);
      if (message.seq <= state.clearedSeq) return;
      for (const row of message.rows) upsert(row, message.seq > state.replayUntil);
      if (state.selected && message.event && message.event.flowId === state.rows.get(state.selected)?.flowId) {
        refreshDetailSoon();
      }
      queueRender();
      overviewSoon();
    });
    source.addEventListener('dropped', (e) => {
      const d = JSON.parse(e.data);
      const notice = $('notice');
      notice.textContent = 'This page fell behind and skipped ' + d.total + ' events. Reload it to see every flow.';
      notice.hidden = false;
    });
    source.onerror = () => {
      state.connected = false;
      updateLive();
    };
  }

  // The scenario and its timeline: the lab's own events (flow id "lab"), shown in the header.
  function showScenario(event) {
    if (!event) return;
    if (event.type === 'lab-started') {
      document.querySelector('.subtitle').textContent = 'scenario ' + event.scenario
        + (event.student && event.student !== 'demo' ? ' (' + event.student + ')' : '');
    } else if (event.type === 'phase-changed') {
      const phase = $('phase');
      phase.textContent = (event.date ? event.date + ' ' : '') + event.phase + ': interception '
        + (event.intercept ? 'ON' : 'OFF');
      phase.title = event.note || '';
      phase.className = 'phase ' + (event.intercept ? 'on' : 'off');
      phase.hidden = false;
    }
  }

  function resetAll() {
    state.rows.clear();
    state.order = [];
    for (const tr of state.shown.values()) tr.remove();
    state.shown.clear();
    state.lastSeq = 0;
    closeDetail();
  }

  // ------------------------------------------------------------------ toolbar

  function togglePause() {
    state.paused = !state.paused;
    state.missedWhilePaused = 0;
    $('pause').textContent = state.paused ? 'Resume' : 'Pause';
    $('pause').setAttribute('aria-pressed', String(state.paused));
    queueRender();
  }

  function clearRows() {
    state.clearedSeq = state.lastSeq;
    sessionStorage.setItem('mitmlab.cleared', JSON.stringify({ instance: state.instance, seq: state.lastSeq }));
    const keepSelected = state.selected;
    resetAll();
    state.lastSeq = state.clearedSeq;
    if (keepSelected) closeDetail();
    queueRender();
  }

  // ------------------------------------------------------------------ detail drawer

  let detailTimer = null;

  function refreshDetailSoon() {
    clearTimeout(detailTimer);
    detailTimer = setTimeout(() => state.selected && openDetail(state.selected, true), 400);
  }

  function closeDetail() {
    state.selected = null;
    $('detail').hidden = true;
    for (const tr of document.querySelectorAll('#flow-rows tr.selected')) tr.classList.remove('selected');
  }

  async function openDetail(id, refresh) {
    const row = state.rows.get(id);
    if (!row) return;
    state.selected = id;
    for (const tr of document.querySelectorAll('#flow-rows tr')) {
      tr.classList.toggle('selected', tr.dataset.rowId === id);
    }
    const title = row.method ? row.method + ' ' + (row.domain || '') + row.path : (row.domain || row.flowId);
    $('detail-title').textContent = title;
    $('detail-sub').textContent = decisionLabel(row) + ' · flow ' + row.flowId + ' · ' + clock(row.time)
      + (row.client ? ' · client ' + row.client : '');
    $('detail').hidden = false;
    const body = $('detail-body');
    if (!refresh) body.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));

    let events = [];
    let certificates = null;
    try {
      const r = await fetch('/api/events?limit=500&flow=' + encodeURIComponent(row.flowId));
      events = r.ok ? await r.json() : [];
      if (row.forged) {
        const c = await fetch('/api/certificates/' + encodeURIComponent(row.flowId));
        certificates = c.ok ? await c.json() : null;
      }
    } catch (err) {
      body.replaceChildren(el('p', { class: 'notice' }, 'Cannot load this flow: ' + err));
      return;
    }
    if (state.selected !== id) return;
    body.replaceChildren(...detailParts(row, events, certificates));
  }

  function detailParts(row, events, certificates) {
    const parts = [];
    const decision = events.filter((e) => e.type === 'decision').pop();
    const rejected = events.find((e) => e.type === 'client-rejected-certificate');
    const exchange = events.find((e) => e.type === 'http-exchange' && e.time === row.time)
      || (row.method ? events.filter((e) => e.type === 'http-exchange').find((e) => e.path === row.path) : null);

    if (decision) {
      parts.push(el('div', { class: 'explain ' + (decision.decision || '') },
        el('strong', null, 'The proxy decided: ' + (LABELS[decision.decision] || decision.decision) + '. '),
        decision.reason || ''));
    }
    if (rejected) {
      parts.push(el('div', { class: 'explain rejected' },
        el('strong', null, 'The client refused the forged certificate (' + rejected.alert + '). '),
        rejected.explanation || ''));
    }
    if (row.decision === 'pass-through') {
      parts.push(el('p', null, 'Nothing to read here: the bytes went through untouched, and the client saw the site\'s '
        + 'genuine certificate.'));
    }
    if (exchange) {
      const fields = Object.entries(exchange.formFields || {});
      if (fields.length > 0) {
        parts.push(operatorBox(fields));
      }
      parts.push(el('h3', null, 'Request: ' + exchange.method + ' ' + exchange.scheme + '://' + exchange.host + exchange.path
        + ' (' + exchange.protocol + ')'));
      parts.push(headerTable(exchange.requestHeaders));
      parts.push(el('h3', null, 'Response: ' + exchange.status + ' · ' + bytes(exchange.responseBytes)
        + ' · ' + Math.round(exchange.durationMillis) + ' ms'));
      parts.push(headerTable(exchange.responseHeaders));
      if (exchange.responsePreview) {
        parts.push(el('h3', null, 'Body preview (the first bytes the box read)'));
        parts.push(el('pre', { class: 'preview' }, exchange.responsePreview));
      }
    }
    if (certificates) {
      parts.push(certificateTable(certificates));
    } else if (row.forged) {
      parts.push(el('p', { class: 'muted' }, 'The certificate comparison is no longer in memory.'));
    }
    return parts;
  }

  function operatorBox(fields) {
    const table = el('table', { id: 'form-fields' });
    for (const [name, value] of fields.sort((a, b) => a[0].localeCompare(b[0]))) {
      table.appendChild(el('tr', null,
        el('td', { class: 'name' }, name),
        el('td', { class: 'secret' }, el('mark', null, value))));
    }
    return el('div', { class: 'operator' },
      el('h3', null, 'What the box operator reads: the form, in clear text'),
      table);
  }

  function headerTable(headers) {
    const table = el('table', { class: 'headers' });
    for (const h of headers || []) {
      table.appendChild(el('tr', null, el('td', { class: 'name mono' }, h.name), el('td', { class: 'value mono' }, h.value)));
    }
    if (!headers || headers.length === 0) table.appendChild(el('tr', null, el('td', { class: 'muted' }, '(none)')));
    return table;
  }

  function certificateTable(c) {
    const wrap = el('div', { class: 'cert-wrap' });
    wrap.appendChild(el('h3', null, 'Certificate: genuine (from the site) vs forged (what the client was shown)'));
    wrap.appendChild(el('p', { class: 'cert-summary' }, c.differing + ' of ' + c.fields.length + ' fields differ. '
      + 'The forgery copies the names the browser checks; it cannot copy the issuer, the key or the fingerprint.'));
    const table = el('table', { id: 'cert-table', class: 'cert' },
      el('thead', null, el('tr', null, el('th', null, 'Field'), el('th', null, ''),
        el('th', null, 'Genuine, from ' + (c.sni || 'the site')), el('th', null, 'Forged, signed by the national CA'))));
    const tbody = el('tbody');
    let group = null;
    for (const f of c.fields) {
      if (f.group !== group) {
        group = f.group;
        tbody.appendChild(el('tr', { class: 'group' }, el('td', { colspan: 4 }, group)));
      }
      const forged = value(f.forged);
      if (f.note) forged.appendChild(el('span', { class: 'note' }, f.note));
      tbody.appendChild(el('tr', { class: f.differs ? 'differs' : 'same', 'data-key': f.key },
        el('td', { class: 'field' }, f.label),
        el('td', { class: 'mark', title: f.differs ? 'differs' : 'same' }, f.differs ? '≠' : '='),
        el('td', { class: 'val' }, value(f.genuine)),
        el('td', { class: 'val' }, forged)));
    }
    table.appendChild(tbody);
    wrap.appendChild(table);
    return wrap;
  }

  function value(v) {
    return v === null || v === undefined
      ? el('span', { class: 'absent' }, 'absent')
      : el('span', null, v);
  }

  // ------------------------------------------------------------------ overview

  function overviewSoon() {
    if (state.overviewTimer) return;
    state.overviewTimer = setTimeout(() => {
      state.overviewTimer = null;
      loadOverview();
    }, 300);
  }

  async function loadOverview() {
    let o;
    try {
      const r = await fetch('/api/overview');
      if (!r.ok) return;
      o = await r.json();
    } catch (err) {
      return;
    }
    $('n-intercept').textContent = o.totals.intercepted;
    $('n-rejected').textContent = o.totals.rejected;
    $('n-pass').textContent = o.totals.passedThrough;
    $('n-refuse').textContent = o.totals.refused;
    $('n-forms').textContent = o.totals.formsCaptured;
    if (o.nationalRoot) {
      $('root-subject').textContent = o.nationalRoot.subject;
      $('root-fingerprint').textContent = o.nationalRoot.sha256;
      $('root-validity').textContent = 'valid ' + o.nationalRoot.notBefore.slice(0, 10) + ' to ' + o.nationalRoot.notAfter.slice(0, 10);
    }
    const c = o.clients;
    $('clients-accepted').textContent = c.accepted;
    $('clients-refused').textContent = c.refused;
    const total = c.accepted + c.refused;
    $('ratio-accepted').style.flexBasis = total ? (100 * c.accepted / total) + '%' : '0';
    $('ratio-refused').style.flexBasis = total ? (100 * c.refused / total) + '%' : '0';
    $('clients-undecided').textContent = c.undecided
      ? c.undecided + ' more intercepted connections sent no request (yet).' : '';
    drawChart(o.timeline);
    domainTable(o.domains);
  }

  function domainTable(domains) {
    const tbody = $('domain-table').querySelector('tbody');
    const rows = domains.map((d) => el('tr', { 'data-domain': d.domain },
      el('td', { class: 'name' }, d.domain),
      el('td', null, d.targeted ? 'yes' : 'no'),
      num(d.intercepted, 'hot'), num(d.accepted), num(d.rejected, 'cold'),
      num(d.passedThrough), num(d.refused), num(d.plainHttp), num(d.requests)));
    tbody.replaceChildren(...rows);
  }

  function num(n, emphasis) {
    return el('td', { class: n === 0 ? 'zero' : emphasis || '' }, String(n));
  }

  const SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function drawChart(timeline) {
    const box = $('chart');
    // A fixed number of slots, newest at the right, so a young lab's few bars stay bars and time moves left.
    const W = 1600, H = 250, left = 60, bottom = 36, top = 12, right = 12, SLOTS = 60;
    const buckets = timeline.buckets || [];
    $('bucket').textContent = buckets.length ? '(one bar per ' + span(timeline.bucketSeconds) + ')' : '';
    const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'connections over time' });
    const series = [['intercepted', 's-intercept'], ['rejected', 's-rejected'], ['passedThrough', 's-pass'],
      ['refused', 's-refuse'], ['plainHttp', 's-plain']];
    const max = Math.max(1, ...buckets.map((b) => series.reduce((s, [k]) => s + b[k], 0)));
    const step = niceStep(max);
    const yMax = Math.ceil(max / step) * step;
    const plotH = H - top - bottom, plotW = W - left - right;
    for (let v = 0; v <= yMax; v += step) {
      const y = top + plotH - (v / yMax) * plotH;
      root.appendChild(svg('line', { x1: left, x2: W - right, y1: y, y2: y, class: 'grid' }));
      root.appendChild(svg('text', { x: left - 8, y: y + 5, 'text-anchor': 'end' }, String(v)));
    }
    const n = Math.max(buckets.length, SLOTS);
    const offset = n - buckets.length;
    const slot = plotW / n;
    const barW = Math.max(2, slot * 0.72);
    buckets.forEach((b, j) => {
      const i = offset + j;
      let y = top + plotH;
      for (const [k, cls] of series) {
        if (!b[k]) continue;
        const h = (b[k] / yMax) * plotH;
        y -= h;
        const rect = svg('rect', { x: left + i * slot + (slot - barW) / 2, y: y, width: barW, height: h, class: cls });
        rect.appendChild(svg('title', {}, clock(b.start) + ': ' + b[k] + ' ' + k));
        root.appendChild(rect);
      }
    });
    if (buckets.length) {
      // Five times along the whole axis: slot k starts bucketSeconds after slot k-1 (empty slots included).
      const first = Date.parse(buckets[0].start) - offset * timeline.bucketSeconds * 1000;
      for (let j = 0; j < 5; j++) {
        const k = Math.round(j * (n - 1) / 4);
        const x = left + k * slot + slot / 2;
        const anchor = j === 0 ? 'start' : j === 4 ? 'end' : 'middle';
        const at = new Date(first + k * timeline.bucketSeconds * 1000).toISOString();
        root.appendChild(svg('text', { x: j === 0 ? left : j === 4 ? W - right : x, y: H - 8, 'text-anchor': anchor }, clock(at)));
      }
    }
    root.appendChild(svg('line', { x1: left, x2: W - right, y1: top + plotH, y2: top + plotH, class: 'axis' }));
    if (!buckets.length) {
      root.appendChild(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no connections yet'));
    }
    box.replaceChildren(root);
  }

  function niceStep(max) {
    for (const s of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]) {
      if (max / s <= 5) return s;
    }
    return Math.pow(10, Math.ceil(Math.log10(max / 5)));
  }

  function span(seconds) {
    if (seconds < 60) return seconds + ' s';
    if (seconds < 3600) return seconds / 60 + ' min';
    return seconds / 3600 + ' h';
  }

  // ------------------------------------------------------------------ tabs

  function showTab(name) {
    const flows = name === 'flows';
    $('flows-view').hidden = !flows;
    $('overview-view').hidden = flows;
    $('tab-flows').classList.toggle('active', flows);
    $('tab-overview').classList.toggle('active', !flows);
    $('tab-flows').setAttribute('aria-selected', String(flows));
    $('tab-overview').setAttribute('aria-selected', String(!flows));
    if (!flows) loadOverview();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('tab-flows').addEventListener('click', () => showTab('flows'));
    $('tab-overview').addEventListener('click', () => showTab('overview'));
    $('filter-domain').addEventListener('input', () => {
      for (const tr of state.shown.values()) tr.remove();
      state.shown.clear();
      queueRender();
    });
    $('filter-decision').addEventListener('change', () => {
      for (const tr of state.shown.values()) tr.remove();
      state.shown.clear();
      queueRender();
    });
    $('pause').addEventListener('click', togglePause);
    $('clear').addEventListener('click', clearRows);
    $('detail-close').addEventListener('click', closeDetail);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') closeDetail();
    });
    connect();
    loadOverview();
    setInterval(loadOverview, 10000); // the chart's time axis moves even when nothing happens
    queueRender();
  });
})();
