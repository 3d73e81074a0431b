import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { sessionsPlugin } from '../plugin';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { CONNECTOR, as } from '../__testUtils__/credentials';
import { testConfigFactory } from '../__testUtils__/connectorSources';

jest.setTimeout(30_000);

const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const ADMIN = 'user:default/admin';
const inHours = (h: number) =>
  new Date(Date.now() + h * 3_600_000).toISOString();

function grant(externalId: string, userRef: string, extra: object = {}) {
  return {
    externalId,
    kind: 'timed_access',
    userRef,
    target: `resource-${externalId}`,
    targetType: 'database',
    grantedBy: 'access-request #1',
    expiresAt: inHours(2),
    ...extra,
  };
}

describe('grants API', () => {
  let app: any;

  beforeEach(async () => {
    const backend = await startTestBackend({
      features: [
        sessionsPlugin,
        testConfigFactory(),
        policyPermissionsFactory(new ActiveSessionsTestPolicy(ADMIN)),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    app = backend.server;
  });

  const report = (body: object) =>
    request(app)
      .post('/api/sessions/connector/grants/report')
      .set('Authorization', CONNECTOR)
      .send(body);

  const grantsOf = async (userRef: string, query = '') => {
    const res = await request(app)
      .get(`/api/sessions/grants${query}`)
      .set('Authorization', as(userRef));
    expect(res.body).not.toHaveProperty('error');
    return res.body.items as any[];
  };

  async function seed() {
    const res = await report({
      source: 'access-requests',
      grants: [
        grant('j1', JANE),
        grant('j2', JANE, { kind: 'device_admin', targetType: 'device' }),
        grant('b1', BOB),
      ],
    });
    expect(res.body).toEqual({
      accepted: 3,
      unknown: [],
      ended: [],
      refused: [],
    });
    const byExternalId = new Map<string, string>();
    for (const g of await grantsOf(ADMIN, '?all=true')) {
      byExternalId.set(g.externalId, g.id);
    }
    return byExternalId;
  }

  it('lists my own grants by default, and everyone only for whom the policy allows', async () => {
    await seed();
    expect((await grantsOf(JANE)).map(g => g.externalId).sort()).toEqual([
      'j1',
      'j2',
    ]);
    expect(
      (await grantsOf(JANE, '?kind=device_admin')).map(g => g.externalId),
    ).toEqual(['j2']);
    expect(
      (await grantsOf(JANE, '?all=true')).map(g => g.externalId).sort(),
    ).toEqual(['j1', 'j2']);
    expect(
      (await grantsOf(ADMIN, '?all=true')).map(g => g.externalId).sort(),
    ).toEqual(['b1', 'j1', 'j2']);
  });

  it("counts my grants in force per kind and those being revoked, nobody else's", async () => {
    const ids = await seed();
    await request(app)
      .post(`/api/sessions/grants/${ids.get('j1')}/revoke`)
      .set('Authorization', as(JANE))
      .expect(200);
    const stats = (userRef: string, query = '') =>
      request(app)
        .get(`/api/sessions/grants/stats${query}`)
        .set('Authorization', as(userRef));

    // Jane as her identity provider may spell her.
    expect((await stats('user:default/Jane')).body).toEqual({
      deviceAdmin: 1,
      timedAccess: 0,
      revoking: 1,
    });
    // The admin may read everyone's grants, but holds none.
    expect((await stats(ADMIN)).body).toEqual({
      deviceAdmin: 0,
      timedAccess: 0,
      revoking: 0,
    });
    expect((await stats(JANE, '?all=true')).status).toBe(400);
    await request(app).get('/api/sessions/grants/stats').expect(401);
  });

  it('does not let a user revoke another user grant, and nothing changes', async () => {
    const ids = await seed();
    const res = await request(app)
      .post(`/api/sessions/grants/${ids.get('b1')}/revoke`)
      .set('Authorization', as(JANE));
    expect(res.status).toBe(404);
    expect((await grantsOf(BOB))[0].status).toBe('active');
  });

  it('answers a bulk revoke with mixed ids one outcome per id, changing only what it may', async () => {
    const ids = await seed();
    const unknownId = '00000000-0000-4000-8000-00000000abcd';
    // j2 is already over: given back before the bulk call.
    await request(app)
      .post(`/api/sessions/grants/${ids.get('j2')}/give-back`)
      .set('Authorization', as(JANE))
      .expect(200);

    const res = await request(app)
      .post('/api/sessions/grants/revoke')
      .set('Authorization', as(JANE))
      .send({ ids: [ids.get('j1'), ids.get('j2'), ids.get('b1'), unknownId] });

    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: ids.get('j1'), outcome: 'revoked' },
      { id: ids.get('j2'), outcome: 'already_ended' },
      // Bob's grant is invisible to Jane: not found, not "denied".
      { id: ids.get('b1'), outcome: 'not_found' },
      { id: unknownId, outcome: 'not_found' },
    ]);
    expect((await grantsOf(BOB))[0].status).toBe('active');
    const janes = await grantsOf(JANE);
    expect(janes.find(g => g.externalId === 'j1')).toMatchObject({
      status: 'revoking',
      revokedBy: JANE,
      revokeReason: 'revoked',
    });
  });

  it('reports denied for grants a caller may read but not revoke', async () => {
    const readOnlyApp = await startTestBackend({
      features: [
        sessionsPlugin,
        testConfigFactory(),
        policyPermissionsFactory(
          new ActiveSessionsTestPolicy(ADMIN, { readOnly: [JANE] }),
        ),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    await request(readOnlyApp.server)
      .post('/api/sessions/connector/grants/report')
      .set('Authorization', CONNECTOR)
      .send({ source: 'access-requests', grants: [grant('j9', JANE)] })
      .expect(200);
    const list = await request(readOnlyApp.server)
      .get('/api/sessions/grants')
      .set('Authorization', as(JANE));
    const id = list.body.items[0].id;
    const res = await request(readOnlyApp.server)
      .post('/api/sessions/grants/revoke')
      .set('Authorization', as(JANE))
      .send({ ids: [id] });
    expect(res.body.results).toEqual([{ id, outcome: 'denied' }]);
    const one = await request(readOnlyApp.server)
      .post(`/api/sessions/grants/${id}/revoke`)
      .set('Authorization', as(JANE));
    expect(one.status).toBe(403);
  });

  it('lets an admin revoke anyone and a holder give their own back, but not someone else', async () => {
    const ids = await seed();
    const admin = await request(app)
      .post(`/api/sessions/grants/${ids.get('b1')}/revoke`)
      .set('Authorization', as(ADMIN));
    expect(admin.body).toMatchObject({ status: 'revoking', revokedBy: ADMIN });

    const adminGivesBack = await request(app)
      .post(`/api/sessions/grants/${ids.get('j1')}/give-back`)
      .set('Authorization', as(ADMIN));
    expect(adminGivesBack.status).toBe(403);

    const mine = await request(app)
      .post(`/api/sessions/grants/${ids.get('j1')}/give-back`)
      .set('Authorization', as(JANE));
    expect(mine.body).toMatchObject({
      status: 'revoking',
      revokeReason: 'given_back',
    });
  });

  it('tells the connector which grants are over, and ends grants at the source', async () => {
    await seed();
    const end = await request(app)
      .post('/api/sessions/connector/grants/end')
      .set('Authorization', CONNECTOR)
      .send({
        source: 'access-requests',
        grants: [{ externalId: 'j1' }, { externalId: 'zz' }],
      });
    expect(end.body).toEqual({ accepted: 1, unknown: ['zz'], ended: [] });
    const again = await report({
      source: 'access-requests',
      grants: [grant('j1', JANE)],
    });
    expect(again.body).toEqual({
      accepted: 0,
      unknown: [],
      ended: ['j1'],
      refused: [],
    });
    const janes = await grantsOf(JANE, '?status=revoked');
    expect(janes[0]).toMatchObject({
      externalId: 'j1',
      revokeReason: 'ended_at_source',
    });
  });

  it.each([
    ['/grants?kind=root', 'query.kind'],
    ['/grants?limit=0', 'query.limit'],
    ['/grants?all=true&user=user:default/bob', 'query.all'],
    ['/grants?cursor=abc', 'cursor'],
  ])('answers GET %s with 400 naming %s', async (path, field) => {
    const res = await request(app)
      .get(`/api/sessions${path}`)
      .set('Authorization', as(JANE));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });

  it.each([
    [{ ids: [] }, 'body.ids'],
    [{ ids: ['x'] }, 'body.ids.0'],
    [
      {
        ids: Array.from(
          { length: 101 },
          () => '00000000-0000-4000-8000-000000000001',
        ),
      },
      'body.ids',
    ],
  ])('refuses a bad bulk revoke naming the field (%#)', async (body, field) => {
    const res = await request(app)
      .post('/api/sessions/grants/revoke')
      .set('Authorization', as(JANE))
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });

  it.each([
    [
      {
        source: 'access-requests',
        grants: [grant('a', JANE, { kind: 'root' })],
      },
      'body.grants.0.kind',
    ],
    [
      {
        source: 'access-requests',
        grants: [grant('a', JANE, { expiresAt: undefined })],
      },
      'body.grants.0.expiresAt',
    ],
    [
      {
        source: 'access-requests',
        grants: [
          grant('a', JANE, { startsAt: inHours(-1), expiresAt: inHours(-2) }),
        ],
      },
      'grants.0.expiresAt must be after startsAt',
    ],
  ])(
    'refuses a bad grant report naming the field and stores nothing (%#)',
    async (body, field) => {
      const res = await report(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
      expect(await grantsOf(JANE)).toEqual([]);
    },
  );

  it('refuses users on the grant connector routes and services on user routes', async () => {
    const asUser = await request(app)
      .post('/api/sessions/connector/grants/report')
      .set('Authorization', as(JANE))
      .send({ source: 'access-requests', grants: [grant('x', JANE)] });
    const asService = await request(app)
      .get('/api/sessions/grants')
      .set('Authorization', CONNECTOR);
    expect(asUser.status).toBe(403);
    expect(asService.status).toBe(403);
  });
});
