import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
  SignInResolver,
} from '@backstage/plugin-auth-node';
import {
  PortalSessions,
  readWhenUnavailable,
  trackPortalSignIns,
} from '@active-sessions/plugin-sessions-node';

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
 * Signs in as the configured guest (`auth.providers.guest.userEntityRef`)
 * with the ownership the catalog gives them, like the stock guest provider.
 */
function signInAsGuest(config: Config): SignInResolver<unknown> {
  const userRef =
    config.getOptionalString('userEntityRef') ?? 'user:development/guest';
  const configuredClaims = config.getOptionalStringArray(
    'ownershipEntityRefs',
  ) ?? [userRef];
  return async (_info, ctx) => {
    let ent = configuredClaims;
    try {
      const { entity } = await ctx.findCatalogUser({ entityRef: userRef });
      ent = (await ctx.resolveOwnershipEntityRefs(entity)).ownershipEntityRefs;
    } catch {
      // Not in the catalog: the configured claims, as the stock guest does.
    }
    return ctx.issueToken({ claims: { sub: userRef, ent } });
  };
}

/**
 * The guest provider with tracked sign-ins. It replaces
 * `@backstage/plugin-auth-backend-module-guest-provider` (a provider id
 * can be registered once): install one or the other.
 *
 * @public
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
        providers.registerProvider({
          providerId: 'guest',
          factory: trackPortalSignIns(
            createProxyAuthProviderFactory({
              authenticator: guestAuthenticator,
              signInResolver: signInAsGuest(
                // The auth plugin starts the provider only when configured.
                config.getOptionalConfig('auth.providers.guest') ??
                  new ConfigReader({}),
              ),
            }),
            new PortalSessions(discovery, auth),
            {
              whenUnavailable: readWhenUnavailable(config),
            },
          ),
        });
      },
    });
  },
});
