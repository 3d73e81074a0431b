import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { MAX_BATCH_SIZE } from '@active-sessions/plugin-sessions-common';
import request from 'supertest';
import {
  createSessionConditionalDecision,
  sessionConditions,
} from '@active-sessions/plugin-sessions-node';
import { sessionsPlugin } from '../plugin';
import { CONNECTOR, as } from '../__testUtils__/credentials';
import { testConfigFactory } from '../__testUtils__/connectorSources';

jest.setTimeout(30_000);

const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const ADMIN = 'user:default/admin';

/** Admin may do anything; everyone else sees and ends their own sessions. */
const testPolicy: PermissionPolicy = {
  async handle(req, user) {
    if (!isResourcePermission(req.permission, 'session')) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (user?.info.userEntityRef === ADMIN) {
      return { result: AuthorizeResult.ALLOW };
    }
    return createSessionConditionalDecision(
      req.permission,
      sessionConditions.isSessionOwner({
        claims: user?.info.ownershipEntityRefs ?? [],
      }),
    );
  },
};

function start(externalId: string, userRef: string, extra: object = {}) {
  return {
    externalId,
    userRef,
    resourceName: `host-${externalId}`,
    resourceType: 'ssh',
    ipAddress: '192.0.2.10',
    device: 'laptop',
    ...extra,
  };
}

