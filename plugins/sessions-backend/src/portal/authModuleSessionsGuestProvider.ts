import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import {
  AuthProviderFactory,
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
  SignInResolver,
} from '@backstage/plugin-auth-node';
import type { Request, Response } from 'express';
import { PortalSessions } from './PortalSessions';

/** The cookie that names a browser's sign-in across token refreshes. */
export const SIGN_IN_COOKIE = 'backstage-portal-sign-in';

/** The request being handled, for the resolver, which is not given it. */
const current = new AsyncLocalStorage<{ req: Request; res: Response }>();

/**
 * Runs a provider's route handlers with their request and response in
 * reach of its sign-in resolver.
 */
function withRequest(factory: AuthProviderFactory): AuthProviderFactory {
  return options => {
    const handlers = factory(options);
    const wrap =
      (handler: (req: Request, res: Response) => Promise<void>) =>
      (req: Request, res: Response) =>
        current.run({ req, res }, () => handler(req, res));
    return {
      start: wrap(handlers.start.bind(handlers)),
      frameHandler: wrap(handlers.frameHandler.bind(handlers)),
      refresh: handlers.refresh && wrap(handlers.refresh.bind(handlers)),
      logout: handlers.logout && wrap(handlers.logout.bind(handlers)),
    };
  };
}

const guestAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }) {
    const allowed = config.getOptionalBoolean(
      'dangerouslyAllowOutsideDevelopment',
    );
    return { disabled: process.env.NODE_ENV !== 'development' && !allowed };
  },
  async authenticate(_, { disabled }) {
    if (disabled) {
      throw new NotAllowedError(
        "The guest provider cannot be used outside of a development environment unless 'auth.providers.guest.dangerouslyAllowOutsideDevelopment' is enabled",
      );
    }
    return { result: {} };
  },
});

/**
 * Signs in as the configured guest, and makes each browser's sign-in a
 * `portal` session: a new sign-in is reported (with address and browser)
 * and its id goes into the token as `sid` and into an http-only cookie;
 * every refresh reports activity, and a sign-in ended from the Active
 * Sessions page is refused, so that browser has to sign in again.
 */
function signInAsTrackedGuest(
  config: Config,
  portal: PortalSessions,
): SignInResolver<unknown> {
  const userRef =
    config.getOptionalString('userEntityRef') ?? 'user:development/guest';
  const configuredClaims = config.getOptionalStringArray(
    'ownershipEntityRefs',
  ) ?? [userRef];
  return async (_info, ctx) => {
    const http = current.getStore();
    if (!http) throw new Error('guest sign-in outside a request');
    const { req, res } = http;
    const cookie = {
      httpOnly: true,
      sameSite: 'lax' as const,
      path: req.baseUrl || '/',
    };
    let sid: string | undefined = req.cookies?.[SIGN_IN_COOKIE];
    if (sid) {
      const state = await portal.touch(sid);
      if (state === 'ended') {
        res.clearCookie(SIGN_IN_COOKIE, cookie);
        throw new AuthenticationError(
          'This sign-in was ended from Active Sessions; sign in again',
        );
      }
      // Unknown here (the sessions database was reset): a new sign-in.
      if (state === 'unknown') sid = undefined;
    }
    if (!sid) {
      sid = randomUUID();
      await portal.start({
        sid,
        userRef,
        ipAddress: req.ip,
        userAgent: req.get('user-agent'),
      });
      res.cookie(SIGN_IN_COOKIE, sid, cookie);
    }
    let ent = configuredClaims;
    try {
      const { entity } = await ctx.findCatalogUser({ entityRef: userRef });
      ent = (await ctx.resolveOwnershipEntityRefs(entity)).ownershipEntityRefs;
    } catch {
      // Not in the catalog: the configured claims, as the stock guest does.
    }
    return ctx.issueToken({ claims: { sub: userRef, ent, sid } });
  };
}

/**
 * The guest provider with tracked sign-ins. It replaces
 * `@backstage/plugin-auth-backend-module-guest-provider` (a provider id
 * can be registered once): install one or the other.
 */
export const authModuleSessionsGuestProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'sessions-guest-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ providers, config, discovery, auth }) {
        const portal = new PortalSessions(discovery, auth);
        providers.registerProvider({
          providerId: 'guest',
          factory: withRequest(
            createProxyAuthProviderFactory({
              authenticator: guestAuthenticator,
              signInResolver: signInAsTrackedGuest(
                // The auth plugin starts the provider only when configured.
                config.getOptionalConfig('auth.providers.guest') ??
                  new ConfigReader({}),
                portal,
              ),
            }),
          ),
        });
      },
    });
  },
});
