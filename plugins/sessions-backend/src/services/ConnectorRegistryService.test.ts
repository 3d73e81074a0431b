import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { KnexConnectorStore } from '../database/KnexConnectorStore';
import { migrationsDir } from '../database/migrations';
import { createTestDatabases } from '../__testUtils__/databases';
import { ConnectorRegistryService } from './ConnectorRegistryService';

jest.setTimeout(60_000);

const T0 = Date.UTC(2026, 10, 23, 9, 0);

describe('ConnectorRegistryService', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'shows a connector offline once it has been silent longer than offlineAfter, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const store = new KnexConnectorStore(knex);
      let now = T0;
      const registry = new ConnectorRegistryService({
        store,
        permissions: mockServices.permissions({
          result: AuthorizeResult.ALLOW,
        }),
        connectors: [
          { id: 'bastion', title: 'Bastion', subjects: ['external:bastion'] },
        ],
        offlineAfterMs: 60_000,
        now: () => now,
      });
      const credentials = { $$type: '@backstage/BackstageCredentials' } as any;

      await store.recordPoll('bastion', T0);
      now = T0 + 60_000;
      expect((await registry.list(credentials))[0]).toMatchObject({
        online: true,
        lastPollAt: new Date(T0).toISOString(),
      });
      now = T0 + 60_001;
      expect((await registry.list(credentials))[0]).toMatchObject({
        online: false,
      });
      // Polling again brings it back, keeping one row per connector.
      await store.recordPoll('bastion', now);
      expect((await registry.list(credentials))[0].online).toBe(true);
      expect(await store.listConnectors()).toHaveLength(1);
    },
  );
});
