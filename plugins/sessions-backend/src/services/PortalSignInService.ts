import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  OPEN_SESSION_STATUSES,
  PortalHeartbeat,
  PortalStatus,
} from '@internal/plugin-sessions-common';
import { SessionStore } from '../database/SessionStore';
import { PORTAL_SOURCE } from '@internal/plugin-sessions-common';
import { tokenCheckIsInstalled } from '../portal/tokenCheckSelfTest';
import { callerRef } from './callerRef';

/**
 * What an open portal tab asks about its own sign-in: is it still open
 * (then this is its activity), and do sign-outs really cut tokens here.
 */
export class PortalSignInService {
  private enforced: Promise<boolean> | undefined;

  constructor(
    private readonly options: {
      store: SessionStore;
      auth: AuthService;
      refreshMs: number;
      heartbeatMs: number;
      now?: () => number;
    },
  ) {}

  /**
   * Needs no permission beyond being the signed-in person: it concerns
   * only the sign-in whose id the caller's own token carries, as a token
   * refresh does. Someone else's sign-in id is "unknown".
   */
  async heartbeat(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    sid: string,
  ): Promise<PortalHeartbeat> {
    const [signIn] = await this.options.store.listSessions({
      userRef: callerRef(credentials),
      source: PORTAL_SOURCE,
      externalIds: [sid],
      sort: 'startedAt',
      order: 'desc',
      limit: 1,
    });
    if (!signIn) return { state: 'unknown' };
    if (!OPEN_SESSION_STATUSES.includes(signIn.status)) {
      return { state: 'ended' };
    }
    const now = (this.options.now ?? Date.now)();
    await this.options.store.recordActivity(PORTAL_SOURCE, [sid], now);
    return { state: 'open' };
  }

  async status(): Promise<PortalStatus> {
    // The self-test's answer cannot change while the process runs.
    this.enforced ??= tokenCheckIsInstalled(this.options.auth);
    return {
      tokenCheck: (await this.enforced) ? 'enforced' : 'advisory',
      refreshIntervalMs: this.options.refreshMs,
      heartbeatIntervalMs: this.options.heartbeatMs,
    };
  }
}
