import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { fakeGrantsBackend } from '../../__testUtils__/fakeGrantsBackend';
import {
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import { renderSessionsPage } from '../../__testUtils__/renderSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

const address = () => screen.getByTestId('address').textContent;

function serve() {
  const backend = fakeSessionsBackend(
    [
      makeSession({ resourceName: 'web-open' }),
      makeSession({
        resourceName: 'reported-one',
        status: 'disconnected',
        endedAt: '2026-11-23T09:30:00.000Z',
        endReason: 'reported',
        reportedAt: '2026-11-23T09:30:00.000Z',
        reportNote: 'not me',
      }),
    ],
    { capabilities: { readsOthersSessions: true } },
  );
  server.use(...backend.handlers, ...fakeGrantsBackend([]).handlers);
  return backend;
}

describe('ActiveSessionsPage tabs as addresses', () => {
  it("opens a notification's link on its tab, with its filters", async () => {
    const backend = serve();
    await renderSessionsPage(
      undefined,
      undefined,
      [],
      '/sessions/history?reported=true&all=true',
    );

    expect(await screen.findByText('reported-one')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'History' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.getByLabelText('Reported only')).toBeChecked();
    const query = backend.received.listQueries.at(-1)!;
    expect(query.get('status')).toBe('disconnected');
    expect(query.get('reported')).toBe('true');
    expect(query.get('all')).toBe('true');
  });

  it('moves the address with the tab and the switches, and back', async () => {
    serve();
    await renderSessionsPage();
    await screen.findByText('web-open');
    expect(address()).toBe('/sessions');

    await userEvent.click(screen.getByRole('tab', { name: 'History' }));
    expect(address()).toBe('/sessions/history');
    await userEvent.click(await screen.findByLabelText('Flagged only'));
    await waitFor(() =>
      expect(address()).toBe('/sessions/history?flagged=true'),
    );

    // Another tab starts with its own filters.
    await userEvent.click(screen.getByRole('tab', { name: 'Device Admin' }));
    expect(address()).toBe('/sessions/device-admin');
    await userEvent.click(screen.getByRole('tab', { name: 'Sessions' }));
    expect(address()).toBe('/sessions');
  });

  it('opens the first tab at an address that names no tab', async () => {
    serve();
    await renderSessionsPage(undefined, undefined, [], '/sessions/nope');
    expect(await screen.findByText('web-open')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Sessions' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });
});
