import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  migratedStore,
  newGrant,
  newSession,
} from '../__testUtils__/databases';
import { KnexCommandStore } from './KnexCommandStore';
import { KnexRetentionStore } from './KnexRetentionStore';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 12, 0);
const JANE = 'user:default/jane';

describe('KnexRetentionStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('deletes exactly the history older than the cutoff, in batches, and nothing live', async () => {
      const { knex, store, grants } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const commands = new KnexCommandStore(knex);
      const session = (externalId: string, startedAt: number) =>
        newSession({ externalId, startedAt });
      await store.insertSessions(
        [
          session('old-1', NOW - 200 * DAY),
          session('old-2', NOW - 200 * DAY),
          session('old-3', NOW - 200 * DAY),
          session('recent', NOW - 200 * DAY),
          session('old-open', NOW - 200 * DAY),
          session('old-terminating', NOW - 200 * DAY),
        ],
        'connector:bastion',
      );
      const end = (externalIds: string[], at: number, order: boolean) =>
        store.endSessions(
          { source: 'bastion', externalIds },
          { reason: 'user', endedBy: JANE, at, orderConnector: order },
        );
      // Reported ended at the source long ago, or recently.
      await end(['old-1', 'old-2', 'old-3'], NOW - 100 * DAY, false);
      await end(['recent'], NOW - 10 * DAY, false);
      // Ended here long ago, never confirmed: still live at its source.
      await end(['old-terminating'], NOW - 100 * DAY, true);

      await grants.insertGrants(
        [
          newGrant({ externalId: 'g-revoked-old', startsAt: NOW - 200 * DAY }),
          newGrant({ externalId: 'g-revoked-new', startsAt: NOW - 200 * DAY }),
          newGrant({ externalId: 'g-expired-old', startsAt: NOW - 200 * DAY }),
          newGrant({
            externalId: 'g-active',
            startsAt: NOW - 200 * DAY,
            expiresAt: NOW + DAY,
          }),
        ],
        'connector:priv-broker',
      );
      const revoke = (externalIds: string[], at: number, order: boolean) =>
        grants.revokeGrants(
          { source: 'priv-broker', externalIds },
          { reason: 'revoked', revokedBy: JANE, at, orderConnector: order },
        );
      await revoke(['g-revoked-old'], NOW - 100 * DAY, true);
      await revoke(['g-revoked-new'], NOW - DAY, false);
      await grants.expireGrants(NOW - 150 * DAY, 'sessions:sweep');

      // The terminating session's and the revoked grant's orders: one
      // acknowledged long ago, one still waiting.
      const orders = await commands.listAfter('priv-broker', 0, 10);
      await commands.acknowledge(
        'priv-broker',
        orders.map(order => ({ id: order.id, outcome: 'done' as const })),
        NOW - 99 * DAY,
      );
      // Acknowledged, the old revocation is final: `revoked`, history.

      const retention = new KnexRetentionStore(knex);
      const deleted = await retention.deleteHistoryBefore(NOW - 90 * DAY, 2);
      expect(deleted).toEqual({ sessions: 3, grants: 2, orders: 1 });

      const left = await knex('sessions')
        .orderBy('external_id')
        .pluck('external_id');
      expect(left).toEqual(['old-open', 'old-terminating', 'recent']);
      const leftEvents = await knex('session_events')
        .join('sessions', 'sessions.id', 'session_events.session_id')
        .countDistinct('sessions.external_id as n')
        .first();
      expect(Number(leftEvents?.n)).toBe(3);
      // No events are left of deleted sessions.
      const orphans = await knex('session_events')
        .whereNotIn('session_id', knex('sessions').select('id'))
        .count('* as n')
        .first();
      expect(Number(orphans?.n)).toBe(0);
      const leftGrants = await knex('access_grants')
        .orderBy('external_id')
        .pluck('external_id');
      expect(leftGrants).toEqual(['g-active', 'g-revoked-new']);
      // The unacknowledged order of the terminating session stays.
      expect(await knex('connector_commands').pluck('source')).toEqual([
        'bastion',
      ]);

      // Nothing more to delete.
      expect(await retention.deleteHistoryBefore(NOW - 90 * DAY, 2)).toEqual({
        sessions: 0,
        grants: 0,
        orders: 0,
      });
    });
  });
});
