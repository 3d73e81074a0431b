#!/usr/bin/env node
/*
 * `npm run test:faults`: what the Active Sessions backend survives, measured.
 *
 * Runs two backend replicas (ports 7037 and 7038) on one database of the
 * local PostgreSQL (databases prefixed sessions_faults_, dropped at start),
 * sweeping every 2 s, a connector written here that follows the order
 * feeds of two sources with a cursor, cuts each order and acknowledges it
 * `done`, and a webhook receiver for the second source's pushed orders.
 * Then, each while real work is in flight, it injects:
 *   1. pg_terminate_backend of every backend connection to the plugin's
 *      databases, repeatedly for ~2 s, during (a) a sweep ending many
 *      sessions, (b) End All of a user with hundreds of sessions, (c) bulk
 *      grant revokes, (d) offboarding a leaver;
 *   2. a PostgreSQL restart (pg_ctlcluster) during a sweep;
 *   3. SIGKILL of a replica in the middle of a big End All (then of the
 *      other one during an offboarding), retried on the survivor;
 *   4. the connector stopped for ~20 s while orders pile up;
 *   5. the webhook receiver answering 503 for a few seconds.
 * People's requests are retried after a 5xx or a dropped connection, as a
 * person pressing again would. After each fault it waits (for states, not
 * for time) until every order is acknowledged, then checks with SQL: each
 * session ended and each grant revoked here has exactly one order and one
 * end event, every order reached the connector and was acknowledged,
 * nothing is left terminating / revoking or half-written, and the live
 * totals match the rows. Prints a summary; exits 1 if an invariant fails.
 *
 * Environment: FAULTS_PG_HOST/PORT/USER (default 127.0.0.1, 5432,
 * postgres), FAULTS_PG_CLUSTER (default "15 main", for pg_ctlcluster),
 * FAULTS_PG_RESTART=auto|always|never (auto, the default, skips the restart
 * when other clients use other databases on the server: it would break
 * them).
 */
import { spawn, execFile, execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  createWriteStream,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(
  join(root, 'packages', 'backend', 'package.json'),
);
const knexFactory = require('knex');

const PG = {
  host: process.env.FAULTS_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.FAULTS_PG_PORT ?? 5432),
  user: process.env.FAULTS_PG_USER ?? 'postgres',
};
const PG_CLUSTER = (process.env.FAULTS_PG_CLUSTER ?? '15 main').split(' ');
const PG_RESTART = process.env.FAULTS_PG_RESTART ?? 'auto';
const PREFIX = 'sessions_faults_';
const PLUGIN_DB = `${PREFIX}sessions`;
const APP_NAME = 'sessions-faults-suite'; // our own connections: never terminated
const PORTS = [7037, 7038];
const HOOK_PORT = 7039;
const HOOK_SECRET = 'faults-webhook-secret-0123456789';
const SOURCE = 'faulty';
const HOOK_SOURCE = 'faulty-hook';
const SOURCES = [SOURCE, HOOK_SOURCE];
const CONNECTOR_TOKEN = 'dev-only-simulator-token-0123456789';
const GUEST = 'user:development/guest';
const DISCONNECT_S = 60;
const RECOVERY_TIMEOUT = 90_000;
const output = join(root, 'e2e', 'output');
mkdirSync(output, { recursive: true });

const began = Date.now();
const stamp = () => `${((Date.now() - began) / 1000).toFixed(1).padStart(6)}s`;
const log = (...args) => console.log(`[faults ${stamp()}]`, ...args);
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const secs = ms => `${(ms / 1000).toFixed(2)} s`;

// ------------------------------------------------------------- databases

const quiet = { warn() {}, error() {}, deprecate() {}, debug() {} };
const admin = knexFactory({
  log: quiet,
  client: 'pg',
  connection: { ...PG, database: 'postgres', application_name: APP_NAME },
  pool: { min: 0, max: 2 },
});
let db; // the plugin's database, once a replica created it

/** A query that survives our own connection dying in a fault. */
async function sql(knex, text, bindings = [], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return (await knex.raw(text, bindings)).rows;
    } catch (error) {
      // A mistake in the statement is not a fault to ride out.
      if (/^(42|22|23)/.test(String(error.code)) || Date.now() > deadline) {
        throw error;
      }
      await sleep(200);
    }
  }
}
const pluginSql = (text, bindings) => sql(db, text, bindings);
const count = async (text, bindings) =>
  Number((await pluginSql(text, bindings))[0].n);

async function dropDatabases() {
  const rows = await sql(
    admin,
    `select datname from pg_database where datname like ?`,
    [`${PREFIX}%`],
  );
  for (const { datname } of rows) {
    await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  return rows.length;
}

/**
 * Terminates every backend connection to the plugin's databases (ours
 * excepted); returns how many, and how many were in a query or transaction.
 */
async function terminateAll() {
  try {
    const rows = (
      await admin.raw(
        `select pid, state, pg_terminate_backend(pid) as killed
           from pg_stat_activity
          where datname like ? and pid <> pg_backend_pid()
            and coalesce(application_name, '') <> ?`,
        [`${PREFIX}%`, APP_NAME],
      )
    ).rows;
    return {
      killed: rows.filter(row => row.killed).length,
      busy: rows.filter(row => row.killed && row.state !== 'idle').length,
    };
  } catch {
    return { killed: 0, busy: 0 };
  }
}

/** When each fault was on, to tell which one a stuck task began in. */
const faultWindows = [];

/** pg_terminate_backend over and over for `ms`; what it terminated. */
async function terminateStorm(ms) {
  const totals = { killed: 0, busy: 0, rounds: 0 };
  const end = Date.now() + ms;
  faultWindows.push({ name: 'a terminate storm', start: Date.now(), end });
  while (Date.now() < end) {
    const { killed, busy } = await terminateAll();
    totals.killed += killed;
    totals.busy += busy;
    totals.rounds += 1;
    await sleep(40);
  }
  return totals;
}

/** Statements of the plugin's database running now (not ours), by text. */
async function runningStatements(pattern) {
  try {
    return (
      await admin.raw(
        `select pid, state, query from pg_stat_activity
          where datname = ? and coalesce(application_name, '') <> ?
            and state in ('active', 'idle in transaction')
            and query ~* ?`,
        [PLUGIN_DB, APP_NAME, pattern],
      )
    ).rows;
  } catch {
    return [];
  }
}

/** Waits (bounded) until a statement matching `pattern` is running. */
async function catchStatement(pattern, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await runningStatements(pattern);
    if (rows.length) return rows[0];
    await sleep(5);
  }
  return undefined;
}

// ---------------------------------------------------------------- replicas

