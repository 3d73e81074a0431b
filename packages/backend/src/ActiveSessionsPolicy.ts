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
  createSessionConditionalDecision,
  sessionConditions,
} from '@internal/plugin-sessions-backend';
import { SESSION_RESOURCE_TYPE } from '@internal/plugin-sessions-common';

/** Members of this group may see and end everyone's sessions. */
export const ADMINS_GROUP = 'group:default/admins';

/**
 * The example policy of this portal: admins see and end every session,
 * everyone else only their own. Other permissions are allowed.
 */
export class ActiveSessionsPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isResourcePermission(request.permission, SESSION_RESOURCE_TYPE)) {
      if (!user) {
        return { result: AuthorizeResult.DENY };
      }
      if (user.info.ownershipEntityRefs.includes(ADMINS_GROUP)) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createSessionConditionalDecision(
        request.permission,
        sessionConditions.isSessionOwner({
          claims: user.info.ownershipEntityRefs,
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
