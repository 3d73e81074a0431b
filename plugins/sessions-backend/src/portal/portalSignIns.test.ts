import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  BackendFeature,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import type { RequestHandler } from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { sessionsPlugin } from '../plugin';
import authModuleSessionsGuestProvider from '@active-sessions/plugin-auth-backend-module-sessions-guest-provider';
import { SIGN_IN_COOKIE } from '@active-sessions/plugin-sessions-node';
import {
  JANE,
  BOB,
  REFRESH_MS,
  claimsOf,
  portalConfig,
  startPortal,
  Portal,
  browser,
  signInCookieOf,
  signInCookie,
  signInsOf,
  heartbeatOf,
  sleep,
  FIREFOX_MAC,
  CHROME_ANDROID,
  msUntilStatus,
} from '../__testUtils__/portalBackend';

jest.setTimeout(60_000);

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

describe('limited tokens of portal sign-ins', () => {
  let portal: Portal;
  afterEach(async () => {
    await portal?.stop();
  });

  it("cuts a signed-out browser's cookie and on-behalf-of tokens with its sign-in, and no other sign-in's", async () => {
    portal = await startPortal({ tokenCheck: true });
    const laptop = browser(portal, FIREFOX_MAC);
    const phone = browser(portal, CHROME_ANDROID);
    await laptop.signIn();
    await phone.signIn();

    // The phone's cookie of its first token and of a refreshed one (same
    // sign-in), and a token another plugin got on its behalf.
    const phoneFirstCookie = await phone.authCookie();
    await phone.signIn();
    const phoneCookie = await phone.authCookie();
    expect(phoneCookie).not.toBe(phoneFirstCookie);
    const onBehalf = await phone.get('/api/echo/on-behalf-of');
    expect(onBehalf.status).toBe(200);
    const laptopCookie = await laptop.authCookie();
    // A limited token carries no sid: only its signature names its token.
    expect(claimsOf(phoneCookie).sid).toBeUndefined();

    const byCookie = (cookie: string) =>
      request(portal.server)
        .get('/api/echo/cookie/whoami')
        .set('Cookie', `backstage-auth=${cookie}`);
    const byBearer = (path: string, token: string) =>
      request(portal.server).get(path).set('Authorization', `Bearer ${token}`);
    // The auth plugin's OIDC userinfo route takes limited tokens too.
    const userInfo = (token: string) =>
      byBearer('/api/auth/v1/userinfo', token);
    const phoneTokens = [
      () => byCookie(phoneCookie),
      () => byCookie(phoneFirstCookie),
      () => byBearer('/api/echo/whoami', onBehalf.body.token),
      () => userInfo(phoneCookie),
    ];
    for (const use of phoneTokens) expect((await use()).status).toBe(200);
    expect((await byCookie(laptopCookie)).body.userRef).toBe(JANE);

    const laptopSignIn = [...(await signInsOf(laptop)).values()].find(
      s => s.externalId === laptop.state.sid,
    );
    await laptop
      .post('/api/sessions/sessions/end-all', {
        source: 'portal',
        exceptId: laptopSignIn.id,
      })
      .expect(200);

    // Cut within the refresh interval, as the phone's full token is.
    const exposureMs = await msUntilStatus(
      () => byCookie(phoneCookie),
      401,
      REFRESH_MS * 3,
    );
    expect(exposureMs).toBeLessThanOrEqual(REFRESH_MS * 2);
    for (const use of phoneTokens) {
      const res = await use();
      expect(res.status).toBe(401);
      expect(res.body.error.message).toContain('ended from Active Sessions');
    }
    // The same person's other sign-in keeps its limited tokens.
    expect((await byCookie(laptopCookie)).status).toBe(200);
    expect((await userInfo(laptopCookie)).status).toBe(200);
    expect((await byCookie(await laptop.authCookie())).status).toBe(200);
  });
});

