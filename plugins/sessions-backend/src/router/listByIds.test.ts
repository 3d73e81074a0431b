import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { CONNECTOR, as } from '../__testUtils__/credentials';
import { testConfigFactory } from '../__testUtils__/connectorSources';
import { sessionsPlugin } from '../plugin';

jest.setTimeout(60_000);

const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const ADMIN = 'user:default/admin';

/**
 * The page refreshes the rows it waits on (a cut not yet confirmed) with
 * one list request naming them: `id=a,b,…`, within what the caller may read.
 */
describe('lists of named sessions and grants', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: Parameters<typeof request>[0];
    const sessionIds = new Map<string, string>();
    const grantIds = new Map<string, string>();

    beforeAll(async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const backend = await startTestBackend({
        features: [
          sessionsPlugin,
          mockServices.database.factory({ knex }),
          policyPermissionsFactory(new ActiveSessionsTestPolicy(ADMIN)),
          testConfigFactory(),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      server = backend.server;
      const people = { 'jane-1': JANE, 'jane-2': JANE, 'bob-1': BOB };
      await request(server)
        .post('/api/sessions/connector/sessions/start')
        .set('Authorization', CONNECTOR)
        .send({
          source: 'bastion',
          sessions: Object.entries(people).map(([externalId, userRef]) => ({
            externalId,
            userRef,
            resourceName: externalId,
            resourceType: 'ssh',
          })),
        })
        .expect(200);
      await request(server)
        .post('/api/sessions/connector/grants/report')
        .set('Authorization', CONNECTOR)
        .send({
          source: 'bastion',
          grants: Object.entries(people).map(([externalId, userRef]) => ({
            externalId,
            kind: 'device_admin',
            userRef,
            target: `host-${externalId}`,
            targetType: 'device',
            grantedBy: 'sudo',
            expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          })),
        })
        .expect(200);
      for (const [path, ids] of [
        ['sessions', sessionIds],
        ['grants', grantIds],
      ] as const) {
        const res = await request(server)
          .get(`/api/sessions/${path}?all=true`)
          .set('Authorization', as(ADMIN))
          .expect(200);
        for (const item of res.body.items) ids.set(item.externalId, item.id);
      }
    });

    const listed = async (path: string, caller: string, query: string) => {
      const res = await request(server)
        .get(`/api/sessions/${path}?${query}`)
        .set('Authorization', as(caller));
      expect(res.status).toBe(200);
      return res.body.items.map((item: any) => item.externalId).sort();
    };

    it('answers only the named rows the caller may read', async () => {
      const named = ['jane-1', 'bob-1'];
      for (const [path, ids] of [
        ['sessions', sessionIds],
        ['grants', grantIds],
      ] as const) {
        const id = named.map(name => ids.get(name)).join(',');
        expect(await listed(path, ADMIN, `all=true&id=${id}`)).toEqual([
          'bob-1',
          'jane-1',
        ]);
        // Jane may read her own only: Bob's is left out, not an error.
        expect(await listed(path, JANE, `all=true&id=${id}`)).toEqual([
          'jane-1',
        ]);
        expect(await listed(path, JANE, `id=${id}`)).toEqual(['jane-1']);
      }
    });

    it('refuses what is not a list of ids, naming query.id', async () => {
      const tooMany = Array.from(
        { length: 201 },
        (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      ).join(',');
      const repeated = [...Array(2)].map(() => sessionIds.get('jane-1'));
      for (const path of ['sessions', 'grants']) {
        for (const id of ['not-a-uuid', tooMany, repeated.join(','), ',']) {
          const res = await request(server)
            .get(`/api/sessions/${path}?id=${id}`)
            .set('Authorization', as(JANE));
          expect(res.status).toBe(400);
          expect(res.body.error.message).toContain('query.id');
        }
      }
    });
  });
});
