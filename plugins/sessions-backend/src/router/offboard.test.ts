import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { sessionsPlugin } from '../plugin';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { offboardClient } from '../__testUtils__/offboardClient';
import { testConfigFactory } from '../__testUtils__/connectorSources';

jest.setTimeout(60_000);

const ADMIN = 'user:default/admin';
const JANE = 'user:default/jane';
const BOB = 'user:default/bob';

describe('offboarding', () => {
  let app: any;
  let client: ReturnType<typeof offboardClient>;

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
    client = offboardClient(app);
    await client
      .startSessions([
        ['j1', JANE, 'db-1'],
        ['j2', JANE, 'db-1'],
        ['j3', JANE, 'web-1'],
        ['b1', BOB, 'db-1'],
      ])
      .expect(200);
    await client
      .reportGrants([
        ['g1', JANE, 'device_admin'],
        ['g2', JANE, 'timed_access'],
        ['g3', BOB, 'device_admin'],
      ])
      .expect(200);
  });

  it('lists people with what they hold, searching by entity ref', async () => {
    const all = await client.asUser(ADMIN, 'get', '/people');
    expect(all.body.items).toEqual([
      {
        userRef: BOB,
        openSessions: 1,
        activeGrants: 1,
        locked: false,
        mayOffboard: true,
      },
      {
        userRef: JANE,
        openSessions: 3,
        activeGrants: 2,
        locked: false,
        mayOffboard: true,
      },
    ]);
    const found = await client.asUser(ADMIN, 'get', '/people?q=JAN');
    expect(found.body.items.map((p: any) => p.userRef)).toEqual([JANE]);
    expect((await client.asUser(JANE, 'get', '/people')).status).toBe(403);
    expect(
      (await client.asUser(ADMIN, 'get', '/people?limit=0')).body.error.message,
    ).toContain('query.limit');
  });

  it('previews what would be cut: sessions by resource, grants by kind', async () => {
    const res = await client.asUser(ADMIN, 'post', '/offboard/preview').send({
      users: [JANE],
    });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        userRef: JANE,
        locked: false,
        mayOffboard: true,
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
    expect(await client.openOf(JANE, ADMIN)).toHaveLength(3);
  });

  it('ends everything a leaver holds, orders every cut, and locks them against new access until lifted', async () => {
    const res = await client.asUser(ADMIN, 'post', '/offboard').send({
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
    expect(await client.openOf(JANE, ADMIN)).toEqual([]);
    expect(await client.activeGrantsOf(JANE, ADMIN)).toEqual([]);
    expect(await client.openOf(BOB, ADMIN)).toHaveLength(1);
    expect(await client.activeGrantsOf(BOB, ADMIN)).toHaveLength(1);
    // Every cut is an order for the connector, with reason offboarding.
    const { feed } = client;
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
    const started = await client.startSessions([
      ['j9', JANE, 'db-2'],
      ['b9', BOB, 'db-2'],
    ]);
    expect(started.body).toMatchObject({ accepted: 1, refused: ['j9'] });
    const granted = await client.reportGrants([['g9', JANE, 'device_admin']]);
    expect(granted.body).toMatchObject({ accepted: 0, refused: ['g9'] });
    expect(await client.openOf(JANE, ADMIN)).toEqual([]);
    expect(await client.activeGrantsOf(JANE, ADMIN)).toEqual([]);
    expect(
      (await client.asUser(ADMIN, 'get', '/locks')).body.items.map((l: any) => [
        l.userRef,
        l.lockedBy,
      ]),
    ).toEqual([[JANE, ADMIN]]);

    // Lifted by an admin: Jane can come back.
    await client
      .asUser(ADMIN, 'delete', `/locks/${encodeURIComponent(JANE)}`)
      .expect(204);
    expect(
      (await client.startSessions([['j10', JANE, 'db-2']])).body,
    ).toMatchObject({
      accepted: 1,
      refused: [],
    });
  });

  it('refuses people without the offboard permission, cutting and locking nothing', async () => {
    for (const path of ['/offboard/preview', '/offboard']) {
      const res = await client
        .asUser(JANE, 'post', path)
        .send({ users: [BOB] });
      expect(res.status).toBe(403);
    }
    expect(
      (await client.asUser(JANE, 'delete', `/locks/${encodeURIComponent(BOB)}`))
        .status,
    ).toBe(403);
    expect(await client.openOf(BOB, ADMIN)).toHaveLength(1);
    expect((await client.asUser(ADMIN, 'get', '/locks')).body.items).toEqual(
      [],
    );
  });

  it('answers bad input with a 400 naming the field', async () => {
    const res = await client.asUser(ADMIN, 'post', '/offboard').send({
      users: ['not a ref'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('body.users.0');
    expect(await client.openOf(JANE, ADMIN)).toHaveLength(3);
  });
});
