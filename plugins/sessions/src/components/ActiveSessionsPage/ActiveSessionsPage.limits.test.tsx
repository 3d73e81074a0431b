import { registerMswTestHooks } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import {
  DISCOVERY_BASE_URL,
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import { fakeGrantsBackend } from '../../__testUtils__/fakeGrantsBackend';
import { renderSessionsPage } from '../../__testUtils__/renderSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

describe('ActiveSessionsPage limits', () => {
  it('says which concurrent session limit applies', async () => {
    server.use(
      http.get(`${DISCOVERY_BASE_URL}/api/sessions/limits`, () =>
        HttpResponse.json({
          maxPerUser: 5,
          perType: { ssh: 2 },
          onExceed: 'endOldest',
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
