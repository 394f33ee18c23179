// The Dropflow dashboard: plain JavaScript over the admin API. The token lives in an HttpOnly
// cookie set at login, so fetch and EventSource carry it without this script ever seeing it.
'use strict';

const $ = (selector, root = document) => root.querySelector(selector);
const view = $('#view');
const state = { live: null, samples: [], workerSamples: {}, charts: [], tasks: [], watched: new Set() };

const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const time = (value) => (value ? new Date(value).toLocaleString() : '–');
const badge = (value) => `<span class="state ${esc(value)}">${esc(value)}</span>`;
const mb = (bytes) => `${Math.round(bytes / 1048576)} MB`;

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { 'content-type': 'application/json' }, ...options });
  if (response.status === 401) location.reload();
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(Array.isArray(body?.message) ? body.message.join('; ') : body?.message ?? response.statusText);
  return body;
}

function toast(message) {
  const box = $('#toast');
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 5000);
}

async function act(button, work) {
  button.disabled = true;
  try {
    const result = await work();
    if (result?.message) toast(result.message);
  } catch (error) {
    toast(error.message);
  } finally {
    button.disabled = false;
  }
}

function chart(canvas, type, labels, datasets, options = {}) {
  const made = new Chart(canvas, { type, data: { labels, datasets }, options: { animation: false, responsive: true, maintainAspectRatio: false, ...options } });
  state.charts.push(made);
  return made;
}

// Live updates: one Server-Sent Events stream for the whole page.
function connect() {
  const source = new EventSource('/api/events');
  source.onopen = () => {
    $('#live').textContent = 'live';
    $('#live').className = 'live';
  };
  source.onerror = () => {
    $('#live').textContent = 'reconnecting…';
    $('#live').className = 'live off';
  };
  source.onmessage = (event) => {
    const data = JSON.parse(event.data);
    state.live = data;
    state.samples.push({ at: new Date(data.at), queues: data.queues });
    if (state.samples.length > 150) state.samples.shift();
    for (const worker of data.workers.processes) {
      const series = (state.workerSamples[worker.id] ??= []);
      series.push({ at: new Date(data.at), rss: worker.rssBytes, cpu: worker.cpuPercent });
      if (series.length > 150) series.shift();
    }
    for (const run of data.runs) {
      const row = document.querySelector(`[data-run="${run.id}"] .run-state`);
      if (row) row.innerHTML = badge(run.state);
    }
    liveRender?.();
  };
}
let liveRender = null;

