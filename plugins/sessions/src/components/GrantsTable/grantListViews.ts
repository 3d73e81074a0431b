import { GrantKind } from '@active-sessions/plugin-sessions-common';

/**
 * One tab of grants: which kind, what its target is called, and what to say
 * when there are none.
 */
export interface GrantListView {
  kind: GrantKind;
  /** The column title of the grant's target. */
  targetTitle: string;
  searchPlaceholder: string;
  emptyTitle: string;
  emptyDescription: string;
}

export const deviceAdminGrantsView: GrantListView = {
  kind: 'device_admin',
  targetTitle: 'Device',
  searchPlaceholder: 'Device or user',
  emptyTitle: 'No device admin grants',
  emptyDescription:
    'Nobody here holds admin or sudo rights on a device right now. Grants from a privilege-elevation broker or MDM show up as soon as they start.',
};

export const timedAccessGrantsView: GrantListView = {
  kind: 'timed_access',
  targetTitle: 'Resource',
  searchPlaceholder: 'Resource or user',
  emptyTitle: 'No timed access grants',
  emptyDescription:
    'Nobody here holds temporary access to a resource right now. Approved access requests show up as soon as they start.',
};
