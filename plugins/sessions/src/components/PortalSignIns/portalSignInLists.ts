import {
  LIVE_SESSION_STATUSES,
  ListSessionsRequest,
  PORTAL_SOURCE,
} from '@active-sessions/plugin-sessions-common';

/** The caller's sign-ins that still hold access, latest activity first. */
export const openSignIns: ListSessionsRequest = {
  type: [PORTAL_SOURCE],
  status: [...LIVE_SESSION_STATUSES],
  sort: 'lastActivityAt',
  order: 'desc',
  limit: 100,
};

/** The caller's latest ended sign-ins. */
export const endedSignIns: ListSessionsRequest = {
  type: [PORTAL_SOURCE],
  status: ['disconnected'],
  sort: 'endedAt',
  order: 'desc',
  limit: 20,
};
