/*
 * A portal backend for sign-in tests: the auth plugin with the guest
 * provider and a second tracked provider, the sessions plugin, another
 * plugin (echo) whose routes take tokens, real token verification; and
 * browsers with their own cookie jars.
 */
import {
  BackendFeature,
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import Router from 'express-promise-router';
import request from 'supertest';
import { sessionsPlugin } from '../plugin';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import authModuleSessionsGuestProvider from '@active-sessions/plugin-auth-backend-module-sessions-guest-provider';
import {
  PortalSessions,
  SIGN_IN_COOKIE,
  trackPortalSignIns,
} from '@active-sessions/plugin-sessions-node';
import { sessionsTokenCheckServiceFactory } from '../portal/sessionsTokenCheckServiceFactory';

export const JANE = 'user:default/jane';
export const BOB = 'user:default/bob';
export const REFRESH_MS = 1000;

export const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/**
 * Some other plugin of the portal, to show its routes refuse a token too:
 * also a route that takes the `backstage-auth` cookie (a limited token, as
 * TechDocs and the proxy do), and one that hands out a token for calling
 * it on behalf of the caller (its user part is a limited token too).
 */
export const echoPlugin = createBackendPlugin({
  pluginId: 'echo',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
      },
      async init({ httpRouter, httpAuth, auth }) {
        const router = Router();
        router.get('/whoami', async (req, res) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['user'],
          });
          res.json({ userRef: credentials.principal.userEntityRef });
        });
        router.get('/cookie/whoami', async (req, res) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['user'],
            allowLimitedAccess: true,
          });
          res.json({ userRef: credentials.principal.userEntityRef });
        });
        router.get('/on-behalf-of', async (req, res) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['user'],
          });
          res.json(
            await auth.getPluginRequestToken({
              onBehalfOf: credentials,
              targetPluginId: 'echo',
            }),
          );
        });
        httpRouter.addAuthPolicy({ path: '/cookie', allow: 'user-cookie' });
        httpRouter.use(router);
      },
    });
  },
});

/** The limited token in a `backstage-auth` cookie a response sets. */
export const authCookieOf = (res: request.Response) => {
  const cookies: string[] = [res.headers['set-cookie'] ?? []].flat();
  const set = cookies.find(c => c.startsWith('backstage-auth='));
  return set?.split(';')[0].slice('backstage-auth='.length);
};

/**
 * Guest sign-in as Jane and `bob` sign-in as Bob (when installed), with
 * these `sessions.portal` settings.
 */
export const portalConfig = (
  portal: object,
  more: object = {},
  sessions: object = {},
) =>
  mockServices.rootConfig.factory({
    data: {
      app: { baseUrl: 'http://localhost:3000' },
      auth: {
        providers: {
          guest: {
            userEntityRef: JANE,
            dangerouslyAllowOutsideDevelopment: true,
          },
          bob: {},
        },
      },
      sessions: { ...sessions, portal },
      ...more,
    },
  });

/** A second tracked provider, `bob`, that signs in as Bob. */
export const authModuleBobProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'tracked-bob',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ providers, discovery, auth }) {
        providers.registerProvider({
          providerId: 'bob',
          factory: trackPortalSignIns(
            createProxyAuthProviderFactory({
              authenticator: createProxyAuthenticator({
                defaultProfileTransform: async () => ({ profile: {} }),
                initialize: () => ({}),
                authenticate: async () => ({ result: {} }),
              }),
              signInResolver: async (_info, ctx) =>
                ctx.issueToken({ claims: { sub: BOB, ent: [BOB] } }),
            }),
            new PortalSessions(discovery, auth),
          ),
        });
      },
    });
  },
});

