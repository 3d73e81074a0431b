#!/usr/bin/env node
/*
 * `npm run bench:chart`: draws the latest benchmark results as one PNG for
 * the README (docs/bench-chart.png): p95 of each list and stats figure
 * against the table's size (bench/output/results.json, from `npm run
 * bench`) and, when bench/output/load.json exists (`npm run bench:load`),
 * the mixed load on one replica and on two. The chart is SVG drawn here and
 * photographed by Debian's chromium, the browser the tests already use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'bench', 'output');
const target = join(root, 'docs', 'bench-chart.png');
const results = JSON.parse(readFileSync(join(output, 'results.json'), 'utf8'));
const loadFile = join(output, 'load.json');
const load = existsSync(loadFile)
  ? JSON.parse(readFileSync(loadFile, 'utf8'))
  : undefined;

const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
];
const escape = text =>
  String(text).replace(
    /[&<>]/g,
    c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c],
  );
const label = n => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

/** p95 (ms) of every measure against table size, sizes on a log scale. */
function sizeChart(width, height) {
  const sizes = Object.keys(results.bySize).map(Number);
  const measures = Object.keys(results.bySize[sizes[0]]).filter(
    name => typeof results.bySize[sizes[0]][name] === 'object',
  );
  const pad = { left: 56, right: 220, top: 40, bottom: 44 };
  const maxMs = Math.max(
    20,
    ...sizes.flatMap(size =>
      measures.map(name => results.bySize[size][name].p95),
    ),
  );
  const yMax = Math.ceil(maxMs / 5) * 5;
  const x = size =>
    pad.left +
    ((Math.log10(size) - Math.log10(sizes[0])) /
      Math.max(1e-9, Math.log10(sizes.at(-1)) - Math.log10(sizes[0]))) *
      (width - pad.left - pad.right);
  const y = ms =>
    height - pad.bottom - (ms / yMax) * (height - pad.top - pad.bottom);
  const parts = [
    `<text x="${pad.left}" y="22" font-size="15" font-weight="bold">p95 latency (ms) against sessions in the table</text>`,
  ];
  for (let ms = 0; ms <= yMax; ms += 5) {
    parts.push(
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(ms)}" y2="${y(ms)}" stroke="#ddd"/>`,
      `<text x="${pad.left - 8}" y="${y(ms) + 4}" font-size="11" text-anchor="end">${ms}</text>`,
    );
  }
  // The README's target for a page: 15 ms.
  parts.push(
    `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(15)}" y2="${y(15)}" stroke="#d62728" stroke-dasharray="6 4"/>`,
    `<text x="${width - pad.right - 4}" y="${y(15) - 5}" font-size="11" text-anchor="end" fill="#d62728">list target 15 ms</text>`,
  );
  for (const size of sizes) {
    parts.push(
      `<text x="${x(size)}" y="${height - pad.bottom + 18}" font-size="12" text-anchor="middle">${label(size)}</text>`,
    );
  }
  measures.forEach((name, i) => {
    const color = COLORS[i % COLORS.length];
    const points = sizes.map(size => [
      x(size),
      y(results.bySize[size][name].p95),
    ]);
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2.5" points="${points.map(p => p.join(',')).join(' ')}"/>`,
      ...points.map(
        ([px, py]) => `<circle cx="${px}" cy="${py}" r="3.5" fill="${color}"/>`,
      ),
      `<rect x="${width - pad.right + 16}" y="${pad.top + i * 22 - 9}" width="14" height="4" fill="${color}"/>`,
      `<text x="${width - pad.right + 36}" y="${pad.top + i * 22 - 3}" font-size="12">${escape(name)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">${parts.join('')}</svg>`;
}

/** The kinds of request the mixed-load chart shows, as load.mjs names them. */
const LOAD_KINDS = ['list', 'stats', 'heartbeat', 'End', 'End → acknowledged'];

/** The mixed load: p50 / p95 / p99 per request kind, one replica and two. */
function loadChart(width, height) {
  const runs = Object.entries(load.phases ?? {}).map(([name, phase]) => ({
    name,
    latency: phase.latencies,
    throughput: phase.requestsPerSecond,
  }));
  const kinds = LOAD_KINDS.filter(kind =>
    runs.some(run => run.latency?.[kind]),
  );
  const pad = { left: 56, right: 20, top: 40, bottom: 60 };
  const values = runs.flatMap(run =>
    kinds.map(kind => run.latency?.[kind]?.p99 ?? 0),
  );
  const yMax = Math.ceil(Math.max(10, ...values) / 500) * 500;
  const y = ms =>
    height - pad.bottom - (ms / yMax) * (height - pad.top - pad.bottom);
  const groupWidth = (width - pad.left - pad.right) / Math.max(1, kinds.length);
  const barWidth = groupWidth / (runs.length * 3 + 1);
  const parts = [
    `<text x="${pad.left}" y="22" font-size="15" font-weight="bold">Mixed load: p50 / p95 / p99 (ms) per request, ${runs.map(run => escape(run.name)).join(' vs ')}</text>`,
  ];
  for (let ms = 0; ms <= yMax; ms += yMax / 5) {
    parts.push(
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(ms)}" y2="${y(ms)}" stroke="#ddd"/>`,
      `<text x="${pad.left - 8}" y="${y(ms) + 4}" font-size="11" text-anchor="end">${Math.round(ms)}</text>`,
    );
  }
  kinds.forEach((kind, k) => {
    const left = pad.left + k * groupWidth + barWidth / 2;
    runs.forEach((run, r) => {
      ['p50', 'p95', 'p99'].forEach((p, j) => {
        const value = run.latency?.[kind]?.[p] ?? 0;
        const bx = left + (r * 3 + j) * barWidth;
        parts.push(
          `<rect x="${bx}" y="${y(value)}" width="${barWidth - 2}" height="${y(0) - y(value)}" fill="${COLORS[r]}" opacity="${0.45 + j * 0.25}"/>`,
        );
      });
    });
    parts.push(
      `<text x="${left + (runs.length * 3 * barWidth) / 2}" y="${height - pad.bottom + 18}" font-size="12" text-anchor="middle">${escape(kind)}</text>`,
    );
  });
  runs.forEach((run, r) => {
    parts.push(
      `<rect x="${pad.left + r * 260}" y="${height - 22}" width="14" height="10" fill="${COLORS[r]}"/>`,
      `<text x="${pad.left + r * 260 + 20}" y="${height - 13}" font-size="12">${escape(run.name)}${run.throughput ? `: ${Math.round(run.throughput)} requests/s` : ''}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">${parts.join('')}</svg>`;
}

const width = 900;
const html = `<!doctype html><html><body style="margin:0;background:#fff">
<div>${sizeChart(width, 360)}</div>
${load ? `<div>${loadChart(width, 320)}</div>` : ''}
<div style="font:12px sans-serif;color:#555;padding:4px 12px 10px">${escape(results.machine)}; ${escape(results.date ?? '')}</div>
</body></html>`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width, height: 200 } });
  await page.setContent(html);
  await page.screenshot({ path: target, fullPage: true });
  console.log(`[chart] wrote ${target}`);
} finally {
  await browser.close();
}
