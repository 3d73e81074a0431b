import {
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';

/**
 * The permission resource type of a session.
 *
 * @public
 */
export const SESSION_RESOURCE_TYPE = 'session';

/**
 * See a session: its resource, device, address and status.
 *
 * @public
 */
export const sessionReadPermission = createPermission({
  name: 'sessions.session.read',
  attributes: { action: 'read' },
  resourceType: SESSION_RESOURCE_TYPE,
});

/**
 * End a session.
 *
 * @public
 */
export const sessionTerminatePermission = createPermission({
  name: 'sessions.session.terminate',
  attributes: { action: 'delete' },
  resourceType: SESSION_RESOURCE_TYPE,
});

/**
 * Follow the link to a session's recording. Seeing that a session was
 * recorded needs only read; where to watch it needs this as well.
 *
 * @public
 */
export const sessionRecordingViewPermission = createPermission({
  name: 'sessions.recording.view',
  attributes: { action: 'read' },
  resourceType: SESSION_RESOURCE_TYPE,
});

/**
 * The permission resource type of an elevated grant.
 *
 * @public
 */
export const GRANT_RESOURCE_TYPE = 'access-grant';

/**
 * See a Device Admin or Timed Access grant.
 *
 * @public
 */
export const grantReadPermission = createPermission({
  name: 'sessions.grant.read',
  attributes: { action: 'read' },
  resourceType: GRANT_RESOURCE_TYPE,
});

/**
 * Revoke a grant before it expires.
 *
 * @public
 */
export const grantRevokePermission = createPermission({
  name: 'sessions.grant.revoke',
  attributes: { action: 'delete' },
  resourceType: GRANT_RESOURCE_TYPE,
});

/**
 * The session permissions.
 *
 * @public
 */
export const sessionsPermissions = [
  sessionReadPermission,
  sessionTerminatePermission,
  sessionRecordingViewPermission,
];

/**
 * The grant permissions.
 *
 * @public
 */
export const grantPermissions = [grantReadPermission, grantRevokePermission];

/**
 * See the connectors: which are online, when each last read its orders, and
 * how many orders wait. A basic permission: connectors are infrastructure,
 * not anyone's resource.
 *
 * @public
 */
export const connectorReadPermission = createPermission({
  name: 'sessions.connector.read',
  attributes: { action: 'read' },
});

/**
 * Offboard people: see the People view, end everything they hold and lock
 * them against new sessions and grants. What is cut is still limited by
 * the session terminate and grant revoke permissions.
 *
 * @public
 */
export const userOffboardPermission = createPermission({
  name: 'sessions.user.offboard',
  attributes: { action: 'delete' },
});

/**
 * The permission resource type of a person, as offboarding sees them.
 *
 * @public
 */
export const USER_RESOURCE_TYPE = 'sessions-user';

/**
 * Lock a person against new sessions and grants. Offboarding locks each
 * person first and needs this for every one of them; a policy narrows it,
 * for example to the members of groups the caller owns.
 *
 * @public
 */
export const userLockPermission = createPermission({
  name: 'sessions.user.lock',
  attributes: { action: 'update' },
  resourceType: USER_RESOURCE_TYPE,
});

/**
 * Lift the lock offboarding set on a person. Scoped like
 * `sessions.user.lock`: a policy narrows it, for example to the members
 * of groups the caller owns; the lock list shows only people the caller
 * may lock.
 *
 * @public
 */
export const userUnlockPermission = createPermission({
  name: 'sessions.user.unlock',
  attributes: { action: 'update' },
  resourceType: USER_RESOURCE_TYPE,
});

/**
 * Choose one's own idle and disconnect times, within the bounds the portal
 * sets (`sessions.personalTimeouts`). A basic permission: it is about the
 * caller's own sessions; a policy may deny it, for example to contractors.
 *
 * @public
 */
export const personalTimeoutsUpdatePermission = createPermission({
  name: 'sessions.timeouts.update',
  attributes: { action: 'update' },
});

/**
 * Every permission of Active Sessions, for a policy that answers these and
 * leaves other plugins' permissions to its other branches.
 *
 * @public
 */
export const activeSessionsPermissions: Permission[] = [
  ...sessionsPermissions,
  ...grantPermissions,
  connectorReadPermission,
  userOffboardPermission,
  userLockPermission,
  userUnlockPermission,
  personalTimeoutsUpdatePermission,
];

/**
 * Whether a permission is one of Active Sessions'.
 *
 * @public
 */
export function isActiveSessionsPermission(permission: Permission): boolean {
  return activeSessionsPermissions.some(ours => ours.name === permission.name);
}
