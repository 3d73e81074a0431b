import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import {
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import { fakeGrantsBackend } from '../../__testUtils__/fakeGrantsBackend';
import { renderSessionsPage } from '../../__testUtils__/renderSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

describe('ActiveSessionsPage recordings', () => {
  it('links to the recordings the caller may watch, and only says "Recorded" for the others', async () => {
    const backend = fakeSessionsBackend([
      makeSession({
        resourceName: 'bastion-prod-1',
        recorded: true,
        recording: {
          url: 'https://rec.example.com/j1.cast',
          kind: 'asciicast',
        },
      }),
      makeSession({
        resourceName: 'win-build-3',
        resourceType: 'rdp',
        recorded: true,
      }),
      makeSession({ resourceName: 'db-replica-2' }),
    ]);
    server.use(...backend.handlers, ...fakeGrantsBackend([]).handlers);
    await renderSessionsPage();

    const rowOf = async (name: string) =>
      (await screen.findByText(name)).closest('tr') as HTMLElement;
    const watched = within(await rowOf('bastion-prod-1')).getByRole('link', {
      name: /Recording/,
    });
    expect(watched).toHaveAttribute('href', 'https://rec.example.com/j1.cast');

    const hidden = within(await rowOf('win-build-3'));
    expect(hidden.getByText('Recorded')).toBeInTheDocument();
    expect(hidden.queryByRole('link', { name: /Recording/ })).toBeNull();

    const none = within(await rowOf('db-replica-2'));
    expect(none.queryByText('Recorded')).toBeNull();
    expect(none.queryByRole('link', { name: /Recording/ })).toBeNull();
  });
});
