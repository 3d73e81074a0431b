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
  isActiveSessionsPermission,
  SESSION_RESOURCE_TYPE,
  USER_RESOURCE_TYPE,
  personalTimeoutsUpdatePermission,
  userLockPermission,
  userOffboardPermission,
} from '@active-sessions/plugin-sessions-common';
import { hasClaim } from './hasClaim';

/** Members of this group may see and cut every session and grant. */
export const ADMINS_GROUP = 'group:default/admins';

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
 * - everyone chooses their own idle timeout, within the portal's ranges;
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
    if (!isActiveSessionsPermission(permission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    if (permission.name === personalTimeoutsUpdatePermission.name) {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user.info.ownershipEntityRefs;
    // Admins see and cut everything, offboard anyone, lift locks.
    if (hasClaim(claims, ADMINS_GROUP)) {
      return { result: AuthorizeResult.ALLOW };
    }
    // Everyone: their own sessions and grants, and their people's.
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
    // Managers may lock (offboard) their people and no one else; lifting a
    // lock is scoped the same way by the permission but kept for admins here.
    if (isResourcePermission(permission, USER_RESOURCE_TYPE)) {
      if (permission.name !== userLockPermission.name) {
        return { result: AuthorizeResult.DENY };
      }
      return createUserConditionalDecision(
        permission,
        userConditions.isUserManagedBy({ claims }),
      );
    }
    // ...and get the People tab if they own a group (asked of the catalog).
    if (permission.name === userOffboardPermission.name) {
      return (await this.managers.ownsAGroup(claims))
        ? { result: AuthorizeResult.ALLOW }
        : { result: AuthorizeResult.DENY };
    }
    // The Connectors tab: admins only.
    return { result: AuthorizeResult.DENY };
  }
}