describe('sessions API', () => {
  let app: any;

  beforeEach(async () => {
    const backend = await startTestBackend({
      features: [
        sessionsPlugin,
        testConfigFactory(),
        policyPermissionsFactory(testPolicy),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    app = backend.server;
  });

  const ingest = (path: string, body: object) =>
    request(app)
      .post(`/api/sessions/connector/sessions/${path}`)
      .set('Authorization', CONNECTOR)
      .send(body);

  const listOf = async (userRef: string, query = '') => {
    const res = await request(app)
      .get(`/api/sessions/sessions${query}`)
      .set('Authorization', as(userRef));
    expect(res.body).not.toHaveProperty('error');
    return res.body;
  };

  async function seed() {
    const res = await ingest('start', {
      source: 'bastion',
      sessions: [start('j1', JANE), start('j2', JANE), start('b1', BOB)],
    });
    expect(res.status).toBe(200);
    const jane = (await listOf(JANE)).items;
    const bob = (await listOf(BOB)).items;
    return { jane, bob };
  }

  describe('credentials', () => {
    it('answers 401 without credentials', async () => {
      const list = await request(app).get('/api/sessions/sessions');
      const connector = await ingest('start', {}).set('Authorization', '');
      expect(list.status).toBe(401);
      expect(connector.status).toBe(401);
    });

    it('refuses service credentials on user routes', async () => {
      const res = await request(app)
        .get('/api/sessions/sessions')
        .set('Authorization', CONNECTOR);
      expect(res.status).toBe(403);
    });

    it('refuses users on connector routes and writes nothing', async () => {
      const res = await request(app)
        .post('/api/sessions/connector/sessions/start')
        .set('Authorization', as(JANE))
        .send({ source: 'bastion', sessions: [start('x1', JANE)] });
      expect(res.status).toBe(403);
      expect((await listOf(JANE)).items).toEqual([]);
    });

    it('lets the health check through without credentials', async () => {
      const res = await request(app).get('/api/sessions/health');
      expect(res.status).toBe(200);
    });
  });

  describe('ingest', () => {
    it('looks up where a session comes from once, unless its connector said', async () => {
      await ingest('start', {
        source: 'bastion',
        sessions: [
          start('public', JANE, { ipAddress: '81.2.69.160' }),
          start('office', JANE, { ipAddress: '10.20.0.7' }),
          start('told', JANE, { ipAddress: '8.8.8.8', location: 'Berlin, DE' }),
          start('no-address', JANE, { ipAddress: undefined }),
        ],
      }).expect(200);
      const byId = Object.fromEntries(
        (await listOf(JANE)).items.map((s: any) => [s.externalId, s.location]),
      );
      expect(byId).toEqual({
        public: 'United Kingdom',
        office: 'Private network',
        told: 'Berlin, DE',
        'no-address': null,
      });
    });

    it('makes one session of the same start ingested twice', async () => {
      const body = { source: 'bastion', sessions: [start('pid-7', JANE)] };
      const first = await ingest('start', body);
      const second = await ingest('start', body);
      expect(first.body).toEqual({
        accepted: 1,
        unknown: [],
        ended: [],
        refused: [],
        overLimit: [],
      });
      expect(second.body).toEqual({
        accepted: 0,
        unknown: [],
        ended: [],
        refused: [],
        overLimit: [],
      });
      const { items } = await listOf(JANE);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        source: 'bastion',
        externalId: 'pid-7',
        status: 'active',
        ipAddress: '192.0.2.10',
      });
    });

    it('reports activity for unknown and ended sessions back to the connector', async () => {
      await seed();
      await ingest('end', {
        source: 'bastion',
        sessions: [{ externalId: 'j2' }],
      });
      const res = await ingest('activity', {
        source: 'bastion',
        activity: [
          { externalId: 'j1' },
          { externalId: 'j2' },
          { externalId: 'nope' },
        ],
      });
      expect(res.body).toEqual({
        accepted: 1,
        unknown: ['nope'],
        ended: ['j2'],
      });
    });

    it('ends sessions the connector closed, with reason connector', async () => {
      await seed();
      const res = await ingest('end', {
        source: 'bastion',
        sessions: [{ externalId: 'j1' }],
      });
      expect(res.body.accepted).toBe(1);
      const { items } = await listOf(JANE, '?status=disconnected');
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        externalId: 'j1',
        endReason: 'connector',
        endedBy: 'connector:bastion',
      });
    });

    it.each([
      [{ source: 'bastion' }, 'body.sessions'],
      [
        { source: 'bastion', sessions: [start('a', 'jane')] },
        'body.sessions.0.userRef',
      ],
      [
        {
          source: 'bastion',
          sessions: [start('a', JANE, { resourceType: 'telnet' })],
        },
        'body.sessions.0.resourceType',
      ],
      [
        {
          source: 'bastion',
          sessions: Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) =>
            start(`s${i}`, JANE),
          ),
        },
        'body.sessions',
      ],
      [
        {
          source: 'bastion',
          sessions: [start('dup', JANE), start('dup', JANE)],
        },
        'sessions.1.externalId',
      ],
      [
        {
          source: 'bastion',
          sessions: [
            start('future', JANE, { startedAt: '2999-01-01T00:00:00Z' }),
          ],
        },
        'sessions.0.startedAt',
      ],
    ])(
      'refuses a bad start batch naming the field (%#)',
      async (body, field) => {
        const res = await ingest('start', body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
        expect((await listOf(JANE)).items).toEqual([]);
      },
    );

    it('refuses a body that is not JSON', async () => {
      const res = await request(app)
        .post('/api/sessions/connector/sessions/start')
        .set('Authorization', CONNECTOR)
        .set('Content-Type', 'application/json')
        .send('{"source": "bastion", "sessions": [');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/JSON/);
    });
  });

  describe('user routes', () => {
    it('lists only the caller own sessions', async () => {
      const { jane, bob } = await seed();
      expect(jane.map((s: any) => s.externalId).sort()).toEqual(['j1', 'j2']);
      expect(bob.map((s: any) => s.externalId)).toEqual(['b1']);
    });

    it('shows another user sessions only to whom the policy allows', async () => {
      await seed();
      const janeAsksForBob = await listOf(JANE, `?user=${BOB}`);
      const adminAsksForBob = await listOf(ADMIN, `?user=${BOB}`);
      expect(janeAsksForBob.items).toEqual([]);
      expect(adminAsksForBob.items.map((s: any) => s.externalId)).toEqual([
        'b1',
      ]);
    });

    it("lists and counts everyone's sessions with all=true, as far as the policy allows", async () => {
      await seed();
      const stats = (userRef: string, query: string) =>
        request(app)
          .get(`/api/sessions/sessions/stats${query}`)
          .set('Authorization', as(userRef));
      const everyone = await listOf(ADMIN, '?all=true');
      expect(everyone.items.map((s: any) => s.externalId).sort()).toEqual([
        'b1',
        'j1',
        'j2',
      ]);
      expect((await stats(ADMIN, '?all=true')).body).toMatchObject({
        active: 3,
        idle: 0,
      });
      // Jane's "everyone" is herself.
      expect(
        (await listOf(JANE, '?all=true')).items
          .map((s: any) => s.externalId)
          .sort(),
      ).toEqual(['j1', 'j2']);
      expect((await stats(JANE, '?all=true')).body).toMatchObject({
        active: 2,
      });
      const both = await stats(ADMIN, `?all=true&user=${BOB}`);
      expect(both.status).toBe(400);
      expect(both.body.error.message).toContain('query.all');
    });

    it('neither reads nor ends another user session, and nothing changes', async () => {
      const { bob } = await seed();
      const id = bob[0].id;
      const read = await request(app)
        .get(`/api/sessions/sessions/${id}`)
        .set('Authorization', as(JANE));
      const end = await request(app)
        .post(`/api/sessions/sessions/${id}/end`)
        .set('Authorization', as(JANE));
      expect(read.status).toBe(404);
      expect(end.status).toBe(404);
      expect((await listOf(BOB)).items[0].status).toBe('active');
    });

    it('ends one of my sessions, and an admin ends anyone', async () => {
      const { jane, bob } = await seed();
      const mine = await request(app)
        .post(`/api/sessions/sessions/${jane[0].id}/end`)
        .set('Authorization', as(JANE));
      const admins = await request(app)
        .post(`/api/sessions/sessions/${bob[0].id}/end`)
        .set('Authorization', as(ADMIN));
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({
        status: 'terminating',
        endReason: 'user',
        endedBy: JANE,
      });
      expect(admins.body).toMatchObject({
        status: 'terminating',
        endReason: 'admin',
        endedBy: ADMIN,
      });
      const again = await request(app)
        .post(`/api/sessions/sessions/${jane[0].id}/end`)
        .set('Authorization', as(JANE));
      expect(again.body.endedAt).toBe(mine.body.endedAt);
    });

    it('ends all but one, and stats follow', async () => {
      const { jane } = await seed();
      const keep = jane[0].id;
      const res = await request(app)
        .post('/api/sessions/sessions/end-all')
        .set('Authorization', as(JANE))
        .send({ exceptId: keep });
      expect(res.body.ended).toEqual([jane[1].id]);
      const stats = await request(app)
        .get('/api/sessions/sessions/stats')
        .set('Authorization', as(JANE));
      expect(stats.body).toMatchObject({ active: 1, idle: 0 });
      expect(stats.body.totalOpenDurationMs).toBeGreaterThanOrEqual(0);
      expect((await listOf(BOB)).items[0].status).toBe('active');
    });

    it('pages with a cursor', async () => {
      await ingest('start', {
        source: 'bastion',
        sessions: Array.from({ length: 5 }, (_, i) =>
          start(`p${i}`, JANE, { startedAt: `2026-01-01T10:0${i}:00Z` }),
        ),
      });
      const first = await listOf(JANE, '?limit=2&sort=startedAt&order=asc');
      const second = await listOf(
        JANE,
        `?limit=2&sort=startedAt&order=asc&cursor=${first.nextCursor}`,
      );
      const third = await listOf(
        JANE,
        `?limit=2&sort=startedAt&order=asc&cursor=${second.nextCursor}`,
      );
      expect(
        [...first.items, ...second.items, ...third.items].map(
          s => s.externalId,
        ),
      ).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
      expect(third.nextCursor).toBeUndefined();
    });

    it.each([
      ['?status=sleeping', 'query.status'],
      ['?limit=0', 'query.limit'],
      ['?limit=1000000', 'query.limit'],
      ['?cursor=not-a-cursor', 'cursor'],
      ['?sort=endedAt', 'sort'],
      ['?colour=blue', 'colour'],
    ])('answers %s with 400 naming %s', async (query, field) => {
      const res = await request(app)
        .get(`/api/sessions/sessions${query}`)
        .set('Authorization', as(JANE));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
    });

    it('answers a malformed id with 400 and an unknown one with 404', async () => {
      const bad = await request(app)
        .post('/api/sessions/sessions/123/end')
        .set('Authorization', as(JANE));
      const unknown = await request(app)
        .get('/api/sessions/sessions/00000000-0000-4000-8000-000000000000')
        .set('Authorization', as(JANE));
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('params.id');
      expect(unknown.status).toBe(404);
    });

    it('refuses an unknown field in end-all and ends nothing', async () => {
      await seed();
      const res = await request(app)
        .post('/api/sessions/sessions/end-all')
        .set('Authorization', as(JANE))
        .send({ except: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('except');
      const { items } = await listOf(JANE, '?status=active');
      expect(items).toHaveLength(2);
    });
  });
});
