import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { sessionsPlugin } from '../plugin';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';

jest.setTimeout(60_000);

const ADMIN = 'user:default/admin';
const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const as = (userRef: string) => `Bearer ${mockCredentials.user.token(userRef)}`;
const CONNECTOR = `Bearer ${mockCredentials.service.token()}`;
const HOUR = 3_600_000;

describe('offboarding', () => {
  let app: any;

  const connector = (path: string, body: object) =>
    request(app)
      .post(`/api/sessions/connector/${path}`)
      .set('Authorization', CONNECTOR)
      .send(body);
  const startSessions = (items: Array<[string, string, string]>) =>
    connector('sessions/start', {
      source: 'bastion',
      sessions: items.map(([externalId, userRef, resourceName]) => ({
        externalId,
        userRef,
        resourceName,
        resourceType: 'ssh',
      })),
    });
  const reportGrants = (items: Array<[string, string, string]>) =>
    connector('grants/report', {
      source: 'priv-broker',
      grants: items.map(([externalId, userRef, kind]) => ({
        externalId,
        kind,
        userRef,
        target: `target-${externalId}`,
        targetType: 'device',
        expiresAt: new Date(Date.now() + HOUR).toISOString(),
      })),
    });
  const asUser = (
    userRef: string,
    method: 'get' | 'post' | 'delete',
    path: string,
  ) =>
    request(app)
      [method](`/api/sessions${path}`)
      .set('Authorization', as(userRef));
  const openOf = async (userRef: string) =>
    (await asUser(ADMIN, 'get', `/sessions?status=active,idle&user=${userRef}`))
      .body.items as any[];
  const activeGrantsOf = async (userRef: string) =>
    (await asUser(ADMIN, 'get', `/grants?status=active&user=${userRef}`)).body
      .items as any[];

  beforeEach(async () => {
    const backend = await startTestBackend({
      features: [
        sessionsPlugin,
        policyPermissionsFactory(new ActiveSessionsTestPolicy(ADMIN)),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    app = backend.server;
    await startSessions([
      ['j1', JANE, 'db-1'],
      ['j2', JANE, 'db-1'],
      ['j3', JANE, 'web-1'],
      ['b1', BOB, 'db-1'],
    ]).expect(200);
    await reportGrants([
      ['g1', JANE, 'device_admin'],
      ['g2', JANE, 'timed_access'],
      ['g3', BOB, 'device_admin'],
    ]).expect(200);
  });

  it('lists people with what they hold, searching by entity ref', async () => {
    const all = await asUser(ADMIN, 'get', '/people');
    expect(all.body.items).toEqual([
      { userRef: BOB, openSessions: 1, activeGrants: 1, locked: false },
      { userRef: JANE, openSessions: 3, activeGrants: 2, locked: false },
    ]);
    const found = await asUser(ADMIN, 'get', '/people?q=JAN');
    expect(found.body.items.map((p: any) => p.userRef)).toEqual([JANE]);
    expect((await asUser(JANE, 'get', '/people')).status).toBe(403);
    expect(
      (await asUser(ADMIN, 'get', '/people?limit=0')).body.error.message,
    ).toContain('query.limit');
  });

  it('previews what would be cut: sessions by resource, grants by kind', async () => {
    const res = await asUser(ADMIN, 'post', '/offboard/preview').send({
      users: [JANE],
    });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        userRef: JANE,
        locked: false,
        sessions: [
          { resourceName: 'db-1', resourceType: 'ssh', count: 2 },
          { resourceName: 'web-1', resourceType: 'ssh', count: 1 },
        ],
        grants: [
          { kind: 'device_admin', count: 1 },
          { kind: 'timed_access', count: 1 },
        ],
      },
    ]);
    // A preview changes nothing.
    expect(await openOf(JANE)).toHaveLength(3);
  });

  it('ends everything a leaver holds, orders every cut, and locks them against new access until lifted', async () => {
    const res = await asUser(ADMIN, 'post', '/offboard').send({
      users: [JANE],
    });

    expect(res.status).toBe(200);
    const [result] = res.body.results;
    expect(result).toMatchObject({
      userRef: JANE,
      locked: true,
      notAllowed: { sessions: 0, grants: 0 },
    });
    expect(result.endedSessions).toHaveLength(3);
    expect(result.revokedGrants.map((g: any) => g.kind).sort()).toEqual([
      'device_admin',
      'timed_access',
    ]);
    expect(await openOf(JANE)).toEqual([]);
    expect(await activeGrantsOf(JANE)).toEqual([]);
    expect(await openOf(BOB)).toHaveLength(1);
    expect(await activeGrantsOf(BOB)).toHaveLength(1);
    // Every cut is an order for the connector, with reason offboarding.
    const feed = async (source: string) =>
      (
        await request(app)
          .get(`/api/sessions/connector/commands?source=${source}&after=0`)
          .set('Authorization', CONNECTOR)
      ).body.commands as any[];
    expect((await feed('bastion')).map(c => [c.externalId, c.reason])).toEqual(
      expect.arrayContaining([
        ['j1', 'offboarding'],
        ['j2', 'offboarding'],
        ['j3', 'offboarding'],
      ]),
    );
    expect((await feed('priv-broker')).map(c => c.externalId).sort()).toEqual([
      'g1',
      'g2',
    ]);

    // Locked: new sessions and grants are refused, others still come in.
    const started = await startSessions([
      ['j9', JANE, 'db-2'],
      ['b9', BOB, 'db-2'],
    ]);
    expect(started.body).toMatchObject({ accepted: 1, refused: ['j9'] });
    const granted = await reportGrants([['g9', JANE, 'device_admin']]);
    expect(granted.body).toMatchObject({ accepted: 0, refused: ['g9'] });
    expect(await openOf(JANE)).toEqual([]);
    expect(await activeGrantsOf(JANE)).toEqual([]);
    expect(
      (await asUser(ADMIN, 'get', '/locks')).body.items.map((l: any) => [
        l.userRef,
        l.lockedBy,
      ]),
    ).toEqual([[JANE, ADMIN]]);

    // Lifted by an admin: Jane can come back.
    await asUser(ADMIN, 'delete', `/locks/${encodeURIComponent(JANE)}`).expect(
      204,
    );
    expect((await startSessions([['j10', JANE, 'db-2']])).body).toMatchObject({
      accepted: 1,
      refused: [],
    });
  });

  it('refuses people without the offboard permission, cutting and locking nothing', async () => {
    for (const path of ['/offboard/preview', '/offboard']) {
      const res = await asUser(JANE, 'post', path).send({ users: [BOB] });
      expect(res.status).toBe(403);
    }
    expect(
      (await asUser(JANE, 'delete', `/locks/${encodeURIComponent(BOB)}`))
        .status,
    ).toBe(403);
    expect(await openOf(BOB)).toHaveLength(1);
    expect((await asUser(ADMIN, 'get', '/locks')).body.items).toEqual([]);
  });

  it('answers bad input with a 400 naming the field', async () => {
    const res = await asUser(ADMIN, 'post', '/offboard').send({
      users: ['not a ref'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('body.users.0');
    expect(await openOf(JANE)).toHaveLength(3);
  });
});
