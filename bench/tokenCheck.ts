/*
 * `npm run bench:token`: what Active Sessions' sign-out check costs every
 * plugin's requests when 100,000 portal sign-ins were signed out within
 * the token lifetime. Two parts:
 *   - the check itself (SignOutRegistry.check, which every plugin's token
 *     path runs before verifying a user token), per call, for a token of a
 *     live sign-in, of an ended one, and for limited (cookie) tokens,
 *     against an empty registry as the baseline; and the registry's heap;
 *   - the refresh that keeps the registry in step, every
 *     sessions.portal.refreshInterval (5 s) on every replica: reading the
 *     list from PostgreSQL (KnexSignOutStore.readSignOuts) and swapping it in.
 * Prints a table and writes bench/output/token-check.json.
 *
 * Environment: BENCH_SIGN_OUTS (default 100000), BENCH_CALLS (200000),
 * BENCH_PG_HOST/PORT/USER (default 127.0.0.1, 5432, postgres).
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import knexFactory, { Knex } from 'knex';
import { PORTAL_SOURCE } from '@active-sessions/plugin-sessions-common';
import { SignOutRegistry } from '../plugins/sessions-backend/src/portal/signOutRegistry';
import { SignOutList } from '../plugins/sessions-backend/src/database/SignOutStore';
import { KnexSignOutStore } from '../plugins/sessions-backend/src/database/KnexSignOutStore';
import { migrationsDir } from '../plugins/sessions-backend/src/database/migrations';

const SIGN_OUTS = Number(process.env.BENCH_SIGN_OUTS ?? 100_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 200_000);
const USERS = 10_000;
const HOUR = 3_600_000;
const PG = {
  host: process.env.BENCH_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.BENCH_PG_PORT ?? 5432),
  user: process.env.BENCH_PG_USER ?? 'postgres',
};
const DATABASE = 'sessions_bench_tokens';
const output = join(__dirname, 'output');

const b64 = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token shaped like Backstage's (ES256: a 64-byte signature). */
function token(typ: string, claims: Record<string, unknown>) {
  const signature = createHash('sha512')
    .update(randomUUID())
    .digest()
    .toString('base64url')
    .slice(0, 86);
  return `${b64({ alg: 'ES256', kid: randomUUID(), typ })}.${b64({
    iss: 'http://localhost:7007/api/auth',
    aud: 'backstage',
    ent: [claims.sub],
    exp: Math.floor(Date.now() / 1000) + 3600,
    iat: Math.floor(Date.now() / 1000),
    uip: randomUUID(),
    ...claims,
  })}.${signature}`;
}

const userToken = (sid: string, user: number) =>
  token('vnd.backstage.user', { sub: `user:default/u${user}`, sid });
const limitedToken = (user: number) =>
  token('vnd.backstage.limited-user', { sub: `user:default/u${user}` });

/** Percentiles in µs of `check` over `tokens`, CALLS calls in all. */
function perCall(registry: SignOutRegistry, tokens: string[]) {
  const times = new Float64Array(CALLS);
  let refused = 0;
  for (let i = 0; i < CALLS; i += 1) {
    const candidate = tokens[i % tokens.length];
    const began = process.hrtime.bigint();
    try {
      registry.check(candidate);
    } catch {
      refused += 1;
    }
    times[i] = Number(process.hrtime.bigint() - began) / 1000;
  }
  times.sort();
  const at = (p: number) => times[Math.ceil(p * CALLS) - 1];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), refused };
}

