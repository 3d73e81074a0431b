import { TestDatabaseId } from '@backstage/backend-test-utils';
import { recordConnectorOrders } from '../database/connectorOrders';
import { migrationsDir } from '../database/migrations';
import { KnexCommandStore } from '../database/KnexCommandStore';
import { KnexConnectorStore } from '../database/KnexConnectorStore';
import { KnexGrantStore } from '../database/KnexGrantStore';
import { KnexSessionStore } from '../database/KnexSessionStore';
import {
  createTestDatabases,
  newGrant,
  newSession,
} from '../__testUtils__/databases';
import { CommandFeedService } from './CommandFeedService';
import { OrderBell } from './OrderBell';

// A read that waited for its next look at the database (a minute here)
// would time the test out: only the bell can answer it in time.
jest.setTimeout(30_000);

const AN_HOUR_MS = 3_600_000;
const cut = {
  reason: 'user' as const,
  at: Date.UTC(2026, 11, 3),
  orderConnector: true,
};

describe('CommandFeedService', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const bell = new OrderBell();
      const ring = jest.fn(() => bell.ring());
      const options = { confirmWithinMs: 60_000, onOrdered: ring };
      const feed = new CommandFeedService(
        new KnexCommandStore(knex),
        new KnexConnectorStore(knex),
        bell,
        Date.now,
        AN_HOUR_MS,
      );
      return {
        knex,
        sessions: new KnexSessionStore(knex, options),
        grants: new KnexGrantStore(knex, options),
        feed,
        ring,
      };
    }
    const waitingRead = (feed: CommandFeedService) =>
      feed.read({ source: 'bastion', after: 0, limit: 50, wait: 25 });

    it('answers a connector waiting on its feed as soon as an End written here commits', async () => {
      const { sessions, feed, ring } = await setup();
      const session = newSession();
      await sessions.insertSessions([session], 'connector:bastion');

      const read = waitingRead(feed);
      await sessions.endSessions(
        { ids: [session.id] },
        { ...cut, endedBy: 'user:default/jane' },
      );

      const page = await read;
      expect(page.commands).toEqual([
        expect.objectContaining({
          action: 'end_session',
          externalId: session.externalId,
        }),
      ]);
      expect(ring).toHaveBeenCalledTimes(1);
    });

    it('answers it as soon as a revoke written here commits', async () => {
      const { grants, feed } = await setup();
      const grant = newGrant({ source: 'bastion' });
      await grants.insertGrants([grant], 'connector:bastion');

      const read = waitingRead(feed);
      await grants.revokeGrants(
        { ids: [grant.id] },
        {
          reason: 'revoked',
          revokedBy: 'user:default/admin',
          at: cut.at,
          orderConnector: true,
        },
      );

      expect((await read).commands).toEqual([
        expect.objectContaining({
          action: 'revoke_grant',
          externalId: grant.externalId,
        }),
      ]);
    });

    it('rings for nothing that ended nothing or rolled back', async () => {
      const { knex, sessions, ring } = await setup();
      await sessions.endSessions(
        { ids: ['00000000-0000-4000-8000-000000000000'] },
        { ...cut, endedBy: 'user:default/jane' },
      );
      const session = newSession();
      await sessions.insertSessions([session], 'connector:bastion');
      await expect(
        knex.transaction(async trx => {
          await recordConnectorOrders(
            trx,
            [{ id: session.id, source: 'bastion', external_id: 'ext' }],
            {
              action: 'end_session',
              reason: 'user',
              requestedBy: 'user:default/jane',
              at: cut.at,
            },
            ring,
          );
          throw new Error('the change failed after its order was written');
        }),
      ).rejects.toThrow('the change failed');
      await new Promise(resolve => setImmediate(resolve));
      expect(ring).not.toHaveBeenCalled();
    });
  });
});
