import { registerMswTestHooks } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { fakeGrantsBackend } from '../../__testUtils__/fakeGrantsBackend';
import { renderPageWithConnectors } from '../../__testUtils__/renderPageWithConnectors';

const server = setupServer();
registerMswTestHooks(server);

// Its own file: usePermission caches decisions per test file (SWR).
describe('ActiveSessionsPage for people who may not watch connectors', () => {
  it('has no Connectors tab', async () => {
    await renderPageWithConnectors(server, AuthorizeResult.DENY);
    expect(
      await screen.findByRole('tab', { name: 'History' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('tab', { name: 'Connectors' }),
    ).not.toBeInTheDocument();
  });

  it('lists only their own sessions, without "Whose sessions"', async () => {
    await renderPageWithConnectors(server, AuthorizeResult.DENY);
    expect(
      await screen.findByRole('tab', { name: 'History' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Search sessions')).toBeInTheDocument();
    expect(screen.queryByLabelText('Whose sessions')).not.toBeInTheDocument();
  });

  it('lists only their own grants, without "Whose grants"', async () => {
    server.use(...fakeGrantsBackend([]).handlers);
    await renderPageWithConnectors(server, AuthorizeResult.DENY);
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Device Admin' }),
    );
    expect(await screen.findByLabelText('Search grants')).toBeInTheDocument();
    expect(screen.queryByLabelText('Whose grants')).not.toBeInTheDocument();
  });
});
