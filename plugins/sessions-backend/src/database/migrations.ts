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
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}
