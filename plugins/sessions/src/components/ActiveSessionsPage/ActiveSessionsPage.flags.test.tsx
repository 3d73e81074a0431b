import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import {
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import { fakeGrantsBackend } from '../../__testUtils__/fakeGrantsBackend';
import { renderSessionsPage } from '../../__testUtils__/renderSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

function serve() {
  const backend = fakeSessionsBackend([
    makeSession({ resourceName: 'bastion-prod-1' }),
    makeSession({
      resourceName: 'db-replica-2',
      device: 'Pixel 8',
      flags: ['new_device', 'new_country'],
      flagDetail: 'new device: Pixel 8; new country: France (before: GB)',
    }),
  ]);
  server.use(...backend.handlers, ...fakeGrantsBackend([]).handlers);
  return backend;
}

describe('ActiveSessionsPage flagged sessions', () => {
  it('badges a flagged session with its reasons, and lists flagged ones only on request', async () => {
    const backend = serve();
    await renderSessionsPage();
    const row = (await screen.findByText('db-replica-2')).closest('tr')!;
    expect(
      within(row).getByText('New device · New country'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByText('bastion-prod-1').closest('tr')!).queryByText(
        /New device/,
      ),
    ).toBeNull();

    await userEvent.click(screen.getByLabelText('Flagged only'));
    await waitFor(() =>
      expect(screen.queryByText('bastion-prod-1')).not.toBeInTheDocument(),
    );
    expect(
      backend.received.listQueries.some(q => q.get('flagged') === 'true'),
    ).toBe(true);
  });

  it("lets those who look after others list everyone's flagged sessions, saying whose", async () => {
    const backend = fakeSessionsBackend(
      [
        makeSession({ resourceName: 'bastion-prod-1' }),
        makeSession({
          userRef: 'user:default/bob',
          resourceName: 'win-jump-01',
          resourceType: 'rdp',
          flags: ['impossible_travel'],
          flagDetail: '9000 km from the previous session in 60 min',
        }),
        makeSession({ userRef: 'user:default/bob', resourceName: 'vault' }),
      ],
      {
        me: 'user:default/jane.doe',
        capabilities: { readsOthersSessions: true },
      },
    );
    server.use(...backend.handlers, ...fakeGrantsBackend([]).handlers);
    await renderSessionsPage();
    await screen.findByText('bastion-prod-1');
    expect(screen.queryByText('win-jump-01')).not.toBeInTheDocument();

    await userEvent.selectOptions(
      screen.getByLabelText('Whose sessions'),
      'Everyone I may see',
    );
    await userEvent.click(screen.getByLabelText('Flagged only'));
    const row = (await screen.findByText('win-jump-01')).closest('tr')!;
    expect(within(row).getByText('bob')).toBeInTheDocument();
    expect(within(row).getByText('Impossible travel')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByText('bastion-prod-1')).not.toBeInTheDocument(),
    );
    expect(screen.queryByText('vault')).not.toBeInTheDocument();
    const last = backend.received.listQueries.at(-1)!;
    expect([last.get('all'), last.get('flagged')]).toEqual(['true', 'true']);
  });

  it("opens with flagged sessions only from the notification's link", async () => {
    serve();
    await renderSessionsPage(
      undefined,
      undefined,
      [],
      '/sessions?flagged=true',
    );
    expect(await screen.findByText('db-replica-2')).toBeInTheDocument();
    expect(screen.queryByText('bastion-prod-1')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Flagged only')).toBeChecked();
  });

  it('offers "not me: end all sessions" for flagged sessions', async () => {
    const backend = serve();
    await renderSessionsPage();
    const banner = (await screen.findByText('Unusual sessions')).closest(
      '[role="alert"]',
    ) as HTMLElement;
    expect(banner).toHaveTextContent(
      'SSH session on db-replica-2: new device: Pixel 8; new country: France (before: GB)',
    );
    await userEvent.click(
      within(banner).getByRole('button', { name: 'Not me: end all sessions' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'End all sessions?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'End 2 sessions' }),
    );
    await waitFor(() => expect(backend.received.endAllBodies).toHaveLength(1));
  });
});
