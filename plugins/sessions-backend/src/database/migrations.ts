import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** The folder of the knex migrations shipped in this package. */
export const migrationsDir = resolvePackagePath(
  '@active-sessions/plugin-sessions-backend',
  'migrations',
);

/** How long a replica waits for another one's migrations before it gives up. */
const DEFAULT_LOCK_WAIT_MS = 10 * 60_000;
const RETRY_EVERY_MS = 500;

/** Brings the plugin's database up to date unless migrations are skipped. */
export async function applyDatabaseMigrations(
  database: DatabaseService,
  logger?: LoggerService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await migrateLatest(client, { logger });
  }
  return client;
}

/**
 * Runs the migrations; safe when replicas start together.
 *
 * knex does not wait for its migration lock: a second replica fails at
 * once with `MigrationLocked`, and on an empty database the loser of the
 * race to create knex's own tables fails too. Both are retried until the
 * other replica is done. A lock still held after `lockWaitMs` was most
 * likely left by a process killed while migrating (knex never frees it),
 * and the error says how to release it.
 */
/**
 * Replicas racing on an empty database can each insert knex's lock row
 * (knex checks for the row and inserts it, unguarded). With two rows knex
 * can never take its lock — it expects its update to touch exactly one —
 * so every start would wait for a lock nobody holds. Keeps the first row.
 */
async function dropDuplicateLockRows(client: Knex) {
  try {
    const rows = await client('knex_migrations_lock')
      .select('index')
      .orderBy('index');
    if (rows.length > 1) {
      await client('knex_migrations_lock')
        .where('index', '>', rows[0].index)
        .delete();
    }
  } catch {
    // Not created yet: the next attempt creates it.
  }
}

export async function migrateLatest(
  client: Knex,
  options: { logger?: LoggerService; lockWaitMs?: number } = {},
): Promise<void> {
  const lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
  const giveUpAt = Date.now() + lockWaitMs;
  let logged = false;
  for (;;) {
    try {
      await client.migrate.latest({ directory: migrationsDir });
      return;
    } catch (error) {
      const locked = (error as Error)?.name === 'MigrationLocked';
      const racedToCreate = /knex_migrations/.test(String(error));
      if (!locked && !racedToCreate) throw error;
      if (Date.now() >= giveUpAt) {
        if (!locked) throw error;
        throw new Error(
          `The sessions plugin's migrations stayed locked for ${Math.round(
            lockWaitMs / 1000,
          )} s. If no other replica is starting, a migration was interrupted and left knex's lock behind: ` +
            `once you have checked that no migration is running, release it with ` +
            `UPDATE knex_migrations_lock SET is_locked = 0 in the sessions plugin's database, and start again.`,
        );
      }
      if (locked) await dropDuplicateLockRows(client);
      if (locked && !logged) {
        options.logger?.info(
          'Waiting for another replica to finish the sessions migrations',
        );
        logged = true;
      }
      await new Promise(resolve => setTimeout(resolve, RETRY_EVERY_MS));
    }
  }
}
