import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import { SessionLimits } from './sessionLimits';

jest.setTimeout(60_000);

const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const T0 = Date.UTC(2026, 10, 23, 9, 0);

const deny = (over: Partial<SessionLimits> = {}): SessionLimits => ({
  perType: {},
  onExceed: 'deny',
  ...over,
});

describe('concurrent session limits', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const setup = () => migratedStore(databases, databaseId as TestDatabaseId);
    const openOf = async (
      store: Awaited<ReturnType<typeof setup>>['store'],
      userRef: string,
    ) =>
      (
        await store.listSessions({
          userRef,
          statuses: ['active', 'idle'],
          sort: 'startedAt',
          order: 'asc',
          limit: 100,
        })
      ).map(s => s.externalId);

    it('refuses new sessions past the limit, counts a repeated start once, and leaves other people alone', async () => {
      const { store } = await setup();
      const limits = deny({ maxPerUser: 2 });
      const first = await store.insertSessions(
        [
          newSession({ externalId: 'a', userRef: JANE }),
          newSession({ externalId: 'b', userRef: JANE }),
          newSession({ externalId: 'c', userRef: JANE }),
          newSession({ externalId: 'x', userRef: BOB }),
        ],
        'connector:bastion',
        limits,
      );
      expect(first.insertedExternalIds.sort()).toEqual(['a', 'b', 'x']);
      expect(first.overLimit).toEqual(['c']);
      // Reported again: known, not new, so not refused.
      const again = await store.insertSessions(
        [newSession({ externalId: 'a', userRef: JANE })],
        'connector:bastion',
        limits,
      );
      expect(again).toMatchObject({ insertedExternalIds: [], overLimit: [] });
      expect(await openOf(store, JANE)).toEqual(['a', 'b']);
    });

    it('counts a kind with its own limit separately', async () => {
      const { store } = await setup();
      const limits = deny({ maxPerUser: 3, perType: { rdp: 1 } });
      const result = await store.insertSessions(
        [
          newSession({ externalId: 'rdp-1', resourceType: 'rdp' }),
          newSession({ externalId: 'rdp-2', resourceType: 'rdp' }),
          newSession({ externalId: 'ssh-1' }),
          newSession({ externalId: 'ssh-2' }),
          newSession({ externalId: 'ssh-3' }),
        ],
        'connector:bastion',
        limits,
      );
      expect(result.overLimit).toEqual(['rdp-2']);
      expect((await openOf(store, JANE)).sort()).toEqual([
        'rdp-1',
        'ssh-1',
        'ssh-2',
        'ssh-3',
      ]);
    });

    it('ends the oldest open session to make room, with an order to cut it', async () => {
      const { knex, store } = await setup();
      const limits: SessionLimits = {
        maxPerUser: 2,
        perType: {},
        onExceed: 'endOldest',
      };
      await store.insertSessions(
        [
          newSession({ externalId: 'old', startedAt: T0 }),
          newSession({ externalId: 'mid', startedAt: T0 + 60_000 }),
        ],
        'connector:bastion',
        limits,
      );
      const result = await store.insertSessions(
        [newSession({ externalId: 'new', startedAt: T0 + 120_000 })],
        'connector:bastion',
        limits,
      );
      expect(result.overLimit).toEqual([]);
      expect(result.endedForLimit).toEqual([
        expect.objectContaining({
          externalId: 'old',
          status: 'terminating',
          endReason: 'policy',
        }),
      ]);
      expect((await openOf(store, JANE)).sort()).toEqual(['mid', 'new']);
      const orders = await knex('connector_commands').select(
        'external_id',
        'reason',
      );
      expect(orders).toEqual([{ external_id: 'old', reason: 'policy' }]);
    });

    it.each(['deny', 'endOldest'] as const)(
      'never leaves more than the limit open when two connectors start sessions at once (%s)',
      async onExceed => {
        const { store } = await setup();
        const limits: SessionLimits = { maxPerUser: 3, perType: {}, onExceed };
        const starts = Array.from({ length: 12 }, (_, i) =>
          store.insertSessions(
            [
              newSession({
                source: i % 2 ? 'bastion' : 'rdp-gateway',
                externalId: `race-${i}`,
                startedAt: T0 + i,
              }),
            ],
            `connector:${i % 2 ? 'bastion' : 'rdp-gateway'}`,
            limits,
          ),
        );
        const results = await Promise.all(starts);
        expect(await openOf(store, JANE)).toHaveLength(3);
        // Every start past the limit was refused, or ended an older one.
        expect({
          refused: results.flatMap(r => r.overLimit).length,
          ended: results.flatMap(r => r.endedForLimit).length,
        }).toEqual(
          onExceed === 'deny'
            ? { refused: 9, ended: 0 }
            : { refused: 0, ended: 9 },
        );
      },
    );
  });
});
