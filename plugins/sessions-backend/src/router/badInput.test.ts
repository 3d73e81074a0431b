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
import { sessionsPlugin } from '../plugin';
import { testConfigFactory } from '../__testUtils__/connectorSources';

jest.setTimeout(60_000);

const ADMIN = 'user:default/admin';
const JANE = 'user:default/jane';
/** The subject of `mockCredentials.service()`, which CONNECTOR carries. */
const DAY = 86_400_000;

const cursor = (body: unknown[]) =>
  Buffer.from(JSON.stringify(body)).toString('base64url');
const inDays = (days: number) =>
  new Date(Date.now() + days * DAY).toISOString();

describe('bad input is refused naming the field; any script is kept', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: Parameters<typeof request>[0];

    const connector = (path: string, body: object) =>
      request(server)
        .post(`/api/sessions/connector/${path}`)
        .set('Authorization', CONNECTOR)
        .send(body);
    const start = (externalId: string, resourceName: string) =>
      connector('sessions/start', {
        source: 'bastion',
        sessions: [
          { externalId, userRef: JANE, resourceName, resourceType: 'ssh' },
        ],
      });
    const grant = (externalId: string, expiresAt: string) =>
      connector('grants/report', {
        source: 'priv-broker',
        grants: [
          {
            externalId,
            kind: 'timed_access',
            userRef: JANE,
            target: 'prod-db',
            targetType: 'database',
            expiresAt,
          },
        ],
      });
    const mine = (path: string) =>
      request(server)
        .get(`/api/sessions${path}`)
        .set('Authorization', as(JANE));

    beforeEach(async () => {
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
    });

    it('lists, finds and shows names in any script exactly as reported', async () => {
      const names = ['Zürich-1', '東京 本番', 'deploy 🚀 prod'];
      for (const [index, name] of names.entries()) {
        await start(`s-${index}`, name).expect(200);
      }
      const listed = await mine('/sessions?sort=resourceName&order=asc');
      expect(listed.body.items.map((s: any) => s.resourceName).sort()).toEqual(
        [...names].sort(),
      );
      const found = await mine(`/sessions?q=${encodeURIComponent('東京')}`);
      expect(found.body.items.map((s: any) => s.resourceName)).toEqual([
        '東京 本番',
      ]);
      // Case folds in every script, also on SQLite.
      await start('s-upper', 'Über-host').expect(200);
      const folded = await mine(`/sessions?q=${encodeURIComponent('über')}`);
      expect(folded.body.items.map((s: any) => s.resourceName)).toEqual([
        'Über-host',
      ]);
      const rocket = await mine(`/sessions?q=${encodeURIComponent('🚀')}`);
      expect(rocket.body.items.map((s: any) => s.resourceName)).toEqual([
        'deploy 🚀 prod',
      ]);
    });

    it('keeps sessions and grants apart whose ids differ only in case or accents', async () => {
      const ids = ['Pid-1', 'pid-1', 'pid-é', 'pid-e'];
      for (const id of ids) await start(id, `host ${id}`).expect(200);
      for (const id of ids) await grant(id, inDays(1)).expect(200);
      const listed = await mine('/sessions?status=active');
      expect(listed.body.items.map((s: any) => s.externalId).sort()).toEqual(
        [...ids].sort(),
      );
      const grants = await mine('/grants');
      expect(grants.body.items.map((g: any) => g.externalId).sort()).toEqual(
        [...ids].sort(),
      );
      // The connector ends one of them: only that one ends.
      await connector('sessions/end', {
        source: 'bastion',
        sessions: [{ externalId: 'pid-1' }],
      }).expect(200);
      const open = await mine('/sessions?status=active');
      expect(open.body.items.map((s: any) => s.externalId).sort()).toEqual(
        ['Pid-1', 'pid-e', 'pid-é'].sort(),
      );
    });

    it('pages on by a name in any script', async () => {
      for (const [index, name] of ['Ärzte', 'Zürich', '東京'].entries()) {
        await start(`p-${index}`, name).expect(200);
      }
      const first = await mine('/sessions?sort=resourceName&order=asc&limit=2');
      const second = await mine(
        `/sessions?sort=resourceName&order=asc&limit=2&cursor=${first.body.nextCursor}`,
      );
      expect(second.status).toBe(200);
      expect(
        [...first.body.items, ...second.body.items]
          .map((s: any) => s.resourceName)
          .sort(),
      ).toEqual(['Zürich', 'Ärzte', '東京'].sort());
    });

    it.each([
      ['a NUL in a search', '/sessions?q=a%00b', 'query.q'],
      ['a NUL in a people search', '/people?q=%00', 'query.q'],
      [
        'a cursor whose start is 1.5',
        `/sessions?cursor=${cursor(['startedAt', 'desc', 1.5, '00000000-0000-4000-8000-000000000001'])}`,
        'query.cursor',
      ],
      [
        'a cursor whose start is 1e300',
        `/grants?sort=startsAt&cursor=${cursor(['startsAt', 'asc', 1e300, '00000000-0000-4000-8000-000000000001'])}`,
        'query.cursor',
      ],
      [
        'a cursor whose row id is not an id',
        `/sessions?cursor=${cursor(['startedAt', 'desc', 5, 'x\u0000'])}`,
        'query.cursor',
      ],
      [
        'a cursor whose name is 300 characters',
        `/sessions?sort=resourceName&cursor=${cursor(['resourceName', 'desc', 'n'.repeat(300), '00000000-0000-4000-8000-000000000001'])}`,
        'query.cursor',
      ],
      ['a junk parameter on a route that takes none', '/settings?x=1', 'query'],
    ])('answers %s with a 400 naming the field', async (_, path, field) => {
      const res = await request(server)
        .get(`/api/sessions${path}`)
        .set('Authorization', as(ADMIN));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
    });

    it('refuses a connector batch naming the offending field, and stores nothing', async () => {
      const longRef = `user:default/${'a'.repeat(243)}`;
      const cases: Array<[object, string]> = [
        [
          {
            source: 'bastion',
            sessions: [
              {
                externalId: 'x',
                userRef: JANE,
                resourceName: 'db\u00001',
                resourceType: 'ssh',
              },
            ],
          },
          'body.sessions.0.resourceName',
        ],
        [
          {
            source: 'bastion',
            sessions: [
              {
                externalId: 'x',
                userRef: longRef,
                resourceName: 'db',
                resourceType: 'ssh',
              },
            ],
          },
          'body.sessions.0.userRef',
        ],
        [
          {
            source: 'bastion',
            sessions: [
              {
                externalId: 'x',
                userRef: JANE,
                resourceName: 'db',
                resourceType: 'ssh',
                startedAt: '0001-01-01T00:00:00Z',
              },
            ],
          },
          'body.sessions.0.startedAt',
        ],
      ];
      for (const [body, field] of cases) {
        const res = await connector('sessions/start', body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
      }
      expect((await mine('/sessions')).body.items).toEqual([]);
    });

    it('takes a grant for up to 366 days, not longer', async () => {
      await grant('year', inDays(365)).expect(200);
      const forever = await grant('forever', '9999-12-31T00:00:00Z');
      const twoYears = await grant('two-years', inDays(367));
      expect(forever.status).toBe(400);
      expect(forever.body.error.message).toContain('grants.0.expiresAt');
      expect(twoYears.status).toBe(400);
      expect(twoYears.body.error.message).toContain('grants.0.expiresAt');
      expect(
        (await mine('/grants')).body.items.map((g: any) => g.externalId),
      ).toEqual(['year']);
    });

    it('refuses two acknowledgements of one order, and records neither', async () => {
      await start('a-1', 'db').expect(200);
      const [session] = (await mine('/sessions')).body.items;
      await request(server)
        .post(`/api/sessions/sessions/${session.id}/end`)
        .set('Authorization', as(JANE))
        .expect(200);
      const feed = await request(server)
        .get('/api/sessions/connector/commands?source=bastion')
        .set('Authorization', CONNECTOR);
      const [order] = feed.body.commands;
      const twice = await connector('commands/ack', {
        source: 'bastion',
        acks: [
          { id: order.id, outcome: 'done' },
          { id: order.id, outcome: 'failed', message: 'no' },
        ],
      });
      expect(twice.status).toBe(400);
      expect(twice.body.error.message).toContain('body.acks.1.id');
      const after = await mine(`/sessions/${session.id}`);
      expect(after.body).toMatchObject({
        status: 'terminating',
        cutFailure: null,
      });
    });

    it('keeps the first 1,000 characters of a long failure message', async () => {
      await start('m-1', 'db').expect(200);
      const [session] = (await mine('/sessions')).body.items;
      await request(server)
        .post(`/api/sessions/sessions/${session.id}/end`)
        .set('Authorization', as(JANE))
        .expect(200);
      const feed = await request(server)
        .get('/api/sessions/connector/commands?source=bastion')
        .set('Authorization', CONNECTOR);
      // 13 + 986 characters, then an emoji as the 1,000th and another after.
      const kept = `kill failed:\n${'東'.repeat(986)}🚀`;
      const message = `${kept}🚀${'x'.repeat(500)}`;
      await connector('commands/ack', {
        source: 'bastion',
        acks: [{ id: feed.body.commands[0].id, outcome: 'failed', message }],
      }).expect(200);
      const after = await mine(`/sessions/${session.id}`);
      expect(after.body.cutFailure).toBe(kept);
      expect([...after.body.cutFailure]).toHaveLength(1000);
    });
  });
});
