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
import {
  GRANT_RESOURCE_TYPE,
  isActiveSessionsPermission,
  SESSION_RESOURCE_TYPE,
  personalTimeoutsUpdatePermission,
  sessionRecordingViewPermission,
} from '@active-sessions/plugin-sessions-common';
import { hasClaim } from './hasClaim';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * A company's policy, built from the README's recipes:
 * - everyone sees and ends their own sessions and grants;
 * - `sre-oncall` sees and ends anyone's SSH sessions (only SSH);
 * - `helpdesk` sees and revokes anyone's Device Admin grants (not Timed
 *   Access);
 * - everyone but `contractors` chooses their own idle timeout;
 * - only `security` watches recordings, of the sessions it may see;
 * - only `admins` offboard, lock and unlock people and see the Connectors
 *   tab; they see and cut every session and grant.
 * Other plugins' permissions are allowed.
 */
export class CompanyPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!isActiveSessionsPermission(permission)) return ALLOW;
    if (!user) return DENY;
    const claims = user.info.ownershipEntityRefs;

    // #region recordings
    // Recordings: security only. Answered before the admins' ALLOW below,
    // or admins would watch every recording too. It adds a Recording link
    // to sessions the caller may already see, no others.
    if (permission.name === sessionRecordingViewPermission.name) {
      return hasClaim(claims, 'group:default/security') ? ALLOW : DENY;
    }
    // #endregion recordings

    // Contractors keep the portal's idle times; everyone else may choose.
    if (permission.name === personalTimeoutsUpdatePermission.name) {
      return hasClaim(claims, 'group:default/contractors') ? DENY : ALLOW;
    }

    if (hasClaim(claims, 'group:default/admins')) return ALLOW;

    // #region sre-oncall
    // Sessions: everyone their own; SRE on-call also anyone's SSH sessions,
    // to see (read) and end (terminate) them.
    if (isResourcePermission(permission, SESSION_RESOURCE_TYPE)) {
      const own = sessionConditions.isSessionOwner({ claims });
      if (hasClaim(claims, 'group:default/sre-oncall')) {
        return createSessionConditionalDecision(permission, {
          anyOf: [
            own,
            sessionConditions.hasResourceType({ resourceTypes: ['ssh'] }),
          ],
        });
      }
      return createSessionConditionalDecision(permission, own);
    }
    // #endregion sre-oncall

    // #region helpdesk
    // Grants: everyone their own; helpdesk also anyone's Device Admin
    // grants, to see (read) and revoke them.
    if (isResourcePermission(permission, GRANT_RESOURCE_TYPE)) {
      const own = grantConditions.isGrantOwner({ claims });
      if (hasClaim(claims, 'group:default/helpdesk')) {
        return createGrantConditionalDecision(permission, {
          anyOf: [own, grantConditions.hasKind({ kinds: ['device_admin'] })],
        });
      }
      return createGrantConditionalDecision(permission, own);
    }
    // #endregion helpdesk

    // Offboarding, locking and unlocking people, the Connectors tab:
    // admins only, answered above.
    return DENY;
  }
}
