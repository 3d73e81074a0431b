import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { KnexGrantStore } from '../database/KnexGrantStore';
import { KnexSessionStore } from '../database/KnexSessionStore';
import { NewGrant } from '../database/GrantStore';
import { migrationsDir } from '../database/migrations';
import { NewSession } from '../database/SessionStore';

/**
 * The databases every store test runs on. PostgreSQL and MySQL run when the
 * test command sets their connection strings (scripts/test.sh does).
 */
export const DATABASE_IDS: TestDatabaseId[] = [
  'SQLITE_3',
  'POSTGRES_15',
  'MYSQL_8',
];

export function createTestDatabases() {
  return TestDatabases.create({ ids: DATABASE_IDS });
}

export async function migratedStore(
  databases: TestDatabases,
  id: TestDatabaseId,
): Promise<{ knex: Knex; store: KnexSessionStore; grants: KnexGrantStore }> {
  const knex = await databases.init(id);
  await knex.migrate.latest({ directory: migrationsDir });
  return {
    knex,
    store: new KnexSessionStore(knex),
    grants: new KnexGrantStore(knex),
  };
}

let counter = 0;

/** A session as a connector would report it, with overridable fields. */
export function newSession(overrides: Partial<NewSession> = {}): NewSession {
  counter += 1;
  const startedAt = overrides.startedAt ?? Date.UTC(2026, 0, 1, 9, 0);
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    source: 'bastion',
    externalId: `ext-${counter}`,
    userRef: 'user:default/jane',
    resourceName: `host-${counter}`,
    resourceType: 'ssh',
    device: 'laptop-jane',
    userAgent: null,
    ipAddress: '10.0.0.1',
    location: 'Berlin, DE',
    startedAt,
    lastActivityAt: startedAt,
    ...overrides,
  };
}

/** A grant as a connector would report it, with overridable fields. */
export function newGrant(overrides: Partial<NewGrant> = {}): NewGrant {
  counter += 1;
  const startsAt = overrides.startsAt ?? Date.UTC(2026, 0, 1, 9, 0);
  return {
    id: `00000000-0000-4000-9000-${String(counter).padStart(12, '0')}`,
    kind: 'device_admin',
    userRef: 'user:default/jane',
    target: `device-${counter}`,
    targetType: 'device',
    grantedBy: 'user:default/it-admin',
    reason: 'install drivers',
    source: 'priv-broker',
    externalId: `grant-${counter}`,
    startsAt,
    expiresAt: startsAt + 60 * 60_000,
    ...overrides,
  };
}
