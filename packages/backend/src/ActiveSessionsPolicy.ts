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
} from '@internal/plugin-sessions-backend';
import {
  GRANT_RESOURCE_TYPE,
  SESSION_RESOURCE_TYPE,
  connectorReadPermission,
  userOffboardPermission,
  userUnlockPermission,
} from '@internal/plugin-sessions-common';

/** Basic permissions only admins hold. */
const ADMIN_ONLY = [
  connectorReadPermission.name,
  userOffboardPermission.name,
  userUnlockPermission.name,
];

/** Members of this group may see and cut every session and grant. */
export const ADMINS_GROUP = 'group:default/admins';

/**
 * The example policy of this portal: admins see, end and revoke anything,
 * watch the connectors, offboard people and lift their locks; everyone else
 * only their own sessions and grants. Other permissions are allowed.
 */
export class ActiveSessionsPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const isSession = isResourcePermission(permission, SESSION_RESOURCE_TYPE);
    const isGrant = isResourcePermission(permission, GRANT_RESOURCE_TYPE);
    const isAdminOnly = ADMIN_ONLY.includes(permission.name);
    if (!isSession && !isGrant && !isAdminOnly) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const claims = user.info.ownershipEntityRefs;
    if (claims.includes(ADMINS_GROUP)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isAdminOnly) {
      return { result: AuthorizeResult.DENY };
    }
    if (isResourcePermission(permission, SESSION_RESOURCE_TYPE)) {
      return createSessionConditionalDecision(
        permission,
        sessionConditions.isSessionOwner({ claims }),
      );
    }
    if (isResourcePermission(permission, GRANT_RESOURCE_TYPE)) {
      return createGrantConditionalDecision(
        permission,
        grantConditions.isGrantOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}
