import { registerMswTestHooks } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { DateTime } from 'luxon';
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

  it('narrows History to the days sessions ended, kept in the address', async () => {
    const endedOn = (day: string, resourceName: string) =>
      makeSession({
        resourceName,
        status: 'disconnected',
        // Noon that day where the browser is.
        endedAt: DateTime.fromISO(`${day}T12:00`).toUTC().toISO()!,
        endReason: 'user',
      });
    const backend = fakeSessionsBackend([
      endedOn('2026-11-22', 'ended-22nd'),
      endedOn('2026-11-23', 'ended-23rd'),
      endedOn('2026-11-24', 'ended-24th'),
    ]);
    server.use(...backend.handlers, ...fakeGrantsBackend([]).handlers);
    await renderSessionsPage(
      undefined,
      undefined,
      [],
      '/sessions/history?from=2026-11-23&to=2026-11-23',
    );

    expect(await screen.findByText('ended-23rd')).toBeInTheDocument();
    expect(screen.queryByText('ended-22nd')).toBeNull();
    expect(screen.queryByText('ended-24th')).toBeNull();
    const query = backend.received.listQueries.at(-1)!;
    expect(query.get('endedFrom')).toBe(
      DateTime.fromISO('2026-11-23').toUTC().toISO(),
    );
    expect(query.get('endedBefore')).toBe(
      DateTime.fromISO('2026-11-24').toUTC().toISO(),
    );

    // A range that ends before it starts is said, and not asked for.
    fireEvent.change(screen.getByLabelText('Ended until'), {
      target: { value: '2026-11-21' },
    });
    expect(await screen.findByText('Before "Ended from"')).toBeInTheDocument();
    await screen.findByText('ended-22nd');
    expect(backend.received.listQueries.at(-1)!.get('endedBefore')).toBeNull();
    expect(address()).toBe('/sessions/history?from=2026-11-23&to=2026-11-21');
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
