/*
 * What the benchmarks share: the portal backend started on a port with
 * given configs, waiting for it, the guest's sign-in, one HTTP call helper
 * and latency percentiles.
 */
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const requireFromBackend = createRequire(
  join(root, 'packages', 'backend', 'package.json'),
);

/** The backend's own knex, so the benchmarks need no dependency of theirs. */
export const knexFactory = requireFromBackend('knex');

export const PG = {
  host: process.env.BENCH_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.BENCH_PG_PORT ?? 5432),
  user: process.env.BENCH_PG_USER ?? 'postgres',
};

export const CONNECTOR_TOKEN = 'dev-only-simulator-token-0123456789';

export const sleep = (ms, signal) =>
  new Promise(resolve => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
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
 * Starts packages/backend as `backstage-cli package start` runs it (Node
 * with the CLI's TypeScript loader, NODE_ENV development) but without the
 * CLI's watcher: a file saved anywhere in the repository mid-run would
 * restart it. `configs` come after app-config.yaml; `env` reaches their
 * ${VARIABLES}; BENCH_PG_* are always set. Its output goes to `logPath`.
 */
export function startBackend({ port, configs, logPath, env = {} }) {
  const backendDir = join(root, 'packages', 'backend');
  // The child writes its log itself: piped through this process, every
  // request's log line would cost the load generator too.
  const logFd = openSync(logPath, 'w');
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      requireFromBackend.resolve(
        '@backstage/cli-node/config/nodeTransform.cjs',
      ),
      'src/index',
      ...[join(root, 'app-config.yaml'), ...configs].flatMap(config => [
        '--config',
        config,
      ]),
    ],
    {
      cwd: backendDir,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        ESBK_TSCONFIG_PATH: join(root, 'tsconfig.json'),
        FORCE_COLOR: '0',
        BENCH_PG_HOST: PG.host,
        BENCH_PG_PORT: String(PG.port),
        BENCH_PG_USER: PG.user,
        ...env,
      },
      detached: true,
      stdio: ['ignore', logFd, logFd],
    },
  );
  closeSync(logFd);
  const exited = new Promise(resolve => child.once('exit', resolve));
  const base = `http://localhost:${port}`;
  return {
    port,
    base,
    api: `${base}/api/sessions`,
    log: () => readFileSync(logPath, 'utf8'),
    pid: () => child.pid,
    running: () => child.exitCode === null && child.signalCode === null,
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

/**
 * Keep-alive connections without a limit; node:http, not fetch: it costs
 * the load generator, which shares the CPUs with what it measures, about
 * half as much per request.
 */
const agent = new http.Agent({ keepAlive: true });

/** One call; the parsed JSON body, or an HttpError for a status ≥ 400. */
export function call(url, { token, method = 'GET', body, signal } = {}) {
  const payload = body ? JSON.stringify(body) : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        signal,
        headers: {
          Authorization: `Bearer ${token}`,
          // As browsers do: the backend compresses what it sends.
          'Accept-Encoding': 'gzip',
          ...(payload
            ? {
                'Content-Type': 'application/json',
                'Content-Length': Buffer.byteLength(payload),
              }
            : {}),
        },
      },
      res => {
        const chunks = [];
        res.on('data', data => chunks.push(data));
        res.on('error', reject);
        res.on('end', () => {
          try {
            let raw = Buffer.concat(chunks);
            if (res.headers['content-encoding'] === 'gzip')
              raw = gunzipSync(raw);
            const text = raw.toString('utf8');
            if (res.statusCode >= 400) {
              reject(new HttpError(method, url, res.statusCode, text));
            } else {
              resolve(text ? JSON.parse(text) : undefined);
            }
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
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
