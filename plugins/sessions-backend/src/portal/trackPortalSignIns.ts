import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { SIGN_IN_ID_CLAIM } from '@internal/plugin-sessions-common';
import {
  AuthProviderFactory,
  AuthResolverContext,
} from '@backstage/plugin-auth-node';
import type { Request, Response } from 'express';
import { PortalSessions } from './PortalSessions';
import { SIGNED_OUT_MESSAGE } from './signOutRegistry';

/** The cookie that names a browser's sign-in across token refreshes. */
export const SIGN_IN_COOKIE = 'backstage-portal-sign-in';

/** The request being handled, for `issueToken`, which is not given it. */
const current = new AsyncLocalStorage<{ req: Request; res: Response }>();

type Handler = (req: Request, res: Response) => Promise<void>;

const inRequest =
  (handler: Handler): Handler =>
  (req, res) =>
    current.run({ req, res }, () => handler(req, res));

/**
 * The sign-in of the browser making the current request: the one its
 * cookie names while still open, else a new one. Refuses a sign-in ended
 * from Active Sessions, so that browser has to sign in again.
 */
async function signInOfThisBrowser(
  portal: PortalSessions,
  userRef: string,
): Promise<string> {
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
  const known: string | undefined = req.cookies?.[SIGN_IN_COOKIE];
  if (known) {
    const state = await portal.touch(known);
    if (state === 'open') return known;
    if (state === 'ended') {
      res.clearCookie(SIGN_IN_COOKIE, cookie);
      throw new AuthenticationError(SIGNED_OUT_MESSAGE);
    }
    // Unknown here (the sessions database was reset): a new sign-in.
  }
  const sid = randomUUID();
  await portal.start({
    sid,
    userRef,
    ipAddress: req.ip,
    userAgent: req.get('user-agent'),
  });
  res.cookie(SIGN_IN_COOKIE, sid, cookie);
  return sid;
}

/** A sign-in Active Sessions refused (ended, locked), not an outage. */
const isRefusal = (error: unknown) =>
  error instanceof AuthenticationError || error instanceof NotAllowedError;

/**
 * Makes every sign-in through this provider a `portal` session in Active
 * Sessions: the token gets a `sid` claim naming it, each token refresh is
 * its activity, a sign-in ended from the page cannot refresh, and the
 * provider's logout ends it. Wrap any provider factory with it (GitHub,
 * OIDC, guest…) and register the result under the provider's id instead
 * of the stock module.
 */
export function trackPortalSignIns(
  factory: AuthProviderFactory,
  portal: PortalSessions,
  settings: {
    /**
     * When Active Sessions cannot be reached: `allow` signs in without a
     * tracked sign-in (the token has no `sid`), `deny` refuses to sign in.
     */
    whenUnavailable?: 'allow' | 'deny';
  } = {},
): AuthProviderFactory {
  const whenUnavailable = settings.whenUnavailable ?? 'allow';
  return options => {
    const context = options.resolverContext;
    // Resolvers issue tokens through the context, also inside
    // signInWithCatalogUser: the sign-in id joins the claims there.
    const resolverContext: AuthResolverContext = Object.create(context, {
      issueToken: {
        value: async (
          params: Parameters<AuthResolverContext['issueToken']>[0],
        ) => {
          let sid: string | undefined;
          try {
            sid = await signInOfThisBrowser(portal, params.claims.sub);
          } catch (error) {
            if (isRefusal(error) || whenUnavailable === 'deny') throw error;
            options.logger.warn(
              `Active Sessions unreachable; signing in without a tracked sign-in: ${error}`,
            );
          }
          return context.issueToken({
            ...params,
            claims: sid
              ? { ...params.claims, [SIGN_IN_ID_CLAIM]: sid }
              : params.claims,
          });
        },
      },
    });
    const handlers = factory({ ...options, resolverContext });
    const logout: Handler = async (req, res) => {
      const sid: string | undefined = req.cookies?.[SIGN_IN_COOKIE];
      if (sid) {
        await portal.end(sid);
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
