import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import { KnexCommandStore } from './KnexCommandStore';
import { readTotals } from './sessionTotals';

jest.setTimeout(60_000);

const AT = Date.UTC(2026, 5, 1, 12);

describe('acknowledging orders', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    /** 300 sessions of one source ended by a person, each with its order. */
    async function endedWithOrders() {
      const { knex, store } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const sessions = Array.from({ length: 300 }, () =>
        newSession({ source: 'bastion' }),
      );
      await store.insertSessions(sessions, 'test');
      await store.endSessions(
        { ids: sessions.map(s => s.id) },
        {
          reason: 'user',
          endedBy: 'user:default/jane',
          at: AT,
          orderConnector: true,
        },
      );
      const commands = new KnexCommandStore(knex);
      const orders = await commands.listAfter('bastion', 0, 500);
      expect(orders).toHaveLength(300);
      return { knex, commands, orders };
    }

    it('records a batch in one go: done and not_found confirm, failed keeps the message', async () => {
      const { knex, commands, orders } = await endedWithOrders();
      // Every tenth fails, every third of the rest is gone at the source.
      const outcomeOf = (i: number) => {
        if (i % 10 === 0) return 'failed' as const;
        return i % 3 === 0 ? ('not_found' as const) : ('done' as const);
      };
      const acks = orders.map((order, i) => ({
        id: order.id,
        outcome: outcomeOf(i),
        message: i % 10 === 0 ? `sshd ${i} would not die: «EPERM»` : undefined,
      }));
      const recorded = await commands.acknowledge('bastion', acks, AT + 1000);
      expect(recorded).toEqual(acks.map(ack => ack.id));

      const failedIds = new Set(
        orders.filter((_, i) => i % 10 === 0).map(order => order.subjectId),
      );
      const rows = await knex('sessions').select(
        'id',
        'status',
        'cut_confirmed_at',
        'cut_failure',
      );
      const seen = rows.map(row => ({
        failed: failedIds.has(row.id),
        status: row.status,
        confirmedAt: row.cut_confirmed_at && Number(row.cut_confirmed_at),
        failure: row.cut_failure,
      }));
      expect(seen.filter(row => row.failed)).toEqual(
        Array(30).fill({
          failed: true,
          status: 'terminating',
          confirmedAt: null,
          failure: expect.stringMatching(/^sshd \d+ would not die: «EPERM»$/),
        }),
      );
      expect(seen.filter(row => !row.failed)).toEqual(
        Array(270).fill({
          failed: false,
          status: 'disconnected',
          confirmedAt: AT + 1000,
          failure: null,
        }),
      );
      const [ordersLeft] = await knex('connector_commands')
        .whereNull('acknowledged_at')
        .count({ n: '*' });
      expect(Number(ordersLeft.n)).toBe(0);
      const outcomes = await knex('connector_commands')
        .select('outcome')
        .count({ n: '*' })
        .groupBy('outcome')
        .orderBy('outcome');
      expect(outcomes.map((row: any) => [row.outcome, Number(row.n)])).toEqual([
        ['done', 180],
        ['failed', 30],
        ['not_found', 90],
      ]);
    });

    it('records each order once when a connector acknowledges twice at the same time, and never for another source', async () => {
      const { knex, commands, orders } = await endedWithOrders();
      const acks = orders.map(order => ({
        id: order.id,
        outcome: 'done' as const,
      }));
      const [first, second, stranger] = await Promise.all([
        commands.acknowledge('bastion', acks, AT + 1000),
        commands.acknowledge('bastion', [...acks].reverse(), AT + 2000),
        commands.acknowledge('rdp-gateway', acks, AT + 3000),
      ]);
      expect(stranger).toEqual([]);
      // Between them, every order once.
      expect([...first, ...second].sort((a, b) => a - b)).toEqual(
        acks.map(ack => ack.id).sort((a, b) => a - b),
      );
      const events = await knex('session_events')
        .where('event_type', 'cut_confirmed')
        .select('session_id');
      expect(events).toHaveLength(300);
      expect(new Set(events.map(event => event.session_id)).size).toBe(300);
      // And again later: nothing new.
      expect(await commands.acknowledge('bastion', acks, AT + 4000)).toEqual(
        [],
      );
      // The live totals moved each session from terminating once.
      const totals = await readTotals(knex);
      expect(totals.get('terminating')?.count ?? 0).toBe(0);
    });
  });
});
