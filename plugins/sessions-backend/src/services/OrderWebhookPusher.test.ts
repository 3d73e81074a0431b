import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { receiver } from '../__testUtils__/webhookReceiver';
import { KnexCommandStore } from '../database/KnexCommandStore';
import { KnexConnectorStore } from '../database/KnexConnectorStore';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import {
  OrderWebhookPusher,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signOrder,
} from './OrderWebhookPusher';

jest.setTimeout(60_000);

const SECRET = 'webhook-secret';
const FAST = { idleMs: 20, retryDelaysMs: [20, 40], attemptTimeoutMs: 2000 };

async function until(condition: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('condition not met in time');
}

describe('OrderWebhookPusher', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'pushes each new order once, signed, across two replicas, retrying failures, on %p',
    async databaseId => {
      const { knex, store } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      // An order from before the webhook existed is not pushed.
      const old = newSession({ source: 'bastion' });
      await store.insertSessions([old], 'test');
      await store.endSessions(
        { ids: [old.id] },
        { reason: 'user', endedBy: 'u', at: Date.now(), orderConnector: true },
      );
      // The first attempt fails; the retry succeeds.
      const endpoint = await receiver([503]);
      const pusher = () =>
        new OrderWebhookPusher({
          connectors: [
            {
              id: 'bastion',
              subjects: ['external:bastion'],
              title: 'b',
              webhook: { url: endpoint.url, secret: SECRET },
            },
          ],
          commands: new KnexCommandStore(knex),
          registry: new KnexConnectorStore(knex),
          logger: mockServices.logger.mock(),
          timing: FAST,
        });
      const replicas = [pusher(), pusher()];
      replicas.forEach(replica => replica.start());
      try {
        await until(async () =>
          Boolean(
            (await knex('connectors').where('id', 'bastion').first())
              ?.push_cursor,
          ),
        );
        const sessions = [1, 2, 3].map(() => newSession({ source: 'bastion' }));
        await store.insertSessions(sessions, 'test');
        await store.endSessions(
          { ids: sessions.map(s => s.id) },
          {
            reason: 'admin',
            endedBy: 'user:default/ada',
            at: Date.now(),
            orderConnector: true,
          },
        );

        // Three orders, the first one twice (503, then 200).
        await until(() => endpoint.received.length >= 4);
        // Stopping waits for rounds in flight: nothing else can arrive.
        await Promise.all(replicas.map(replica => replica.stop()));
        expect(endpoint.received).toHaveLength(4);
        const bodies = endpoint.received.map(r => JSON.parse(r.body));
        expect(bodies.map(b => b.subjectId).sort()).toEqual(
          [sessions[0].id, ...sessions.map(s => s.id)].sort(),
        );
        expect(new Set(bodies.map(b => b.subjectId)).size).toBe(3);
        expect(bodies.every(b => b.subjectId !== old.id)).toBe(true);
        expect(bodies[0]).toMatchObject({
          source: 'bastion',
          action: 'end_session',
          reason: 'admin',
        });
        for (const { headers, body } of endpoint.received) {
          const timestamp = headers[TIMESTAMP_HEADER] as string;
          expect(headers[SIGNATURE_HEADER]).toBe(
            signOrder(SECRET, timestamp, body),
          );
          expect(signOrder('wrong-secret', timestamp, body)).not.toBe(
            headers[SIGNATURE_HEADER],
          );
        }
      } finally {
        await Promise.all(replicas.map(replica => replica.stop()));
        endpoint.close();
      }
    },
  );

  it('records a push that failed after every retry, for admins to see', async () => {
    const { knex, store } = await migratedStore(databases, 'SQLITE_3');
    const endpoint = await receiver([500, 500, 500]);
    const registry = new KnexConnectorStore(knex);
    await registry.pushCursor('bastion');
    const session = newSession({ source: 'bastion' });
    await store.insertSessions([session], 'test');
    await store.endSessions(
      { ids: [session.id] },
      { reason: 'user', endedBy: 'u', at: Date.now(), orderConnector: true },
    );
    const pusher = new OrderWebhookPusher({
      connectors: [],
      commands: new KnexCommandStore(knex),
      registry,
      logger: mockServices.logger.mock(),
      timing: FAST,
    });

    const pushed = await pusher.pushRound('bastion', {
      url: endpoint.url,
      secret: SECRET,
    });

    expect(pushed).toBe(1);
    expect(endpoint.received).toHaveLength(3);
    const [record] = await registry.listConnectors();
    expect(record.pushFailure).toMatch(/not pushed after 3 attempts: HTTP 500/);
    // The pull feed still has it: pushing never consumes an order.
    expect(
      await new KnexCommandStore(knex).listAfter('bastion', 0, 10),
    ).toHaveLength(1);
    endpoint.close();
  });

  it('never follows a redirect with the signed order', async () => {
    const { knex, store } = await migratedStore(databases, 'SQLITE_3');
    const elsewhere = await receiver([]);
    const endpoint = await receiver([307, 308, 302], elsewhere.url);
    const registry = new KnexConnectorStore(knex);
    await registry.pushCursor('bastion');
    const session = newSession({ source: 'bastion' });
    await store.insertSessions([session], 'test');
    await store.endSessions(
      { ids: [session.id] },
      { reason: 'user', endedBy: 'u', at: Date.now(), orderConnector: true },
    );
    const pusher = new OrderWebhookPusher({
      connectors: [],
      commands: new KnexCommandStore(knex),
      registry,
      logger: mockServices.logger.mock(),
      timing: FAST,
    });

    await pusher.pushRound('bastion', { url: endpoint.url, secret: SECRET });

    expect(endpoint.received).toHaveLength(3);
    expect(elsewhere.received).toEqual([]);
    const [record] = await registry.listConnectors();
    expect(record.pushFailure).toMatch(
      /not pushed after 3 attempts: HTTP 302, a redirect, which is not followed/,
    );
    endpoint.close();
    elsewhere.close();
  });
});
