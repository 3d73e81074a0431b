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
} from '@internal/plugin-sessions-common';

/** Members of this group may see and cut every session and grant. */
export const ADMINS_GROUP = 'group:default/admins';

/**
 * The example policy of this portal: admins see, end and revoke anything;
 * everyone else only their own sessions and grants. Other permissions are
 * allowed.
 */
export class ActiveSessionsPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const isSession = isResourcePermission(permission, SESSION_RESOURCE_TYPE);
    const isGrant = isResourcePermission(permission, GRANT_RESOURCE_TYPE);
    if (!isSession && !isGrant) {
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
      return createSessionConditionalDecision(
        permission,
        sessionConditions.isSessionOwner({ claims }),
      );
    }
    return createGrantConditionalDecision(
      permission as typeof permission & { resourceType: 'access-grant' },
      grantConditions.isGrantOwner({ claims }),
    );
  }
}
