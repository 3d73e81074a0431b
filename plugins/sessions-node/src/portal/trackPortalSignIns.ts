import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac, randomBytes } from 'node:crypto';
import {
  AuthenticationError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AWAITING_CODE_CLAIM,
  SIGN_IN_ID_CLAIM,
  canonicalEntityRef,
} from '@active-sessions/plugin-sessions-common';
import {
  AuthProviderFactory,
  AuthResolverContext,
} from '@backstage/plugin-auth-node';
import type { Request, Response } from 'express';
import { decodeJwt } from 'jose';
import { PortalSessions, isUnavailable } from './PortalSessions';
import { SIGNED_OUT_MESSAGE, tokenProof } from './tokenProof';
import { WhenUnavailable } from './whenUnavailable';

/**
 * The cookie that binds a browser to its sign-in across token refreshes,
 * `<secret>.<user ref>`; the sign-in id is a keyed hash of the two.
 *
 * @public
 */
export const SIGN_IN_COOKIE = 'backstage-portal-sign-in';

/**
 * The cookie that names a browser across sign-ins, so one that passed the
 * second factor at sign-in is remembered (second factor `newDevice`).
 * A browser that must pass gets a new secret first, and Active Sessions
 * keeps only that secret's SHA-256: a cookie set by hand, before or after,
 * names no browser that passed.
 *
 * @public
 */
export const DEVICE_COOKIE = 'backstage-portal-device';

/** Browsers keep a cookie for at most 400 days. */
const DEVICE_COOKIE_MAX_AGE_MS = 400 * 24 * 3_600_000;

/** 32 random bytes, base64url. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * The id of the sign-in of the browser that holds `secret`, as `userRef`:
 * a keyed hash, shaped as a UUID. Sign-in ids are no secret (they are in
 * every token and on the Active Sessions page), so the cookie carries what
 * they are derived from: only the browser itself can name its sign-in to
 * refresh or log out, and a cookie left by someone else names none of the
 * caller's.
 */
function signInId(secret: string, userRef: string): string {
  const hash = createHmac('sha256', secret).update(userRef).digest();
  hash[6] = (hash[6] & 0x0f) | 0x80; // version 8: application-defined
  hash[8] = (hash[8] & 0x3f) | 0x80; // the RFC 9562 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}

/**
 * The sign-in the request's cookie holds. Anything but a cookie this
 * code wrote (a bare sign-in id, an older format, something set by hand)
 * holds none.
 */
function signInOfCookie(
  req: Request,
): { sid: string; userRef: string } | undefined {
  const value: unknown = req.cookies?.[SIGN_IN_COOKIE];
  if (typeof value !== 'string') return undefined;
  const dot = value.indexOf('.');
  const secret = value.slice(0, dot);
  const userRef = value.slice(dot + 1);
  if (dot < 0 || !SECRET.test(secret) || !userRef) return undefined;
  return { sid: signInId(secret, userRef), userRef };
}

/** The request being handled, for `issueToken`, which is not given it. */
const current = new AsyncLocalStorage<{ req: Request; res: Response }>();

type Handler = (req: Request, res: Response) => Promise<void>;

const inRequest =
  (handler: Handler): Handler =>
  (req, res) =>
    current.run({ req, res }, () => handler(req, res));

/**
 * The sign-in of the browser making the current request: the one its
 * cookie holds while still open and the caller's, else a new one; and
 * whether it waits for its person's authenticator code. Refuses a sign-in
 * ended from Active Sessions, so that browser has to sign in again.
 */
async function signInOfThisBrowser(
  portal: PortalSessions,
  userRef: string,
): Promise<{ sid: string; awaitingCode: boolean }> {
  const http = current.getStore();
  if (!http) throw new Error('portal sign-in outside a request');
  const { req, res } = http;
  const cookie = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: req.secure,
    // Every provider's routes, so switching providers keeps the sign-in.
    path: req.baseUrl || '/',
  };
  const caller = canonicalEntityRef(userRef);
  const held = signInOfCookie(req);
  // Someone else's cookie on this browser is neither resumed nor touched.
  if (held?.userRef === caller) {
    // Only read: a refresh is no sign of a person (the app refreshes on its
    // own before the token expires), or an untouched tab never went idle.
    const { signIn, awaitingCode } = await portal.secondFactor({
      sid: held.sid,
      decide: false,
    });
    if (signIn === 'open') return { sid: held.sid, awaitingCode };
    if (signIn === 'ended') {
      res.clearCookie(SIGN_IN_COOKIE, cookie);
      throw new AuthenticationError(SIGNED_OUT_MESSAGE);
    }
    // Unknown here (the sessions database was reset, or the secret was
    // made up): a new sign-in.
  }
  const secret = randomBytes(32).toString('base64url');
  const sid = signInId(secret, caller);
  await portal.start({
    sid,
    userRef,
    ipAddress: req.ip,
    userAgent: req.get('user-agent'),
  });
  res.cookie(SIGN_IN_COOKIE, `${secret}.${caller}`, cookie);
  const device: unknown = req.cookies?.[DEVICE_COOKIE];
  const next = randomBytes(32).toString('base64url');
  const { awaitingCode } = await portal.secondFactor({
    sid,
    deviceProof:
      typeof device === 'string' && SECRET.test(device)
        ? tokenProof(device)
        : undefined,
    nextDeviceProof: tokenProof(next),
    decide: true,
  });
  // A browser that must pass the code gets a device secret only this
  // backend made, and is remembered by it once it passes.
  if (awaitingCode) {
    res.cookie(DEVICE_COOKIE, next, {
      ...cookie,
      maxAge: DEVICE_COOKIE_MAX_AGE_MS,
    });
  }
  return { sid, awaitingCode };
}

