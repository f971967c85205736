#!/usr/bin/env node
// Where a cold visit of the reference docs spends its time until search is ready (the moment
// bench/docs-ready.mjs measures), in real Chromium at 1440×900, the page served gzipped from a local HTTP
// server. Two visits per run, each in a fresh context: one traced (the renderer's main thread: busy time
// by kind of work, self time, so that nothing counts twice), one under V8's sampling profiler (JavaScript
// self time by script and by function). A profile, not a benchmark: the tools slow the page down, so read
// the shares, and take wall times from docs-ready.
//   node bench/docs-profile.mjs [--dir dist/docs] [--runs 1] [--top 25]
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { docsFiles } from '../scripts/docs-files.mjs';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: fileURLToPath(new URL('../dist/docs/', import.meta.url)) },
    runs: { type: 'string', default: '1' },
    top: { type: 'string', default: '25' },
    timeline: { type: 'boolean', default: false },
    'save-trace': { type: 'string' },
    'save-profile': { type: 'string' },
  },
});
const runs = Number(values.runs);
const top = Number(values.top);
if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error(`--runs must be a whole number from 1 to 20, not ${values.runs}`);
if (!Number.isInteger(top) || top < 1 || top > 500) throw new Error(`--top must be a whole number from 1 to 500, not ${values.top}`);

const files = Object.fromEntries(docsFiles(values.dir).map((name) => [name, gzipSync(readFileSync(join(values.dir, name)), { level: 9 })]));
// /page/<file> is the page; /blank is an empty page of the same origin, opened first so that the renderer
// the page runs in is already the one the tools are attached to.
const server = createServer((request, response) => {
  if (request.url === '/blank') return response.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><title>blank</title>');
  const name = /^\/page\/([\w.-]*)$/.exec(request.url ?? '')?.[1];
  const file = files[name || 'index.html'];
  if (name === undefined || !file) return response.writeHead(404).end();
  const type = name.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8';
  response.writeHead(200, { 'content-type': type, 'content-encoding': 'gzip' }).end(file);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

/** Waits for search to be ready, marks the moment in the page (performance.mark), returns ms since navigation. */
async function searchReady(tab) {
  await tab.waitForFunction(
    () => {
      const trigger = document.querySelector('[data-testid="search-trigger"]');
      const ready = trigger !== null && /search/i.test(trigger.textContent ?? '') && !/loading/i.test(trigger.textContent ?? '');
      if (ready && performance.getEntriesByName('search-ready').length === 0) performance.mark('search-ready');
      return ready;
    },
    undefined,
    { timeout: 120_000, polling: 10 },
  );
  return tab.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0];
    return {
      ready: Math.round(performance.getEntriesByName('search-ready')[0].startTime),
      domContentLoaded: Math.round(navigation.domContentLoadedEventEnd),
      load: Math.round(navigation.loadEventEnd),
    };
  });
}

/** A fresh context and tab, on the blank page; `visit(tab)` runs with it, the context is closed after. */
async function withTab(visit) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const tab = await context.newPage();
    await tab.goto(`${base}/blank`);
    return await visit(tab);
  } finally {
    await context.close();
  }
}

const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);

/** A trace event's name with what says where it comes from (script, function, timer), for the timeline. */
function label(event) {
  const data = event.args?.data ?? event.args?.beginData ?? {};
  const where = data.url ? ` ${data.url.replace(/^.*\//, '')}` : data.functionName ? ` ${data.functionName}` : '';
  return `${event.name}${where}`;
}

/**
 * CPU self time (ms, the events' thread time) of each kind of trace event on the page's main thread between navigation and search-ready:
 * an event's duration less that of the events inside it. Also the busy total (top-level tasks).
 */
