import { registerMswTestHooks } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
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
});