describe('portal sign-ins bound to their browser and person', () => {
  let portal: Portal;
  afterEach(async () => {
    await portal?.stop();
  });

  it("never resumes or touches someone else's sign-in a cookie names", async () => {
    portal = await startPortal();
    const jane = browser(portal, FIREFOX_MAC);
    const janeCookie = signInCookieOf(await jane.signIn())!;
    const janeSid = jane.state.sid;
    const [before] = (await signInsOf(jane)).values();
    expect(before.externalId).toBe(janeSid);
    await sleep(50);

    // Bob signs in on Jane's browser, her cookie still in it; or sets the
    // cookie by hand: to her sid (in her tokens, and on the page), or to
    // her user ref with a secret of his own.
    const forged = `${randomBytes(32).toString('base64url')}.${JANE}`;
    const cookies = [janeCookie, signInCookie(janeSid), signInCookie(forged)];
    for (const cookie of cookies) {
      const res = await request(portal.server)
        .get('/api/auth/bob/refresh')
        .set('Cookie', cookie);
      expect(res.status).toBe(200);
      const { sid, sub } = claimsOf(res.body.backstageIdentity.token);
      expect(sub).toBe(BOB);
      expect(sid).toBeDefined();
      expect(sid).not.toBe(janeSid);
      // His own sign-in, in a cookie of his own.
      expect(signInCookieOf(res)).not.toBe(cookie);
    }

    // Jane's sign-in is as it was: not touched, not shared.
    const janes = await signInsOf(jane);
    expect([...janes.keys()]).toEqual([janeSid]);
    expect(janes.get(janeSid).lastActivityAt).toBe(before.lastActivityAt);
    expect(janes.get(janeSid).status).toBe('active');

    // Her own cookie still resumes it.
    const again = await request(portal.server)
      .get('/api/auth/guest/refresh')
      .set('Cookie', janeCookie);
    expect(claimsOf(again.body.backstageIdentity.token).sid).toBe(janeSid);
  });

  it('signs out only the sign-in the browser itself holds', async () => {
    portal = await startPortal();
    const jane = browser(portal, FIREFOX_MAC);
    await jane.signIn();
    const janeSid = jane.state.sid;

    const forged = `${randomBytes(32).toString('base64url')}.${JANE}`;
    for (const cookie of [signInCookie(janeSid), signInCookie(forged)]) {
      const res = await request(portal.server)
        .post('/api/auth/guest/logout')
        .set('X-Requested-With', 'XMLHttpRequest')
        .set('Cookie', cookie);
      expect(res.status).toBe(200);
      expect(await heartbeatOf(jane, janeSid)).toBe('open');
    }

    expect((await jane.signOut()).status).toBe(200);
    expect(await heartbeatOf(jane, janeSid)).toBe('ended');
  });
});

