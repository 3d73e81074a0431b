import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import Router from 'express-promise-router';
import request from 'supertest';
import { sessionsPlugin } from '../plugin';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { authModuleSessionsGuestProvider } from './authModuleSessionsGuestProvider';
import { sessionsTokenCheckServiceFactory } from './sessionsTokenCheckServiceFactory';
import { SIGN_IN_COOKIE } from './trackPortalSignIns';

jest.setTimeout(60_000);

const JANE = 'user:default/jane';
const REFRESH_MS = 1000;

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/** Some other plugin of the portal, to show its routes refuse a token too. */
const echoPlugin = createBackendPlugin({
  pluginId: 'echo',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = Router();
        router.get('/whoami', async (req, res) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['user'],
          });
          res.json({ userRef: credentials.principal.userEntityRef });
        });
        httpRouter.use(router);
      },
    });
  },
});

/** Guest sign-in as Jane, with these `sessions.portal` settings. */
const portalConfig = (portal: object) =>
  mockServices.rootConfig.factory({
    data: {
      app: { baseUrl: 'http://localhost:3000' },
      auth: {
        providers: {
          guest: {
            userEntityRef: JANE,
            dangerouslyAllowOutsideDevelopment: true,
          },
        },
      },
      sessions: { portal },
    },
  });

async function startPortal(options: { tokenCheck: boolean }) {
  return startTestBackend({
    features: [
      authPlugin,
      authModuleSessionsGuestProvider,
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
      portalConfig({ refreshInterval: { milliseconds: REFRESH_MS } }),
    ],
  });
}

type Portal = Awaited<ReturnType<typeof startPortal>>;

/** A browser: its own cookie jar, and the token of its last sign-in. */
function browser(portal: Portal, userAgent: string) {
  const agent = request.agent(portal.server);
  const state = { token: '', sid: '' };
  return {
    state,
    signOut: () =>
      agent
        .post('/api/auth/guest/logout')
        .set('X-Requested-With', 'XMLHttpRequest'),
    async signIn() {
      const res = await agent
        .get('/api/auth/guest/refresh')
        .set('User-Agent', userAgent);
      if (res.status === 200) {
        state.token = res.body.backstageIdentity.token;
        state.sid = claimsOf(state.token).sid;
      }
      return res;
    },
    get: (path: string) =>
      request(portal.server)
        .get(path)
        .set('Authorization', `Bearer ${state.token}`),
    post: (path: string, body: object = {}) =>
      request(portal.server)
        .post(path)
        .set('Authorization', `Bearer ${state.token}`)
        .send(body),
  };
}

const FIREFOX_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:130.0) Gecko/20100101 Firefox/130.0';
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36';

