import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createGrantConditionalDecision,
  grantConditions,
  createSessionConditionalDecision,
  sessionConditions,
  createUserConditionalDecision,
  userConditions,
} from '@active-sessions/plugin-sessions-node';

/**
 * The policy the router tests run against: `admin` may do anything; others
 * read and cut their own sessions and grants, except that users listed in
 * `readOnly` may read their grants but not revoke them; `managers` also
 * see, cut and offboard the members of groups they own; `recordingView`
 * narrows who may watch recordings, even for the admin: `own` sessions'
 * only, or `none`; `denied` names basic permissions refused to a user.
 */
export class ActiveSessionsTestPolicy implements PermissionPolicy {
  constructor(
    private readonly admin: string,
    private readonly options: {
      readOnly?: string[];
      managers?: string[];
      recordingView?: Record<string, 'own' | 'none'>;
      denied?: Record<string, string[]>;
    } = {},
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!user) return { result: AuthorizeResult.DENY };
    if (
      this.options.denied?.[user.info.userEntityRef]?.includes(permission.name)
    ) {
      return { result: AuthorizeResult.DENY };
    }
    const recordings = this.options.recordingView?.[user.info.userEntityRef];
    if (recordings && permission.name === 'sessions.recording.view') {
      return recordings === 'none'
        ? { result: AuthorizeResult.DENY }
        : createSessionConditionalDecision(
            permission as ResourcePermission<'session'>,
            sessionConditions.isSessionOwner({
              claims: user.info.ownershipEntityRefs,
            }),
          );
    }
    if (user.info.userEntityRef === this.admin) {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user.info.ownershipEntityRefs;
    const isManager = this.options.managers?.includes(user.info.userEntityRef);
    if (isResourcePermission(permission, 'session')) {
      const own = sessionConditions.isSessionOwner({ claims });
      return createSessionConditionalDecision(
        permission,
        isManager
          ? { anyOf: [own, sessionConditions.isManagedBy({ claims })] }
          : own,
      );
    }
    if (isResourcePermission(permission, 'sessions-user')) {
      return isManager
        ? createUserConditionalDecision(
            permission,
            userConditions.isUserManagedBy({ claims }),
          )
        : { result: AuthorizeResult.DENY };
    }
    if (isResourcePermission(permission, 'access-grant')) {
      if (
        permission.attributes.action === 'delete' &&
        this.options.readOnly?.includes(user.info.userEntityRef)
      ) {
        return { result: AuthorizeResult.DENY };
      }
      const own = grantConditions.isGrantOwner({ claims });
      return createGrantConditionalDecision(
        permission,
        isManager
          ? { anyOf: [own, grantConditions.isGrantManagedBy({ claims })] }
          : own,
      );
    }
    if (isManager && permission.name === 'sessions.user.offboard') {
      return { result: AuthorizeResult.ALLOW };
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
