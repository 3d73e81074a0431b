import { identityApiRef } from '@backstage/core-plugin-api';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { waitFor } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { SessionsClient, sessionsApiRef } from '../../api';
import {
  DISCOVERY_BASE_URL,
  backstageError,
} from '../../__testUtils__/fakeSessionsBackend';
import { PortalSignInWatcher } from './PortalSignInWatcher';

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
});
