import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** The folder of the knex migrations shipped in this package. */
export const migrationsDir = resolvePackagePath(
  '@internal/plugin-sessions-backend',
  'migrations',
);

/** Brings the plugin's database up to date unless migrations are skipped. */
export async function applyDatabaseMigrations(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await migrateLatest(client);
  }
  return client;
}

/**
 * Replicas starting together on an empty database race to create knex's
 * own bookkeeping tables (`knex_migrations`, `…_lock`), and the loser
 * fails. It tries again once they exist, and then waits on knex's
 * migration lock like any other run.
 */
async function migrateLatest(client: Knex, attemptsLeft = 5): Promise<void> {
  try {
    await client.migrate.latest({ directory: migrationsDir });
  } catch (error) {
    if (attemptsLeft <= 1 || !/knex_migrations/.test(String(error))) {
      throw error;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
    await migrateLatest(client, attemptsLeft - 1);
  }
}