const configDir = join(output, 'faults');
mkdirSync(configDir, { recursive: true });

function replicaConfig(port) {
  return `# Written by e2e/faults.mjs: one of two replicas on one database.
backend:
  baseUrl: http://localhost:${port}
  listen:
    port: ${port}
  database:
    client: pg
    connection:
      host: ${PG.host}
      port: ${PG.port}
      user: ${PG.user}
    prefix: ${PREFIX}
app:
  baseUrl: http://localhost:3037
sessions:
  # Durations merge with app-config.yaml's keys: zero the ones it sets.
  idleAfter: { minutes: 0, seconds: 20 }
  warnAfter: { minutes: 0, seconds: 40 }
  disconnectAfter: { minutes: 0, seconds: ${DISCONNECT_S} }
  maxLifetime: { days: 0, hours: 12 }
  # The ranges people may choose from must hold these short times.
  personalTimeouts:
    idleAfter: { min: { minutes: 0, seconds: 10 }, max: { hours: 1 } }
    disconnectAfter: { min: { minutes: 0, seconds: 10 }, max: { hours: 8 } }
  sweep:
    frequency: { seconds: 2 }
  stepUp:
    enabled: false
  managers:
    enabled: false
  anomaly:
    enabled: false
  geo:
    enabled: false
  connectors:
    confirmWithin: { seconds: 0, minutes: 5 }
    sources:
      ${SOURCE}:
        title: Faulty (fault suite)
        subjects: [sessions-simulator]
      ${HOOK_SOURCE}:
        title: Faulty with a webhook (fault suite)
        subjects: [sessions-simulator]
        webhook:
          url: http://127.0.0.1:${HOOK_PORT}/orders
          secret: ${HOOK_SECRET}
`;
}

const replicas = PORTS.map((port, index) => {
  const config = join(configDir, `app-config.replica-${index + 1}.yaml`);
  writeFileSync(config, replicaConfig(port));
  return {
    name: `replica ${index + 1} (:${port})`,
    port,
    base: `http://localhost:${port}`,
    config,
    logPath: join(output, `faults-replica-${index + 1}.log`),
    child: undefined,
    starts: 0,
  };
});

