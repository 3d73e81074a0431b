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
import { totpCode } from '../mfa/totp';
import { sessionsPlugin } from '../plugin';

jest.setTimeout(60_000);

/** As an LDAP or Microsoft Graph catalog names people. */
const JANE_DOE = 'user:default/JaneDoe';
const ADMIN = 'user:default/admin';
const PORTAL = `Bearer ${mockCredentials.service.token({
  onBehalfOf: mockCredentials.service('plugin:auth'),
  targetPluginId: 'sessions',
})}`;
const HEADER = 'x-sessions-step-up';

describe('a person whose catalog name has capitals', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: Parameters<typeof request>[0];

    const connector = (path: string, body: object, token = CONNECTOR) =>
      request(server)
        .post(`/api/sessions/connector/${path}`)
        .set('Authorization', token)
        .send(body)
        .expect(200);
    const asJane = (method: 'get' | 'post', path: string, body?: object) =>
      request(server)
        [method](`/api/sessions${path}`)
        .set('Authorization', as(JANE_DOE))
        .send(body);

    beforeEach(async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const backend = await startTestBackend({
        features: [
          sessionsPlugin,
          mockServices.database.factory({ knex }),
          policyPermissionsFactory(new ActiveSessionsTestPolicy(ADMIN)),
          testConfigFactory({
            mfa: { encryptionKey: Buffer.alloc(32, 7).toString('base64') },
            stepUp: { enabled: true },
          }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      server = backend.server;
      // Connectors name her in any case; the portal names her as her token does.
      await connector('sessions/start', {
        source: 'bastion',
        sessions: [
          ['ssh-1', 'user:default/janedoe'],
          ['ssh-2', 'user:default/JANEDOE'],
        ].map(([externalId, userRef]) => ({
          externalId,
          userRef,
          resourceName: `host-${externalId}`,
          resourceType: 'ssh',
        })),
      });
      await connector(
        'sessions/start',
        {
          source: 'portal',
          sessions: [
            {
              externalId: 'sid-jane',
              userRef: JANE_DOE,
              resourceName: 'Backstage portal',
              resourceType: 'portal',
            },
          ],
        },
        PORTAL,
      );
      await connector('grants/report', {
        source: 'priv-broker',
        grants: [
          {
            externalId: 'g-1',
            kind: 'device_admin',
            userRef: JANE_DOE,
            target: 'laptop-jane',
            targetType: 'device',
            expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          },
        ],
      });
    });

    it('sees her sessions and counts, keeps her sign-in open, and gives back her grant', async () => {
      const mine = await asJane('get', '/sessions?status=active').expect(200);
      expect(mine.body.items.map((s: any) => s.externalId).sort()).toEqual([
        'sid-jane',
        'ssh-1',
        'ssh-2',
      ]);
      expect(mine.body.items.map((s: any) => s.userRef)).toEqual(
        Array(3).fill('user:default/janedoe'),
      );
      const stats = await asJane('get', '/sessions/stats').expect(200);
      expect(stats.body.active).toBe(3);

      const heartbeat = await asJane('post', '/portal/heartbeat', {
        sid: 'sid-jane',
      }).expect(200);
      expect(heartbeat.body.state).toBe('open');

      const grants = await asJane('get', '/grants').expect(200);
      expect(grants.body.items.map((g: any) => g.externalId)).toEqual(['g-1']);
      await asJane(
        'post',
        `/grants/${grants.body.items[0].id}/give-back`,
        {},
      ).expect(200);
      const after = await asJane('get', '/grants?status=revoking').expect(200);
      expect(after.body.items.map((g: any) => g.externalId)).toEqual(['g-1']);
    });

    it('ends all her sessions after a step-up, with the enrolment she made in any spelling', async () => {
      const { secret } = (await asJane('post', '/mfa/enrol').expect(200)).body;
      await asJane('post', '/mfa/activate', {
        code: await totpCode(secret, Date.now()),
      }).expect(200);
      // The same person, spelled as the catalog's lower-case ref.
      const status = await request(server)
        .get('/api/sessions/mfa')
        .set('Authorization', as('user:default/janedoe'))
        .expect(200);
      expect(status.body.enrolled).toBe(true);

      const { proof } = (
        await asJane('post', '/mfa/verify', {
          code: await totpCode(secret, Date.now() + 30_000),
        }).expect(200)
      ).body;
      const ended = await asJane('post', '/sessions/end-all', {})
        .set(HEADER, proof)
        .expect(200);
      expect(ended.body.ended).toHaveLength(3);
      const open = await asJane('get', '/sessions?status=active,idle').expect(
        200,
      );
      expect(open.body.items).toEqual([]);
    });
  });
});
