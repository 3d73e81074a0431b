/*
 * A real OpenID Connect provider for the browser test: `oidc-provider`
 * (the certified Node.js implementation) on loopback, with the client
 * e2e/app-config.e2e.yaml gives the portal's `oidc` sign-in provider. Its
 * development login form takes any login and password: the login is the
 * account, and its email is the login at example.com (unless it is an
 * email already), so `maria` signs in as maria@example.com, Maria Manager
 * in catalog/org.yaml. Refresh tokens are issued without `offline_access`
 * (Backstage asks for `openid profile email` and refreshes with the token
 * in its cookie), and revoked on Backstage's logout.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

export const OIDC_PORT = 7019;
export const OIDC_ISSUER = `http://127.0.0.1:${OIDC_PORT}`;
/** As in e2e/app-config.e2e.yaml (auth.providers.oidc.development). */
const CLIENT = {
  client_id: 'active-sessions-portal',
  client_secret: 'e2e-only-oidc-client-secret',
  redirect_uris: ['http://localhost:7017/api/auth/oidc/handler/frame'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
};

/** The account a login names: email and name from the login. */
function account(login) {
  const email = login.includes('@') ? login : `${login}@example.com`;
  const name = email
    .split('@')[0]
    .split(/[._-]/)
    .map(part => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
  return {
    accountId: login,
    async claims() {
      return { sub: login, email, email_verified: true, name };
    },
  };
}

/**
 * Starts the provider; resolves once it listens. `stop()` closes it;
 * `revokedGrants` counts the grants Backstage's logout revoked (through
 * the revocation endpoint, with the session's refresh token).
 */
export async function startOidcProvider() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(OIDC_ISSUER, {
    clients: [CLIENT],
    jwks: {
      keys: [
        {
          ...privateKey.export({ format: 'jwk' }),
          kid: 'e2e',
          use: 'sig',
          alg: 'RS256',
        },
      ],
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: (_ctx, id) => account(id),
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    features: {
      // The login and consent forms at /interaction/:uid.
      devInteractions: { enabled: true },
      // Backstage's oidc logout revokes the refresh token when offered.
      revocation: {
        enabled: true,
        // A client revokes only its own tokens.
        allowedPolicy: async (_ctx, client, token) =>
          token.clientId === client.clientId,
      },
    },
    // Lifetimes, in seconds, longer than the test.
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
      RefreshToken: 8 * 3600,
    },
    // Backstage's oidc authenticator asks for `openid profile email`, not
    // `offline_access`, and refreshes the Backstage token with this one.
    issueRefreshToken: async (_ctx, client) =>
      client.grantTypeAllowed('refresh_token'),
  });
  // Plain http on loopback: no proxy headers to trust.
  provider.proxy = false;
  const state = { revokedGrants: 0 };
  provider.on('grant.revoked', () => {
    state.revokedGrants += 1;
  });
  const errors = [];
  for (const event of [
    'authorization.error',
    'grant.error',
    'revocation.error',
    'userinfo.error',
    'server_error',
  ]) {
    provider.on(event, (_ctx, error) => {
      errors.push(`${event}: ${error?.message ?? error}`);
      console.error(`[oidc] ${event}: ${error?.stack ?? error}`);
    });
  }
  const server = provider.listen(OIDC_PORT, '127.0.0.1');
  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    issuer: OIDC_ISSUER,
    state,
    errors,
    stop: () =>
      new Promise(resolve => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
