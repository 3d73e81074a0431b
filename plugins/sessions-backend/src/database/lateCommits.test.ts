import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { SignalPayload } from '@backstage/plugin-signals-node';
import { Knex } from 'knex';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import { receiver } from '../__testUtils__/webhookReceiver';
import { ChangeSignals } from '../services/ChangeSignals';
import { OrderWebhookPusher } from '../services/OrderWebhookPusher';
import { recordConnectorOrders } from './connectorOrders';
import { KnexChangeStore } from './KnexChangeStore';
import { KnexCommandStore } from './KnexCommandStore';
import { KnexConnectorStore } from './KnexConnectorStore';
import { KnexManagedMembersStore } from './KnexManagedMembersStore';
import { readTotals } from './sessionTotals';

jest.setTimeout(60_000);

const JANE = 'user:default/jane';
const BOB = 'user:default/bob';

/**
 * A transaction held open, as a long sweep's is: it takes its ids now and
 * commits when told to.
 */
async function holdOpen(
  knex: Knex,
  work: (trx: Knex.Transaction) => Promise<void>,
) {
  let release!: () => void;
  const released = new Promise<void>(resolve => (release = resolve));
  let ready!: () => void;
  const worked = new Promise<void>(resolve => (ready = resolve));
  const done = knex.transaction(async trx => {
    await work(trx);
    ready();
    await released;
  });
  await worked;
  return async () => {
    release();
    await done;
  };
}

/** Returns once a statement on this database waits for a row lock. */
async function untilSomeoneWaitsForALock(knex: Knex) {
  const waiting =
    knex.client.config.client === 'pg'
      ? () => knex.raw('select 1 from pg_locks where not granted')
      : () =>
          knex.raw(
            "select 1 from information_schema.innodb_trx where trx_state = 'LOCK WAIT'",
          );
  for (;;) {
    const result = await waiting();
    const rows = knex.client.config.client === 'pg' ? result.rows : result[0];
    if (rows.length) return;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

const recipientsOf = (signal: SignalPayload) =>
  [...(signal.recipients as { entityRef: string[] }).entityRef].sort();

/** The columns of a session an order is made from. */
const dbRow = (session: {
  id: string;
  source: string;
  externalId: string;
}) => ({
  id: session.id,
  source: session.source,
  external_id: session.externalId,
});

/**
 * Ids are taken at insert, not at commit. On each database where two
 * writers can overlap, a transaction takes a lower id, a later one commits
 * first and a reader reads in between; after the first commits, what it
 * wrote must still reach every reader.
 */
describe('rows committed after a later one was read', () => {
  const databases = createTestDatabases();
  const concurrent = databases
    .eachSupportedId()
    .filter(([id]) => id !== 'SQLITE_3');

  // SQLite has one writer at a time: nothing can commit out of order.
  // scripts/test.sh always provides PostgreSQL and MySQL.
  if (!concurrent.length) {
    // eslint-disable-next-line jest/no-disabled-tests
    it.skip('needs PostgreSQL or MySQL', () => {});
    return;
  }

  describe.each(concurrent)('on %p', databaseId => {
    async function setUp() {
      const { knex, store } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const held = newSession({ source: 'bastion', userRef: JANE });
      const quick = newSession({ source: 'bastion', userRef: BOB });
      await store.insertSessions([held, quick], 'connector:bastion');
      /** A long transaction's order for `held`, its id below `quick`'s. */
      const holdOrder = () =>
        holdOpen(knex, trx =>
          recordConnectorOrders(trx, [{ ...dbRow(held) }], {
            action: 'end_session',
            reason: 'idle_timeout',
            requestedBy: 'sweep',
            at: Date.now(),
          }),
        );
      const endQuick = () =>
        store.endSessions(
          { ids: [quick.id] },
          {
            reason: 'user',
            endedBy: BOB,
            at: Date.now(),
            orderConnector: true,
          },
        );
      return { knex, store, held, quick, holdOrder, endQuick };
    }

    it('the order feed hands the held order to its connector after it commits', async () => {
      const { knex, held, quick, holdOrder, endQuick } = await setUp();
      const feed = new KnexCommandStore(knex);
      const commit = await holdOrder();
      await endQuick();

      const first = await feed.listAfter('bastion', 0, 100);
      expect(first.map(order => order.subjectId)).toEqual([quick.id]);
      await commit();
      const next = await feed.listAfter('bastion', first[0].seq, 100);
      expect(next.map(order => order.subjectId)).toEqual([held.id]);
      // Its id is lower than the order already read: only commit order
      // (the cursor) gets it there.
      expect(next[0].id).toBeLessThan(first[0].id);
    });

    it('the webhook pushes the held order after it commits', async () => {
      const { knex, held, quick, holdOrder, endQuick } = await setUp();
      const endpoint = await receiver([]);
      const webhook = { url: endpoint.url, secret: 's' };
      const pusher = new OrderWebhookPusher({
        connectors: [{ id: 'bastion', title: 'b', subjects: ['x'], webhook }],
        commands: new KnexCommandStore(knex),
        registry: new KnexConnectorStore(knex),
        logger: mockServices.logger.mock(),
      });
      try {
        // The webhook starts after what exists now.
        await pusher.pushRound('bastion', webhook);
        const commit = await holdOrder();
        await endQuick();
        expect(await pusher.pushRound('bastion', webhook)).toBe(1);
        await commit();
        expect(await pusher.pushRound('bastion', webhook)).toBe(1);
        expect(
          endpoint.received.map(item => JSON.parse(item.body).subjectId),
        ).toEqual([quick.id, held.id]);
      } finally {
        endpoint.close();
      }
    });

    it('pages are signalled for a change committed late', async () => {
      const { knex, store, held } = await setUp();
      const published: SignalPayload[] = [];
      const signals = new ChangeSignals({
        store: new KnexChangeStore(knex),
        managers: new KnexManagedMembersStore(knex),
        signals: { publish: async signal => void published.push(signal) },
        logger: mockServices.logger.mock(),
      });
      await signals.run();
      published.length = 0;

      const commit = await holdOpen(knex, async trx => {
        await trx('session_events').insert({
          session_id: held.id,
          event_type: 'idle',
          from_status: 'active',
          to_status: 'idle',
          actor: 'sweep',
          created_at: Date.now(),
        });
      });
      await store.insertSessions(
        [newSession({ userRef: BOB })],
        'connector:bastion',
      );
      await signals.run();
      expect(published.map(recipientsOf)).toEqual([[BOB]]);
      await commit();
      await signals.run();
      expect(published.map(recipientsOf)).toEqual([[BOB], [JANE]]);
    });

    it('the running totals count a change committed while they were folded', async () => {
      const { knex, store } = await setUp();
      await store.foldTotals();
      const commit = await holdOpen(knex, async trx => {
        await trx('session_total_deltas').insert({
          status: 'active',
          open_count: 1,
          started_at_sum: 1000,
        });
        // Holding a total too, so the fold waits for this commit inside
        // its transaction: the moment a delta lands mid-fold.
        await trx('session_totals')
          .where('status', 'active')
          .update({ open_count: trx.raw('?? + 0', ['open_count']) });
      });
      await store.insertSessions([newSession()], 'connector:bastion');
      const folding = store.foldTotals();
      await untilSomeoneWaitsForALock(knex);
      await commit();
      await folding;
      await store.foldTotals();
      const totals = await readTotals(knex);
      // Three sessions reported open plus the held delta's one.
      expect(totals.get('active')?.count).toBe(4);
    });
  });
});