function heapMb() {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function signOutList(endedSids: string[], proofs: string[]): SignOutList {
  const notBefore = new Map<string, number>();
  for (let user = 0; user < USERS; user += 10) {
    notBefore.set(`user:default/u${user}`, Date.now() - HOUR / 2);
  }
  return { endedSignIns: endedSids, endedTokenProofs: proofs, notBefore };
}

function measureCheck() {
  const options = {
    staleAfterMs: 3_600_000,
    whenUnavailable: 'allow' as const,
  };
  const empty = new SignOutRegistry(options);
  empty.update(signOutList([], []));
  // The list's strings count: in a backend they arrive with each refresh.
  const before = heapMb();
  const endedSids = Array.from({ length: SIGN_OUTS }, () => randomUUID());
  const proofs = Array.from({ length: SIGN_OUTS }, () =>
    createHash('sha256').update(randomUUID()).digest('base64url'),
  );
  const full = new SignOutRegistry(options);
  full.update(signOutList(endedSids, proofs));
  const registryMb = heapMb() - before;
  const live = Array.from({ length: 1000 }, (_, i) =>
    userToken(randomUUID(), (i * 7 + 1) % USERS),
  );
  const ended = Array.from({ length: 1000 }, (_, i) =>
    userToken(endedSids[i * 97], (i * 7 + 1) % USERS),
  );
  const limited = Array.from({ length: 1000 }, (_, i) =>
    limitedToken((i * 7 + 1) % USERS),
  );
  // Warm both up before timing either.
  perCall(empty, live);
  perCall(full, live);
  return {
    registryMb,
    rows: {
      'user token, live sign-in': {
        baseline: perCall(empty, live),
        full: perCall(full, live),
      },
      'user token, ended sign-in': {
        baseline: perCall(empty, ended),
        full: perCall(full, ended),
      },
      'limited (cookie) token': {
        baseline: perCall(empty, limited),
        full: perCall(full, limited),
      },
    },
  };
}

/** 100k portal sign-ins ended in the last hour, each with a token proof. */
async function seed(db: Knex, now: number) {
  await db.raw(
    `INSERT INTO sessions (id, user_ref, resource_name, resource_type, source,
       external_id, device, ip_address, location, status, started_at,
       last_activity_at, ended_at, end_reason)
     SELECT gen_random_uuid()::text, 'user:default/u' || (n % ${USERS}),
       'Backstage', 'portal', ?, 'sid-' || n, 'Firefox on Linux', '10.0.0.1',
       null, 'disconnected', ?::bigint - (n % 3600) * 1000 - 60000,
       ?::bigint - (n % 3600) * 1000, ?::bigint - (n % 3600) * 1000, 'user'
     FROM generate_series(1, ${SIGN_OUTS}) AS n`,
    [PORTAL_SOURCE, now, now, now],
  );
  await db.raw(
    `INSERT INTO sign_in_token_proofs (sid, proof, expires_at, awaiting_code)
     SELECT 'sid-' || n, substr(md5(n::text) || md5((n + 1)::text), 1, 43),
       ?::bigint + 30 * 60000, false
     FROM generate_series(1, ${SIGN_OUTS}) AS n`,
    [now],
  );
  await db.raw('VACUUM (ANALYZE) sessions');
  await db.raw('VACUUM (ANALYZE) sign_in_token_proofs');
}

async function measureRefresh() {
  const admin = knexFactory({
    client: 'pg',
    connection: { ...PG, database: 'postgres' },
  });
  await admin.raw(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.raw(`CREATE DATABASE ${DATABASE}`);
  await admin.destroy();
  const db = knexFactory({
    client: 'pg',
    connection: { ...PG, database: DATABASE },
    pool: { min: 1, max: 5 },
  });
  try {
    await db.migrate.latest({ directory: migrationsDir });
    const now = Date.now();
    await seed(db, now);
    const store = new KnexSignOutStore(db);
    const registry = new SignOutRegistry({
      staleAfterMs: 20_000,
      whenUnavailable: 'allow',
    });
    const times: number[] = [];
    let list: SignOutList | undefined;
    for (let i = 0; i < 23; i += 1) {
      const began = process.hrtime.bigint();
      list = await store.readSignOuts(now - HOUR, now);
      registry.update(list);
      if (i >= 3) times.push(Number(process.hrtime.bigint() - began) / 1e6);
    }
    times.sort((a, b) => a - b);
    return {
      endedSignIns: list!.endedSignIns.length,
      tokenProofs: list!.endedTokenProofs.length,
      p50: times[Math.floor(times.length / 2)],
      max: times.at(-1)!,
    };
  } finally {
    await db.destroy();
  }
}

async function main() {
  mkdirSync(output, { recursive: true });
  const check = measureCheck();
  const refresh = await measureRefresh();
  const lines = [
    `Sign-out check with ${SIGN_OUTS.toLocaleString('en')} signed-out sign-ins (and as many token proofs), ${CALLS.toLocaleString('en')} calls each, µs:`,
    '',
    '| token | empty registry p50 / p99 | full registry p50 / p95 / p99 | refused |',
    '| --- | --- | --- | --- |',
    ...Object.entries(check.rows).map(
      ([name, { baseline, full }]) =>
        `| ${name} | ${baseline.p50.toFixed(1)} / ${baseline.p99.toFixed(1)} | ${full.p50.toFixed(1)} / ${full.p95.toFixed(1)} / ${full.p99.toFixed(1)} | ${full.refused} |`,
    ),
    '',
    `Registry heap: ${check.registryMb.toFixed(1)} MB`,
    `Refresh from PostgreSQL (read ${refresh.endedSignIns} ended sign-ins and ${refresh.tokenProofs} token proofs, swap in): p50 ${refresh.p50.toFixed(0)} ms, max ${refresh.max.toFixed(0)} ms over 20 refreshes`,
  ];
  console.log(lines.join('\n'));
  writeFileSync(
    join(output, 'token-check.json'),
    JSON.stringify(
      { signOuts: SIGN_OUTS, calls: CALLS, check, refresh },
      null,
      2,
    ),
  );
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
