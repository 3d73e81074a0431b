import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  connectorReadPermission,
  grantReadPermission,
  personalTimeoutsUpdatePermission,
  grantRevokePermission,
  sessionReadPermission,
  sessionRecordingViewPermission,
  sessionTerminatePermission,
  userLockPermission,
  userOffboardPermission,
  userUnlockPermission,
} from '@active-sessions/plugin-sessions-common';
import { CompanyPolicy } from './CompanyPolicy';

// What the rules do in SQL with these decisions is tested on SQLite,
// PostgreSQL and MySQL in plugins/sessions-backend (router/policyGuide.test.ts).

function user(userEntityRef: string, groups: string[] = []): PolicyQueryUser {
  return {
    info: { userEntityRef, ownershipEntityRefs: [userEntityRef, ...groups] },
    credentials: {} as any,
  };
}

const policy = new CompanyPolicy();
const JANE = user('user:default/jane');
const ONCALL = user('user:default/sam', ['group:default/sre-oncall']);
const HELPDESK = user('user:default/hal', ['group:default/helpdesk']);
const ADMIN = user('user:default/ada', ['group:default/admins']);
const SECURITY = user('user:default/priya', ['group:default/security']);

const own = (rule: string, resourceType: string, who: PolicyQueryUser) => ({
  rule,
  resourceType,
  params: { claims: who.info.ownershipEntityRefs },
});

describe('CompanyPolicy', () => {
  it.each([sessionReadPermission, sessionTerminatePermission])(
    'gives everyone their own sessions ($name)',
    async permission => {
      expect(await policy.handle({ permission }, JANE)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'sessions',
        resourceType: 'session',
        conditions: own('IS_SESSION_OWNER', 'session', JANE),
      });
    },
  );

  it.each([sessionReadPermission, sessionTerminatePermission])(
    "gives SRE on-call anyone's SSH sessions ($name)",
    async permission => {
      expect(await policy.handle({ permission }, ONCALL)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'sessions',
        resourceType: 'session',
        conditions: {
          anyOf: [
            own('IS_SESSION_OWNER', 'session', ONCALL),
            {
              rule: 'HAS_RESOURCE_TYPE',
              resourceType: 'session',
              params: { resourceTypes: ['ssh'] },
            },
          ],
        },
      });
    },
  );

  it.each([grantReadPermission, grantRevokePermission])(
    "gives helpdesk anyone's Device Admin grants ($name), and no one else's sessions",
    async permission => {
      expect(await policy.handle({ permission }, HELPDESK)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'sessions',
        resourceType: 'access-grant',
        conditions: {
          anyOf: [
            own('IS_GRANT_OWNER', 'access-grant', HELPDESK),
            {
              rule: 'HAS_KIND',
              resourceType: 'access-grant',
              params: { kinds: ['device_admin'] },
            },
          ],
        },
      });
      expect(
        await policy.handle({ permission: sessionReadPermission }, HELPDESK),
      ).toMatchObject({
        conditions: own('IS_SESSION_OWNER', 'session', HELPDESK),
      });
    },
  );

  it('keeps recordings to security, admins included', async () => {
    const permission = sessionRecordingViewPermission;
    expect(await policy.handle({ permission }, SECURITY)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    for (const someone of [ADMIN, JANE, ONCALL]) {
      expect(await policy.handle({ permission }, someone)).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it.each([
    userOffboardPermission,
    userLockPermission,
    userUnlockPermission,
    connectorReadPermission,
  ])('gives $name to admins only', async permission => {
    expect(await policy.handle({ permission }, ADMIN)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    for (const someone of [JANE, ONCALL, HELPDESK, SECURITY]) {
      expect(await policy.handle({ permission }, someone)).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('lets everyone but contractors choose their own idle timeout', async () => {
    const permission = personalTimeoutsUpdatePermission;
    for (const someone of [JANE, ONCALL, HELPDESK, SECURITY, ADMIN]) {
      expect(await policy.handle({ permission }, someone)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
    const contractor = user('user:default/cole', ['Group:Default/Contractors']);
    expect(await policy.handle({ permission }, contractor)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('matches group refs case-insensitively, as Backstage compares entity refs', async () => {
    const shouting = user('user:default/Sam', ['Group:Default/SRE-OnCall']);
    expect(
      await policy.handle({ permission: sessionReadPermission }, shouting),
    ).toMatchObject({ conditions: { anyOf: expect.any(Array) } });
  });

  it("denies a caller without a user and allows other plugins' permissions", async () => {
    expect(await policy.handle({ permission: sessionReadPermission })).toEqual({
      result: AuthorizeResult.DENY,
    });
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: {},
    });
    expect(await policy.handle({ permission: other }, JANE)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
