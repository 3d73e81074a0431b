#!/usr/bin/env node
/*
 * `npm run bench:load`: the Active Sessions backend under a mixed workload,
 * on one replica and then on two on the same PostgreSQL database.
 *
 * It starts the portal backend on port 7037 with bench/app-config.load.yaml
 * (databases prefixed sessions_load_, dropped at start; the sweep every
 * 30 s on its own schedule), seeds 100k live sessions spread over 20
 * connector sources plus ended history (SQL, as bench/run.mjs does), and
 * runs the workload of bench/loadWorkload.mjs for BENCH_LOAD_SECONDS after
 * a warm-up: 20 connectors heartbeating every live session every 30 s and
 * following their order feeds, 50 readers paging lists and reading stats
 * (closed loops: they take what the backend can give), and the guest
 * ending its sessions at a steady rate, each timed until its connector's
 * acknowledgement was accepted. Each phase also adds sessions that went
 * quiet, so the sweep idles, warns and disconnects some as it runs. Then
 * it starts a second replica on port 7038 with the same config and runs
 * the same workload spread across both.
 *
 * It prints one table (and writes bench/output/load.json): p50/p95/p99 of
 * the list and the stats, End → order seen → acknowledged, the requests
 * served per second, and the ratio two replicas / one.
 *
 * Environment: BENCH_LOAD_SECONDS (measured seconds a phase, default 150),
 * BENCH_LOAD_WARMUP (seconds, default 15), BENCH_LOAD_SESSIONS (live,
 * default 100000), BENCH_LOAD_HISTORY (ended, default 200000),
 * BENCH_LOAD_QUIET (gone quiet, a phase, default 2000), BENCH_LOAD_READERS
 * (default 50), BENCH_LOAD_THINK_MS (a reader's pause after each page and
 * its stats, default 0: closed loops), BENCH_LOAD_ENDS_PER_SECOND (default 2), BENCH_PG_HOST/PORT/
 * USER (default 127.0.0.1, 5432, postgres).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import {
  cpuSeconds,
  knexFactory,
  percentiles,
  PG,
  portInUse,
  root,
  signIn,
  sleep,
  startBackend,
  waitFor,
  waitForHealth,
} from './backend.mjs';
import {
  dropDatabases,
  guestLiveIds,
  liveBySource,
  seedQuiet,
  seedSessions,
} from './loadSeed.mjs';
import { Metrics, Workload } from './loadWorkload.mjs';

const env = process.env;
const SECONDS = Number(env.BENCH_LOAD_SECONDS ?? 150);
const WARMUP = Number(env.BENCH_LOAD_WARMUP ?? 15);
const LIVE = Number(env.BENCH_LOAD_SESSIONS ?? 100_000);
const HISTORY = Number(env.BENCH_LOAD_HISTORY ?? 200_000);
const QUIET = Number(env.BENCH_LOAD_QUIET ?? 2000);
const READERS = Number(env.BENCH_LOAD_READERS ?? 50);
const THINK_MS = Number(env.BENCH_LOAD_THINK_MS ?? 0);
const ENDS_PER_SECOND = Number(env.BENCH_LOAD_ENDS_PER_SECOND ?? 2);
/** As many as bench/app-config.load.yaml declares. */
const SOURCES = 20;
const PORTS = [7037, 7038];
const PREFIX = 'sessions_load_';
/** How long Ends sent while measuring may take to be acknowledged after. */
const DRAIN_MS = 15_000;

const output = join(root, 'bench', 'output');
mkdirSync(output, { recursive: true });
const config = join(root, 'bench', 'app-config.load.yaml');
const log = (...args) => console.log('[bench:load]', ...args);
const seconds = since => ((performance.now() - since) / 1000).toFixed(0);

// ------------------------------------------------------------- processes

const replicas = [];
function startReplica(index) {
  const replica = startBackend({
    port: PORTS[index],
    configs: [config],
    logPath: join(output, `load-replica-${index + 1}.log`),
    env: { BENCH_LOAD_PORT: String(PORTS[index]) },
  });
  replicas.push(replica);
  return replica;
}

/**
 * CPU seconds so far: each replica's server, this script, and the whole
 * machine (busy time of all CPUs, /proc/stat). PostgreSQL is counted as
 * the rest: its connection processes come and go with the pools, taking
 * their counts with them.
 */
function cpuSample() {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait rest.
  const busy =
    ticks.slice(0, 8).reduce((sum, n) => sum + n, 0) - ticks[3] - ticks[4];
  const { user, system } = process.cpuUsage();
  return {
    backends: replicas.map(replica => cpuSeconds(replica.pid())),
    load: (user + system) / 1e6,
    machine: busy / 100,
  };
}

