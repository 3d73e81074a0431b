import { createApiRef } from '@backstage/core-plugin-api';
import {
  EndSessionsResult,
  ListSessionsRequest,
  Session,
  SessionPage,
  SessionStats,
} from '@internal/plugin-sessions-common';

/**
 * What the Active Sessions page needs from the sessions backend. Components
 * talk to the backend only through this API.
 *
 * @public
 */
export interface SessionsApi {
  /** One page of the caller's sessions; pass `nextCursor` back for the next. */
  listSessions(request?: ListSessionsRequest): Promise<SessionPage>;
  /** Counters of the caller's open sessions. */
  getStats(options?: { user?: string }): Promise<SessionStats>;
  getSession(id: string): Promise<Session>;
  /** Ends one session; resolves to the session, now disconnected. */
  endSession(id: string): Promise<Session>;
  /** Ends every open session of the caller, except `exceptId` if given. */
  endAllSessions(options?: { exceptId?: string }): Promise<EndSessionsResult>;
}

/** @public */
export const sessionsApiRef = createApiRef<SessionsApi>({
  id: 'plugin.sessions.api',
});