describe('portal sign-ins whatever the browser sends', () => {
  let portal: Portal | undefined;
  afterEach(async () => {
    await portal?.stop();
    portal = undefined;
  });

  const tokenOf = (res: request.Response) => {
    expect(res.status).toBe(200);
    return claimsOf(res.body.backstageIdentity.token);
  };

  it('tracks a browser whose user agent is blank once trimmed', async () => {
    portal = await startPortal();
    const odd = browser(portal, '\xA0');
    const { sid } = tokenOf(await odd.signIn());
    expect(sid).toBeDefined();
    const signIn = (await signInsOf(odd)).get(sid);
    expect(signIn.userAgent).toBeNull();
    expect(signIn.device).toBeNull();
  });

  it('starts a new sign-in for a cookie that cannot name one', async () => {
    portal = await startPortal();
    for (const value of ['a'.repeat(300), 'pid\u0001']) {
      const res = await request(portal.server)
        .get('/api/auth/guest/refresh')
        .set('Cookie', signInCookie(value));
      expect(tokenOf(res).sid).toBeDefined();
      expect(signInCookieOf(res)).toBeDefined();
    }
  });

  it('leaves out an address a trusted proxy forwards that is none', async () => {
    // A backend as a portal runs it, honouring backend.trustProxy (the
    // test backend's HTTP stack does not read it).
    const port = await new Promise<number>(resolve => {
      const probe = createServer().listen(0, () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const baseUrl = `http://localhost:${port}`;
    const proxied = createBackend();
    proxied.add(authPlugin);
    proxied.add(authModuleSessionsGuestProvider);
    proxied.add(sessionsPlugin);
    proxied.add(mockServices.rootLogger.factory());
    proxied.add(
      portalConfig(
        {},
        {
          backend: {
            baseUrl,
            listen: { port },
            trustProxy: true,
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
        },
      ),
    );
    await proxied.start();
    try {
      const addressRecorded = async (forwardedFor: string) => {
        const laptop = browser(baseUrl, FIREFOX_MAC);
        const res = await laptop.signIn('guest', {
          'X-Forwarded-For': forwardedFor,
        });
        const { sid } = tokenOf(res);
        expect(sid).toBeDefined();
        return (await signInsOf(laptop)).get(sid).ipAddress;
      };
      expect(await addressRecorded('203.0.113.9')).toBe('203.0.113.9');
      expect(await addressRecorded('not-an-ip')).toBeNull();
    } finally {
      await proxied.stop();
    }
  });
});

describe('portal sign-ins while Active Sessions is unavailable', () => {
  /** A sessions plugin whose connector API answers with `answer`. */
  const sessionsAnswering = (answer: RequestHandler) =>
    createBackendPlugin({
      pluginId: 'sessions',
      register(env) {
        env.registerInit({
          deps: { httpRouter: coreServices.httpRouter },
          async init({ httpRouter }) {
            const router = Router();
            router.post('/connector/sessions/:action', answer);
            httpRouter.use(router);
            httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
          },
        });
      },
    });
  const failing = (status: number) =>
    sessionsAnswering((_req, res) => {
      res.status(status).json({ error: { name: 'Error', message: 'no' } });
    });
  const hangingUp = sessionsAnswering(req => {
    req.socket.destroy();
  });

  const signInWith = async (
    whenUnavailable: 'allow' | 'deny',
    sessions?: BackendFeature,
  ) => {
    const backend = await startTestBackend({
      features: [
        authPlugin,
        authModuleSessionsGuestProvider,
        authServiceFactory,
        httpAuthServiceFactory,
        portalConfig({ whenUnavailable }),
        ...(sessions ? [sessions] : []),
      ],
    });
    try {
      return await request(backend.server).get('/api/auth/guest/refresh');
    } finally {
      await backend.stop();
    }
  };

  it('signs in untracked through an outage when allowed, and refuses to sign in when not', async () => {
    for (const outage of [failing(500), failing(503), hangingUp]) {
      const allowed = await signInWith('allow', outage);
      expect(allowed.status).toBe(200);
      const claims = claimsOf(allowed.body.backstageIdentity.token);
      expect(claims.sub).toBe(JANE);
      expect(claims.sid).toBeUndefined();

      const denied = await signInWith('deny', outage);
      expect(denied.status).toBe(503);
      expect(denied.body.backstageIdentity).toBeUndefined();
    }
  });

  /** A sessions plugin that takes sign-ins but answers a token's record with `status`. */
  const recordingTokensFailing = (status: number) =>
    createBackendPlugin({
      pluginId: 'sessions',
      register(env) {
        env.registerInit({
          deps: { httpRouter: coreServices.httpRouter },
          async init({ httpRouter }) {
            const router = Router();
            router.post('/connector/sessions/start', (_req, res) => {
              res.json({ accepted: 1, unknown: [], ended: [] });
            });
            router.post('/connector/portal/second-factor', (_req, res) => {
              res.json({ awaitingCode: false });
            });
            router.post('/connector/portal/tokens', (_req, res) => {
              res
                .status(status)
                .json({ error: { name: 'Error', message: 'no' } });
            });
            httpRouter.use(router);
            httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
          },
        });
      },
    });

  it("goes by whenUnavailable when the token's record fails, and refuses the sign-in when it is refused", async () => {
    const allowed = await signInWith('allow', recordingTokensFailing(503));
    expect(allowed.status).toBe(200);
    expect(claimsOf(allowed.body.backstageIdentity.token).sid).toBeDefined();
    const denied = await signInWith('deny', recordingTokensFailing(503));
    expect(denied.status).toBe(503);
    expect(denied.body.backstageIdentity).toBeUndefined();
    for (const status of [400, 403]) {
      const refused = await signInWith('allow', recordingTokensFailing(status));
      expect(refused.status).toBe(403);
      expect(refused.body.backstageIdentity).toBeUndefined();
    }
  });

  it('refuses a sign-in the sessions API answers with a 4xx, even when allowed to sign in untracked', async () => {
    // 404: no sessions plugin where discovery points.
    for (const refusal of [failing(400), failing(401), undefined]) {
      const res = await signInWith('allow', refusal);
      expect(res.status).toBe(403);
      expect(res.body.backstageIdentity).toBeUndefined();
    }
  });
});