/** Polls until `probe` answers `status`; returns how long that took. */
async function msUntilStatus(
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

describe('portal sign-ins', () => {
  let portal: Portal;
  afterEach(async () => {
    await portal?.stop();
  });

  it('lists each browser, and signing the others out cuts their tokens in every plugin within the refresh interval', async () => {
    portal = await startPortal({ tokenCheck: true });
    const laptop = browser(portal, FIREFOX_MAC);
    const phone = browser(portal, CHROME_ANDROID);

    const first = await laptop.signIn();
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie'][0]).toContain(`${SIGN_IN_COOKIE}=`);
    expect((await phone.signIn()).status).toBe(200);
    expect(phone.state.sid).not.toBe(laptop.state.sid);
    // A refresh keeps the sign-in.
    const laptopSid = laptop.state.sid;
    await laptop.signIn();
    expect(laptop.state.sid).toBe(laptopSid);

    // Both work in another plugin, and Jane sees both devices.
    expect((await phone.get('/api/echo/whoami')).body.userRef).toBe(JANE);
    const mine = await laptop.get('/api/sessions/sessions?type=portal');
    expect(mine.status).toBe(200);
    const byDevice = Object.fromEntries(
      mine.body.items.map((s: any) => [s.device, s]),
    );
    expect(Object.keys(byDevice).sort()).toEqual([
      'Chrome 129 on Android (mobile)',
      'Firefox 130 on Mac OS',
    ]);
    expect(byDevice['Firefox 130 on Mac OS'].externalId).toBe(laptopSid);
    expect((await laptop.get('/api/sessions/portal/status')).body).toEqual({
      tokenCheck: 'enforced',
      refreshIntervalMs: REFRESH_MS,
      heartbeatIntervalMs: 30_000,
    });

    // From the laptop: sign out all other devices.
    const ended = await laptop.post('/api/sessions/sessions/end-all', {
      source: 'portal',
      exceptId: byDevice['Firefox 130 on Mac OS'].id,
    });
    expect(ended.body).toEqual({
      ended: [byDevice['Chrome 129 on Android (mobile)'].id],
    });

    // The phone's token stops working in the other plugin within the
    // refresh interval (plus a poll), long before it expires.
    const exposureMs = await msUntilStatus(
      () => phone.get('/api/echo/whoami'),
      401,
      REFRESH_MS * 3,
    );
    expect(exposureMs).toBeLessThanOrEqual(REFRESH_MS * 2);
    expect(
      (
        await phone.post('/api/sessions/portal/heartbeat', {
          sid: phone.state.sid,
        })
      ).status,
    ).toBe(401);
    // It cannot refresh its way back in; the laptop stays signed in.
    expect((await phone.signIn()).status).toBe(401);
    expect((await laptop.get('/api/echo/whoami')).status).toBe(200);
    expect(
      (await laptop.post('/api/sessions/portal/heartbeat', { sid: laptopSid }))
        .body,
    ).toEqual({ state: 'open' });

    // The portal's order is done once refused here: the sign-in is cut.
    await msUntilStatus(
      async () => {
        const res = await laptop.get(
          '/api/sessions/sessions?type=portal&status=disconnected',
        );
        return { status: res.body.items.length === 1 ? 200 : 404 };
      },
      200,
      REFRESH_MS * 3,
    );

    // Signing in again on the phone is a new, listed sign-in.
    expect((await phone.signIn()).status).toBe(200);
    expect((await phone.get('/api/echo/whoami')).status).toBe(200);
    const open = await laptop.get(
      '/api/sessions/sessions?type=portal&status=active',
    );
    expect(open.body.items).toHaveLength(2);

    // Signing out on the phone itself ends its sign-in, and its token.
    const phoneSid = phone.state.sid;
    expect((await phone.signOut()).status).toBe(200);
    await msUntilStatus(
      () => phone.get('/api/echo/whoami'),
      401,
      REFRESH_MS * 3,
    );
    const history = await laptop.get(
      '/api/sessions/sessions?type=portal&status=disconnected',
    );
    expect(history.body.items.map((s: any) => s.externalId)).toContain(
      phoneSid,
    );
    expect((await laptop.get('/api/echo/whoami')).status).toBe(200);
  });

  it('says sign-outs are advisory when the token check is not installed', async () => {
    portal = await startPortal({ tokenCheck: false });
    const laptop = browser(portal, FIREFOX_MAC);
    await laptop.signIn();
    expect(
      (await laptop.get('/api/sessions/portal/status')).body,
    ).toMatchObject({
      tokenCheck: 'advisory',
    });
  });

  it('rejects a heartbeat without a sign-in id, naming the field', async () => {
    portal = await startPortal({ tokenCheck: true });
    const laptop = browser(portal, FIREFOX_MAC);
    await laptop.signIn();
    const res = await laptop.post('/api/sessions/portal/heartbeat', {});
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('sid');
  });
});

describe('portal sign-ins while Active Sessions is unreachable', () => {
  const startWithoutSessions = (whenUnavailable: 'allow' | 'deny') =>
    startTestBackend({
      features: [
        authPlugin,
        authModuleSessionsGuestProvider,
        authServiceFactory,
        httpAuthServiceFactory,
        portalConfig({ whenUnavailable }),
      ],
    });

  it('signs in untracked when allowed, and refuses to sign in when not', async () => {
    const open = await startWithoutSessions('allow');
    const allowed = await request(open.server).get('/api/auth/guest/refresh');
    expect(allowed.status).toBe(200);
    const claims = claimsOf(allowed.body.backstageIdentity.token);
    expect(claims.sub).toBe(JANE);
    expect(claims.sid).toBeUndefined();
    await open.stop();

    const closed = await startWithoutSessions('deny');
    const denied = await request(closed.server).get('/api/auth/guest/refresh');
    expect(denied.status).toBeGreaterThanOrEqual(400);
    expect(denied.body.backstageIdentity).toBeUndefined();
    await closed.stop();
  });
});