function mainThreadTimes(events) {
  const mark = events.find((e) => e.name === 'search-ready');
  const navigation = events.find(
    (e) => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame && e.args.data.documentLoaderURL?.includes('/page/'),
  );
  if (!mark || !navigation) throw new Error('the trace has no navigationStart of the page or no search-ready mark');
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === mark.pid);
  const from = navigation.ts;
  const to = mark.ts;
  const spans = events
    .filter((e) => e.pid === mark.pid && e.tid === main.tid && e.ph === 'X' && e.dur > 0 && e.ts >= from && e.ts <= to)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  const tasks = [];
  let busy = 0;
  let busyCpu = 0;
  for (const span of spans) {
    while (stack.length > 0 && stack.at(-1).end <= span.ts) stack.pop();
    const parent = stack.at(-1);
    const end = span.ts + span.dur;
    if (parent && end > parent.end) continue; // overlapping, not nested: leave it out rather than count twice
    const cpu = (span.tdur ?? span.dur) / 1000;
    if (parent) add(self, parent.name, -cpu);
    else {
      busy += span.dur / 1000;
      busyCpu += cpu;
      tasks.push({ at: (span.ts - from) / 1000, ms: span.dur / 1000, cpu: (span.tdur ?? span.dur) / 1000, children: new Map() });
    }
    if (stack.length >= 1 && span.dur >= 3000) add(tasks.at(-1).children, label(span), span.dur / 1000);
    add(self, span.name, cpu);
    stack.push({ name: span.name, end });
  }
  const phases = mainThreadPhases(events, { pid: mark.pid, tid: main.tid, from, to }, tasks);
  // Compiling on other threads (streaming the deferred bundle) for comparison with the main thread's.
  const offMain = events
    .filter((e) => e.pid === mark.pid && e.tid !== main.tid && e.ph === 'X' && e.ts >= from && e.ts <= to && /compile|Compile|Stream/.test(e.name))
    .reduce((sum, e) => sum + e.dur / 1000, 0);
  return { window: (to - from) / 1000, busy, busyCpu, self, offMain, tasks, phases };
}

/**
 * The visit in phases, each with its wall time and the main thread's CPU time (tasks counted in the phase
 * they start in): until Redoc's bundle runs (the page, its first layouts, the bundle's download and
 * compilation), the bundle's own run, from DOMContentLoaded (where the page calls Redoc's hydrate) to the
 * search box asking for an idle moment (Redoc has hydrated and rendered), until that idle moment, and the
 * search index build that follows, to search ready.
 */
function mainThreadPhases(events, { pid, tid, from, to }, tasks) {
  const onMain = (e) => e.pid === pid && e.tid === tid && e.ts >= from && e.ts <= to;
  const run = events.find((e) => onMain(e) && e.name === 'EvaluateScript' && /\/redoc\.[0-9a-f]+\.js$/.test(e.args?.data?.url ?? ''));
  const loaded = events.find((e) => onMain(e) && e.name === 'EventDispatch' && e.args?.data?.type === 'DOMContentLoaded');
  const asked = events.find((e) => onMain(e) && e.name === 'RequestIdleCallback' && loaded && e.ts > loaded.ts);
  const fired = asked && events.find((e) => onMain(e) && e.name === 'FireIdleCallback' && e.args?.data?.id === asked.args?.data?.id);
  const bounds = [
    ['page, first layouts, bundle download and compile', from],
    ["Redoc's bundle runs", run?.ts],
    ['bundle run to DOMContentLoaded', run && run.ts + run.dur],
    ['hydrate: model, markdown, React hydration, layout', loaded?.ts],
    ['waiting for an idle moment', asked?.ts],
    ['search index build', fired?.ts],
    ['end', to],
  ].filter(([, ts]) => ts !== undefined);
  const phases = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [name, start] = bounds[i];
    const end = bounds[i + 1][1];
    // A task that spans a boundary (the bundle's run and DOMContentLoaded are one task) is shared in
    // proportion to its wall time on each side.
    let cpu = 0;
    for (const t of tasks) {
      const taskStart = t.at * 1000 + from;
      const overlap = Math.min(end, taskStart + t.ms * 1000) - Math.max(start, taskStart);
      if (overlap > 0) cpu += (t.cpu * overlap) / (t.ms * 1000);
    }
    phases.push({ name, wall: (end - start) / 1000, cpu });
  }
  return phases;
}

async function traced() {
  return withTab(async (tab) => {
    const categories = [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'v8',
      'v8.execute',
      'blink.user_timing',
      'loading',
      'toplevel',
      'blink',
      'disabled-by-default-v8.compile',
    ];
    await browser.startTracing(tab, { categories });
    let times;
    try {
      await tab.goto(`${base}/page/`, { waitUntil: 'commit', timeout: 120_000 });
      times = await searchReady(tab);
    } finally {
      const raw = await browser.stopTracing();
      if (values['save-trace']) writeFileSync(values['save-trace'], raw);
      const trace = JSON.parse(raw.toString('utf8'));
      if (times) times.main = mainThreadTimes(trace.traceEvents);
    }
    return times;
  });
}

