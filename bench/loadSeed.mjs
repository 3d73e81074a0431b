/*
 * The load benchmark's data: its databases made anew, and sessions written
 * straight into the plugin's table with SQL (seeding is not what is
 * measured), as bench/run.mjs does.
 */

export const GUEST = 'user:development/guest';
const USERS = 10_000;

/** Drops every database of the prefix (each plugin has its own). */
export async function dropDatabases(admin, prefix) {
  const { rows } = await admin.raw(
    `SELECT datname FROM pg_database WHERE datname LIKE ?`,
    [`${prefix.replace(/_/g, '\\_')}%`],
  );
  for (const { datname } of rows) {
    await admin.raw(`DROP DATABASE IF EXISTS ?? WITH (FORCE)`, [datname]);
  }
  return rows.length;
}

/** The user of session n: every 100th is the guest's. */
const USER = `CASE WHEN n % 100 = 0 THEN '${GUEST}'
  ELSE 'user:default/u' || (n % ${USERS}) END`;

/**
 * Inserts rows n in [from, to) built by `select` (a SELECT over
 * generate_series ... AS n), in steps, counting the open ones in the
 * totals as the store does for every new live session.
 */
async function insertSeries(db, from, to, select) {
  const step = 100_000;
  for (let start = from; start < to; start += step) {
    const end = Math.min(to, start + step);
    await db.raw(
      `
      WITH inserted AS (
      INSERT INTO sessions (id, user_ref, resource_name, resource_type, source,
        external_id, device, ip_address, location, status, started_at,
        last_activity_at, ended_at, end_reason)
      ${select}
      FROM generate_series(?::bigint, ?::bigint) AS n
      RETURNING status, started_at)
      INSERT INTO session_total_deltas (status, open_count, started_at_sum)
      SELECT status, count(*), sum(started_at) FROM inserted
      WHERE status <> 'disconnected' GROUP BY status
      `,
      [start, end - 1],
    );
  }
}

/** Session n's columns up to its status, at source load-<1 + n % sources>. */
const common = (sources, prefix) => `
  SELECT gen_random_uuid()::text, ${USER},
    'host-' || (n % 500), (ARRAY['ssh','rdp','web','portal'])[1 + n % 4],
    'load-' || lpad((1 + n % ${sources})::text, 2, '0'),
    '${prefix}' || n, 'laptop-' || (n % 1000),
    '10.' || (n % 250) || '.' || (n / 250 % 250) || '.1', 'Berlin, DE',`;

/**
 * `live` active sessions spread evenly over `sources` connectors (active
 * in the last 30 s, started in the last 6 hours), then `history` ended
 * ones of the last 30 days. External ids: L<n> and H<n>.
 */
export async function seedSessions(db, { live, history, sources }) {
  const now = Date.now();
  await insertSeries(
    db,
    0,
    live,
    `${common(sources, 'L')}
      'active', ${now} - (n % 21600) * 1000, ${now} - (n % 30) * 1000,
      NULL, NULL`,
  );
  await insertSeries(
    db,
    live,
    live + history,
    `${common(sources, 'H')}
      'disconnected', ${now} - (n % 43200) * 60000,
      ${now} - (n % 43200) * 60000 + 1800000,
      ${now} - (n % 43200) * 60000 + 3600000, 'user'`,
  );
}

/**
 * `count` open sessions no connector reports activity for any more, quiet
 * for 4 to 40 minutes: the sweep idles, warns and disconnects them (the
 * last with an order to their connector) as the run goes on. External ids
 * Q<tag>-<n>.
 */
export async function seedQuiet(db, { count, sources, tag }) {
  const now = Date.now();
  await insertSeries(
    db,
    0,
    count,
    `${common(sources, `Q${tag}-`)}
      'active', ${now} - 3600000, ${now} - 240000 - (n * 2160000 / ${count}),
      NULL, NULL`,
  );
}

/** Each source's live sessions the connectors heartbeat: externalId → user. */
export async function liveBySource(db) {
  const rows = await db('sessions')
    .whereIn('status', ['active', 'idle'])
    .where('external_id', 'like', 'L%')
    .select('source', 'external_id', 'user_ref');
  const bySource = new Map();
  for (const row of rows) {
    if (!bySource.has(row.source)) bySource.set(row.source, new Map());
    bySource.get(row.source).set(row.external_id, row.user_ref);
  }
  return bySource;
}

/** The guest's live, heartbeated sessions (connector-started ones too). */
export async function guestLiveIds(db) {
  return db('sessions')
    .where('user_ref', GUEST)
    .where('status', 'active')
    .where('source', 'like', 'load-%')
    .where(builder =>
      builder
        .where('external_id', 'like', 'L%')
        .orWhere('external_id', 'like', 'R%'),
    )
    .pluck('id');
}
