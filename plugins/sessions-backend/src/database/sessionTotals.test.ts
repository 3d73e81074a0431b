import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import { KnexSessionStore } from './KnexSessionStore';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 9, 0);

/** What a full scan says: the truth the totals must match. */
async function scanned(knex: Knex) {
  const rows: any[] = await knex('sessions')
    .whereIn('status', ['active', 'idle', 'terminating'])
    .groupBy('status')
    .select('status')
    .count({ count: '*' })
    .sum({ started: 'started_at' });
  const of = (status: string) => rows.find(row => row.status === status);
  return {
    active: Number(of('active')?.count ?? 0),
    idle: Number(of('idle')?.count ?? 0),
    terminating: Number(of('terminating')?.count ?? 0),
    startedAtSum:
      Number(of('active')?.started ?? 0) + Number(of('idle')?.started ?? 0),
  };
}

describe("everyone's stats from running totals", () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('match a full count through starts, idling, ends, sweeps and confirmed cuts, before and after folding', async () => {
      const { knex, store } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const everyone = (s: KnexSessionStore) => s.countOpenSessions({});
      const sessions = Array.from({ length: 12 }, (_, i) =>
        newSession({
          source: 'bastion',
          externalId: `t-${i}`,
          userRef: i % 2 ? 'user:default/jane' : 'user:default/bob',
          startedAt: T0 + i * MINUTE,
        }),
      );
      await store.insertSessions(sessions, 'test');
      // Reporting the same starts again adds nothing.
      await store.insertSessions(sessions, 'test');
      expect(await everyone(store)).toEqual(await scanned(knex));

      const now = T0 + 60 * MINUTE;
      await store.recordActivity(
        'bastion',
        ['t-0', 't-1', 't-2'],
        now - 2 * MINUTE,
      );
      // Idle some, end the quietest, and expire one started too long ago.
      const sweep = (at: number) =>
        store.sweep({
          at,
          actor: 'sweep',
          idleBefore: at - 5 * MINUTE,
          warnBefore: at - 10 * MINUTE,
          disconnectBefore: at - 50 * MINUTE,
          startedBefore: T0 + MINUTE / 2,
        });
      const swept = await sweep(now);
      expect(swept.idled + swept.timedOut + swept.expired).toBeGreaterThan(0);
      expect(await everyone(store)).toEqual(await scanned(knex));
      expect(await store.foldTotals()).toBeGreaterThan(0);
      expect(await everyone(store)).toEqual(await scanned(knex));

      // Ended here (terminating), then confirmed by the source's end report;
      // ended by the source directly; resumed from idle.
      await store.endSessions(
        { userRef: 'user:default/jane' },
        { reason: 'user', endedBy: 'jane', at: now, orderConnector: true },
      );
      await store.endSessions(
        { source: 'bastion', externalIds: ['t-1', 't-3', 't-4'] },
        {
          reason: 'connector',
          endedBy: 'bastion',
          at: now,
          orderConnector: false,
        },
      );
      await store.recordActivity('bastion', ['t-6', 't-8'], now + MINUTE);
      expect(await everyone(store)).toEqual(await scanned(knex));
      await store.foldTotals();
      expect(await everyone(store)).toEqual(await scanned(knex));
      expect(await store.foldTotals()).toBe(0);
    });
  });
});
