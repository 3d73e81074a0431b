import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ALLOWED_CLOCK_SKEW_MS,
  OPEN_SESSION_STATUSES,
  PortalHeartbeat,
  PortalStatus,
  PortalTokenProof,
} from '@active-sessions/plugin-sessions-common';
import { SessionStore } from '../database/SessionStore';
import { SignOutStore } from '../database/SignOutStore';
import { PORTAL_SOURCE } from '@active-sessions/plugin-sessions-common';
import { tokenCheckIsInstalled } from '../portal/tokenCheckSelfTest';
import { callerRef } from './callerRef';

/** Backstage issues user tokens for at most a day. */
const MAX_TOKEN_LIFETIME_MS = 24 * 3_600_000;

/**
 * What an open portal tab asks about its own sign-in: is it still open
 * (then, if the person used the tab, this is its activity), and do
 * sign-outs really cut tokens here;
 * and the tokens the auth plugin issues for each sign-in.
 */
export class PortalSignInService {
  private enforced: Promise<boolean> | undefined;

  constructor(
    private readonly options: {
      store: SessionStore;
      signOuts: SignOutStore;
      auth: AuthService;
      refreshMs: number;
      heartbeatMs: number;
      now?: () => number;
    },
  ) {}

  /**
   * Needs no permission beyond being the signed-in person: it concerns
   * only the sign-in whose id the caller's own token carries, as a token
   * refresh does. Someone else's sign-in id is "unknown". `active` says
   * whether the person used the tab since its last heartbeat; an open
   * tab alone is not someone at work, so only then is it activity.
   */
  async heartbeat(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    sid: string,
    active = true,
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
    if (signIn.codeDueAt) {
      // Not activity: a tab left at the code screen is not someone at work.
      return { state: 'awaiting-code', codeDueAt: signIn.codeDueAt };
    }
    if (active) {
      const now = (this.options.now ?? Date.now)();
      await this.options.store.recordActivity(PORTAL_SOURCE, [sid], now);
    }
    return { state: 'open' };
  }

  /**
   * Records a token issued for a sign-in, so that the limited tokens made
   * from it are refused once the sign-in ends. The caller is the auth
   * plugin (the connector route checks it). A record lives until the
   * token expires, so an expiry beyond any token's lifetime is refused.
   */
  async recordToken(token: PortalTokenProof): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    const expiresAt = Date.parse(token.expiresAt);
    if (expiresAt > now + MAX_TOKEN_LIFETIME_MS + ALLOWED_CLOCK_SKEW_MS) {
      throw new InputError(
        'body.expiresAt is more than a day from now; Backstage tokens live at most a day',
      );
    }
    await this.options.signOuts.recordTokenProof({
      sid: token.sid,
      proof: token.proof,
      expiresAt,
      awaitingCode: token.awaitingCode,
    });
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
