import { Knex } from 'knex';

/** The SQL function searches lower-case text with. */
export const UNICODE_LOWER = 'sessions_lower';

const prepared = new WeakSet<object>();

/**
 * SQLite's own lower() folds ASCII only, so searching "über" would miss
 * "Über-host" there (PostgreSQL and MySQL fold every script). On
 * better-sqlite3 this adds a lower() that folds like JavaScript to every
 * connection of the pool, present and future, as Backstage's own
 * connector sets its pragmas; searches then use it (see
 * {@link lowerFunction}). Other drivers keep SQLite's lower().
 */
export function prepareSqliteSearch(knex: Knex) {
  const client = knex.client as any;
  if (client.config?.client !== 'better-sqlite3' || prepared.has(client)) {
    return;
  }
  const register = (connection: any) =>
    connection?.function?.(
      UNICODE_LOWER,
      { deterministic: true },
      (value: unknown) =>
        typeof value === 'string' ? value.toLocaleLowerCase('en-US') : value,
    );
  const pool = client.pool;
  if (!pool) return;
  pool.on('createSuccess', (_id: unknown, connection: unknown) =>
    register(connection),
  );
  for (const held of [...(pool.free ?? []), ...(pool.used ?? [])]) {
    register(held.resource);
  }
  prepared.add(client);
}

/** The lower() to search with on this query's database. */
export function lowerFunction(query: Knex.QueryBuilder): string {
  // A transaction's client inherits from the pool's.
  for (let c = query.client; c; c = Object.getPrototypeOf(c)) {
    if (prepared.has(c)) return UNICODE_LOWER;
  }
  return 'lower';
}
