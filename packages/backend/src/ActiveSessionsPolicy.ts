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
  createUserConditionalDecision,
  grantConditions,
  sessionConditions,
  userConditions,
} from '@active-sessions/plugin-sessions-node';
import {
  GRANT_RESOURCE_TYPE,
  SESSION_RESOURCE_TYPE,
  USER_RESOURCE_TYPE,
  connectorReadPermission,
  userOffboardPermission,
  userUnlockPermission,
} from '@active-sessions/plugin-sessions-common';

/** Members of this group may see and cut every session and grant. */
export const ADMINS_GROUP = 'group:default/admins';

/** Permissions only admins hold (lifting a lock is scoped like locking, but kept for admins here). */
const ADMIN_ONLY = [connectorReadPermission.name, userUnlockPermission.name];

/** Whether someone manages anyone: owns a catalog group. */
export interface ManagerDirectory {
  ownsAGroup(claims: string[]): Promise<boolean>;
}

/**
 * The example policy of this portal:
 * - everyone sees, ends and revokes their own sessions and grants, and
 *   watches their own recordings;
 * - owners of a catalog group also those of the group's members (and of
 *   groups below it), and may offboard those members from People;
 * - members of group `admins` everything: every session and grant, the
 *   Connectors tab, offboarding anyone, lifting locks.
 * Other plugins' permissions are allowed.
 */
export class ActiveSessionsPolicy implements PermissionPolicy {
  constructor(private readonly managers: ManagerDirectory) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const isOurs =
      isResourcePermission(permission, SESSION_RESOURCE_TYPE) ||
      isResourcePermission(permission, GRANT_RESOURCE_TYPE) ||
      isResourcePermission(permission, USER_RESOURCE_TYPE) ||
      ADMIN_ONLY.includes(permission.name) ||
      permission.name === userOffboardPermission.name;
    if (!isOurs) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const claims = user.info.ownershipEntityRefs;
    if (claims.includes(ADMINS_GROUP)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isResourcePermission(permission, SESSION_RESOURCE_TYPE)) {
      return createSessionConditionalDecision(permission, {
        anyOf: [
          sessionConditions.isSessionOwner({ claims }),
          sessionConditions.isManagedBy({ claims }),
        ],
      });
    }
    if (isResourcePermission(permission, GRANT_RESOURCE_TYPE)) {
      return createGrantConditionalDecision(permission, {
        anyOf: [
          grantConditions.isGrantOwner({ claims }),
          grantConditions.isGrantManagedBy({ claims }),
        ],
      });
    }
    if (ADMIN_ONLY.includes(permission.name)) {
      return { result: AuthorizeResult.DENY };
    }
    if (isResourcePermission(permission, USER_RESOURCE_TYPE)) {
      return createUserConditionalDecision(
        permission,
        userConditions.isUserManagedBy({ claims }),
      );
    }
    if (permission.name === userOffboardPermission.name) {
      return {
        result: (await this.managers.ownsAGroup(claims))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.DENY };
  }
}
