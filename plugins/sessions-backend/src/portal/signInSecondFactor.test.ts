import request from 'supertest';
import { AWAITING_CODE_MESSAGE } from '@active-sessions/plugin-sessions-common';
import { DEVICE_COOKIE } from '@active-sessions/plugin-sessions-node';
import { totpCode } from '../mfa/totp';
import {
  CHROME_ANDROID,
  FIREFOX_MAC,
  JANE,
  Portal,
  browser,
  claimsOf,
  heartbeatOf,
  signInsOf,
  startPortal,
} from '../__testUtils__/portalBackend';

jest.setTimeout(60_000);

const KEY = Buffer.alloc(32, 3).toString('base64');

/** A portal asking browsers it has not seen pass for the code. */
const startWithSecondFactor = (secondFactor: 'newDevice' | 'always') =>
  startPortal({
    tokenCheck: true,
    sessions: {
      mfa: { encryptionKey: KEY },
      signIn: { secondFactor },
    },
  });

/** Sets up two-factor for the browser's person; returns their secret. */
async function enrol(b: ReturnType<typeof browser>) {
  const { secret } = (await b.post('/api/sessions/mfa/enrol')).body;
  const activated = await b.post('/api/sessions/mfa/activate', {
    code: await totpCode(secret, Date.now()),
  });
  expect(activated.status).toBe(200);
  return secret as string;
}

/** The device cookie a response sets, as a `Cookie` header sends it. */
function deviceCookieOf(res: request.Response) {
  const cookies: string[] = [res.headers['set-cookie'] ?? []].flat();
  return cookies
    .find(cookie => cookie.startsWith(`${DEVICE_COOKIE}=`))
    ?.split(';')[0];
}

/** A code for the next 30-second step: the last one was just used. */
const nextCode = (secret: string) => totpCode(secret, Date.now() + 30_000);

describe('a second factor at portal sign-in', () => {
  let portal: Portal;
  afterEach(async () => {
    await portal?.stop();
  });

  it('makes a browser not seen before wait for the code, refused everywhere but the code screen, then remembers it', async () => {
    portal = await startWithSecondFactor('newDevice');
    const laptop = browser(portal, FIREFOX_MAC);
    // Before two-factor is on, nothing to ask.
    expect((await laptop.signIn()).status).toBe(200);
    expect(claimsOf(laptop.state.token).awaiting_code).toBeUndefined();
    const secret = await enrol(laptop);

    const phone = browser(portal, CHROME_ANDROID);
    expect((await phone.signIn()).status).toBe(200);
    const waiting = phone.state.token;
    expect(claimsOf(waiting).awaiting_code).toBe(true);

    // Other plugins refuse it, and so does everything of this plugin but
    // the code screen's routes.
    const echo = await phone.get('/api/echo/whoami');
    expect(echo.status).toBe(401);
    expect(echo.body.error.message).toContain(AWAITING_CODE_MESSAGE);
    expect((await phone.get('/api/sessions/sessions')).status).toBe(401);
    expect((await phone.get('/api/sessions/grants')).status).toBe(401);
    expect(await heartbeatOf(phone, phone.state.sid)).toBe('awaiting-code');
    // The other device sees it waiting.
    const listed = (await signInsOf(laptop)).get(phone.state.sid);
    expect(Date.parse(listed.codeDueAt)).toBeGreaterThan(Date.now());

    // A wrong code is refused and changes nothing; someone else cannot
    // answer for it.
    const wrong = await phone.post('/api/sessions/portal/second-factor', {
      sid: phone.state.sid,
      code: '000000',
    });
    expect(wrong.status).toBe(400);
    expect(await heartbeatOf(phone, phone.state.sid)).toBe('awaiting-code');
    const notTheirs = await laptop.post('/api/sessions/portal/second-factor', {
      sid: laptop.state.sid.replace(/^./, c => (c === 'a' ? 'b' : 'a')),
      code: await nextCode(secret),
    });
    expect(notTheirs.status).toBe(404);

    const good = await phone.post('/api/sessions/portal/second-factor', {
      sid: phone.state.sid,
      code: await nextCode(secret),
    });
    expect(good.status).toBe(204);
    expect(await heartbeatOf(phone, phone.state.sid)).toBe('open');

    // Signing in again (the page reloads) gives a token without the wait,
    // of the same sign-in; the old one stays refused.
    const sid = phone.state.sid;
    expect((await phone.signIn()).status).toBe(200);
    expect(phone.state.sid).toBe(sid);
    expect(claimsOf(phone.state.token).awaiting_code).toBeUndefined();
    expect((await phone.get('/api/echo/whoami')).body.userRef).toBe(JANE);
    const old = await request(portal.server)
      .get('/api/echo/whoami')
      .set('Authorization', `Bearer ${waiting}`);
    expect(old.status).toBe(401);

    // Signed out and in again from that browser: remembered.
    expect((await phone.signOut()).status).toBe(200);
    expect((await phone.signIn()).status).toBe(200);
    expect(phone.state.sid).not.toBe(sid);
    expect(claimsOf(phone.state.token).awaiting_code).toBeUndefined();
  });

  it('remembers the secret it gave the browser that passed, never a device cookie planted before', async () => {
    portal = await startWithSecondFactor('newDevice');
    const laptop = browser(portal, FIREFOX_MAC);
    await laptop.signIn();
    const secret = await enrol(laptop);

    // Someone who knows Jane's password plants a device cookie in her
    // phone's browser before she signs in there and passes the code.
    const planted = `${DEVICE_COOKIE}=${'p'.repeat(43)}`;
    const phone = browser(portal, CHROME_ANDROID);
    const first = await phone.signIn('guest', { Cookie: planted });
    expect(claimsOf(phone.state.token).awaiting_code).toBe(true);
    const given = deviceCookieOf(first);
    expect(given).toMatch(new RegExp(`^${DEVICE_COOKIE}=[A-Za-z0-9_-]{43}$`));
    expect(given).not.toBe(planted);
    await phone
      .post('/api/sessions/portal/second-factor', {
        sid: phone.state.sid,
        code: await nextCode(secret),
      })
      .expect(204);

    // Their own browser with the planted cookie still waits for a code.
    const theirs = browser(portal, FIREFOX_MAC);
    expect((await theirs.signIn('guest', { Cookie: planted })).status).toBe(
      200,
    );
    expect(claimsOf(theirs.state.token).awaiting_code).toBe(true);
    // The phone, with the secret it was given, is remembered.
    const again = browser(portal, CHROME_ANDROID);
    expect((await again.signIn('guest', { Cookie: given! })).status).toBe(200);
    expect(claimsOf(again.state.token).awaiting_code).toBeUndefined();
  });

  it("with 'always', asks every sign-in, also from a browser that passed", async () => {
    portal = await startWithSecondFactor('always');
    const laptop = browser(portal, FIREFOX_MAC);
    await laptop.signIn();
    const secret = await enrol(laptop);
    expect((await laptop.signOut()).status).toBe(200);

    expect((await laptop.signIn()).status).toBe(200);
    expect(claimsOf(laptop.state.token).awaiting_code).toBe(true);
    await laptop
      .post('/api/sessions/portal/second-factor', {
        sid: laptop.state.sid,
        code: await nextCode(secret),
      })
      .expect(204);
    expect((await laptop.signOut()).status).toBe(200);
    expect((await laptop.signIn()).status).toBe(200);
    expect(claimsOf(laptop.state.token).awaiting_code).toBe(true);
  });
});