/** JavaScript self time from V8's sampling profiler: by script URL and by function (name, script, position). */
async function sampled() {
  return withTab(async (tab) => {
    const cdp = await tab.context().newCDPSession(tab);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await tab.goto(`${base}/page/`, { waitUntil: 'commit', timeout: 120_000 });
    const times = await searchReady(tab);
    const { profile } = await cdp.send('Profiler.stop');
    if (values['save-profile']) writeFileSync(values['save-profile'], JSON.stringify(profile));
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const byFunction = new Map();
    const byScript = new Map();
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      const { functionName, url, lineNumber, columnNumber } = byId.get(id).callFrame;
      const script = url ? url.replace(base, '').replace(/\?.*$/, '') : '(no script)';
      add(byScript, script, ms);
      add(byFunction, `${functionName || '(anonymous)'} ${url ? `${script}:${lineNumber + 1}:${columnNumber + 1}` : ''}`, ms);
    });
    return { ...times, byFunction, byScript };
  });
}

const sum = (maps) => {
  const total = new Map();
  for (const map of maps) for (const [key, ms] of map) add(total, key, ms / maps.length);
  return total;
};
const table = (map, limit) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${key}`)
    .join('\n');

const traces = [];
const samples = [];
try {
  await withTab((tab) => tab.goto(`${base}/page/`)); // warm-up: the first page pays for process start-up
  for (let i = 0; i < runs; i++) {
    traces.push(await traced());
    samples.push(await sampled());
  }
} finally {
  await browser.close();
  server.close();
}
const mean = (list, pick) => (list.reduce((s, x) => s + pick(x), 0) / list.length).toFixed(0);
const kib = Object.values(files).reduce((s, f) => s + f.length, 0) / 1024;
console.log(`docs page ${values.dir} (${docsFiles(values.dir).join(' + ')}, ${kib.toFixed(0)} KiB gzipped), ${runs} run(s), means`);
console.log(`load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log(
  `traced visit:  search ready ${mean(traces, (t) => t.ready)} ms, DOMContentLoaded ${mean(traces, (t) => t.domContentLoaded)} ms; ` +
    `main thread busy ${mean(traces, (t) => t.main.busy)} of ${mean(traces, (t) => t.main.window)} ms (CPU ${mean(traces, (t) => t.main.busyCpu)} ms); compiling off the main thread ${mean(traces, (t) => t.main.offMain)} ms`,
);
console.log('phases (wall ms, main-thread CPU ms):');
for (const [i, phase] of traces[0].main.phases.entries()) {
  const wall = traces.reduce((sum, t) => sum + (t.main.phases[i]?.wall ?? 0), 0) / traces.length;
  const cpu = traces.reduce((sum, t) => sum + (t.main.phases[i]?.cpu ?? 0), 0) / traces.length;
  console.log(`  ${wall.toFixed(0).padStart(6)} wall, ${cpu.toFixed(0).padStart(6)} CPU  ${phase.name}`);
}
console.log(`main thread, CPU self time by trace event (navigation to search ready):\n${table(sum(traces.map((t) => t.main.self)), top)}`);
console.log(`sampled visit: search ready ${mean(samples, (s) => s.ready)} ms, DOMContentLoaded ${mean(samples, (s) => s.domContentLoaded)} ms`);
console.log(`JavaScript self time by script:\n${table(sum(samples.map((s) => s.byScript)), top)}`);
console.log(`JavaScript self time by function:\n${table(sum(samples.map((s) => s.byFunction)), top)}`);
if (values.timeline) {
  console.log('timeline of the last traced visit (tasks of 10 ms or more on the main thread; inside: events of 3 ms or more, summed by name):');
  for (const task of traces.at(-1).main.tasks.filter((t) => t.ms >= 10)) {
    const inside = [...task.children]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([name, ms]) => `${name} ${ms.toFixed(0)}`);
    console.log(`  at ${task.at.toFixed(0).padStart(5)} ms, ${task.ms.toFixed(0).padStart(5)} ms: ${inside.join('; ')}`);
  }
}
