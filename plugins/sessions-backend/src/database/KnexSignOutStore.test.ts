import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import { KnexSignOutStore } from './KnexSignOutStore';
import { KnexUserLockStore } from './KnexUserLockStore';

jest.setTimeout(60_000);

const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 23, 12, 0);

describe('KnexSignOutStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('lists portal sign-ins ended within the token lifetime, and every offboarded person', async () => {
      const { knex, store } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const signOuts = new KnexSignOutStore(knex);
      const locks = new KnexUserLockStore(knex);
      const signIn = (externalId: string, startedAt: number) =>
        newSession({
          source: 'portal',
          externalId,
          resourceType: 'portal',
          startedAt,
        });
      await store.insertSessions(
        [
          signIn('old', NOW - 3 * HOUR),
          signIn('recent', NOW - 2 * HOUR),
          signIn('open', NOW - HOUR),
          signIn('confirmed', NOW - HOUR),
          // An SSH session with the same external id is no sign-in.
          newSession({ externalId: 'recent-ssh', startedAt: NOW - HOUR }),
        ],
        'connector:portal',
      );
      const end = (externalIds: string[], at: number, source = 'portal') =>
        store.endSessions(
          { source, externalIds },
          { reason: 'user', endedBy: JANE, at, orderConnector: true },
        );
      await end(['old'], NOW - 2 * HOUR);
      await end(['recent'], NOW - 10_000);
      await end(['recent-ssh'], NOW - 10_000, 'bastion');
      // Confirmed by the connector: disconnected, still refused.
      await store.endSessions(
        { source: 'portal', externalIds: ['confirmed'] },
        {
          reason: 'connector',
          endedBy: JANE,
          at: NOW - 5000,
          orderConnector: false,
        },
      );
      await locks.lock(BOB, 'user:default/admin', NOW - 60_000);
      // Unlocked again: the lock's time stays the cutoff.
      await locks.lock(JANE, 'user:default/admin', NOW - 30_000);
      await locks.unlock(JANE);

      const list = await signOuts.readSignOuts(NOW - HOUR);
      expect(list.endedSignIns.sort()).toEqual(['confirmed', 'recent']);
      expect(Object.fromEntries(list.notBefore)).toEqual({
        [BOB]: Infinity,
        [JANE]: NOW - 30_000,
      });
      // Cutoffs older than the token lifetime concern no live token.
      expect(
        (await signOuts.readSignOuts(NOW)).notBefore.get(JANE),
      ).toBeUndefined();
    });
  });
});
