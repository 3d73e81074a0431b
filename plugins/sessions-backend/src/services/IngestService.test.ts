import { TestDatabaseId } from '@backstage/backend-test-utils';
import { KnexUserLockStore } from '../database/KnexUserLockStore';
import { UserLockStore } from '../database/UserLockStore';
import { createTestDatabases, migratedStore } from '../__testUtils__/databases';
import { IngestService } from './IngestService';

jest.setTimeout(60_000);

const JANE = 'user:default/jane';

describe('IngestService with user locks', () => {
  const databases = createTestDatabases();

  it('cuts a session that slipped in while its user was being locked', async () => {
    const { knex, store } = await migratedStore(
      databases,
      'SQLITE_3' as TestDatabaseId,
    );
    const locks = new KnexUserLockStore(knex);
    // The lock lands between the check and the insert: the first look
    // finds nothing, the second finds the lock.
    let looks = 0;
    const racingLocks: UserLockStore = {
      lock: (...args) => locks.lock(...args),
      unlock: userRef => locks.unlock(userRef),
      listLocks: () => locks.listLocks(),
      lockedAmong: async (userRefs: string[]) => {
        looks += 1;
        if (looks === 2)
          await locks.lock(JANE, 'user:default/admin', Date.now());
        return looks === 1 ? new Set<string>() : locks.lockedAmong(userRefs);
      },
    };
    const ingest = new IngestService({ store, locks: racingLocks });

    const result = await ingest.start({
      source: 'bastion',
      sessions: [
        {
          externalId: 'pid-1',
          userRef: JANE,
          resourceName: 'db-1',
          resourceType: 'ssh',
        },
      ],
    });

    expect(result).toMatchObject({ accepted: 0, refused: ['pid-1'] });
    const [session] = await store.listSessions({
      userRef: JANE,
      sort: 'startedAt',
      order: 'desc',
      limit: 10,
    });
    expect(session).toMatchObject({
      status: 'terminating',
      endReason: 'offboarding',
      endedBy: 'sessions:user-lock',
    });
    const orders = await knex('connector_commands').select();
    expect(orders.map(o => [o.external_id, o.reason])).toEqual([
      ['pid-1', 'offboarding'],
    ]);
  });
});
