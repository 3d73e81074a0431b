/*
 * Sign-in through any OpenID Connect identity provider (Keycloak, Entra
 * ID, Okta, Auth0, Dex…), each browser a tracked portal sign-in. The
 * browser test signs in through it against a real OIDC provider
 * (e2e/oidcProvider.mjs) with e2e/app-config.e2e.yaml.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  commonSignInResolvers,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import {
  oidcAuthenticator,
  oidcSignInResolvers,
} from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  PortalSessions,
  readWhenUnavailable,
  trackPortalSignIns,
} from '@active-sessions/plugin-sessions-node';

/**
 * The `oidc` provider of @backstage/plugin-auth-backend-module-oidc-provider,
 * with every sign-in, token refresh and logout tracked in Active Sessions.
 * It replaces that module (a provider id registers once): install one or
 * the other. The auth plugin starts it only when `auth.providers.oidc` is
 * configured.
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'sessions-oidc-provider',
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
          providerId: 'oidc',
          factory: trackPortalSignIns(
            createOAuthProviderFactory({
              authenticator: oidcAuthenticator,
              signInResolverFactories: {
                ...oidcSignInResolvers,
                ...commonSignInResolvers,
              },
            }),
            new PortalSessions(discovery, auth),
            { whenUnavailable: readWhenUnavailable(config) },
          ),
        });
      },
    });
  },
});
