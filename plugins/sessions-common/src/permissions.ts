import { createPermission } from '@backstage/plugin-permission-common';

/** The permission resource type of a session. */
export const SESSION_RESOURCE_TYPE = 'session';

/** See a session: its resource, device, address and status. */
export const sessionReadPermission = createPermission({
  name: 'sessions.session.read',
  attributes: { action: 'read' },
  resourceType: SESSION_RESOURCE_TYPE,
});

/** End a session. */
export const sessionTerminatePermission = createPermission({
  name: 'sessions.session.terminate',
  attributes: { action: 'delete' },
  resourceType: SESSION_RESOURCE_TYPE,
});

/** Every permission the Active Sessions plugins declare. */
export const sessionsPermissions = [
  sessionReadPermission,
  sessionTerminatePermission,
];
