/*
 * What the benchmarks share: the portal backend started on a port with
 * given configs (one process group each, so stopping it stops the CLI's
 * watcher too), waiting for it, the guest's sign-in, one HTTP call helper
 * and latency percentiles.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The backend's own knex, so the benchmarks need no dependency of theirs. */
export const knexFactory = createRequire(
  join(root, 'packages', 'backend', 'package.json'),
)('knex');

export const PG = {
  host: process.env.BENCH_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.BENCH_PG_PORT ?? 5432),
  user: process.env.BENCH_PG_USER ?? 'postgres',
};

export const CONNECTOR_TOKEN = 'dev-only-simulator-token-0123456789';

export const sleep = (ms, signal) =>
  new Promise(resolve => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export async function waitFor(check, what, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/**
 * Starts `backstage-cli package start` of packages/backend with `configs`
 * (after app-config.yaml), its output in `logPath`. `env` reaches the
 * configs' ${VARIABLES}; BENCH_PG_* are always set.
 */
export function startBackend({ port, configs, logPath, env = {} }) {
  const logFile = createWriteStream(logPath);
  const child = spawn(
    'npx',
    [
      'backstage-cli',
      'package',
      'start',
      ...[join(root, 'app-config.yaml'), ...configs].flatMap(config => [
        '--config',
        config,
      ]),
    ],
    {
      cwd: join(root, 'packages', 'backend'),
      env: {
        ...process.env,
        FORCE_COLOR: '0',
        BENCH_PG_HOST: PG.host,
        BENCH_PG_PORT: String(PG.port),
        BENCH_PG_USER: PG.user,
        ...env,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.pipe(logFile);
  child.stderr.pipe(logFile);
  const exited = new Promise(resolve => child.once('exit', resolve));
  const base = `http://localhost:${port}`;
  return {
    port,
    base,
    api: `${base}/api/sessions`,
    log: () => readFileSync(logPath, 'utf8'),
    /** The server itself (the CLI's child): the process on the port. */
    pid: () => listeningPid(port),
    async stop() {
      const signal = name => {
        try {
          process.kill(-child.pid, name);
        } catch {
          // gone
        }
      };
      signal('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      signal('SIGKILL');
    },
  };
}

export function listeningPid(port) {
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], {
    encoding: 'utf8',
  });
  const match = out.match(/pid=(\d+)/);
  if (!match) throw new Error(`no process listens on ${port}`);
  return Number(match[1]);
}

export function portInUse(port) {
  return (
    execFileSync('ss', ['-ltnH', `sport = :${port}`], {
      encoding: 'utf8',
    }).trim().length > 0
  );
}

export const waitForHealth = backend =>
  waitFor(
    async () => (await fetch(`${backend.api}/health`)).ok,
    `the backend on ${backend.port}`,
  );

/** A user token for the guest (an admin in the dev config). */
export async function signIn(base) {
  const res = await fetch(`${base}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest sign-in: ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

export class HttpError extends Error {
  constructor(method, url, status, text) {
    super(`${method} ${url}: ${status} ${text.slice(0, 300)}`);
    this.status = status;
  }
}

/** One call; the parsed JSON body, or an HttpError for a status ≥ 400. */
export async function call(url, { token, method = 'GET', body, signal } = {}) {
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal,
  });
  const text = await res.text();
  if (!res.ok) throw new HttpError(method, url, res.status, text);
  return text ? JSON.parse(text) : undefined;
}

/** Nearest-rank percentiles of `times` (ms), which it sorts. */
export function percentiles(times) {
  times.sort((a, b) => a - b);
  const at = p =>
    times.length
      ? times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]
      : NaN;
  return {
    count: times.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: times.length ? times[times.length - 1] : NaN,
  };
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may hold spaces: utime is 14th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
