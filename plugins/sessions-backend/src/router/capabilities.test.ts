import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createGrantConditionalDecision,
  createSessionConditionalDecision,
  grantConditions,
  sessionConditions,
} from '@active-sessions/plugin-sessions-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { catalogGroup } from '../__testUtils__/catalogGroup';
import { testConfigFactory } from '../__testUtils__/connectorSources';
import { CONNECTOR, as } from '../__testUtils__/credentials';
import { createTestDatabases } from '../__testUtils__/databases';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { sessionsPlugin } from '../plugin';

jest.setTimeout(60_000);

const ADMINS = 'group:default/admins';
const SRE_ONCALL = 'group:default/sre-oncall';
const HELPDESK = 'group:default/helpdesk';
const DESK_LEADS = 'group:default/desk-leads';

const ADMIN = 'user:default/admin';
const MARIA = 'user:default/maria';
const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const EVE = 'user:default/eve';
const SAM = 'user:default/sam';
const HELEN = 'user:default/helen';
/** As an LDAP catalog names her; the tables name her in lower case. */
const JANE_DOE = 'user:default/JaneDoe';

/**
 * The example policy (everyone: their own and their people's; admins:
 * everything) with the README's two recipes: the SSH on-call team reads
 * every SSH session, the helpdesk every Device Admin grant.
 */
class RecipePolicy implements PermissionPolicy {
  async handle(
    { permission }: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) return { result: AuthorizeResult.DENY };
    const claims = user.info.ownershipEntityRefs;
    if (claims.includes(ADMINS)) return { result: AuthorizeResult.ALLOW };
    if (isResourcePermission(permission, 'session')) {
      return createSessionConditionalDecision(permission, {
        anyOf: [
          sessionConditions.isSessionOwner({ claims }),
          sessionConditions.isManagedBy({ claims }),
          ...(claims.includes(SRE_ONCALL)
            ? [sessionConditions.hasResourceType({ resourceTypes: ['ssh'] })]
            : []),
        ],
      });
    }
    if (isResourcePermission(permission, 'access-grant')) {
      return createGrantConditionalDecision(permission, {
        anyOf: [
          grantConditions.isGrantOwner({ claims }),
          grantConditions.isGrantManagedBy({ claims }),
          ...(claims.includes(HELPDESK)
            ? [grantConditions.hasKind({ kinds: ['device_admin'] })]
            : []),
        ],
      });
    }
    return { result: AuthorizeResult.DENY };
  }
}

// Maria owns platform and so manages Jane; Eve owns a group without
// members; Jane Doe's group owns a group whose only member is Jane Doe.
const CATALOG = [
  catalogGroup('platform', { ownedBy: [MARIA], hasMember: [JANE] }),
  catalogGroup('empty', { ownedBy: [EVE] }),
  catalogGroup('desk-leads', { hasMember: [JANE_DOE] }),
  catalogGroup('desk', { ownedBy: [DESK_LEADS], hasMember: [JANE_DOE] }),
  catalogGroup('security', {
    ownedBy: ['user:default/omar'],
    hasMember: [BOB],
  }),
];

const GROUPS: Record<string, string[]> = {
  [ADMIN]: [ADMINS],
  [JANE_DOE]: [DESK_LEADS],
  [SAM]: [SRE_ONCALL],
  [HELEN]: [HELPDESK],
};