// ----------------------------------------------------------------- phases

/**
 * Samples the plugin database's connections twice a second until `signal`:
 * how many run a statement and how many are open (each replica's pool
 * holds up to 10, knex's default), to tell waiting on the pool from
 * waiting on the CPU.
 */
async function sampleConnections(admin, signal) {
  const active = [];
  const open = [];
  while (!signal.aborted) {
    const { rows } = await admin.raw(
      `SELECT count(*) FILTER (WHERE state = 'active') AS active,
              count(*) AS open
       FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()`,
      [`${PREFIX}sessions`],
    );
    active.push(Number(rows[0].active));
    open.push(Number(rows[0].open));
    await sleep(500, signal);
  }
  const mean = values => values.reduce((sum, n) => sum + n, 0) / values.length;
  return {
    activeMean: mean(active),
    activeMax: Math.max(...active),
    openMax: Math.max(...open),
  };
}

/** What the sweep (a global task: one replica at a time) logged, by replica. */
function sweepRuns(marks) {
  return replicas.map((replica, i) => {
    const text = replica.log().slice(marks[i] ?? 0);
    const runs = [...text.matchAll(/Session sweep: (.*) in (\d+) ms/g)];
    return { runs: runs.length, ms: runs.map(match => Number(match[2])) };
  });
}

async function runPhase(workload, db, token, tag) {
  await seedQuiet(db, { count: QUIET, sources: SOURCES, tag });
  await db.raw('ANALYZE sessions');
  const pool = (await guestLiveIds(db)).sort(() => Math.random() - 0.5);
  const metrics = new Metrics();
  workload.start({
    apis: replicas.map(replica => replica.api),
    token,
    metrics,
    pool,
  });
  await sleep(WARMUP * 1000);
  const marks = replicas.map(replica => replica.log().length);
  const cpuBefore = cpuSample();
  const began = performance.now();
  metrics.measuring = true;
  // A busy load generator would add its own delay to every figure.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const sampling = new AbortController();
  const connections = sampleConnections(admin, sampling.signal);
  await sleep(SECONDS * 1000);
  metrics.measuring = false;
  loopDelay.disable();
  sampling.abort();
  const elapsed = (performance.now() - began) / 1000;
  // A replica that died mid-phase makes every figure of it meaningless.
  const dead = replicas.find(replica => !replica.running());
  if (dead) throw new Error(`the backend on ${dead.port} exited; see its log`);
  const cpuAfter = cpuSample();
  workload.stopEnds();
  await waitFor(() => workload.waiting === 0, 'acknowledgements', DRAIN_MS)
    // Reported as not acknowledged.
    .catch(() => {});
  const unacknowledged = workload.waiting;
  await workload.stop();
  workload.pending.clear();
  return summarize(metrics, {
    elapsed,
    unacknowledged,
    cpu: {
      backends: cpuAfter.backends.map(
        (after, i) => (after - cpuBefore.backends[i]) / elapsed,
      ),
      load: (cpuAfter.load - cpuBefore.load) / elapsed,
      machine: (cpuAfter.machine - cpuBefore.machine) / elapsed,
    },
    sweep: sweepRuns(marks),
    connections: await connections,
    loopDelayMs: {
      p50: loopDelay.percentile(50) / 1e6,
      p99: loopDelay.percentile(99) / 1e6,
      max: loopDelay.max / 1e6,
    },
  });
}

const READS = ['list', 'stats'];

function summarize(metrics, extra) {
  const of = kind => [...(metrics.times.get(kind) ?? [])];
  const latencies = {};
  for (const kind of metrics.times.keys())
    latencies[kind] = percentiles(of(kind));
  // Both scopes together, and each apart.
  for (const read of READS) {
    latencies[read] = percentiles([
      ...of(`${read}, all users`),
      ...of(`${read}, one user`),
    ]);
  }
  const served = kind => latencies[kind]?.count ?? 0;
  const perSecond = n => n / extra.elapsed;
  const requestKinds = [
    'list, all users',
    'list, one user',
    'stats, all users',
    'stats, one user',
    'heartbeat',
    'feed read',
    'ack',
    'start',
    'End',
  ];
  const requestsPerSecond = perSecond(
    requestKinds.reduce((sum, kind) => sum + served(kind), 0),
  );
  return {
    seconds: extra.elapsed,
    latencies,
    readsPerSecond: perSecond(served('list') + served('stats')),
    requestsPerSecond,
    // What a replica serves per core it gets: flat when nothing but CPU
    // holds the replicas back.
    requestsPerBackendCore:
      requestsPerSecond / extra.cpu.backends.reduce((sum, c) => sum + c, 0),
    heartbeatRowsPerSecond: perSecond(
      metrics.counts.get('heartbeat rows') ?? 0,
    ),
    ordersAcknowledged: metrics.counts.get('orders') ?? 0,
    unacknowledged: extra.unacknowledged,
    errors: Object.fromEntries(metrics.errors),
    cpu: extra.cpu,
    connections: extra.connections,
    loadLoopDelayMs: extra.loopDelayMs,
    sweep: extra.sweep,
  };
}

