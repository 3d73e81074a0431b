import { createApiRef } from '@backstage/core-plugin-api';
import {
  AccessGrant,
  ConnectorStatus,
  EndSessionsResult,
  GrantPage,
  GrantStats,
  GrantRevokeResult,
  ListGrantsRequest,
  ListSessionsRequest,
  Session,
  SessionPage,
  SessionStats,
  MfaEnrolment,
  MfaStatus,
  OffboardPreview,
  OffboardResult,
  PersonSummary,
  UserLock,
  PersonalTimeoutsBody,
  SecondFactorBody,
  StepUpProof,
  PortalHeartbeat,
  PortalStatus,
  SessionsCapabilities,
  SessionsSettingsInfo,
} from '@active-sessions/plugin-sessions-common';

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
  getStats(options?: { user?: string; all?: boolean }): Promise<SessionStats>;
  getSession(id: string): Promise<Session>;
  /**
   * Ends one session; resolves to the session as it is now: `terminating`
   * until its connector confirms the cut, then `disconnected`.
   */
  endSession(id: string): Promise<Session>;
  /**
   * Reports one of the caller's own sessions as not theirs: it ends (if
   * open), security is told, and with `endOthers` every other open session
   * of theirs ends too, but `exceptId` (this browser's sign-in). Resolves
   * to the session, now marked reported.
   */
  reportSession(
    id: string,
    report: { note: string; endOthers?: boolean; exceptId?: string },
  ): Promise<Session>;
  /** Ends every open session of the caller, except `exceptId` if given. */
  endAllSessions(options?: {
    exceptId?: string;
    /** Only sessions from this connector: `portal` for sign-ins. */
    source?: string;
  }): Promise<EndSessionsResult>;
  /** The limits, timeouts and idle warning that apply. */
  getSettings(): Promise<SessionsSettingsInfo>;
  /**
   * Whether the policy lets the caller read anyone else's sessions and
   * grants: where lists offer "Everyone I may see".
   */
  getCapabilities(): Promise<SessionsCapabilities>;
  /** Whether signing a browser out cuts its tokens in this portal. */
  getPortalStatus(): Promise<PortalStatus>;
  /**
   * An open tab's sign-in is still there; says if it was ended. `active`:
   * whether the person used the tab since its last heartbeat (only then
   * does it count as the sign-in's activity).
   */
  portalHeartbeat(sid: string, active: boolean): Promise<PortalHeartbeat>;

  /**
   * One page of Device Admin and Timed Access grants: the caller's own, or
   * `user`'s, or with `all` every grant the policy lets the caller read.
   */
  listGrants(request?: ListGrantsRequest): Promise<GrantPage>;
  /** The caller's own grants in force per kind, and those being revoked. */
  getGrantStats(): Promise<GrantStats>;
  getGrant(id: string): Promise<AccessGrant>;
  /** Cuts one grant before its expiry; resolves to the grant, now revoked. */
  revokeGrant(id: string): Promise<AccessGrant>;
  /**
   * Revokes each of `ids` on its own: the result has one outcome per id, so
   * a denied or vanished grant does not stop the others.
   */
  revokeGrants(ids: string[]): Promise<GrantRevokeResult>;
  /** Hands back one of the caller's own grants before it expires. */
  giveBackGrant(id: string): Promise<AccessGrant>;

  /** The connectors, online or not, with the orders waiting for each. */
  listConnectors(): Promise<ConnectorStatus[]>;

  /** The caller's second factor, and which actions need a step-up. */
  getMfaStatus(): Promise<MfaStatus>;
  /** Starts enrolment: a secret and its `otpauth://` URI to scan. */
  startMfaEnrolment(): Promise<MfaEnrolment>;
  /** Activates enrolment with a first code; the recovery codes, once. */
  activateMfa(code: string): Promise<{ recoveryCodes: string[] }>;
  /**
   * Sets the caller's own idle and disconnect times, within the portal's
   * ranges; resolves to the times that now apply to them.
   */
  choosePersonalTimeouts(
    chosen: PersonalTimeoutsBody,
  ): Promise<SessionsSettingsInfo['timeouts']>;
  /** Back to the portal's times. */
  resetPersonalTimeouts(): Promise<SessionsSettingsInfo['timeouts']>;
  /** Checks a code (or recovery code) and returns a step-up proof. */
  verifyStepUp(factor: SecondFactorBody): Promise<StepUpProof>;
  /** Turns the second factor off; needs a code or recovery code. */
  disableMfa(factor: SecondFactorBody): Promise<void>;
  /**
   * Gives the code a sign-in waits for (`sessions.signIn.secondFactor`);
   * the browser then signs in again to get tokens without the wait.
   */
  submitSignInCode(sid: string, factor: SecondFactorBody): Promise<void>;

  /** People holding access you may see, whose entity ref contains `q`. */
  listPeople(q?: string): Promise<PersonSummary[]>;
  /** What offboarding these people would cut. */
  previewOffboarding(userRefs: string[]): Promise<OffboardPreview[]>;
  /** Locks these people and cuts everything they hold. */
  offboard(userRefs: string[]): Promise<OffboardResult[]>;
  listLocks(): Promise<UserLock[]>;
  unlock(userRef: string): Promise<void>;
}

/** @public */
export const sessionsApiRef = createApiRef<SessionsApi>({
  id: 'plugin.sessions.api',
});
