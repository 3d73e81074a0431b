import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { SignalPayload } from '@backstage/plugin-signals-node';
import {
  createTestDatabases,
  migratedStore,
  newGrant,
  newSession,
} from '../__testUtils__/databases';
import { KnexChangeStore } from '../database/KnexChangeStore';
import { KnexManagedMembersStore } from '../database/KnexManagedMembersStore';
import { ChangeSignals } from './ChangeSignals';

jest.setTimeout(60_000);

const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const MARIA = 'user:default/maria';

describe('ChangeSignals', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('signals the owners of what changed and their managers, once per change across replicas', async () => {
      const { knex, store, grants } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const managers = new KnexManagedMembersStore(knex);
      await managers.replaceAll([{ managerRef: MARIA, memberRef: JANE }]);
      const published: SignalPayload[] = [];
      const replica = () =>
        new ChangeSignals({
          store: new KnexChangeStore(knex),
          managers,
          signals: { publish: async signal => void published.push(signal) },
          logger: mockServices.logger.mock(),
        });
      const [one, two] = [replica(), replica()];

      // Nothing happened yet: nothing to say.
      await one.run();
      expect(published).toEqual([]);

      await store.insertSessions(
        [newSession({ userRef: JANE }), newSession({ userRef: BOB })],
        'connector:bastion',
      );
      await grants.insertGrants([newGrant({ userRef: BOB })], 'connector:pb');
      // Both replicas look at once; one of them publishes.
      await Promise.all([one.run(), two.run()]);
      expect(published).toHaveLength(1);
      expect(published[0]).toMatchObject({
        channel: 'active-sessions',
        message: { type: 'changed' },
      });
      expect(
        [
          ...(published[0].recipients as { entityRef: string[] }).entityRef,
        ].sort(),
      ).toEqual([BOB, JANE, MARIA]);

      // Seen changes are not signalled again; a new one is, to its owner.
      await one.run();
      expect(published).toHaveLength(1);
      await store.endSessions(
        { userRef: BOB },
        { reason: 'user', endedBy: BOB, at: Date.now(), orderConnector: true },
      );
      await two.run();
      expect(published).toHaveLength(2);
      expect(published[1].recipients).toEqual({
        type: 'user',
        entityRef: [BOB],
      });
    });
  });
});