describe('GET /capabilities', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: Parameters<typeof request>[0];

    const connector = (path: string, body: object) =>
      request(server)
        .post(`/api/sessions/connector/${path}`)
        .set('Authorization', CONNECTOR)
        .send(body)
        .expect(200);
    const get = (userRef: string, path: string) =>
      request(server)
        .get(`/api/sessions${path}`)
        .set('Authorization', as(userRef));
    const capabilitiesOf = async (userRef: string) =>
      (await get(userRef, '/capabilities').expect(200)).body;
    const namesIn = async (userRef: string, path: string, field: string) =>
      (await get(userRef, path).expect(200)).body.items
        .map((item: any) => item[field])
        .sort();

    beforeEach(async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const backend = await startTestBackend({
        features: [
          sessionsPlugin,
          mockServices.database.factory({ knex }),
          testConfigFactory(),
          catalogServiceMock.factory({ entities: CATALOG }),
          // Runs the catalog mirror at startup instead of after its delay.
          mockServices.scheduler.factory({
            includeInitialDelayedTasksOnStartup: true,
          }),
          policyPermissionsFactory(new RecipePolicy(), GROUPS),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      server = backend.server;
      await connector('sessions/start', {
        source: 'bastion',
        sessions: [
          ['jane-ssh', JANE, 'ssh'],
          ['bob-ssh', BOB, 'ssh'],
          ['bob-rdp', BOB, 'rdp'],
        ].map(([externalId, userRef, resourceType]) => ({
          externalId,
          userRef,
          resourceName: `host-${externalId}`,
          resourceType,
        })),
      });
      await connector('grants/report', {
        source: 'priv-broker',
        grants: [
          ['jane-admin', JANE, 'device_admin'],
          ['bob-admin', BOB, 'device_admin'],
          ['bob-db', BOB, 'timed_access'],
        ].map(([externalId, userRef, kind]) => ({
          externalId,
          kind,
          userRef,
          target: `target-${externalId}`,
          targetType: 'device',
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        })),
      });
      // The mirror task runs in the background; wait until Maria sees Jane's.
      for (;;) {
        const names = await namesIn(MARIA, '/sessions?all=true', 'externalId');
        if (names.includes('jane-ssh')) break;
        await new Promise(resolve => setImmediate(resolve));
      }
    });

    it('offers everyone to no one the policy keeps to their own', async () => {
      expect(await capabilitiesOf(JANE)).toEqual({
        readsOthersSessions: false,
        readsOthersGrants: false,
      });
    });

    it('offers everyone to a manager of a group with members, and to an admin', async () => {
      const everything = { readsOthersSessions: true, readsOthersGrants: true };
      expect(await capabilitiesOf(MARIA)).toEqual(everything);
      expect(await capabilitiesOf(ADMIN)).toEqual(everything);
    });

    it('does not offer it to a manager of no one but themself', async () => {
      const nothing = { readsOthersSessions: false, readsOthersGrants: false };
      expect(await capabilitiesOf(EVE)).toEqual(nothing);
      // Her token spells her as the catalog does; the tables in lower case.
      expect(await capabilitiesOf(JANE_DOE)).toEqual(nothing);
    });

    it("offers the SSH on-call team everyone's sessions, and shows them only SSH ones", async () => {
      expect(await capabilitiesOf(SAM)).toEqual({
        readsOthersSessions: true,
        readsOthersGrants: false,
      });
      expect(await namesIn(SAM, '/sessions?all=true', 'externalId')).toEqual([
        'bob-ssh',
        'jane-ssh',
      ]);
    });

    it("offers the helpdesk everyone's grants, and shows them only Device Admin ones", async () => {
      expect(await capabilitiesOf(HELEN)).toEqual({
        readsOthersSessions: false,
        readsOthersGrants: true,
      });
      expect(await namesIn(HELEN, '/grants?all=true', 'externalId')).toEqual([
        'bob-admin',
        'jane-admin',
      ]);
    });

    it('refuses services, and names a query parameter it does not take', async () => {
      const service = await request(server)
        .get('/api/sessions/capabilities')
        .set('Authorization', CONNECTOR);
      expect(service.status).toBe(403);
      const unauthenticated = await request(server).get(
        '/api/sessions/capabilities',
      );
      expect(unauthenticated.status).toBe(401);

      const withQuery = await get(MARIA, '/capabilities?all=true');
      expect(withQuery.status).toBe(400);
      expect(withQuery.body.error.message).toBe(
        'Invalid request, query: unknown field(s) all',
      );
    });
  });
});