export async function startPortal(
  options: {
    tokenCheck?: boolean;
    features?: BackendFeature[];
    config?: object;
    /** More `sessions` settings. */
    sessions?: object;
  } = {},
) {
  return startTestBackend({
    features: [
      authPlugin,
      authModuleSessionsGuestProvider,
      authModuleBobProvider,
      sessionsPlugin,
      echoPlugin,
      // Real token verification, as in a portal: the default test
      // backend's mock auth would accept any token.
      authServiceFactory,
      httpAuthServiceFactory,
      // A scheduler that runs periodic tasks: the sign-out refresh.
      schedulerServiceFactory,
      ...(options.tokenCheck ? [sessionsTokenCheckServiceFactory] : []),
      policyPermissionsFactory(
        new ActiveSessionsTestPolicy('user:default/admin'),
      ),
      portalConfig(
        { refreshInterval: { milliseconds: REFRESH_MS } },
        options.config,
        options.sessions,
      ),
      ...(options.features ?? []),
    ],
  });
}

export type Portal = Awaited<ReturnType<typeof startPortal>>;

/**
 * A browser: its own cookie jar, and the token of its last sign-in. Of a
 * test backend, or of the backend at a URL.
 */
export function browser(portal: Portal | string, userAgent: string) {
  const target = typeof portal === 'string' ? portal : portal.server;
  const agent = request.agent(target);
  const state = { token: '', sid: '' };
  return {
    state,
    signOut: () =>
      agent
        .post('/api/auth/guest/logout')
        .set('X-Requested-With', 'XMLHttpRequest'),
    async signIn(provider = 'guest', headers: Record<string, string> = {}) {
      const res = await agent
        .get(`/api/auth/${provider}/refresh`)
        .set({ ...headers, 'User-Agent': userAgent });
      if (res.status === 200) {
        state.token = res.body.backstageIdentity.token;
        state.sid = claimsOf(state.token).sid;
      }
      return res;
    },
    get: (path: string) =>
      request(target).get(path).set('Authorization', `Bearer ${state.token}`),
    /** The `backstage-auth` cookie the app gets for its current token. */
    async authCookie() {
      const res = await request(target)
        .get('/api/echo/.backstage/auth/v1/cookie')
        .set('Authorization', `Bearer ${state.token}`);
      expect(res.status).toBe(200);
      return authCookieOf(res)!;
    },
    post: (path: string, body: object = {}) =>
      request(target)
        .post(path)
        .set('Authorization', `Bearer ${state.token}`)
        .send(body),
  };
}

/** The sign-in cookie a response sets, as a `Cookie` header sends it. */
export const signInCookieOf = (res: request.Response) => {
  const cookies: string[] = [res.headers['set-cookie'] ?? []].flat();
  const set = cookies.find(c => c.startsWith(`${SIGN_IN_COOKIE}=`));
  return set?.split(';')[0];
};

/** A `Cookie` header naming this value, encoded as a browser sends it. */
export const signInCookie = (value: string) =>
  `${SIGN_IN_COOKIE}=${encodeURIComponent(value)}`;

/** The caller's portal sign-ins, by id. */
export async function signInsOf(b: ReturnType<typeof browser>) {
  const res = await b.get('/api/sessions/sessions?type=portal');
  expect(res.status).toBe(200);
  return new Map<string, any>(
    res.body.items.map((s: any) => [s.externalId, s]),
  );
}

export const heartbeatOf = async (b: ReturnType<typeof browser>, sid: string) =>
  (await b.post('/api/sessions/portal/heartbeat', { sid })).body.state;

export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

export const FIREFOX_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:130.0) Gecko/20100101 Firefox/130.0';
export const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36';

/** Polls until `probe` answers `status`; returns how long that took. */
export async function msUntilStatus(
  probe: () => Promise<{ status: number }>,
  status: number,
  deadlineMs: number,
) {
  const started = Date.now();
  for (;;) {
    if ((await probe()).status === status) return Date.now() - started;
    if (Date.now() - started > deadlineMs) {
      throw new Error(`no ${status} within ${deadlineMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
