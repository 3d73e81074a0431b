import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  AWAITING_CODE_CLAIM,
  AWAITING_CODE_MESSAGE,
  canonicalEntityRef,
} from '@active-sessions/plugin-sessions-common';
import {
  SIGNED_OUT_MESSAGE,
  WhenUnavailable,
  tokenProof,
} from '@active-sessions/plugin-sessions-node';
import { readPortalSettings } from '../config';
import { SignOutList } from '../database/SignOutStore';

const LIMITED_USER_TOKEN_TYPE = 'vnd.backstage.limited-user';
/** The JWT types of user tokens and of the limited tokens made from them. */
const USER_TOKEN_TYPES = new Set([
  'vnd.backstage.user',
  LIMITED_USER_TOKEN_TYPE,
]);

/**
 * A sign-in id the registry always treats as ended: the sessions plugin
 * authenticates a token carrying it at startup, and only the token check
 * refuses it with this message, which proves the check is installed.
 */
export const SELF_TEST_SID = 'active-sessions-self-test';

/**
 * The sign-outs every plugin in this process enforces, kept in memory so
 * a token check costs a set lookup. The sessions plugin refreshes it from
 * the database every few seconds; each plugin's token check reads it.
 *
 * @public
 */
export class SignOutRegistry {
  private list: SignOutList = {
    endedSignIns: [],
    endedTokenProofs: [],
    notBefore: new Map(),
  };
  private ended = new Set<string>();
  private endedTokens = new Set<string>();
  private refreshedAt: number | undefined;

  constructor(
    private readonly options: {
      /** The list counts as unavailable when older than this. */
      staleAfterMs: number;
      whenUnavailable: WhenUnavailable;
      now?: () => number;
    },
  ) {}

  private now() {
    return (this.options.now ?? Date.now)();
  }

  /** Replaces the list with a fresh read of the database. */
  update(list: SignOutList) {
    this.list = list;
    this.ended = new Set(list.endedSignIns);
    this.endedTokens = new Set(list.endedTokenProofs);
    this.refreshedAt = this.now();
  }

  /** Whether the list is recent enough to go by. */
  isCurrent(): boolean {
    return (
      this.refreshedAt !== undefined &&
      this.now() - this.refreshedAt <= this.options.staleAfterMs
    );
  }

  /**
   * Throws for a user or limited user token that was signed out: its
   * sign-in ended (a limited token's, named by its signature part), or
   * issued before its user's cutoff; or issued while its sign-in waited
   * for its code, unless `allowAwaitingCode` (the sessions plugin, whose
   * code screen routes take it). Other tokens (service, external) and
   * undecodable ones pass: the handlers behind this check verify them.
   */
  check(token: string, options: { allowAwaitingCode?: boolean } = {}) {
    let typ: string;
    let claims: {
      sub?: string;
      sid?: unknown;
      iat?: number;
      [AWAITING_CODE_CLAIM]?: unknown;
    };
    try {
      typ = String(decodeProtectedHeader(token).typ);
      if (!USER_TOKEN_TYPES.has(typ)) return;
      claims = decodeJwt(token);
    } catch {
      return;
    }
    const sid = typeof claims.sid === 'string' ? claims.sid : undefined;
    if (sid === SELF_TEST_SID)
      throw new AuthenticationError(SIGNED_OUT_MESSAGE);
    if (claims[AWAITING_CODE_CLAIM] === true && !options.allowAwaitingCode) {
      throw new AuthenticationError(AWAITING_CODE_MESSAGE);
    }
    if (!this.isCurrent() && this.options.whenUnavailable === 'deny') {
      throw new AuthenticationError(
        'Active Sessions cannot tell whether this sign-in was ended; try again shortly',
      );
    }
    if (sid && this.ended.has(sid)) {
      throw new AuthenticationError(SIGNED_OUT_MESSAGE);
    }
    // Hashing only while there is something to find.
    if (
      typ === LIMITED_USER_TOKEN_TYPE &&
      this.endedTokens.size > 0 &&
      this.endedTokens.has(tokenProof(token.slice(token.lastIndexOf('.') + 1)))
    ) {
      throw new AuthenticationError(SIGNED_OUT_MESSAGE);
    }
    // Cutoffs are keyed by the canonical ref; the token keeps the catalog's case.
    const cutoff = claims.sub
      ? this.list.notBefore.get(canonicalEntityRef(claims.sub))
      : undefined;
    if (cutoff !== undefined && (claims.iat ?? 0) * 1000 < cutoff) {
      throw new AuthenticationError(
        'Tokens of this user issued before their sign-outs are refused; sign in again',
      );
    }
  }
}

/**
 * The process's {@link SignOutRegistry}. Root-scoped so that the sessions
 * plugin (which fills it) and every plugin's token check share it.
 *
 * @public
 */
export const signOutRegistryServiceRef = createServiceRef<SignOutRegistry>({
  id: 'sessions.sign-out-registry',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => {
        const { refreshMs, whenUnavailable } = readPortalSettings(config);
        return new SignOutRegistry({
          // Three missed refreshes before the list counts as unavailable.
          staleAfterMs: refreshMs * 3 + 1000,
          whenUnavailable,
        });
      },
    }),
});
