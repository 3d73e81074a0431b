import { registerMswTestHooks } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import {
  DISCOVERY_BASE_URL,
  FAKE_SETTINGS,
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import { fakeGrantsBackend } from '../../__testUtils__/fakeGrantsBackend';
import { renderSessionsPage } from '../../__testUtils__/renderSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

describe('ActiveSessionsPage limits and idle warnings', () => {
  it('warns about an idle session the sweep flagged, with the minutes until its cut', async () => {
    const lastActivityAt = new Date(Date.now() - 12 * 60_000).toISOString();
    server.use(
      ...fakeSessionsBackend([
        makeSession({
          resourceName: 'db-replica-2',
          status: 'idle',
          lastActivityAt,
          idleWarnedAt: new Date().toISOString(),
        }),
        makeSession({ resourceName: 'quiet-but-not-warned', status: 'idle' }),
      ]).handlers,
      ...fakeGrantsBackend([]).handlers,
    );
    await renderSessionsPage();
    // Disconnected 30 minutes after its last activity, 12 minutes ago.
    expect(
      await screen.findByText(
        'Your SSH session to db-replica-2 will be disconnected in 18 minutes',
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });

  it('says which concurrent session limit applies', async () => {
    server.use(
      http.get(`${DISCOVERY_BASE_URL}/api/sessions/settings`, () =>
        HttpResponse.json({
          ...FAKE_SETTINGS,
          limits: { maxPerUser: 5, perType: { ssh: 2 }, onExceed: 'endOldest' },
        }),
      ),
      ...fakeSessionsBackend([makeSession()]).handlers,
      ...fakeGrantsBackend([]).handlers,
    );
    await renderSessionsPage();
    expect(
      await screen.findByText(
        'You may hold at most 5 open sessions (SSH: 2). Past that, a new session ends your oldest one.',
      ),
    ).toBeInTheDocument();
  });
});
