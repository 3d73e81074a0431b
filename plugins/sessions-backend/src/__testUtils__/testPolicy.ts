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
  grantConditions,
} from '../permissions/grantRules';
import {
  createSessionConditionalDecision,
  sessionConditions,
} from '../permissions/rules';

/**
 * The policy the router tests run against: `admin` may do anything; others
 * read and cut their own sessions and grants, except that users listed in
 * `readOnly` may read their grants but not revoke them.
 */
export class ActiveSessionsTestPolicy implements PermissionPolicy {
  constructor(
    private readonly admin: string,
    private readonly options: { readOnly?: string[] } = {},
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!user) return { result: AuthorizeResult.DENY };
    if (user.info.userEntityRef === this.admin) {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user.info.ownershipEntityRefs;
    if (isResourcePermission(permission, 'session')) {
      return createSessionConditionalDecision(
        permission,
        sessionConditions.isSessionOwner({ claims }),
      );
    }
    if (isResourcePermission(permission, 'access-grant')) {
      if (
        permission.attributes.action === 'delete' &&
        this.options.readOnly?.includes(user.info.userEntityRef)
      ) {
        return { result: AuthorizeResult.DENY };
      }
      return createGrantConditionalDecision(
        permission,
        grantConditions.isGrantOwner({ claims }),
      );
    }
    // Connectors, offboarding and locks are the admin's.
    if (
      [
        'sessions.connector.read',
        'sessions.user.offboard',
        'sessions.user.unlock',
      ].includes(permission.name)
    ) {
      return { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