// ------------------------------------------------------------------ report

const ms = value => (Number.isFinite(value) ? value.toFixed(0) : '–');
const triple = l => (l ? `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)}` : '–');

function table(phases) {
  const rows = [
    ['list (50 rows), ms p50 / p95 / p99', p => triple(p.latencies.list)],
    ['stats, ms p50 / p95 / p99', p => triple(p.latencies.stats)],
    ['End request, ms', p => triple(p.latencies.End)],
    [
      'End → order seen by connector, ms',
      p => triple(p.latencies['End → order seen']),
    ],
    [
      'End → acknowledged, ms (goal p99 ≤ 1000)',
      p => triple(p.latencies['End → acknowledged']),
    ],
    [
      'Ends timed / not acknowledged',
      p =>
        `${p.latencies['End → acknowledged']?.count ?? 0} / ${p.unacknowledged}`,
    ],
    ['heartbeat batch (500), ms', p => triple(p.latencies.heartbeat)],
    [
      'heartbeat lag behind schedule, ms',
      p => triple(p.latencies['heartbeat lag']),
    ],
    [
      'heartbeated rows/s (100k per 30 s: 3333)',
      p => p.heartbeatRowsPerSecond.toFixed(0),
    ],
    ['order acknowledgement, ms', p => triple(p.latencies.ack)],
    ['new session in place of a cut one, ms', p => triple(p.latencies.start)],
    ['orders acknowledged (Ends and sweep)', p => String(p.ordersAcknowledged)],
    ['reads/s (list + stats)', p => p.readsPerSecond.toFixed(1)],
    ['requests/s served, all kinds', p => p.requestsPerSecond.toFixed(1)],
    [
      'requests/s per busy backend core',
      p => p.requestsPerBackendCore.toFixed(0),
    ],
    ['sweep runs (by replica)', p => p.sweep.map(s => s.runs).join(' + ')],
    ['sweep run, ms (max)', p => ms(Math.max(...p.sweep.flatMap(s => s.ms)))],
    [
      `CPU cores busy: backends / load / rest (PostgreSQL…) / all ${cpus().length}`,
      p => {
        const backends = p.cpu.backends.reduce((sum, c) => sum + c, 0);
        const rest = p.cpu.machine - backends - p.cpu.load;
        return `${p.cpu.backends.map(c => c.toFixed(2)).join(' + ')} / ${p.cpu.load.toFixed(2)} / ${rest.toFixed(2)} / ${p.cpu.machine.toFixed(2)}`;
      },
    ],
    [
      'plugin DB connections: running a statement, mean / max; open, max',
      ({ connections: c }) =>
        `${c.activeMean.toFixed(1)} / ${c.activeMax} ; ${c.openMax}`,
    ],
    [
      "load generator's event-loop delay, ms p50 / p99 / max",
      ({ loadLoopDelayMs: d }) =>
        `${d.p50.toFixed(0)} / ${d.p99.toFixed(0)} / ${d.max.toFixed(0)}`,
    ],
    [
      'errors',
      p =>
        Object.entries(p.errors)
          .map(([kind, e]) => `${kind}: ${e.count}`)
          .join(', ') || '0',
    ],
  ];
  const names = Object.keys(phases);
  return [
    `| measure | ${names.join(' | ')} |`,
    `| --- | ${names.map(() => '---').join(' | ')} |`,
    ...rows.map(
      ([name, cell]) =>
        `| ${name} | ${names.map(n => cell(phases[n])).join(' | ')} |`,
    ),
  ].join('\n');
}

// -------------------------------------------------------------------- main