const routes = {
  async overview() {
    view.innerHTML = `
      <div class="grid">
        <div class="card"><h2>Queues</h2><div id="queues"></div></div>
        <div class="card"><h2>Processes</h2><div id="procs"></div><h2 style="margin-top:12px">Latest health check</h2><div id="health"></div></div>
      </div>
      <div class="grid">
        <div class="card"><h2>Waiting jobs (live)</h2><canvas id="depth"></canvas></div>
        <div class="card"><h2>Finished and failed per minute (last hour)</h2><canvas id="throughput"></canvas></div>
      </div>`;
    // Counts: never below zero, even when every queue is empty and Chart.js would centre the axis on 0.
    const depth = chart($('#depth'), 'line', [], [], { scales: { y: { min: 0, suggestedMax: 1 } } });
    const throughputChart = chart($('#throughput'), 'bar', [], [{ label: 'finished', data: [] }, { label: 'failed', data: [], backgroundColor: '#d64545' }]);
    const loadThroughput = async () => {
      const rows = await api('/api/stats/throughput?minutes=60');
      throughputChart.data.labels = rows.map((r) => new Date(r.minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
      throughputChart.data.datasets[0].data = rows.map((r) => r.finished);
      throughputChart.data.datasets[1].data = rows.map((r) => r.failed);
      throughputChart.update();
    };
    await loadThroughput();
    const checks = await api('/api/health/checks?limit=1');
    $('#health').innerHTML = checks.length ? `${badge(checks[0].status)} ${time(checks[0].checkedAt)}` : '<span class="muted">none yet: run system_health_check</span>';
    let ticks = 0;
    liveRender = () => {
      const live = state.live;
      if (!live) return;
      $('#queues').innerHTML = `<table id="queue-table"><tr><th>queue</th><th class="num">waiting</th><th class="num">active</th><th class="num">delayed</th><th class="num">failed</th><th class="num">completed</th><th></th></tr>
        ${live.queues.map((q) => `<tr data-queue="${q.name}"><td>${q.name}</td><td class="num">${q.waiting}</td><td class="num">${q.active}</td><td class="num">${q.delayed}</td><td class="num">${q.failed}</td><td class="num">${q.completed}</td><td>${q.paused ? badge('paused') : ''}</td></tr>`).join('')}</table>`;
      $('#procs').innerHTML = `Workers online: <strong id="workers-online">${live.workers.online}</strong> · scheduler ${live.scheduler.alive ? badge('ok') : badge('failed')}`;
      depth.data.labels = state.samples.map((s) => s.at.toLocaleTimeString());
      depth.data.datasets = (live.queues ?? []).map((q, i) => ({ label: q.name, data: state.samples.map((s) => s.queues[i]?.waiting ?? 0), pointRadius: 0 }));
      depth.update();
      if (++ticks % 15 === 0) loadThroughput();
    };
    liveRender();
  },

  async tasks() {
    const registered = await api('/api/tasks');
    const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
    view.innerHTML = `
      <div class="card"><h2>Run a task now</h2>
        <div class="filters">
          <select id="run-task">${registered.map((t) => `<option value="${t.name}">${t.name} (${t.queue})</option>`).join('')}</select>
          <input id="run-args" placeholder='args, e.g. [1]' size="14">
          <input id="run-kwargs" placeholder='kwargs, e.g. {"days": 7}' size="24">
          <button id="run-now">Enqueue</button>
        </div>
        <p class="muted" id="run-help"></p>
      </div>
      <div class="card"><h2>Run history</h2>
        <div class="filters">
          <input id="f-task" placeholder="task" value="${esc(params.get('task') ?? '')}">
          <select id="f-queue"><option value="">any queue</option>${['suppliers', 'marketplaces', 'workflows', 'ai_processing', 'analytics', 'maintenance'].map((q) => `<option>${q}</option>`).join('')}</select>
          <select id="f-state"><option value="">any state</option>${['queued', 'started', 'retrying', 'succeeded', 'failed', 'cancelled'].map((s) => `<option>${s}</option>`).join('')}</select>
          <input id="f-from" type="datetime-local" title="queued from">
          <input id="f-to" type="datetime-local" title="queued before">
          <input id="f-q" placeholder="text in args or error">
          <button id="f-apply">Filter</button>
        </div>
        <table id="runs"></table>
        <p><button class="secondary" id="more" hidden>Older runs</button></p>
      </div>`;
    const help = () => {
      const task = registered.find((t) => t.name === $('#run-task').value);
      $('#run-help').textContent = task ? `${task.description}. Arguments: ${task.arguments.map((a) => `${a.name}${a.required ? '' : '?'}`).join(', ') || 'none'}` : '';
    };
    $('#run-task').onchange = help;
    help();
    $('#run-now').onclick = (event) =>
      act(event.target, async () => {
        const args = $('#run-args').value.trim() ? JSON.parse($('#run-args').value) : undefined;
        const kwargs = $('#run-kwargs').value.trim() ? JSON.parse($('#run-kwargs').value) : undefined;
        const queued = await api(`/api/tasks/${encodeURIComponent($('#run-task').value)}/enqueue`, { method: 'POST', body: JSON.stringify({ args, kwargs }) });
        state.watched.add(queued.runId);
        await load(true);
        return { message: `Enqueued run ${queued.runId}` };
      });
    let cursor = null;
    const load = async (reset) => {
      const query = new URLSearchParams({ limit: '50' });
      for (const [key, id] of [['task', '#f-task'], ['queue', '#f-queue'], ['state', '#f-state'], ['q', '#f-q']]) if ($(id).value) query.set(key, $(id).value);
      if ($('#f-from').value) query.set('from', new Date($('#f-from').value).toISOString());
      if ($('#f-to').value) query.set('to', new Date($('#f-to').value).toISOString());
      if (!reset && cursor) query.set('before', cursor);
      const page = await api(`/api/task-runs?${query}`);
      cursor = page.next_cursor;
      $('#more').hidden = !cursor;
      const rows = page.items.map((r) => `<tr data-run="${r.id}"><td><a href="#run/${r.id}">${esc(r.task)}</a></td><td>${r.queue}</td><td class="run-state">${badge(r.state)}</td><td class="num">${r.attempts}</td><td>${time(r.queuedAt)}</td><td>${time(r.finishedAt)}</td><td class="error">${esc((r.error ?? '').slice(0, 120))}</td></tr>`).join('');
      const head = '<tr><th>task</th><th>queue</th><th>state</th><th class="num">attempts</th><th>queued</th><th>finished</th><th>error</th></tr>';
      $('#runs').innerHTML = reset ? head + rows : $('#runs').innerHTML + rows;
    };
    $('#f-apply').onclick = () => load(true);
    $('#more').onclick = () => load(false);
    await load(true);
    liveRender = () => {
      const fresh = (state.live?.runs ?? []).filter((run) => !document.querySelector(`[data-run="${run.id}"]`));
      if (fresh.length && !cursor && !$('#f-task').value && !$('#f-state').value && !$('#f-queue').value && !$('#f-q').value) load(true);
    };
  },

  async run(id) {
    const run = await api(`/api/task-runs/${id}`);
    view.innerHTML = `
      <div class="card" data-run="${run.id}">
        <h2>${esc(run.task)} <span class="run-state">${badge(run.state)}</span></h2>
        <p>Run <code>${run.id}</code> on <strong>${run.queue}</strong> (${run.mode}) · attempts ${run.attempts} · worker ${esc(run.worker ?? '–')}</p>
        <p>Queued ${time(run.queuedAt)} → started ${time(run.startedAt)} → finished ${time(run.finishedAt)}</p>
        <p><button id="retry" ${['failed', 'cancelled'].includes(run.state) ? '' : 'hidden'}>Retry</button>
           <button id="cancel" class="danger" ${run.state === 'queued' ? '' : 'hidden'}>Cancel</button></p>
        <h2>Arguments</h2><pre>args ${esc(JSON.stringify(run.args))}\nkwargs ${esc(JSON.stringify(run.kwargs, null, 2))}</pre>
        <h2>Result</h2><pre id="result">${esc(JSON.stringify(run.result, null, 2))}</pre>
        ${run.error ? `<h2>Error</h2><pre class="error">${esc(run.error)}\n\n${esc(run.stack ?? '')}</pre>` : ''}
      </div>`;
    $('#retry').onclick = (event) => act(event.target, async () => {
      const retried = await api(`/api/task-runs/${id}/retry`, { method: 'POST' });
      location.hash = `#run/${retried.runId}`;
      return { message: `Retried (${retried.retried.replace('_', ' ')})` };
    });
    $('#cancel').onclick = (event) => act(event.target, async () => {
      await api(`/api/task-runs/${id}/cancel`, { method: 'POST' });
      route();
      return { message: 'Cancelled' };
    });
    liveRender = () => {
      if ((state.live?.runs ?? []).some((r) => r.id === id)) route();
    };
  },

  async workers() {
    view.innerHTML = '<div class="card"><h2>Workers</h2><div id="worker-table"></div></div><div class="grid" id="worker-charts"></div>';
    const charts = {};
    liveRender = () => {
      const processes = state.live?.workers.processes ?? [];
      $('#worker-table').innerHTML = `<table><tr><th>process</th><th>host</th><th class="num">pid</th><th>queues (concurrency)</th><th class="num">active</th><th class="num">processed</th><th class="num">failed</th><th class="num">uptime</th><th class="num">RSS</th><th class="num">CPU</th><th>status</th></tr>
        ${processes.map((w) => `<tr><td>${esc(w.id)}</td><td>${esc(w.host)}</td><td class="num">${w.pid}</td><td>${w.queues.map((q) => `${q} (${w.concurrency[q] ?? '–'})`).join(', ')}</td><td class="num">${w.active}</td><td class="num">${w.processed}</td><td class="num">${w.failed}</td><td class="num">${Math.round(w.uptimeSeconds)} s</td><td class="num">${mb(w.rssBytes)}</td><td class="num">${w.cpuPercent.toFixed(1)} %</td><td>${w.online ? badge('ok') : badge('failed')}</td></tr>`).join('')}</table>`;
      for (const worker of processes) {
        const samples = state.workerSamples[worker.id] ?? [];
        if (!charts[worker.id]) {
          const card = document.createElement('div');
          card.className = 'card';
          card.innerHTML = `<h2>${esc(worker.id)}</h2><canvas></canvas>`;
          $('#worker-charts').append(card);
          charts[worker.id] = chart($('canvas', card), 'line', [], [{ label: 'RSS MB', data: [], yAxisID: 'rss', pointRadius: 0 }, { label: 'CPU %', data: [], yAxisID: 'cpu', pointRadius: 0 }], { scales: { rss: { position: 'left' }, cpu: { position: 'right', min: 0 } } });
        }
        const c = charts[worker.id];
        c.data.labels = samples.map((s) => s.at.toLocaleTimeString());
        c.data.datasets[0].data = samples.map((s) => Math.round(s.rss / 1048576));
        c.data.datasets[1].data = samples.map((s) => s.cpu);
        c.update();
      }
    };
    liveRender();
  },

  async queues() {
    view.innerHTML = '<div class="card"><h2>Queues</h2><div id="queue-actions"></div><p class="muted">Job-level inspection: <a href="/dashboard/queues/" target="_blank">bull-board</a>.</p></div>';
    const render = () => {
      const queues = state.live?.queues ?? [];
      $('#queue-actions').innerHTML = `<table><tr><th>queue</th><th class="num">waiting</th><th class="num">active</th><th class="num">delayed</th><th class="num">failed</th><th class="num">completed</th><th>state</th><th>actions</th></tr>
        ${queues.map((q) => `<tr data-queue="${q.name}"><td>${q.name}</td><td class="num">${q.waiting}</td><td class="num">${q.active}</td><td class="num">${q.delayed}</td><td class="num">${q.failed}</td><td class="num">${q.completed}</td><td class="queue-state">${q.paused ? badge('paused') : badge('running')}</td>
          <td><button class="secondary" data-action="${q.paused ? 'resume' : 'pause'}">${q.paused ? 'Resume' : 'Pause'}</button>
              <button class="secondary" data-action="retry-failed">Retry failed</button>
              <button class="secondary" data-action="clean-completed">Clean completed &gt; 1 h</button>
              <button class="danger" data-action="clean-failed">Clean failed &gt; 1 h</button></td></tr>`).join('')}</table>`;
      for (const button of view.querySelectorAll('button[data-action]')) {
        button.onclick = () => act(button, async () => {
          const queue = button.closest('tr').dataset.queue;
          const action = button.dataset.action;
          const result = action.startsWith('clean-')
            ? await api(`/api/queues/${queue}/clean`, { method: 'POST', body: JSON.stringify({ state: action.slice(6), older_than_s: 3600 }) })
            : await api(`/api/queues/${queue}/${action}`, { method: 'POST' });
          const live = state.live?.queues.find((q) => q.name === queue);
          if (live && 'paused' in result) live.paused = result.paused;
          render();
          return { message: `${queue}: ${JSON.stringify(result)}` };
        });
      }
    };
    liveRender = () => {
      if (!view.querySelector('button:disabled')) render();
    };
    render();
  },

  async schedules() {
    const schedules = await api('/api/schedules');
    view.innerHTML = `<div class="card"><h2>Schedules</h2><table><tr><th>name</th><th>task</th><th>cron</th><th>timezone</th><th>last run</th><th>next run</th><th class="num">runs</th><th>enabled</th><th></th></tr>
      ${schedules.map((s) => `<tr data-id="${s.id}"><td>${esc(s.name)}</td><td>${esc(s.task)}</td><td><input value="${esc(s.cron)}" size="14" class="cron"> <button class="secondary" data-action="cron">Save</button></td><td>${esc(s.timezone)}</td><td>${time(s.lastRunAt)}</td><td>${time(s.nextRunAt)}</td><td class="num">${s.totalRunCount}</td>
        <td><button class="secondary" data-action="${s.enabled ? 'disable' : 'enable'}">${s.enabled ? 'Disable' : 'Enable'}</button></td><td><button data-action="run">Run now</button></td></tr>`).join('')}</table></div>`;
    for (const button of view.querySelectorAll('button[data-action]')) {
      button.onclick = () => act(button, async () => {
        const row = button.closest('tr');
        const id = row.dataset.id;
        const action = button.dataset.action;
        if (action === 'cron') await api(`/api/schedules/${id}`, { method: 'PATCH', body: JSON.stringify({ cron: $('.cron', row).value }) });
        else if (action === 'run') return { message: `Enqueued run ${(await api(`/api/schedules/${id}/run`, { method: 'POST' })).runId}` };
        else await api(`/api/schedules/${id}/${action}`, { method: 'POST' });
        routes.schedules();
        return { message: 'Saved' };
      });
    }
    liveRender = null;
  },

  async health() {
    const checks = await api('/api/health/checks?limit=50');
    const latest = checks[0];
    view.innerHTML = `<div class="card"><h2>Latest health check</h2>${latest ? `<p>${badge(latest.status)} ${time(latest.checkedAt)}</p><table>${Object.entries(latest.checks).map(([name, c]) => `<tr><td>${name}</td><td>${badge(c.status)}</td><td>${esc(c.message)}</td></tr>`).join('')}</table>` : '<p class="muted">No check yet: run system_health_check.</p>'}</div>
      <div class="card"><h2>History</h2><table><tr><th>checked</th><th>status</th></tr>${checks.map((c) => `<tr><td>${time(c.checkedAt)}</td><td>${badge(c.status)}</td></tr>`).join('')}</table></div>`;
    liveRender = null;
  },

  async reports() {
    const [reports, metrics] = await Promise.all([api('/api/analytics/reports?per_page=30'), api('/api/analytics/metrics?period=day&dimension=total&per_page=90')]);
    view.innerHTML = `<div class="card"><h2>Gross profit per day</h2><canvas id="profit"></canvas></div>
      <div class="card"><h2>Reports</h2><table><tr><th>kind</th><th>period</th><th>generated</th><th></th></tr>
      ${reports.items.map((r) => `<tr><td>${r.kind}</td><td>${r.periodStart}${r.periodEnd !== r.periodStart ? ` – ${r.periodEnd}` : ''}</td><td>${time(r.generatedAt)}</td><td><a href="/api/analytics/reports/${r.id}/download.json">JSON</a> · <a href="/api/analytics/reports/${r.id}/download.csv">CSV</a></td></tr>`).join('') || '<tr><td colspan="4" class="muted">No reports yet: run generate_daily_reports.</td></tr>'}</table></div>`;
    chart($('#profit'), 'line', metrics.items.map((m) => m.periodStart), [
      { label: 'revenue', data: metrics.items.map((m) => Number(m.revenue)) },
      { label: 'gross profit', data: metrics.items.map((m) => Number(m.grossProfit)) },
    ]);
    liveRender = null;
  },
};

async function route() {
  const [name, id] = (location.hash.slice(1).split('?')[0] || 'overview').split('/');
  for (const link of document.querySelectorAll('header nav a')) link.classList.toggle('active', link.getAttribute('href') === `#${name}`);
  for (const c of state.charts.splice(0)) c.destroy();
  liveRender = null;
  try {
    await (routes[name] ?? routes.overview)(id);
  } catch (error) {
    view.innerHTML = `<div class="card error">${esc(error.message)}</div>`;
  }
}

window.addEventListener('hashchange', route);
connect();
route();
