import { registerMswTestHooks } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
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

/** A signal API whose messages the test sends. */
function fakeSignals() {
  const listeners = new Map<string, (message: any) => void>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      listeners.set(channel, onMessage);
      return { unsubscribe: () => listeners.delete(channel) };
    },
  };
  return {
    api,
    send: (channel: string, message: object) =>
      act(() => listeners.get(channel)?.(message)),
  };
}

describe('ActiveSessionsPage live updates', () => {
  it('shows a session a connector started, without Refresh, when the backend signals a change', async () => {
    const backend = fakeSessionsBackend([
      makeSession({ resourceName: 'bastion-prod-1' }),
    ]);
    server.use(...backend.handlers, ...fakeGrantsBackend([]).handlers);
    const signals = fakeSignals();
    await renderSessionsPage(AuthorizeResult.ALLOW, undefined, [
      [signalApiRef, signals.api],
    ]);
    await screen.findByText('bastion-prod-1');

    // A connector starts one more; the backend says something changed.
    // The list answers only once the test has looked at the page meanwhile.
    let answer = () => {};
    const answered = new Promise<void>(resolve => {
      answer = resolve;
    });
    const later = fakeSessionsBackend([
      makeSession({ resourceName: 'bastion-prod-1' }),
      makeSession({ resourceName: 'rdp-gw-7' }),
    ]);
    server.use(
      http.get(`${DISCOVERY_BASE_URL}/api/sessions/sessions`, async () => {
        await answered;
      }),
      ...later.handlers,
    );
    await signals.send('active-sessions', { type: 'changed' });
    // Reloads come often: the rows stay, no spinner covers them meanwhile.
    expect(screen.getByText('bastion-prod-1')).toBeVisible();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    answer();
    expect(await screen.findByText('rdp-gw-7')).toBeInTheDocument();
  });

  it('keeps a session the user ended on screen until its cut shows confirmed, even when the confirmation reloads the list first', async () => {
    const bastion = makeSession({ resourceName: 'bastion-prod-1' });
    const backend = fakeSessionsBackend([bastion]);
    server.use(...backend.handlers, ...fakeGrantsBackend([]).handlers);
    const signals = fakeSignals();
    await renderSessionsPage(AuthorizeResult.ALLOW, undefined, [
      [signalApiRef, signals.api],
    ]);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'End session on bastion-prod-1',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'End session' }),
    );
    await screen.findByText('Terminating…');

    // The connector acknowledges; its live update reloads the open list,
    // which no longer holds the session, before the row's own refresh.
    backend.confirmCut(bastion.id);
    const listsBefore = backend.received.listQueries.length;
    await signals.send('active-sessions', { type: 'changed' });
    await waitFor(() =>
      expect(backend.received.listQueries.length).toBeGreaterThan(listsBefore),
    );
    expect(
      await screen.findByText(/^Cut confirmed /, {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('bastion-prod-1')).toBeInTheDocument();

    // A new search asks afresh: the ended session is no longer kept.
    await userEvent.type(screen.getByLabelText('Search sessions'), 'bastion');
    await waitFor(() =>
      expect(screen.queryByText('bastion-prod-1')).not.toBeInTheDocument(),
    );
    expect(await screen.findByText('No sessions match')).toBeInTheDocument();
  });

  it('shows the cut confirmed when the connector acknowledges before the page asks again', async () => {
    const bastion = makeSession({ resourceName: 'bastion-prod-1' });
    const backend = fakeSessionsBackend([bastion], { fastConnector: true });
    server.use(...backend.handlers, ...fakeGrantsBackend([]).handlers);
    await renderSessionsPage(AuthorizeResult.ALLOW);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'End session on bastion-prod-1',
      }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'End session',
      }),
    );
    expect(
      await screen.findByText(/^Cut confirmed /, {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('bastion-prod-1')).toBeInTheDocument();
  });
});
