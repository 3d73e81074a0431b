import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  connectorReadPermission,
  grantReadPermission,
  personalTimeoutsUpdatePermission,
  userLockPermission,
  userOffboardPermission,
  userUnlockPermission,
  grantRevokePermission,
  sessionReadPermission,
  sessionRecordingViewPermission,
  sessionTerminatePermission,
} from '@active-sessions/plugin-sessions-common';
import { ActiveSessionsPolicy, ADMINS_GROUP } from './ActiveSessionsPolicy';

const MARIA = 'user:default/maria';

function user(userEntityRef: string, groups: string[] = []): PolicyQueryUser {
  const ownershipEntityRefs = [userEntityRef, ...groups];
  return {
    info: { userEntityRef, ownershipEntityRefs },
    credentials: {} as any,
  };
}

describe('ActiveSessionsPolicy', () => {
  // Maria owns a catalog group; nobody else does.
  const policy = new ActiveSessionsPolicy({
    ownsAGroup: async claims => claims.includes(MARIA),
  });

  it.each([
    sessionReadPermission,
    sessionTerminatePermission,
    sessionRecordingViewPermission,
  ])(
    "limits a user to their own sessions and their people's for $name",
    async permission => {
      const decision = await policy.handle(
        { permission },
        user('user:default/jane'),
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'sessions',
        resourceType: 'session',
        conditions: {
          anyOf: [
            {
              rule: 'IS_SESSION_OWNER',
              resourceType: 'session',
              params: { claims: ['user:default/jane'] },
            },
            {
              rule: 'IS_MANAGED_BY',
              resourceType: 'session',
              params: { claims: ['user:default/jane'] },
            },
          ],
        },
      });
    },
  );

  it.each([grantReadPermission, grantRevokePermission])(
    "limits a user to their own grants and their people's for $name",
    async permission => {
      const decision = await policy.handle(
        { permission },
        user('user:default/jane'),
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'sessions',
        resourceType: 'access-grant',
        conditions: {
          anyOf: [
            {
              rule: 'IS_GRANT_OWNER',
              resourceType: 'access-grant',
              params: { claims: ['user:default/jane'] },
            },
            {
              rule: 'IS_MANAGED_BY',
              resourceType: 'access-grant',
              params: { claims: ['user:default/jane'] },
            },
          ],
        },
      });
    },
  );

  it('lets admins revoke any grant', async () => {
    const decision = await policy.handle(
      { permission: grantRevokePermission },
      user('user:default/ops', [ADMINS_GROUP]),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets members of the admins group see and end every session', async () => {
    const decision = await policy.handle(
      { permission: sessionTerminatePermission },
      user('user:default/ops', [ADMINS_GROUP]),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets everyone choose their own idle timeout', async () => {
    const decision = await policy.handle(
      { permission: personalTimeoutsUpdatePermission },
      user('user:default/jane'),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies sessions to a caller without a user', async () => {
    const decision = await policy.handle({ permission: sessionReadPermission });
    expect(decision).toEqual({ result: AuthorizeResult.DENY });
  });

  it('leaves other plugins permissions allowed', async () => {
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: {},
    });
    const decision = await policy.handle(
      { permission: other },
      user('user:default/jane'),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it.each([connectorReadPermission, userUnlockPermission])(
    'gives $name to admins only',
    async permission => {
      expect(
        await policy.handle({ permission }, user('user:default/jane')),
      ).toEqual({ result: AuthorizeResult.DENY });
      expect(
        await policy.handle(
          { permission },
          user('user:default/ada', [ADMINS_GROUP]),
        ),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    },
  );

  it('lets owners of a group offboard, and only the members of their groups', async () => {
    expect(
      await policy.handle({ permission: userOffboardPermission }, user(MARIA)),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle(
        { permission: userOffboardPermission },
        user('user:default/jane'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policy.handle({ permission: userLockPermission }, user(MARIA)),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'sessions',
      resourceType: 'sessions-user',
      conditions: {
        rule: 'IS_MANAGED_BY',
        resourceType: 'sessions-user',
        params: { claims: [MARIA] },
      },
    });
  });

  it('leaves lifting locks to admins, also for the members of groups one owns', async () => {
    expect(
      await policy.handle({ permission: userUnlockPermission }, user(MARIA)),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policy.handle(
        { permission: userUnlockPermission },
        user('user:default/ada', [ADMINS_GROUP]),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it.each([userOffboardPermission, userLockPermission])(
    'lets admins offboard anyone ($name)',
    async permission => {
      expect(
        await policy.handle(
          { permission },
          user('user:default/ada', [ADMINS_GROUP]),
        ),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    },
  );
});