const admin = knexFactory({
  client: 'pg',
  connection: { ...PG, database: 'postgres' },
  pool: { min: 0, max: 1 },
});
let db;
const runBegan = performance.now();
try {
  for (const port of PORTS) {
    if (portInUse(port)) throw new Error(`port ${port} is in use`);
  }
  log(`dropped ${await dropDatabases(admin, PREFIX)} databases of ${PREFIX}`);
  // Anything else on the machine skews both phases: say how busy it was.
  const idleBefore = cpuSample();
  await sleep(3000);
  const busyBefore = (cpuSample().machine - idleBefore.machine) / 3;
  log(`machine busy before start: ${busyBefore.toFixed(2)} CPUs`);
  let began = performance.now();
  const first = startReplica(0);
  await waitForHealth(first);
  log(`replica 1 up in ${seconds(began)} s`);
  db = knexFactory({
    client: 'pg',
    connection: { ...PG, database: `${PREFIX}sessions` },
    pool: { min: 0, max: 2 },
  });
  began = performance.now();
  await seedSessions(db, { live: LIVE, history: HISTORY, sources: SOURCES });
  await db.raw('VACUUM (ANALYZE) sessions');
  log(
    `seeded ${LIVE} live and ${HISTORY} ended sessions in ${seconds(began)} s`,
  );
  const token = await signIn(first.base);
  const workload = new Workload({
    live: await liveBySource(db),
    readers: READERS,
    thinkMs: THINK_MS,
    endsPerSecond: ENDS_PER_SECOND,
  });
  const phases = {};
  log(`one replica: ${WARMUP} s warm-up, ${SECONDS} s measured`);
  phases['1 replica'] = await runPhase(workload, db, token, 1);
  log(`one replica: ${phases['1 replica'].readsPerSecond.toFixed(1)} reads/s`);

  began = performance.now();
  await waitForHealth(startReplica(1));
  log(`replica 2 up in ${seconds(began)} s`);
  // The first phase's heartbeats left dead rows: start the second even.
  await db.raw('VACUUM (ANALYZE) sessions');
  log(`two replicas: ${WARMUP} s warm-up, ${SECONDS} s measured`);
  phases['2 replicas'] = await runPhase(workload, db, token, 2);
  log(
    `two replicas: ${phases['2 replicas'].readsPerSecond.toFixed(1)} reads/s`,
  );

  const [one, two] = Object.values(phases);
  const ratio = {
    reads: two.readsPerSecond / one.readsPerSecond,
    requests: two.requestsPerSecond / one.requestsPerSecond,
    listP99: two.latencies.list.p99 / one.latencies.list.p99,
    statsP99: two.latencies.stats.p99 / one.latencies.stats.p99,
    perBackendCore: two.requestsPerBackendCore / one.requestsPerBackendCore,
    // The most any second replica could add here: all the CPUs over what
    // the machine was busy with for one.
    cpuCeiling: cpus().length / one.cpu.machine,
  };
  const machine = `${cpus().length} × ${cpus()[0].model}, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, PostgreSQL ${
    (await db.raw('show server_version')).rows[0].server_version
  }, Node ${process.version}`;
  const settings = {
    seconds: SECONDS,
    warmup: WARMUP,
    live: LIVE,
    history: HISTORY,
    quietPerPhase: QUIET,
    connectors: SOURCES,
    readers: READERS,
    thinkMs: THINK_MS,
    endsPerSecond: ENDS_PER_SECOND,
  };
  const duration = (performance.now() - runBegan) / 1000;
  // What was measured: the commit, and any change not committed yet.
  const git = args =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const code = {
    commit: git(['rev-parse', 'HEAD']),
    uncommitted: git(['status', '--short', 'plugins', 'packages'])
      .split('\n')
      .filter(Boolean),
  };
  writeFileSync(
    join(output, 'load.json'),
    JSON.stringify(
      { machine, busyBefore, code, settings, duration, phases, ratio },
      null,
      2,
    ),
  );
  console.log(
    `\nMachine: ${machine}; busy ${busyBefore.toFixed(2)} CPUs before the run\nWorkload: ${LIVE} live sessions over ${SOURCES} connectors heartbeating every 30 s, ${READERS} readers ${THINK_MS ? `pausing ${THINK_MS} ms after each page and its stats` : 'in closed loops'}, ${ENDS_PER_SECOND} Ends/s, sweep every 30 s; ${SECONDS} s measured per phase after ${WARMUP} s warm-up\n\n${table(phases)}\n`,
  );
  console.log(
    `Two replicas / one: reads/s ×${ratio.reads.toFixed(2)}, all requests/s ×${ratio.requests.toFixed(2)} (goal ≥ 1.6 at the same p99); list p99 ×${ratio.listP99.toFixed(2)}, stats p99 ×${ratio.statsP99.toFixed(2)}; requests per busy backend core ×${ratio.perBackendCore.toFixed(2)}. With one replica the machine was busy ${one.cpu.machine.toFixed(2)} of its ${cpus().length} CPUs: at most ×${ratio.cpuCeiling.toFixed(2)} more CPU to give to anything.`,
  );
  log(`done in ${duration.toFixed(0)} s`);
} finally {
  for (const replica of replicas) await replica.stop();
  await db?.destroy();
  await admin.destroy();
}
