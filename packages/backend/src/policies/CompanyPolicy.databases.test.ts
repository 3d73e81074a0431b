import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { CompanyPolicy } from './CompanyPolicy';
import { sessionsWithPolicy } from './__testUtils__/sessionsWithPolicy';

// The company policy with the sessions plugin as adopters install it: its
// decisions become SQL on every database, and the page's lists, ends and
// revokes follow. PostgreSQL and MySQL run when scripts/test.sh sets their
// connection strings.
jest.setTimeout(60_000);

const JANE = 'user:default/jane';
const SAM = 'user:default/sam';
const HAL = 'user:default/hal';
const PRIYA = 'user:default/priya';
const ADA = 'user:default/ada';
const IRIS = 'user:default/iris';
const GROUPS = {
  [SAM]: ['group:default/sre-oncall'],
  [HAL]: ['group:default/helpdesk'],
  [PRIYA]: ['group:default/security'],
  [ADA]: ['group:default/admins'],
  // An admin who is also in security.
  [IRIS]: ['group:default/admins', 'group:default/security'],
};
const HOUR = 3_600_000;

describe('CompanyPolicy with the sessions plugin', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'],
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let portal: Awaited<ReturnType<typeof sessionsWithPolicy>>;
    const recording = (id: string) => ({
      url: `https://rec.example.com/${id}.cast`,
      kind: 'asciicast',
    });

    const start = async (sessions: JsonObject) => {
      portal = await sessionsWithPolicy({
        knex: await databases.init(databaseId as TestDatabaseId),
        policy: new CompanyPolicy(),
        groups: GROUPS,
        sessions,
      });
      const session = (externalId: string, userRef: string, type: string) => ({
        externalId,
        userRef,
        resourceName: `${type}-host`,
        resourceType: type,
        recording: recording(externalId),
      });
      await portal
        .connector('sessions/start', {
          source: 'bastion',
          sessions: [
            session('jane-ssh', JANE, 'ssh'),
            session('sam-ssh', SAM, 'ssh'),
            session('priya-ssh', PRIYA, 'ssh'),
          ],
        })
        .expect(200);
      await portal
        .connector('sessions/start', {
          source: 'rdp-gateway',
          sessions: [session('jane-rdp', JANE, 'rdp')],
        })
        .expect(200);
      const grant = (externalId: string, kind: string) => ({
        externalId,
        kind,
        userRef: JANE,
        target: `target-${externalId}`,
        targetType: 'device',
        expiresAt: new Date(Date.now() + HOUR).toISOString(),
      });
      await portal
        .connector('grants/report', {
          source: 'priv-broker',
          grants: [
            grant('jane-admin', 'device_admin'),
            grant('jane-timed', 'timed_access'),
          ],
        })
        .expect(200);
    };
    const sessionsOf = async (viewer: string, query = '') =>
      (await portal.as(viewer, 'get', `/sessions?all=true${query}`).expect(200))
        .body.items as any[];
    const grantsOf = async (viewer: string) =>
      (await portal.as(viewer, 'get', '/grants?all=true').expect(200)).body
        .items as any[];
    const byExternalId = async (externalId: string) =>
      (await sessionsOf(ADA)).find(item => item.externalId === externalId);
    const grantByExternalId = async (externalId: string) =>
      (await grantsOf(ADA)).find(item => item.externalId === externalId);
    const externalIds = (items: any[]) =>
      items.map(item => item.externalId).sort();

    describe('without step-up', () => {
      beforeEach(() => start({}));

      it("lets SRE on-call see and end anyone's SSH sessions, and no one's RDP", async () => {
        expect(externalIds(await sessionsOf(SAM))).toEqual([
          'jane-ssh',
          'priya-ssh',
          'sam-ssh',
        ]);
        const rdp = await byExternalId('jane-rdp');
        await portal.as(SAM, 'post', `/sessions/${rdp.id}/end`).expect(404);
        expect((await byExternalId('jane-rdp')).status).toBe('active');

        const ssh = await byExternalId('jane-ssh');
        await portal.as(SAM, 'post', `/sessions/${ssh.id}/end`).expect(200);
        expect((await byExternalId('jane-ssh')).status).not.toBe('active');
        // Nothing of anyone else's grants.
        expect(await grantsOf(SAM)).toEqual([]);
      });

      it("lets helpdesk see and revoke anyone's Device Admin grants, and no Timed Access", async () => {
        expect(externalIds(await grantsOf(HAL))).toEqual(['jane-admin']);
        const timed = await grantByExternalId('jane-timed');
        await portal.as(HAL, 'post', `/grants/${timed.id}/revoke`).expect(404);
        expect((await grantByExternalId('jane-timed')).status).toBe('active');

        const admin = await grantByExternalId('jane-admin');
        await portal.as(HAL, 'post', `/grants/${admin.id}/revoke`).expect(200);
        expect((await grantByExternalId('jane-admin')).status).not.toBe(
          'active',
        );
        // Nor anyone else's sessions.
        expect(await sessionsOf(HAL)).toEqual([]);
      });

      it('offers each team "Everyone I may see" where its policy reaches others', async () => {
        const offered = async (viewer: string) =>
          (await portal.as(viewer, 'get', '/capabilities').expect(200)).body;
        expect(await offered(SAM)).toEqual({
          readsOthersSessions: true,
          readsOthersGrants: false,
        });
        expect(await offered(HAL)).toEqual({
          readsOthersSessions: false,
          readsOthersGrants: true,
        });
        expect(await offered(JANE)).toEqual({
          readsOthersSessions: false,
          readsOthersGrants: false,
        });
        expect(await offered(ADA)).toEqual({
          readsOthersSessions: true,
          readsOthersGrants: true,
        });
      });

      it('gives everyone else only their own', async () => {
        expect(externalIds(await sessionsOf(JANE))).toEqual([
          'jane-rdp',
          'jane-ssh',
        ]);
        expect(externalIds(await grantsOf(JANE))).toEqual([
          'jane-admin',
          'jane-timed',
        ]);
        const sams = await byExternalId('sam-ssh');
        await portal.as(JANE, 'post', `/sessions/${sams.id}/end`).expect(404);
      });

      it('shows recordings to security only; admins outside it see "Recorded"', async () => {
        const [own] = await sessionsOf(PRIYA);
        expect(own).toMatchObject({
          externalId: 'priya-ssh',
          recording: recording('priya-ssh'),
        });
        // Security reads only its own sessions here, so no other links.
        expect(await sessionsOf(PRIYA)).toHaveLength(1);

        for (const item of await sessionsOf(ADA)) {
          expect(item.recorded).toBe(true);
          expect(item).not.toHaveProperty('recording');
        }
        const jane = (await sessionsOf(JANE)).find(
          item => item.externalId === 'jane-ssh',
        );
        expect(jane).not.toHaveProperty('recording');

        // An admin in security reads every session, so watches every one.
        const all = await sessionsOf(IRIS);
        expect(all).toHaveLength(4);
        for (const item of all) {
          expect(item.recording).toEqual(recording(item.externalId));
        }
      });

      it('lets only admins offboard', async () => {
        for (const someone of [JANE, SAM, HAL, PRIYA]) {
          await portal.as(someone, 'get', '/people').expect(403);
          await portal
            .as(someone, 'post', '/offboard')
            .send({ users: [JANE] })
            .expect(403);
        }
        const res = await portal
          .as(ADA, 'post', '/offboard')
          .send({ users: [JANE] })
          .expect(200);
        expect(JSON.stringify(res.body)).toContain(JANE);
        expect(await sessionsOf(JANE, '&status=active,idle')).toEqual([]);
      });
    });

    describe('with step-up for acting for others', () => {
      beforeEach(() =>
        start({
          stepUp: { enabled: true, actions: ['act-for-others'] },
          // Any 32 bytes: the test never enrols anyone.
          mfa: { encryptionKey: Buffer.alloc(32, 7).toString('base64') },
        }),
      );

      it('asks SRE on-call for two-factor before ending someone else’s session, not their own', async () => {
        const janes = await byExternalId('jane-ssh');
        const refused = await portal
          .as(SAM, 'post', `/sessions/${janes.id}/end`)
          .expect(403);
        expect(refused.body.error).toMatchObject({
          name: 'MfaEnrollmentRequiredError',
          message:
            "Set up two-factor authentication to end or revoke someone else's access",
        });
        const own = await byExternalId('sam-ssh');
        await portal.as(SAM, 'post', `/sessions/${own.id}/end`).expect(200);
      });
    });
  });
});
