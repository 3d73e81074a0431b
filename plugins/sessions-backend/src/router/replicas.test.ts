import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { sessionsPlugin } from '../plugin';
import { offboardClient } from '../__testUtils__/offboardClient';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import {
  AuditRecord,
  recordingAuditorFactory,
} from '../__testUtils__/recordingAuditor';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { testConfigFactory } from '../__testUtils__/connectorSources';

jest.setTimeout(120_000);

const ADMIN = 'user:default/admin';
const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const HOUR = 3_600_000;

/** A backend replica: its HTTP client, its scheduled tasks, its audit log. */
async function startReplica(knex: Knex) {
  const audit: AuditRecord[] = [];
  const scheduler = mockServices.scheduler.mock();
  const backend = await startTestBackend({
    features: [
      sessionsPlugin,
      testConfigFactory(),
      mockServices.database.factory({ knex }),
      scheduler.factory,
      recordingAuditorFactory(audit),
      policyPermissionsFactory(new ActiveSessionsTestPolicy(ADMIN)),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
  });
  const task = (id: string) => {
    const call = scheduler.scheduleTask.mock.calls.find(
      ([options]) => options.id === id,
    );
    if (!call) throw new Error(`no task ${id}`);
    return async () => {
      await call[0].fn(new AbortController().signal);
    };
  };
  return { client: offboardClient(backend.server), task, audit };
}

/** How many times each value occurs more than once. */
const repeated = (values: string[]) => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1);
};

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
// scripts/test.sh always gives the tests a PostgreSQL server.
const describeOnPostgres = databases.supports('POSTGRES_15')
  ? describe
  : describe.skip;

describeOnPostgres('two backend replicas on one PostgreSQL', () => {
  it('never produce a transition, event, audit record or order twice', async () => {
    // Two replicas, each with its own connection pool to one database.
    const knexA = await databases.init('POSTGRES_15');
    const knexB = knexFactory(knexA.client.config);
    try {
      const [a, b] = await Promise.all([
        startReplica(knexA),
        startReplica(knexB),
      ]);

      // Sessions that went quiet long ago (the sweep's), sessions to end
      // by hand, and grants past their expiry or to revoke.
      const longAgo = new Date(Date.now() - 2 * HOUR).toISOString();
      await a.client
        .startSessions(
          Array.from({ length: 20 }, (_, i) => [`quiet-${i}`, JANE, 'db-1']),
        )
        .expect(200);
      await knexA('sessions')
        .where('external_id', 'like', 'quiet-%')
        .update({
          last_activity_at: Date.parse(longAgo),
          started_at: Date.parse(longAgo),
        });
      await b.client
        .startSessions(
          Array.from({ length: 20 }, (_, i) => [`jane-${i}`, JANE, 'db-2']),
        )
        .expect(200);
      await b.client
        .startSessions(
          Array.from({ length: 10 }, (_, i) => [`bob-${i}`, BOB, 'db-3']),
        )
        .expect(200);
      await a.client
        .reportGrants(
          Array.from({ length: 10 }, (_, i) => [`g-${i}`, BOB, 'device_admin']),
        )
        .expect(200);
      await knexA('access_grants')
        .whereIn('external_id', ['g-0', 'g-1', 'g-2'])
        .update({ expires_at: Date.now() - 1000 });

      const ids = async (user: string, viewer: string, db: string) =>
        (await a.client.openOf(user, viewer))
          .filter(session => session.resourceName === db)
          .map(session => session.id as string);
      const bobSessions = await ids(BOB, ADMIN, 'db-3');
      const grantIds = (await a.client.activeGrantsOf(BOB, ADMIN))
        .filter(grant => !['g-0', 'g-1', 'g-2'].includes(grant.externalId))
        .map(grant => grant.id as string);

      // Everything at once, on both replicas: both sweeps, Jane's End All
      // twice, the admin ending each of Bob's sessions and revoking each of
      // his grants through both.
      const both = <T>(call: (replica: typeof a) => Promise<T>) =>
        Promise.all([call(a), call(b)]);
      await Promise.all([
        both(replica => replica.task('sessions-sweep')()),
        both(replica => replica.task('sessions-grant-expiry')()),
        both(replica =>
          replica.client.asUser(JANE, 'post', '/sessions/end-all').send({}),
        ),
        ...bobSessions.map(id =>
          both(replica =>
            replica.client.asUser(ADMIN, 'post', `/sessions/${id}/end`),
          ),
        ),
        ...grantIds.map(id =>
          both(replica =>
            replica.client.asUser(ADMIN, 'post', `/grants/${id}/revoke`),
          ),
        ),
      ]);

      // Every session and grant ended exactly once.
      const sessions = await knexA('sessions').select('id', 'status');
      expect(sessions).toHaveLength(50);
      expect(sessions.filter(session => session.status === 'active')).toEqual(
        [],
      );
      const endEvents = await knexA('session_events')
        .whereIn('to_status', ['terminating', 'disconnected'])
        .select('session_id');
      expect(endEvents).toHaveLength(50);
      expect(repeated(endEvents.map(event => event.session_id))).toEqual([]);
      const grantEnds = await knexA('grant_events')
        .whereIn('to_status', ['revoking', 'revoked', 'expired'])
        .select('grant_id');
      expect(grantEnds).toHaveLength(10);
      expect(repeated(grantEnds.map(event => event.grant_id))).toEqual([]);

      // One order per session or grant ended here (the sweep's included).
      const orders = await knexA('connector_commands').select('subject_id');
      expect(orders).toHaveLength(50 + 7);
      expect(repeated(orders.map(order => order.subject_id))).toEqual([]);

      // Each cut is in exactly one audit record, across both replicas.
      const audited = [...a.audit, ...b.audit].flatMap(record => {
        const meta = record.meta as any;
        if (record.eventId === 'session-end') {
          if (meta.actionType === 'end-one') {
            return meta.ended ? [meta.sessionId] : [];
          }
          return meta.sessionIds ?? [];
        }
        if (
          record.eventId === 'grant-revoke' &&
          meta.actionType === 'revoke-one'
        ) {
          return meta.revoked ? [meta.grantId] : [];
        }
        return [];
      });
      expect(audited.sort()).toEqual(
        [...sessions.map(session => session.id), ...grantIds].sort(),
      );
    } finally {
      await knexB.destroy();
    }
  });
});
