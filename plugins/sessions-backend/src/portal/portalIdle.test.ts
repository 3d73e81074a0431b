import {
  browser,
  startPortal,
  signInsOf,
  sleep,
  FIREFOX_MAC,
  CHROME_ANDROID,
  Portal,
} from '../__testUtils__/portalBackend';

jest.setTimeout(60_000);

type Browser = ReturnType<typeof browser>;

/** A heartbeat of the browser's tab, saying whether it was used (if at all). */
async function heartbeat(b: Browser, active?: boolean) {
  const res = await b.post(
    '/api/sessions/portal/heartbeat',
    active === undefined ? { sid: b.state.sid } : { sid: b.state.sid, active },
  );
  expect(res.status).toBe(200);
  return res.body.state;
}

/** The browser's own sign-in as Active Sessions lists it. */
async function signInOf(b: Browser) {
  return (await signInsOf(b)).get(b.state.sid);
}

describe('portal sign-ins idle from the tab being used', () => {
  let portal: Portal | undefined;
  afterEach(async () => {
    await portal?.stop();
    portal = undefined;
  });

  it('counts a heartbeat as activity only when the person used the tab', async () => {
    portal = await startPortal();
    const laptop = browser(portal, FIREFOX_MAC);
    expect((await laptop.signIn()).status).toBe(200);
    const signedIn = (await signInOf(laptop)).lastActivityAt;

    await sleep(10);
    expect(await heartbeat(laptop, false)).toBe('open');
    expect((await signInOf(laptop)).lastActivityAt).toBe(signedIn);

    await sleep(10);
    expect(await heartbeat(laptop, true)).toBe('open');
    const used = (await signInOf(laptop)).lastActivityAt;
    expect(Date.parse(used)).toBeGreaterThan(Date.parse(signedIn));

    // As an older frontend sends it: counts.
    await sleep(10);
    expect(await heartbeat(laptop)).toBe('open');
    expect(Date.parse((await signInOf(laptop)).lastActivityAt)).toBeGreaterThan(
      Date.parse(used),
    );
  });

  it('idles, warns and disconnects the sign-in of an untouched tab, token refreshes and all, while a used one stays active', async () => {
    portal = await startPortal({
      sessions: {
        idleAfter: { seconds: 2 },
        warnAfter: { seconds: 4 },
        disconnectAfter: { seconds: 6 },
        sweep: { frequency: { milliseconds: 200 } },
      },
    });
    const laptop = browser(portal, FIREFOX_MAC);
    const phone = browser(portal, CHROME_ANDROID);
    // Never beats: shows when the sweep (after its initial delay) runs.
    const forgotten = browser(portal, FIREFOX_MAC);
    for (const b of [laptop, phone, forgotten]) {
      expect((await b.signIn()).status).toBe(200);
    }

    const beatBoth = async (phoneUsed: boolean) => {
      expect(await heartbeat(laptop, true)).toBe('open');
      return heartbeat(phone, phoneUsed);
    };
    const deadline = Date.now() + 30_000;
    while (
      (await signInsOf(laptop)).get(forgotten.state.sid)?.status === 'active'
    ) {
      expect(Date.now()).toBeLessThan(deadline);
      await beatBoth(true);
      await sleep(100);
    }
    expect((await signInOf(phone)).status).toBe('active');

    // The phone's tab stays open but nobody touches it any more; the app
    // still refreshes its token on its own, which is no sign of a person.
    const seen: string[] = [];
    let refreshed = 200;
    for (;;) {
      expect(Date.now()).toBeLessThan(deadline);
      const state = await beatBoth(false);
      if (state === 'ended') break;
      expect(state).toBe('open');
      if (refreshed === 200) refreshed = (await phone.signIn()).status;
      const signIns = await signInsOf(laptop);
      expect(signIns.get(laptop.state.sid).status).toBe('active');
      const { status, idleWarnedAt } = signIns.get(phone.state.sid);
      const step = idleWarnedAt ? `${status}, warned` : status;
      if (seen[seen.length - 1] !== step) seen.push(step);
      await sleep(100);
    }
    // A slow run may catch it between the disconnect and its end.
    const steps = ['active', 'idle', 'idle, warned'];
    expect([steps, [...steps, 'terminating, warned']]).toContainEqual(seen);
    // Ended: its refresh is refused.
    if (refreshed === 200) refreshed = (await phone.signIn()).status;
    expect(refreshed).toBe(401);
    expect(await heartbeat(laptop, true)).toBe('open');
  });

  it('makes an idle sign-in active again once the person uses its tab', async () => {
    portal = await startPortal({
      sessions: {
        idleAfter: { seconds: 1 },
        sweep: { frequency: { milliseconds: 200 } },
      },
    });
    const laptop = browser(portal, FIREFOX_MAC);
    expect((await laptop.signIn()).status).toBe(200);
    const deadline = Date.now() + 30_000;
    while ((await signInOf(laptop)).status === 'active') {
      expect(Date.now()).toBeLessThan(deadline);
      expect(await heartbeat(laptop, false)).toBe('open');
      await sleep(100);
    }
    expect((await signInOf(laptop)).status).toBe('idle');

    expect(await heartbeat(laptop, true)).toBe('open');
    expect((await signInOf(laptop)).status).toBe('active');
  });
});