function startReplica(replica) {
  const logFile = createWriteStream(replica.logPath, {
    flags: replica.starts ? 'a' : 'w',
  });
  replica.starts += 1;
  logFile.write(
    `\n===== start ${replica.starts} at ${new Date().toISOString()}\n`,
  );
  const child = spawn(
    'npx',
    [
      'backstage-cli',
      'package',
      'start',
      '--config',
      join(root, 'app-config.yaml'),
      '--config',
      replica.config,
    ],
    {
      cwd: join(root, 'packages', 'backend'),
      env: { ...process.env, FORCE_COLOR: '0' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.pipe(logFile);
  child.stderr.pipe(logFile);
  child.exited = new Promise(resolve => child.once('exit', resolve));
  replica.child = child;
}

function signalReplica(replica, signal) {
  try {
    process.kill(-replica.child.pid, signal);
  } catch {
    // gone
  }
}

async function stopReplicas() {
  const running = replicas.filter(r => r.child);
  running.forEach(r => signalReplica(r, 'SIGTERM'));
  await Promise.race([
    Promise.all(running.map(r => r.child.exited)),
    sleep(10_000),
  ]);
  running.forEach(r => signalReplica(r, 'SIGKILL'));
}

async function healthy(replica) {
  try {
    const res = await fetch(`${replica.base}/api/sessions/health`, {
      signal: AbortSignal.timeout(2000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

async function waitFor(check, what, timeoutMs = RECOVERY_TIMEOUT) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Where each replica's log ends now. */
const logMarks = () =>
  replicas.map(replica => {
    try {
      return readFileSync(replica.logPath, 'utf8').length;
    } catch {
      return 0;
    }
  });

/** Lines the replicas logged since `marks` that say a sweep run failed. */
function sweepFailuresSince(marks) {
  return replicas
    .flatMap((replica, index) =>
      readFileSync(replica.logPath, 'utf8')
        .slice(marks[index])
        // eslint-disable-next-line no-control-regex
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split('\n'),
    )
    .filter(
      line =>
        line.includes('task="sessions-sweep"') && / (error|warn) /.test(line),
    ).length;
}

function portInUse(port) {
  const out = execFileSync('ss', ['-ltnH', `sport = :${port}`], {
    encoding: 'utf8',
  });
  return out.trim().length > 0;
}

// ------------------------------------------------------------------ HTTP

let userToken;
const stats = { retries: 0, reSignIns: 0 };

async function signIn() {
  for (const replica of [...replicas, ...replicas]) {
    try {
      const res = await fetch(`${replica.base}/api/auth/guest/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
        signal: AbortSignal.timeout(10_000),
      });
      if (res.ok) {
        userToken = (await res.json()).backstageIdentity.token;
        return;
      }
    } catch {
      // try the other one
    }
    await sleep(300);
  }
  throw new Error('guest sign-in failed on both replicas');
}

class HttpError extends Error {
  constructor(status, text) {
    super(`HTTP ${status}: ${text.slice(0, 300)}`);
    this.status = status;
  }
}

/**
 * One call to the sessions API, retried as a person (or a connector)
 * would after a 5xx or a dropped connection: the next attempt goes to the
 * next replica in `order` (a load balancer taking a dead one out).
 */
async function call(path, options = {}) {
  const {
    method = 'GET',
    body,
    connector = false,
    order = [0, 1],
    timeoutMs = 60_000,
    giveUpMs = 120_000,
    onAttempt,
  } = options;
  const deadline = Date.now() + giveUpMs;
  for (let attempt = 0; ; attempt += 1) {
    const replica = replicas[order[attempt % order.length]];
    onAttempt?.(replica, attempt);
    try {
      const res = await fetch(`${replica.base}/api/sessions${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${connector ? CONNECTOR_TOKEN : userToken}`,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (res.ok) return text ? JSON.parse(text) : undefined;
      if (res.status === 401 && !connector) {
        // Ending the guest's sessions ends its portal sign-in too.
        stats.reSignIns += 1;
        await signIn();
      } else if (res.status < 500) {
        throw new HttpError(res.status, text);
      }
    } catch (error) {
      if (error instanceof HttpError) throw error;
    }
    if (Date.now() > deadline) throw new Error(`${method} ${path}: gave up`);
    stats.retries += 1;
    await sleep(250);
  }
}

// ------------------------------------------------------------- connector

/**
 * Follows each source's order feed from its cursor, "cuts" every order
 * (records it) and acknowledges it done; retries whatever fails.
 */
class Connector {
  received = new Map(); // order id -> { source, subjectId, times }
  cursors = Object.fromEntries(SOURCES.map(source => [source, 0]));
  errors = 0;
  paused = false;
  stopped = false;
  #resume;
  #controllers = new Set();
  #turn = 0;

  start() {
    this.loops = SOURCES.map(source => this.follow(source));
  }

  pause() {
    this.paused = true;
    this.pausedPromise = new Promise(resolve => {
      this.#resume = resolve;
    });
    this.#controllers.forEach(controller => controller.abort());
  }

  resume() {
    this.paused = false;
    this.#resume?.();
  }

  async stop() {
    this.stopped = true;
    this.resume();
    this.#controllers.forEach(controller => controller.abort());
    await Promise.all(this.loops ?? []);
  }

  async #fetch(path, init = {}) {
    const index = this.#turn % replicas.length;
    const replica = replicas[index];
    const controller = new AbortController();
    this.#controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), 15_000);
    try {
      const res = await fetch(`${replica.base}/api/sessions${path}`, {
        ...init,
        headers: {
          Authorization: `Bearer ${CONNECTOR_TOKEN}`,
          'Content-Type': 'application/json',
        },
        signal: controller.signal,
      });
      const text = await res.text();
      if (!res.ok) throw new HttpError(res.status, text);
      return JSON.parse(text);
    } catch (error) {
      this.#turn = index + 1; // the other replica next time
      throw error;
    } finally {
      clearTimeout(timer);
      this.#controllers.delete(controller);
    }
  }

  async follow(source) {
    while (!this.stopped) {
      if (this.paused) {
        await this.pausedPromise;
        continue;
      }
      try {
        const page = await this.#fetch(
          `/connector/commands?source=${source}&after=${this.cursors[source]}&wait=2&limit=500`,
        );
        if (this.paused) continue; // stopped mid-read: as if never read
        for (const order of page.commands) {
          const seen = this.received.get(order.id);
          if (seen) seen.times += 1;
          else {
            this.received.set(order.id, {
              source,
              subjectId: order.subjectId,
              times: 1,
            });
          }
        }
        if (page.commands.length) {
          const acks = page.commands.map(order => ({
            id: order.id,
            outcome: 'done',
          }));
          for (;;) {
            try {
              await this.#fetch('/connector/commands/ack', {
                method: 'POST',
                body: JSON.stringify({ source, acks }),
              });
              break;
            } catch {
              this.errors += 1;
              if (this.stopped) return;
              await sleep(200);
            }
          }
        }
        this.cursors[source] = page.cursor;
      } catch {
        if (this.stopped) return;
        if (!this.paused) {
          this.errors += 1;
          await sleep(200);
        }
      }
    }
  }
}

// --------------------------------------------------------------- webhook

const hook = {
  failing: false,
  pushed: new Map(), // order id -> times received
  refused: 0, // answered 503
  badSignatures: 0,
};

const hookServer = createServer((req, res) => {
  const chunks = [];
  req.on('data', chunk => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (hook.failing) {
      hook.refused += 1;
      res.writeHead(503).end('down for the fault suite');
      return;
    }
    const timestamp = String(req.headers['x-sessions-timestamp'] ?? '');
    const expected = Buffer.from(
      `sha256=${createHmac('sha256', HOOK_SECRET)
        .update(`${timestamp}.${body}`)
        .digest('hex')}`,
    );
    const given = Buffer.from(
      String(req.headers['x-sessions-signature'] ?? ''),
    );
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      hook.badSignatures += 1;
      res.writeHead(401).end();
      return;
    }
    try {
      const order = JSON.parse(body);
      hook.pushed.set(order.id, (hook.pushed.get(order.id) ?? 0) + 1);
      res.writeHead(204).end();
    } catch {
      res.writeHead(400).end();
    }
  });
});

// ---------------------------------------------------------------- seeding

const iso = ms => new Date(ms).toISOString();

/** Sessions reported by the connector, alternating between its sources. */
async function reportSessions(prefix, userRef, n, { lastActivityAt } = {}) {
  const items = [];
  for (let i = 0; i < n; i += 1) {
    items.push({
      source: SOURCES[i % 2],
      item: {
        externalId: `${prefix}-${i}`,
        userRef: typeof userRef === 'function' ? userRef(i) : userRef,
        resourceName: `host-${i % 40}`,
        resourceType: 'ssh',
        device: 'fault-suite',
        ipAddress: '192.0.2.10',
        location: 'Berlin, DE',
        ...(lastActivityAt
          ? {
              startedAt: iso(lastActivityAt),
              lastActivityAt: iso(lastActivityAt),
            }
          : {}),
      },
    });
  }
  await sendInBatches(items, '/connector/sessions/start', 'sessions');
}

async function reportGrants(prefix, userRef, n) {
  const items = [];
  for (let i = 0; i < n; i += 1) {
    items.push({
      source: SOURCES[i % 2],
      item: {
        externalId: `${prefix}-${i}`,
        kind: i % 3 ? 'timed_access' : 'device_admin',
        userRef,
        target: `target-${i % 30}`,
        targetType: 'database',
        expiresAt: iso(Date.now() + 2 * 3_600_000),
      },
    });
  }
  await sendInBatches(items, '/connector/grants/report', 'grants');
}

async function sendInBatches(items, path, field) {
  const batches = [];
  for (const source of SOURCES) {
    const mine = items.filter(item => item.source === source);
    for (let i = 0; i < mine.length; i += 500) {
      batches.push({ source, batch: mine.slice(i, i + 500).map(x => x.item) });
    }
  }
  await Promise.all(
    batches.map(({ source, batch }) =>
      call(path, {
        method: 'POST',
        connector: true,
        body: { source, [field]: batch },
      }),
    ),
  );
}

const sessionIdsLike = prefix =>
  pluginSql(`select id from sessions where external_id like ?`, [
    `${prefix}-%`,
  ]);
const grantIdsLike = async prefix =>
  (
    await pluginSql(`select id from access_grants where external_id like ?`, [
      `${prefix}-%`,
    ])
  ).map(row => row.id);

// -------------------------------------------------------------- recovery

/** Orders not acknowledged yet, cuts not confirmed yet. */
async function pending() {
  const [row] = await pluginSql(
    `select
       (select count(*) from connector_commands where acknowledged_at is null) as orders,
       (select count(*) from sessions where status = 'terminating') as sessions,
       (select count(*) from access_grants where status = 'revoking') as grants`,
  );
  return {
    orders: Number(row.orders),
    sessions: Number(row.sessions),
    grants: Number(row.grants),
  };
}

/**
 * Waits until the phase's subjects reached their final state (`done`) and
 * every order is acknowledged; returns the time it took from `from`.
 */
async function recovered(from, done, what) {
  const stuckBefore = summary.stuck.length;
  await waitFor(
    async () => {
      await watchClaims(what);
      if (!(await done())) return false;
      const left = await pending();
      return left.orders === 0 && left.sessions === 0 && left.grants === 0;
    },
    what,
    RECOVERY_TIMEOUT + CLAIM_BOUND_S * 1000,
  );
  // Recovery waited on it only if it was the sweep or the grant expiry.
  lastRecoveryWaitedForClaim = summary.stuck
    .slice(stuckBefore)
    .some(id => id === 'sessions-sweep' || id === 'sessions-grant-expiry');
  return Date.now() - from;
}
let lastRecoveryWaitedForClaim = false;

/** Longer than any run of the sweep or the grant expiry takes here. */
const STUCK_AFTER_S = 20;
/**
 * How long an unreleased claim may hold a task: its timeout (1 minute for
 * the sweep and the grant expiry), then the scheduler's janitor, which
 * frees expired claims once a minute, plus slack for a loaded machine.
 */
const TASK_TIMEOUT_S = 60;
const JANITOR_EVERY_S = 60;
const CLAIM_BOUND_S = TASK_TIMEOUT_S + JANITOR_EVERY_S + 30;
/** Claims seen unreleased, by ticket, so each is reported once. */
const claimsSeen = new Map();

/**
 * The sweep, the grant expiry and the plugin's other global tasks run on
 * one replica at a time, claimed in the scheduler's table. When the
 * database goes away just as a run ends, its replica cannot release the
 * claim, and no replica runs the task until the claim expires and the
 * scheduler's janitor frees it. That delay is bounded and nothing is lost
 * (the work is done late), so it is reported, not failed; a claim held past
 * the bound is a failure.
 */
async function watchClaims(what) {
  const rows = await pluginSql(
    `select id, current_run_ticket as ticket, current_run_started_at as started,
            current_run_expires_at as expires,
            extract(epoch from now() - current_run_started_at) as held_s,
            extract(epoch from current_run_expires_at - current_run_started_at) as timeout_s
       from backstage_backend_tasks__tasks
      where id like 'sessions-%'
        and current_run_ticket is not null
        and current_run_started_at < now() - interval '${STUCK_AFTER_S} seconds'`,
  );
  for (const row of rows) {
    const claimed = new Date(row.started).getTime();
    const during = faultWindows.find(
      w => w.start - 1000 <= claimed && claimed <= w.end + 1000,
    );
    if (!claimsSeen.has(row.ticket)) {
      claimsSeen.set(row.ticket, row.id);
      summary.stuck.push(row.id);
      summary.notes.push(
        `task ${row.id}: its run claimed at ${new Date(row.started).toISOString()}, ${during ? `during ${during.name}` : 'outside any fault'}, was not released; it waits for the claim to expire at ${new Date(row.expires).toISOString()} and the scheduler's janitor (seen while waiting for ${what})`,
      );
      log(`claim of ${row.id} not released; waiting for its expiry`);
    }
    const bound = Number(row.timeout_s) + JANITOR_EVERY_S + 30;
    if (Number(row.held_s) > bound) {
      throw new Error(
        `task ${row.id} has been claimed for ${Math.round(row.held_s)} s, past its timeout and the janitor (${Math.round(bound)} s)`,
      );
    }
  }
}

const allSessionsCut = prefix => async () =>
  (await count(
    `select count(*) as n from sessions
      where external_id like ? and status <> 'disconnected'`,
    [`${prefix}-%`],
  )) === 0;
const allGrantsCut = prefix => async () =>
  (await count(
    `select count(*) as n from access_grants
      where external_id like ? and status <> 'revoked'`,
    [`${prefix}-%`],
  )) === 0;
const both =
  (...checks) =>
  async () => {
    for (const check of checks) if (!(await check())) return false;
    return true;
  };

// ------------------------------------------------------------- invariants

/** Every invariant; returns the violations (empty when all hold). */
async function checkInvariants(connector) {
  const violations = [];
  const expectNone = async (what, text, bindings) => {
    const rows = await pluginSql(text, bindings);
    if (rows.length) {
      violations.push(
        `${what}: ${rows.length} (e.g. ${JSON.stringify(rows.slice(0, 3))})`,
      );
    }
  };
  await expectNone(
    'sessions ended here without exactly one order',
    `select s.id, s.status, s.end_reason, count(c.id) as orders
       from sessions s
       left join connector_commands c
         on c.subject_type = 'session' and c.subject_id = s.id
      where s.ended_at is not null and s.end_reason <> 'connector'
      group by s.id, s.status, s.end_reason
     having count(c.id) <> 1`,
  );
  await expectNone(
    'grants revoked here without exactly one order',
    `select g.id, g.status, g.revoke_reason, count(c.id) as orders
       from access_grants g
       left join connector_commands c
         on c.subject_type = 'grant' and c.subject_id = g.id
      where g.status in ('revoking', 'revoked')
        and g.revoke_reason <> 'ended_at_source'
      group by g.id, g.status, g.revoke_reason
     having count(c.id) <> 1`,
  );
  await expectNone(
    'orders for a session still open, ended by its connector, or unknown',
    `select c.id, c.subject_id, s.status, s.end_reason
       from connector_commands c
       left join sessions s on s.id = c.subject_id
      where c.subject_type = 'session'
        and (s.id is null or s.ended_at is null or s.end_reason = 'connector'
             or s.status in ('active', 'idle'))`,
  );
  await expectNone(
    'orders for a grant still active, expired, ended at its source, or unknown',
    `select c.id, c.subject_id, g.status, g.revoke_reason
       from connector_commands c
       left join access_grants g on g.id = c.subject_id
      where c.subject_type = 'grant'
        and (g.id is null or g.status not in ('revoking', 'revoked')
             or g.revoke_reason = 'ended_at_source')`,
  );
  await expectNone(
    'orders not acknowledged, or not done',
    `select id, source, acknowledged_at, outcome from connector_commands
      where acknowledged_at is null or outcome <> 'done'`,
  );
  await expectNone(
    'sessions terminating or grants revoking (cut never confirmed)',
    `select id, status from sessions where status = 'terminating'
     union all
     select id, status from access_grants where status = 'revoking'`,
  );
  await expectNone(
    'half-written sessions',
    `select id, status, ended_at, end_reason, cut_confirmed_at from sessions
      where (status = 'disconnected' and (ended_at is null or end_reason is null))
         or (status in ('active', 'idle') and ended_at is not null)
         or (status = 'terminating' and ended_at is null)
         or (status = 'disconnected' and end_reason <> 'connector'
             and cut_confirmed_at is null)`,
  );
  await expectNone(
    'half-written grants',
    `select id, status, revoked_at, revoke_reason from access_grants
      where (status in ('revoking', 'revoked') and (revoked_at is null or revoke_reason is null))
         or (status = 'active' and revoked_at is not null)
         or (status = 'revoked' and revoke_reason <> 'ended_at_source'
             and cut_confirmed_at is null)`,
  );
  await expectNone(
    'ended sessions without exactly one end event (and one confirmation)',
    `select s.id, s.end_reason,
            count(*) filter (where e.event_type = 'ended') as ended,
            count(*) filter (where e.event_type = 'ended' and e.to_status =
              case when s.end_reason = 'connector' then 'disconnected'
                   else 'terminating' end) as ended_right,
            count(*) filter (where e.event_type = 'cut_confirmed') as confirmed
       from sessions s
       left join session_events e on e.session_id = s.id
      where s.ended_at is not null
      group by s.id, s.end_reason
     having count(*) filter (where e.event_type = 'ended') <> 1
         or count(*) filter (where e.event_type = 'ended' and e.to_status =
              case when s.end_reason = 'connector' then 'disconnected'
                   else 'terminating' end) <> 1
         or count(*) filter (where e.event_type = 'cut_confirmed') <>
              case when s.end_reason = 'connector' then 0 else 1 end`,
  );
  await expectNone(
    'end events of sessions not ended',
    `select e.session_id from session_events e
       join sessions s on s.id = e.session_id
      where e.event_type = 'ended' and s.ended_at is null`,
  );
  await expectNone(
    'revoked grants without exactly one revoke event (and one confirmation)',
    `select g.id, g.revoke_reason,
            count(*) filter (where e.event_type = 'revoked') as revoked,
            count(*) filter (where e.event_type = 'cut_confirmed') as confirmed
       from access_grants g
       left join grant_events e on e.grant_id = g.id
      where g.revoked_at is not null
      group by g.id, g.revoke_reason
     having count(*) filter (where e.event_type = 'revoked') <> 1
         or count(*) filter (where e.event_type = 'cut_confirmed') <>
              case when g.revoke_reason = 'ended_at_source' then 0 else 1 end`,
  );
  // Every order of the connector's sources reached it (portal sign-ins'
  // orders are carried out inside the backend).
  const orders = await pluginSql(
    `select id, source, subject_id from connector_commands where source <> 'portal'`,
  );
  const missed = orders.filter(
    order => !connector.received.has(Number(order.id)),
  );
  if (missed.length) {
    violations.push(
      `orders never delivered to the connector: ${missed.length} (e.g. ${JSON.stringify(missed.slice(0, 3))})`,
    );
  }
  const wrong = [...connector.received].filter(([id, got]) => {
    const order = orders.find(o => Number(o.id) === id);
    return (
      !order ||
      order.source !== got.source ||
      order.subject_id !== got.subjectId
    );
  });
  if (wrong.length) {
    violations.push(
      `orders delivered that do not match the table: ${wrong.length}`,
    );
  }
  // The live totals (kept in the same transactions as the rows) match them.
  for (let attempt = 0; ; attempt += 1) {
    const countRows = async () =>
      Object.fromEntries(
        (
          await pluginSql(
            `select status, count(*) as n from sessions
              where status <> 'disconnected' group by status`,
          )
        ).map(row => [row.status, Number(row.n)]),
      );
    const before = await countRows();
    const totals = await call('/sessions/stats?all=true');
    const after = await countRows();
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      if (attempt < 10) continue; // something changed meanwhile: ask again
    }
    const mismatch = ['active', 'idle', 'terminating'].filter(
      status => (after[status] ?? 0) !== totals[status],
    );
    if (mismatch.length) {
      violations.push(
        `session totals differ from the rows: stats ${JSON.stringify(totals)}, rows ${JSON.stringify(after)}`,
      );
    }
    break;
  }
  return violations;
}

// ------------------------------------------------------------------ phases

const summary = {
  faults: [],
  phases: [],
  recoveries: [],
  violations: [],
  notes: [],
  stuck: [],
};

async function phase(name, fn) {
  const start = Date.now();
  log(`--- ${name}`);
  let error;
  try {
    await fn();
  } catch (e) {
    error = e;
    summary.violations.push(`${name}: ${e.message}`);
    log(`FAILED: ${e.message}`);
  }
  summary.phases.push({ name, ms: Date.now() - start, ok: !error });
  log(`${name}: ${secs(Date.now() - start)}${error ? ' (failed)' : ''}`);
}

function recordFault(name, details) {
  summary.faults.push({ name, details });
  log(`fault: ${name}: ${details}`);
}

function recordRecovery(name, ms) {
  const waited = lastRecoveryWaitedForClaim;
  lastRecoveryWaitedForClaim = false;
  summary.recoveries.push({ name, ms, waited });
  log(
    `recovered from ${name} in ${secs(ms)} (fault end → all orders confirmed)${waited ? ', after an unreleased sweep claim expired' : ''}`,
  );
}

async function check(name, connector) {
  const violations = await checkInvariants(connector);
  for (const violation of violations) {
    summary.violations.push(`after ${name}: ${violation}`);
    log(`INVARIANT FAILED after ${name}: ${violation}`);
  }
  if (!violations.length) log(`invariants hold after ${name}`);
  await tasksRunAgain(name);
}

/**
 * Waits until the sweep and the grant expiry have each run to the end
 * since now, freeing (and reporting) a claim stuck since the fault, so the
 * next fault starts with both running.
 */
async function tasksRunAgain(name) {
  const since = Date.now();
  await waitFor(
    async () => {
      await watchClaims(`the sweep after ${name}`);
      const rows = await pluginSql(
        `select id from backstage_backend_tasks__tasks
          where id in ('sessions-sweep', 'sessions-grant-expiry')
            and last_run_ended_at > to_timestamp(? / 1000.0)`,
        [since],
      );
      return rows.length === 2;
    },
    `the sweep and the grant expiry to run again after ${name}`,
    CLAIM_BOUND_S * 1000 + 30_000,
  );
}

/**
 * Sessions whose last activity is already past disconnectAfter: the next
 * sweep ends them at once (without idling and warning them first).
 */
async function seedDue(prefix, n) {
  await reportSessions(prefix, i => `user:default/faults-swept-${i % 50}`, n, {
    lastActivityAt: Date.now() - (DISCONNECT_S + 60) * 1000,
  });
}

/** The sweep's UPDATE of due sessions, as pg_stat_activity shows it. */
const SWEEP_STATEMENT = 'update "sessions".*"last_activity_at" <';

/**
 * Waits until the pooled connections of both replicas are no longer the
 * ones a storm killed: a request through each succeeds.
 */
async function bothAnswer() {
  for (const replica of replicas) {
    await waitFor(() => healthy(replica), `${replica.name} to answer`);
  }
}

async function stormPhases(connector) {
  await phase('1a. connections terminated during a sweep', async () => {
    const prefix = 'p1a';
    const marks = logMarks();
    await seedDue(prefix, 1500);
    // The storm begins the moment the sweep ending them is seen running
    // (or, bounded, after one sweep period), and lasts past the next one.
    const caught = await catchStatement(SWEEP_STATEMENT, 3000);
    const result = await terminateStorm(2500);
    const stormEnd = Date.now();
    const ms = await recovered(
      stormEnd,
      allSessionsCut(prefix),
      '1a sessions cut',
    ).finally(() =>
      recordFault(
        '1a terminate storm during sweep',
        `${result.killed} connections terminated (${result.busy} in a query or transaction) in ${result.rounds} rounds; the storm began ${caught ? 'with the sweep ending them in flight' : 'without seeing the sweep in flight (it ran while they were reported)'}, ${sweepFailuresSince(marks)} sweep runs failed`,
      ),
    );
    recordRecovery('1a', ms);
    await check('1a', connector);
  });

  await phase(
    '1b. connections terminated during End All (600 sessions)',
    async () => {
      const prefix = 'p1b';
      await reportSessions(prefix, GUEST, 600);
      const storm = terminateStorm(2000);
      await sleep(100);
      let attempts = 0;
      const endAll = call('/sessions/end-all', {
        method: 'POST',
        body: {},
        onAttempt: () => {
          attempts += 1;
        },
      });
      const result = await storm;
      const stormEnd = Date.now();
      const answer = await endAll;
      recordFault(
        '1b terminate storm during End All',
        `${result.killed} connections terminated (${result.busy} busy); End All answered after ${attempts} attempt(s), its last one ending ${answer.ended.length}`,
      );
      recordRecovery(
        '1b',
        await recovered(stormEnd, allSessionsCut(prefix), '1b sessions cut'),
      );
      await check('1b', connector);
    },
  );

  await phase(
    '1c. connections terminated during bulk revokes (300 grants)',
    async () => {
      const prefix = 'p1c';
      await reportGrants(prefix, 'user:default/faults-granted', 300);
      const ids = await grantIdsLike(prefix);
      const storm = terminateStorm(2000);
      await sleep(100);
      let attempts = 0;
      const calls = [0, 1, 2].map(i =>
        call('/grants/revoke', {
          method: 'POST',
          body: { ids: ids.slice(i * 100, i * 100 + 100) },
          order: i % 2 ? [1, 0] : [0, 1],
          onAttempt: () => {
            attempts += 1;
          },
        }),
      );
      const result = await storm;
      const stormEnd = Date.now();
      await Promise.all(calls);
      recordFault(
        '1c terminate storm during bulk revokes',
        `${result.killed} connections terminated (${result.busy} busy); 3 revokes of 100 took ${attempts} attempts`,
      );
      recordRecovery(
        '1c',
        await recovered(stormEnd, allGrantsCut(prefix), '1c grants cut'),
      );
      await check('1c', connector);
    },
  );

  await phase('1d. connections terminated during offboarding', async () => {
    const prefix = 'p1d';
    const leaver = 'user:default/faults-leaver';
    await reportSessions(prefix, leaver, 400);
    await reportGrants(prefix, leaver, 100);
    const storm = terminateStorm(2000);
    await sleep(100);
    let attempts = 0;
    const offboard = call('/offboard', {
      method: 'POST',
      body: { users: [leaver] },
      onAttempt: () => {
        attempts += 1;
      },
    });
    const result = await storm;
    const stormEnd = Date.now();
    await offboard;
    recordFault(
      '1d terminate storm during offboarding',
      `${result.killed} connections terminated (${result.busy} busy); offboarding took ${attempts} attempt(s)`,
    );
    recordRecovery(
      '1d',
      await recovered(
        stormEnd,
        both(allSessionsCut(prefix), allGrantsCut(prefix)),
        '1d sessions and grants cut',
      ),
    );
    // The lock stands: a new session of the leaver is refused.
    const answer = await call('/connector/sessions/start', {
      method: 'POST',
      connector: true,
      body: {
        source: SOURCE,
        sessions: [
          {
            externalId: 'p1d-after-lock',
            userRef: leaver,
            resourceName: 'host-1',
            resourceType: 'ssh',
          },
        ],
      },
    });
    if (!answer.refused?.includes('p1d-after-lock')) {
      summary.violations.push(
        `after 1d: a new session of the offboarded leaver was not refused: ${JSON.stringify(answer)}`,
      );
    }
    await check('1d', connector);
  });
}

/** Other clients of the server, on databases that are not ours. */
async function otherClients() {
  return sql(
    admin,
    `select datname, count(*) as n from pg_stat_activity
      where datname is not null and datname not like ?
        and pid <> pg_backend_pid() and coalesce(application_name, '') <> ?
      group by datname`,
    [`${PREFIX}%`, APP_NAME],
  );
}

async function restartPhase(connector) {
  await phase('2. PostgreSQL restarted during a sweep', async () => {
    const others = await otherClients();
    if (PG_RESTART === 'never' || (PG_RESTART === 'auto' && others.length)) {
      const why =
        PG_RESTART === 'never'
          ? 'FAULTS_PG_RESTART=never'
          : `other clients use this server (${others
              .map(o => `${o.datname}: ${o.n}`)
              .join(
                ', ',
              )}); restarting it would break them (FAULTS_PG_RESTART=always to restart anyway)`;
      summary.notes.push(`PostgreSQL restart skipped: ${why}`);
      log(`skipped: ${why}`);
      return;
    }
    const prefix = 'p2';
    const marks = logMarks();
    await seedDue(prefix, 2000);
    // Restart the moment the sweep ending them is seen running.
    const caught = await catchStatement(SWEEP_STATEMENT, 4000);
    const restartAt = Date.now();
    await new Promise((resolve, reject) =>
      execFile(
        'pg_ctlcluster',
        ['-m', 'fast', ...PG_CLUSTER, 'restart'],
        (error, stdout, stderr) =>
          error
            ? reject(new Error(`pg_ctlcluster: ${stderr || error}`))
            : resolve(),
      ),
    );
    const restartEnd = Date.now();
    faultWindows.push({
      name: 'the PostgreSQL restart',
      start: restartAt,
      end: restartEnd,
    });
    const ms = await recovered(
      restartEnd,
      allSessionsCut(prefix),
      '2 sessions cut',
    ).finally(() =>
      recordFault(
        '2 PostgreSQL restart during sweep',
        `pg_ctlcluster ${PG_CLUSTER.join(' ')} restart took ${secs(restartEnd - restartAt)}; the sweep ${caught ? 'was running (caught in pg_stat_activity)' : 'not seen in flight within 4 s: restarted anyway'}, ${sweepFailuresSince(marks)} sweep runs failed`,
      ),
    );
    recordRecovery('2', ms);
    await check('2', connector);
  });
}

async function killPhases(connector) {
  const killDuring = async ({
    label,
    prefix,
    target,
    survivor,
    seed,
    request,
    pattern,
    done,
  }) => {
    await seed();
    const victim = replicas[target];
    let attempts = 0;
    const sent = call(request.path, {
      method: 'POST',
      body: request.body,
      order: [target, survivor],
      onAttempt: () => {
        attempts += 1;
      },
    });
    const caught = await catchStatement(pattern, 15_000);
    signalReplica(victim, 'SIGKILL');
    const killedAt = Date.now();
    faultWindows.push({
      name: `the SIGKILL of ${victim.name}`,
      start: killedAt,
      end: killedAt + 1000,
    });
    await sent;
    const answeredAt = Date.now();
    recordFault(
      label,
      `${victim.name} SIGKILLed ${caught ? 'with the request in its transaction' : 'but the request was not seen in flight'}; answered by the survivor after ${attempts} attempt(s), ${secs(answeredAt - killedAt)} after the kill`,
    );
    recordRecovery(
      label.slice(0, 2),
      await recovered(killedAt, done, `${prefix} cut`),
    );
    await victim.child.exited;
    startReplica(victim);
    const restartAt = Date.now();
    await waitFor(() => healthy(victim), `${victim.name} back`, 180_000);
    log(`${victim.name} back in ${secs(Date.now() - restartAt)}`);
  };

  await phase(
    '3a. replica 1 killed during End All (3000 sessions)',
    async () => {
      await killDuring({
        label: '3a SIGKILL during End All',
        prefix: 'p3a',
        target: 0,
        survivor: 1,
        seed: () => reportSessions('p3a', GUEST, 3000),
        request: { path: '/sessions/end-all', body: {} },
        pattern: 'update "sessions".*"user_ref"',
        done: allSessionsCut('p3a'),
      });
      await check('3a', connector);
    },
  );

  await phase(
    '3b. replica 2 killed during offboarding (2000 sessions)',
    async () => {
      const leaver = 'user:default/faults-leaver-2';
      await killDuring({
        label: '3b SIGKILL during offboarding',
        prefix: 'p3b',
        target: 1,
        survivor: 0,
        seed: async () => {
          await reportSessions('p3b', leaver, 2000);
          await reportGrants('p3b', leaver, 200);
        },
        request: { path: '/offboard', body: { users: [leaver] } },
        pattern: 'update "sessions".*"user_ref"',
        done: both(allSessionsCut('p3b'), allGrantsCut('p3b')),
      });
      await check('3b', connector);
    },
  );
}

async function connectorPhase(connector) {
  await phase(
    '4. connector stopped for 20 s while orders pile up',
    async () => {
      const prefix = 'p4';
      await reportSessions(prefix, GUEST, 1200);
      await reportGrants(prefix, 'user:default/faults-granted-4', 200);
      const ids = await grantIdsLike(prefix);
      const cursors = { ...connector.cursors };
      connector.pause();
      const pausedAt = Date.now();
      let piled;
      try {
        await call('/sessions/end-all', { method: 'POST', body: {} });
        await Promise.all(
          [0, 1].map(i =>
            call('/grants/revoke', {
              method: 'POST',
              body: { ids: ids.slice(i * 100, i * 100 + 100) },
            }),
          ),
        );
        await seedDue(`${prefix}s`, 600);
        await waitFor(
          async () =>
            (await count(
              `select count(*) as n from sessions where external_id like ? and status = 'terminating'`,
              [`${prefix}s-%`],
            )) === 600,
          'the sweep to end the due sessions',
          30_000,
        );
        piled = await count(
          `select count(*) as n from connector_commands where acknowledged_at is null and source <> 'portal'`,
        );
        // The fault is the connector being away ~20 s, whatever it missed.
        await sleep(Math.max(0, pausedAt + 20_000 - Date.now()));
      } finally {
        connector.resume();
      }
      const resumedAt = Date.now();
      recordFault(
        '4 connector stopped',
        `stopped ${secs(resumedAt - pausedAt)} at cursors ${JSON.stringify(cursors)}; ${piled} orders waited for it`,
      );
      const ms = await recovered(
        resumedAt,
        both(
          allSessionsCut(prefix),
          allGrantsCut(prefix),
          allSessionsCut(`${prefix}s`),
        ),
        '4 the connector to catch up',
      );
      recordRecovery('4', ms);
      log(
        `caught up with ${piled} orders in ${secs(ms)} (${(piled / (ms / 1000)).toFixed(0)} orders/s)`,
      );
      await check('4', connector);
    },
  );
}

async function webhookPhase(connector) {
  await phase('5. webhook answers 503 for 4 s', async () => {
    const prefix = 'p5';
    await reportSessions(prefix, GUEST, 300);
    await reportGrants(prefix, 'user:default/faults-granted-5', 100);
    const ids = await grantIdsLike(prefix);
    hook.failing = true;
    const refusedBefore = hook.refused;
    const failedAt = Date.now();
    await call('/sessions/end-all', { method: 'POST', body: {} });
    await call('/grants/revoke', { method: 'POST', body: { ids } });
    // A bounded wait that the pusher really hit the outage.
    await waitFor(() => hook.refused > refusedBefore, 'a push refused', 10_000);
    await sleep(Math.max(0, failedAt + 4000 - Date.now()));
    hook.failing = false;
    const healedAt = Date.now();
    recordFault(
      '5 webhook 503',
      `receiver answered 503 for ${secs(healedAt - failedAt)} (${hook.refused - refusedBefore} refused pushes)`,
    );
    const hookOrders = async () =>
      (
        await pluginSql(
          `select c.id from connector_commands c join sessions s on s.id = c.subject_id
            where c.source = ? and s.external_id like ?
           union all
           select c.id from connector_commands c join access_grants g on g.id = c.subject_id
            where c.source = ? and g.external_id like ?`,
          [HOOK_SOURCE, `${prefix}-%`, HOOK_SOURCE, `${prefix}-%`],
        )
      ).map(row => Number(row.id));
    const ms = await recovered(
      healedAt,
      both(allSessionsCut(prefix), allGrantsCut(prefix)),
      '5 sessions and grants cut',
    );
    recordRecovery('5', ms);
    // Pushes retry for 15.5 s: every order of the outage should get through.
    let notPushed = [];
    await waitFor(
      async () => {
        notPushed = (await hookOrders()).filter(id => !hook.pushed.has(id));
        return notPushed.length === 0;
      },
      'the outage orders pushed',
      30_000,
    ).catch(() => {});
    if (notPushed.length) {
      summary.notes.push(
        `5: ${notPushed.length} orders written during the webhook outage were never pushed (e.g. ${notPushed.slice(0, 5).join(', ')})`,
      );
    }
    log(`pushed after the outage: all but ${notPushed.length}`);
    await check('5', connector);
  });
}

// -------------------------------------------------------------------- main

let connector;
let exitCode = 0;
// Whatever happens, never leave replicas behind or run for ever.
const watchdog = setTimeout(async () => {
  console.error('[faults] gave up after 12 minutes');
  await stopReplicas();
  process.exit(1);
}, 12 * 60_000);
watchdog.unref();
try {
  await phase(
    '0. start two replicas, the connector and the webhook',
    async () => {
      for (const port of [...PORTS, HOOK_PORT]) {
        if (portInUse(port)) throw new Error(`port ${port} is in use`);
      }
      const dropped = await dropDatabases();
      log(`dropped ${dropped} ${PREFIX}* databases`);
      await new Promise(resolve =>
        hookServer.listen(HOOK_PORT, '127.0.0.1', resolve),
      );
      // One first, so the migrations run once; then the second.
      startReplica(replicas[0]);
      await waitFor(() => healthy(replicas[0]), replicas[0].name, 240_000);
      startReplica(replicas[1]);
      await waitFor(() => healthy(replicas[1]), replicas[1].name, 240_000);
      db = knexFactory({
        log: quiet,
        client: 'pg',
        connection: { ...PG, database: PLUGIN_DB, application_name: APP_NAME },
        pool: { min: 0, max: 4 },
      });
      await signIn();
      connector = new Connector();
      connector.start();
    },
  );
  if (!connector) throw new Error('did not start');

  await stormPhases(connector);
  await restartPhase(connector);
  await killPhases(connector);
  await connectorPhase(connector);
  await webhookPhase(connector);

  await phase('final check', async () => {
    await bothAnswer();
    await recovered(Date.now(), async () => true, 'everything settled');
    await check('the end', connector);
  });

  // ------------------------------------------------------------ summary
  const orders = await pluginSql(`select id, source from connector_commands`);
  const external = orders.filter(order => order.source !== 'portal');
  const delivered = external.filter(order =>
    connector.received.has(Number(order.id)),
  );
  const deliveries = [...connector.received.values()].reduce(
    (sum, got) => sum + got.times,
    0,
  );
  const hookOrders = orders.filter(order => order.source === HOOK_SOURCE);
  const pushed = hookOrders.filter(order => hook.pushed.has(Number(order.id)));
  const pushes = [...hook.pushed.values()].reduce((sum, n) => sum + n, 0);
  const notPushed = hookOrders
    .filter(order => !hook.pushed.has(Number(order.id)))
    .map(order => Number(order.id));
  const stuckTasks = await pluginSql(
    `select id, current_run_started_at from backstage_backend_tasks__tasks
      where current_run_ticket is not null and current_run_started_at < now() - interval '30 seconds'`,
  ).catch(() => []);
  const longest = summary.recoveries.reduce(
    (max, r) => (r.ms > max.ms ? r : max),
    { ms: 0, name: '-' },
  );
  const lost = external.length - delivered.length;
  console.log('');
  console.log('Faults survived:');
  for (const fault of summary.faults)
    console.log(`  - ${fault.name}: ${fault.details}`);
  console.log('Phases:');
  for (const p of summary.phases) {
    console.log(`  - ${p.name}: ${secs(p.ms)}${p.ok ? '' : ' FAILED'}`);
  }
  console.log('Recovery (fault end → all orders confirmed):');
  for (const r of summary.recoveries) {
    console.log(
      `  - ${r.name}: ${secs(r.ms)}${r.waited ? ' (waited for an unreleased sweep or grant-expiry claim to expire)' : ''}`,
    );
  }
  for (const note of summary.notes) console.log(`Note: ${note}`);
  if (stuckTasks.length) {
    console.log(
      `Note: scheduler tasks still claimed: ${JSON.stringify(stuckTasks)}`,
    );
  }
  const [checked] = await pluginSql(
    `select (select count(*) from sessions where ended_at is not null and end_reason <> 'connector') as sessions,
            (select count(*) from access_grants where revoked_at is not null) as grants`,
  );
  console.log('');
  console.log(`faults injected:    ${summary.faults.length}`);
  console.log(
    `checked:            ${checked.sessions} sessions ended and ${checked.grants} grants revoked here, each with exactly one order, one end event and one confirmation`,
  );
  console.log(
    `orders written:     ${orders.length} (${external.length} for the connector, ${orders.length - external.length} for portal sign-ins)`,
  );
  console.log(
    `orders delivered:   ${delivered.length} (${deliveries} deliveries, ${deliveries - delivered.length} repeated)`,
  );
  console.log(`orders lost:        ${lost}`);
  console.log(
    `orders pushed:      ${pushed.length} of ${hookOrders.length} for ${HOOK_SOURCE} (${pushes} pushes, ${hook.refused} answered 503, ${hook.badSignatures} bad signatures)${notPushed.length ? `; not pushed: ${notPushed.slice(0, 10).join(', ')}${notPushed.length > 10 ? ', …' : ''}` : ''}`,
  );
  console.log(
    `longest recovery:   ${secs(longest.ms)} (${longest.name})${summary.stuck.length ? `; ${summary.stuck.length} task claim(s) left unreleased by a fault, each freed by the scheduler within ${CLAIM_BOUND_S} s` : ''}`,
  );
  console.log(
    `client retries:     ${stats.retries} (re-sign-ins ${stats.reSignIns}); connector errors retried: ${connector.errors}`,
  );
  console.log(`total time:         ${secs(Date.now() - began)}`);
  if (lost !== 0) summary.violations.push(`${lost} orders lost`);
  if (summary.violations.length) {
    console.log(`\nfaults: FAILED, ${summary.violations.length} problem(s):`);
    for (const violation of summary.violations) console.log(`  ✗ ${violation}`);
    exitCode = 1;
  } else {
    console.log('\nfaults: every invariant held');
  }
} catch (error) {
  console.error(`[faults] ${error.stack ?? error}`);
  exitCode = 1;
} finally {
  await connector?.stop().catch(() => {});
  await stopReplicas();
  hookServer.close();
  await db?.destroy().catch(() => {});
  await admin.destroy().catch(() => {});
}
process.exit(exitCode);