/**
 * What identifies the limited tokens made from a user token, and when they
 * expire: a limited token's signature part is the token's `uip` claim.
 * None when the auth backend leaves `uip` out (no limited tokens then).
 */
function limitedTokensOf(
  token: string,
): { proof: string; expiresAt: Date } | undefined {
  const { uip, exp } = decodeJwt(token);
  if (typeof uip !== 'string' || typeof exp !== 'number') return undefined;
  return { proof: tokenProof(uip), expiresAt: new Date(exp * 1000) };
}

/** A sign-in Active Sessions refused (ended, locked), not an outage. */
const isRefusal = (error: unknown) =>
  error instanceof AuthenticationError || error instanceof NotAllowedError;

/**
 * Makes every sign-in through this provider a `portal` session in Active
 * Sessions: the token gets a `sid` claim naming it and is recorded against
 * it (so are the limited tokens made from it), a sign-in ended from the
 * page cannot refresh, and the
 * provider's logout ends it. Wrap any provider factory with it (GitHub,
 * OIDC, guest…) and register the result under the provider's id instead
 * of the stock module.
 *
 * @public
 */
export function trackPortalSignIns(
  factory: AuthProviderFactory,
  portal: PortalSessions,
  settings: {
    /**
     * When Active Sessions cannot be reached or fails (5xx): `allow` signs
     * in without a tracked sign-in (the token has no `sid`), or without a
     * record of the token (its limited tokens outlive a sign-out); `deny`
     * refuses to sign in. Any other error refuses the sign-in either way.
     */
    whenUnavailable?: WhenUnavailable;
  } = {},
): AuthProviderFactory {
  const whenUnavailable = settings.whenUnavailable ?? 'allow';
  return options => {
    const { logger } = options;
    const context = options.resolverContext;

    /**
     * A call to Active Sessions the sign-in depends on. Its refusals stand;
     * any other answer (a 4xx) refuses the sign-in: what it did not record
     * would escape it. An outage goes by `whenUnavailable`: refused, or
     * the sign-in goes on without the record (undefined).
     */
    async function dependingOn<T>(
      call: () => Promise<T>,
      what: { record: string; without: string },
    ): Promise<T | undefined> {
      try {
        return await call();
      } catch (error) {
        if (isRefusal(error)) throw error;
        if (!isUnavailable(error)) {
          logger.error(
            `Active Sessions did not record ${what.record}, refusing the sign-in: ${error}`,
          );
          throw new NotAllowedError(
            'Active Sessions did not accept this sign-in',
            error,
          );
        }
        if (whenUnavailable === 'deny') {
          throw new ServiceUnavailableError(
            'Active Sessions is unavailable; signing in is not possible until it is back',
            error,
          );
        }
        logger.warn(
          `Active Sessions unavailable; signing in ${what.without}: ${error}`,
        );
        return undefined;
      }
    }

    // Resolvers issue tokens through the context, also inside
    // signInWithCatalogUser: the sign-in id joins the claims there.
    const resolverContext: AuthResolverContext = Object.create(context, {
      issueToken: {
        value: async (
          params: Parameters<AuthResolverContext['issueToken']>[0],
        ) => {
          const user = params.claims.sub;
          const signIn = await dependingOn(
            () => signInOfThisBrowser(portal, user),
            { record: `a sign-in of ${user}`, without: 'a tracked sign-in' },
          );
          const sid = signIn?.sid;
          const awaitingCode = signIn?.awaitingCode ?? false;
          const issued = await context.issueToken({
            ...params,
            claims: sid
              ? {
                  ...params.claims,
                  [SIGN_IN_ID_CLAIM]: sid,
                  // Refused everywhere but the code screen until the code.
                  ...(awaitingCode ? { [AWAITING_CODE_CLAIM]: true } : {}),
                }
              : params.claims,
          });
          const limited = sid ? limitedTokensOf(issued.token) : undefined;
          if (sid && limited) {
            // Before the token is handed out: its limited tokens carry no
            // sid, and only this record cuts them with the sign-in.
            await dependingOn(
              () => portal.recordToken({ sid, ...limited, awaitingCode }),
              {
                record: `a token of a sign-in of ${user}`,
                without: 'with limited tokens that outlive a sign-out',
              },
            );
          }
          return issued;
        },
      },
    });
    const handlers = factory({ ...options, resolverContext });
    const logout: Handler = async (req, res) => {
      if (req.cookies?.[SIGN_IN_COOKIE] !== undefined) {
        // Only the browser holding a sign-in's secret can name it here.
        const held = signInOfCookie(req);
        if (held) await portal.end(held.sid);
        res.clearCookie(SIGN_IN_COOKIE, { path: req.baseUrl || '/' });
      }
      if (handlers.logout) await handlers.logout(req, res);
      else res.status(200).end();
    };
    return {
      start: inRequest(handlers.start.bind(handlers)),
      frameHandler: inRequest(handlers.frameHandler.bind(handlers)),
      refresh: handlers.refresh && inRequest(handlers.refresh.bind(handlers)),
      logout: inRequest(logout),
    };
  };
}
