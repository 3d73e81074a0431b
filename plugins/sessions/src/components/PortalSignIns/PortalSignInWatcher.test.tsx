import { identityApiRef } from '@backstage/core-plugin-api';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { SessionsClient, sessionsApiRef } from '../../api';
import {
  DISCOVERY_BASE_URL,
  backstageError,
} from '../../__testUtils__/fakeSessionsBackend';
import { PortalSignInWatcher } from './PortalSignInWatcher';
import { startAgain } from './startAgain';

jest.mock('./startAgain', () => ({ startAgain: jest.fn() }));

const server = setupServer();
registerMswTestHooks(server);

const API = `${DISCOVERY_BASE_URL}/api/sessions`;
const TOKEN = [
  btoa(JSON.stringify({ typ: 'vnd.backstage.user' })),
  btoa(JSON.stringify({ sub: 'user:default/jane.doe', sid: 'sid-laptop' })),
  'signature',
].join('.');

/** Serves a heartbeat answer; returns the sign-in ids it was asked about. */
function serveHeartbeat(answer: () => Response, heartbeatIntervalMs = 60_000) {
  const asked: string[] = [];
  server.use(
    http.get(`${API}/portal/status`, () =>
      HttpResponse.json({
        tokenCheck: 'enforced',
        refreshIntervalMs: 5000,
        heartbeatIntervalMs,
      }),
    ),
    http.post(`${API}/portal/heartbeat`, async ({ request }) => {
      const response = answer();
      asked.push(((await request.json()) as { sid: string }).sid);
      return response;
    }),
  );
  return asked;
}

async function renderWatcher(token?: string) {
  const identityApi = mockApis.identity({ token });
  const signOut = jest.spyOn(identityApi, 'signOut').mockResolvedValue();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [identityApiRef, identityApi],
        [
          sessionsApiRef,
          new SessionsClient({
            discoveryApi: mockApis.discovery({ baseUrl: DISCOVERY_BASE_URL }),
            fetchApi: new MockFetchApi(),
          }),
        ],
      ]}
    >
      <PortalSignInWatcher />
    </TestApiProvider>,
  );
  return { signOut };
}

describe('PortalSignInWatcher', () => {
  it('signs this browser out once its sign-in was ended from Active Sessions', async () => {
    const asked = serveHeartbeat(() => HttpResponse.json({ state: 'ended' }));
    const { signOut } = await renderWatcher(TOKEN);
    await waitFor(() => expect(signOut).toHaveBeenCalledTimes(1));
    expect(asked).toEqual(['sid-laptop']);
  });

  it('signs out when the backend refuses the token', async () => {
    serveHeartbeat(() =>
      backstageError(401, 'AuthenticationError', 'sign-in ended'),
    );
    const { signOut } = await renderWatcher(TOKEN);
    await waitFor(() => expect(signOut).toHaveBeenCalledTimes(1));
  });

  it('keeps beating and stays signed in while the sign-in is open, also through a backend restart', async () => {
    const answers = [
      () => HttpResponse.json({ state: 'open' }),
      () => backstageError(503, 'ServiceUnavailable', 'restarting'),
    ];
    const asked = serveHeartbeat(
      () => answers[asked.length % 2](),
      // Beat quickly so the test sees several.
      10,
    );
    const { signOut } = await renderWatcher(TOKEN);
    await waitFor(() => expect(asked.length).toBeGreaterThanOrEqual(4));
    expect(signOut).not.toHaveBeenCalled();
  });

  it('shows the code screen over the app while the sign-in waits for its code, and starts again once it passes', async () => {
    serveHeartbeat(() =>
      HttpResponse.json({
        state: 'awaiting-code',
        codeDueAt: '2026-12-01T09:05:00.000Z',
      }),
    );
    const sent: unknown[] = [];
    let accept = false;
    server.use(
      http.post(`${API}/portal/second-factor`, async ({ request }) => {
        sent.push(await request.json());
        return accept
          ? new HttpResponse(null, { status: 204 })
          : backstageError(400, 'InputError', 'body.code: not a valid code');
      }),
    );
    const reload = jest.mocked(startAgain);
    {
      const { signOut } = await renderWatcher(TOKEN);
      const screenDialog = await screen.findByRole('dialog', {
        name: 'Finish signing in',
      });
      expect(screenDialog).toHaveTextContent(
        'Enter the 6-digit code from your authenticator app.',
      );
      const field = screen.getByLabelText('Authenticator code');
      await userEvent.type(field, '000000');
      await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
      expect(
        await screen.findByText('body.code: not a valid code'),
      ).toBeInTheDocument();
      expect(reload).not.toHaveBeenCalled();

      accept = true;
      await userEvent.clear(field);
      await userEvent.type(field, '123456');
      await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
      await waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
      expect(sent).toEqual([
        { sid: 'sid-laptop', code: '000000' },
        { sid: 'sid-laptop', code: '123456' },
      ]);
      expect(signOut).not.toHaveBeenCalled();
    }
  });

  /** Beats quickly; returns the `active` of each heartbeat, in order. */
  function serveActive() {
    const active: unknown[] = [];
    server.use(
      http.get(`${API}/portal/status`, () =>
        HttpResponse.json({
          tokenCheck: 'enforced',
          refreshIntervalMs: 5000,
          heartbeatIntervalMs: 10,
        }),
      ),
      http.post(`${API}/portal/heartbeat`, async ({ request }) => {
        active.push(((await request.json()) as { active: unknown }).active);
        return HttpResponse.json({ state: 'open' });
      }),
    );
    return active;
  }

  /** Waits for `count` more heartbeats; returns what they sent. */
  async function nextBeats(active: unknown[], count: number) {
    const from = active.length;
    await waitFor(() =>
      expect(active.length).toBeGreaterThanOrEqual(from + count),
    );
    return active.slice(from, from + count);
  }

  it('counts as activity only the heartbeat after the person used the tab', async () => {
    const active = serveActive();
    await renderWatcher(TOKEN);
    // An open tab nobody touches is not someone at work.
    expect(await nextBeats(active, 3)).toEqual([false, false, false]);

    for (const use of [
      () => fireEvent.keyDown(document.body, { key: 'a' }),
      () => fireEvent.pointerDown(document.body),
    ]) {
      use();
      const after = await nextBeats(active, 3);
      // The next heartbeat says true (a beat already on its way may still
      // say false first), and the ones after it false again.
      expect([
        [true, false, false],
        [false, true, false],
      ]).toContainEqual(after);
    }
  });

  it('does not count a hidden tab as used, until it comes back into view', async () => {
    const active = serveActive();
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => 'hidden',
    });
    try {
      await renderWatcher(TOKEN);
      await nextBeats(active, 1);
      fireEvent.keyDown(document.body, { key: 'a' });
      fireEvent.pointerDown(document.body);
      expect(await nextBeats(active, 3)).toEqual([false, false, false]);
    } finally {
      // The instance's own property hid jsdom's getter; uncover it.
      delete (document as { visibilityState?: unknown }).visibilityState;
    }
    fireEvent(document, new Event('visibilitychange'));
    expect(await nextBeats(active, 3)).toContain(true);
  });
});
