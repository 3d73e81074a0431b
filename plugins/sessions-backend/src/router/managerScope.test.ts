import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogGroup } from '../__testUtils__/catalogGroup';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { sessionsPlugin } from '../plugin';
import { offboardClient } from '../__testUtils__/offboardClient';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { testConfigFactory } from '../__testUtils__/connectorSources';

jest.setTimeout(60_000);

const ADMIN = 'user:default/admin';
const MARIA = 'user:default/maria';
const JANE = 'user:default/jane';
const CAROL = 'user:default/carol';
const BOB = 'user:default/bob';

// Maria owns platform, and so manages Jane and, one group below, Carol.
// Bob is in security, which someone else owns.
const CATALOG = [
  catalogGroup('platform', {
    ownedBy: [MARIA],
    hasMember: [JANE],
    parentOf: ['group:default/platform-db'],
  }),
  catalogGroup('platform-db', { hasMember: [CAROL] }),
  catalogGroup('security', {
    ownedBy: ['user:default/omar'],
    hasMember: [BOB],
  }),
];

describe('a manager, scoped by the catalog', () => {
  let client: ReturnType<typeof offboardClient>;

  beforeEach(async () => {
    const backend = await startTestBackend({
      features: [
        sessionsPlugin,
        testConfigFactory(),
        catalogServiceMock.factory({ entities: CATALOG }),
        // Runs the catalog mirror at startup instead of after its delay.
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
        policyPermissionsFactory(
          new ActiveSessionsTestPolicy(ADMIN, { managers: [MARIA] }),
        ),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    client = offboardClient(backend.server);
    await client
      .startSessions([
        ['j1', JANE, 'db-1'],
        ['c1', CAROL, 'db-2'],
        ['b1', BOB, 'db-1'],
      ])
      .expect(200);
    await client
      .reportGrants([
        ['gj', JANE, 'device_admin'],
        ['gb', BOB, 'device_admin'],
      ])
      .expect(200);
    // The mirror task runs in the background; wait until it has.
    for (;;) {
      const people = await client.asUser(MARIA, 'get', '/people');
      if (people.body.items?.length) break;
      await new Promise(resolve => setImmediate(resolve));
    }
  });

  it("sees exactly their people's sessions and grants, and offboards only them", async () => {
    const people = await client.asUser(MARIA, 'get', '/people');
    expect(
      people.body.items.map((p: any) => [p.userRef, p.mayOffboard]),
    ).toEqual([
      [CAROL, true],
      [JANE, true],
    ]);
    expect(await client.openOf(JANE, MARIA)).toHaveLength(1);
    expect(await client.openOf(CAROL, MARIA)).toHaveLength(1);
    expect(await client.openOf(BOB, MARIA)).toEqual([]);
    expect(await client.activeGrantsOf(JANE, MARIA)).toHaveLength(1);
    expect(await client.activeGrantsOf(BOB, MARIA)).toEqual([]);

    await client
      .asUser(MARIA, 'post', '/offboard')
      .send({ users: [CAROL] })
      .expect(200);
    expect(await client.openOf(CAROL, ADMIN)).toEqual([]);
    expect(await client.openOf(JANE, ADMIN)).toHaveLength(1);
  });

  it('cannot offboard someone outside their groups, and then nothing is cut or locked', async () => {
    const res = await client
      .asUser(MARIA, 'post', '/offboard')
      .send({ users: [JANE, BOB] });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      `You are not allowed to offboard ${BOB}`,
    );
    expect(await client.openOf(JANE, ADMIN)).toHaveLength(1);
    expect(await client.openOf(BOB, ADMIN)).toHaveLength(1);
    expect(await client.activeGrantsOf(BOB, ADMIN)).toHaveLength(1);
    expect((await client.asUser(ADMIN, 'get', '/locks')).body.items).toEqual(
      [],
    );

    const preview = await client
      .asUser(MARIA, 'post', '/offboard/preview')
      .send({ users: [BOB] });
    // Bob's sessions are not Maria's to see, and he is not hers to offboard.
    expect(preview.body.items).toEqual([
      {
        // Whether Bob is locked is not hers to know either.
        userRef: BOB,
        mayOffboard: false,
        sessions: [],
        grants: [],
      },
    ]);
  });

  it('sees and lifts only the locks of their people', async () => {
    await client
      .asUser(ADMIN, 'post', '/offboard')
      .send({ users: [JANE, BOB] })
      .expect(200);
    const locksSeenBy = async (userRef: string) =>
      (
        await client.asUser(userRef, 'get', '/locks').expect(200)
      ).body.items.map((lock: any) => lock.userRef);
    expect(await locksSeenBy(ADMIN)).toEqual([BOB, JANE]);
    expect(await locksSeenBy(MARIA)).toEqual([JANE]);

    const bobs = await client.asUser(
      MARIA,
      'delete',
      `/locks/${encodeURIComponent(BOB)}`,
    );
    expect(bobs.status).toBe(403);
    expect(bobs.body.error.message).toBe(
      `You are not allowed to lift the lock of ${BOB}`,
    );
    // Nor may she learn, by lifting, whether someone is locked.
    const carols = await client.asUser(
      MARIA,
      'delete',
      `/locks/${encodeURIComponent(CAROL)}`,
    );
    expect(carols.status).toBe(404);
    const someones = await client.asUser(
      MARIA,
      'delete',
      `/locks/${encodeURIComponent('user:default/someone')}`,
    );
    expect(someones.status).toBe(403);

    await client
      .asUser(MARIA, 'delete', `/locks/${encodeURIComponent(JANE)}`)
      .expect(204);
    expect(await locksSeenBy(ADMIN)).toEqual([BOB]);
  });

  it('leaves people who manage no one without the People view', async () => {
    expect((await client.asUser(JANE, 'get', '/people')).status).toBe(403);
  });
});
