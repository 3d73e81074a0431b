import { alertApiRef, identityApiRef } from '@backstage/core-plugin-api';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { Session } from '@active-sessions/plugin-sessions-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import {
  DISCOVERY_BASE_URL,
  backstageError,
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import {
  SessionsClient,
  StepUpBroker,
  sessionsApiRef,
  stepUpApiRef,
} from '../../api';
import { ActiveSessionsPage } from './ActiveSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

const HOUR = 3_600_000;
const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * HOUR).toISOString();

function serve(sessions: Session[]) {
  const backend = fakeSessionsBackend(sessions);
  server.use(...backend.handlers);
  return backend;
}

async function renderPage() {
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  const stepUp = new StepUpBroker();
  const sessionsApi = new SessionsClient({
    discoveryApi: mockApis.discovery({ baseUrl: DISCOVERY_BASE_URL }),
    fetchApi: new MockFetchApi(),
    stepUp,
  });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [stepUpApiRef, stepUp],
        [sessionsApiRef, sessionsApi],
        [alertApiRef, alertApi],
        [permissionApiRef, mockApis.permission()],
        // Jane, whose sessions the fake backend holds.
        [
          identityApiRef,
          mockApis.identity({ userEntityRef: makeSession().userRef }),
        ],
      ]}
    >
      <ActiveSessionsPage />
    </TestApiProvider>,
  );
  return { alertApi };
}

const rowOf = async (resourceName: string) =>
  (await screen.findByText(resourceName)).closest('tr') as HTMLElement;

const statValue = (label: string) =>
  within(screen.getByRole('region', { name: label }));

describe('ActiveSessionsPage', () => {
  const bastion = makeSession({
    resourceName: 'bastion-1',
    resourceType: 'ssh',
    device: 'ThinkPad X1',
    ipAddress: '203.0.113.7',
    location: 'Lisbon, PT',
    status: 'active',
    startedAt: hoursAgo(2.5),
  });
  const gateway = makeSession({
    resourceName: 'rdp-gateway',
    resourceType: 'rdp',
    ipAddress: '198.51.100.4',
    status: 'idle',
    idleWarnedAt: hoursAgo(0.1),
    startedAt: hoursAgo(1),
  });
  const oldWiki = makeSession({
    resourceName: 'wiki.internal',
    resourceType: 'web',
    status: 'disconnected',
    startedAt: hoursAgo(30),
    endedAt: hoursAgo(28),
    endReason: 'idle_timeout',
  });

  it('lists open sessions with their resource, device, IP, location and status', async () => {
    serve([bastion, gateway, oldWiki]);
    await renderPage();

    const bastionRow = await rowOf('bastion-1');
    expect(within(bastionRow).getByText('SSH')).toBeInTheDocument();
    expect(within(bastionRow).getByText('ThinkPad X1')).toBeInTheDocument();
    expect(within(bastionRow).getByText('203.0.113.7')).toBeInTheDocument();
    expect(within(bastionRow).getByText('Lisbon, PT')).toBeInTheDocument();
    expect(within(bastionRow).getByText('Active')).toBeInTheDocument();
    expect(within(bastionRow).getByText('for 2h 30m')).toBeInTheDocument();

    const gatewayRow = await rowOf('rdp-gateway');
    expect(within(gatewayRow).getByText('198.51.100.4')).toBeInTheDocument();
    expect(within(gatewayRow).getByText('Idle · warned')).toBeInTheDocument();

    // History stays out of the Sessions tab.
    expect(screen.queryByText('wiki.internal')).not.toBeInTheDocument();
  });

  it('shows the stats from the backend', async () => {
    serve([bastion, gateway, oldWiki]);
    await renderPage();

    await waitFor(() =>
      expect(statValue('Active sessions').getByText('1')).toBeInTheDocument(),
    );
    expect(statValue('Idle sessions').getByText('1')).toBeInTheDocument();
    expect(statValue('Total duration').getByText('3h 30m')).toBeInTheDocument();
  });

  it('ends a session after confirmation, shows it terminating, then the confirmed cut', async () => {
    const backend = serve([bastion, gateway]);
    const { alertApi } = await renderPage();

    await userEvent.click(
      await screen.findByRole('button', { name: 'End session on bastion-1' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'End this session?',
    });
    expect(within(dialog).getByText('bastion-1')).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Any unsaved work in this session will be lost.',
      ),
    ).toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'End session' }),
    );

    // Still live at its source until the connector confirms: no End button.
    // The row is drawn again as the list reloads: look, don't hold on.
    await waitFor(async () =>
      expect(
        within(await rowOf('bastion-1')).getByText('Terminating…'),
      ).toBeInTheDocument(),
    );
    expect(
      within(await rowOf('bastion-1')).getByText('Waiting for bastion'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'End session on bastion-1' }),
    ).not.toBeInTheDocument();
    expect(backend.received.endedIds).toEqual([bastion.id]);
    expect(await screen.findByText('rdp-gateway')).toBeInTheDocument();
    await waitFor(() =>
      expect(statValue('Active sessions').getByText('0')).toBeInTheDocument(),
    );
    expect(
      statValue('Active sessions').getByText('Open and in use · 1 being cut'),
    ).toBeInTheDocument();
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'Ended your session on bastion-1.',
        severity: 'success',
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    // The connector acknowledges: the row changes in place, without Refresh.
    backend.confirmCut(bastion.id);
    expect(await screen.findByText(/^Cut confirmed /)).toBeInTheDocument();
    const confirmed = await rowOf('bastion-1');
    expect(within(confirmed).getByText('Disconnected')).toBeInTheDocument();
    // Asked about with one list request naming the rows waiting.
    expect(
      backend.received.listQueries.some(
        query => query.get('id') === bastion.id,
      ),
    ).toBe(true);
  });

  it('flags a cut the connector has not confirmed in time, or reported failed', async () => {
    const overdue = makeSession({
      resourceName: 'db-prod-1',
      source: 'ssh-bastion',
      status: 'terminating',
      endedAt: hoursAgo(0.1),
      endReason: 'user',
      cutDeadlineAt: hoursAgo(0.05),
    });
    const failed = makeSession({
      resourceName: 'jump-2',
      source: 'ssh-bastion',
      status: 'terminating',
      endedAt: hoursAgo(0.1),
      endReason: 'user',
      cutDeadlineAt: new Date(Date.now() + HOUR).toISOString(),
      cutFailure: 'kill: no such process group',
    });
    serve([overdue, failed]);
    await renderPage();

    const overdueRow = await rowOf('db-prod-1');
    expect(within(overdueRow).getByText('Not confirmed')).toBeInTheDocument();
    expect(
      within(overdueRow).getByText('ssh-bastion has not confirmed the cut'),
    ).toBeInTheDocument();
    const failedRow = await rowOf('jump-2');
    expect(within(failedRow).getByText('Cut failed')).toBeInTheDocument();
    expect(
      within(failedRow).getByText('ssh-bastion: kill: no such process group'),
    ).toBeInTheDocument();
    // Neither is shown as done.
    expect(screen.queryByText('Disconnected')).not.toBeInTheDocument();
  });

  it('does not end anything when the dialog is cancelled', async () => {
    const backend = serve([bastion]);
    await renderPage();

    await userEvent.click(
      await screen.findByRole('button', { name: 'End session on bastion-1' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(backend.received.endedIds).toEqual([]);
    expect(backend.received.endBodies).toEqual([]);
    expect(screen.getByText('bastion-1')).toBeInTheDocument();
  });

  it('keeps the dialog open and explains why when ending fails', async () => {
    serve([bastion]);
    server.use(
      http.post('*/api/sessions/sessions/:id/end', () =>
        backstageError(403, 'NotAllowedError', 'You may not end this session'),
      ),
    );
    await renderPage();

    await userEvent.click(
      await screen.findByRole('button', { name: 'End session on bastion-1' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'End session' }),
    );

    expect(
      await within(dialog).findByText('You may not end this session'),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('disables End All Sessions when nothing is open and says so', async () => {
    serve([oldWiki]);
    await renderPage();

    expect(await screen.findByText('No active sessions')).toBeInTheDocument();
    await waitFor(() =>
      expect(statValue('Active sessions').getByText('0')).toBeInTheDocument(),
    );
    expect(
      screen.getByRole('button', { name: 'End All Sessions' }),
    ).toBeDisabled();
  });

  it('ends all sessions after a confirmation that states how many', async () => {
    const backend = serve([bastion, gateway, oldWiki]);
    await renderPage();

    const endAll = screen.getByRole('button', { name: 'End All Sessions' });
    await waitFor(() => expect(endAll).toBeEnabled());
    await userEvent.click(endAll);

    const dialog = await screen.findByRole('dialog', {
      name: 'End all sessions?',
    });
    expect(
      within(dialog).getByText(/This will end 2 sessions/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Any unsaved work in these sessions will be lost.',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'End 2 sessions' }),
    );

    await waitFor(() =>
      expect(screen.getAllByText('Terminating…')).toHaveLength(2),
    );
    expect(backend.received.endAllBodies).toEqual([{}]);
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'End All Sessions' }),
      ).toBeDisabled(),
    );
  });

  it('speaks of one session when only one is open', async () => {
    serve([bastion]);
    await renderPage();

    const endAll = screen.getByRole('button', { name: 'End All Sessions' });
    await waitFor(() => expect(endAll).toBeEnabled());
    await userEvent.click(endAll);

    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(/This will end 1 session:/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'End 1 session' }),
    ).toBeInTheDocument();
  });

  it('shows the backend error when the list cannot be loaded', async () => {
    serve([bastion]);
    server.use(
      http.get('*/api/sessions/sessions', () =>
        backstageError(500, 'Error', 'database is unreachable'),
      ),
    );
    await renderPage();

    expect(
      await screen.findByText(
        /Could not load your sessions: database is unreachable/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('bastion-1')).not.toBeInTheDocument();
  });

  it('shows the history with how each session ended', async () => {
    const backend = serve([bastion, oldWiki]);
    await renderPage();
    await rowOf('bastion-1');

    await userEvent.click(screen.getByRole('tab', { name: 'History' }));

    const wikiRow = await rowOf('wiki.internal');
    expect(within(wikiRow).getByText('Idle timeout')).toBeInTheDocument();
    expect(within(wikiRow).getByText('Disconnected')).toBeInTheDocument();
    // Ended: nothing to end (Jane may still report it as not hers).
    expect(
      within(wikiRow).queryByRole('button', { name: /^End session/ }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('bastion-1')).not.toBeInTheDocument();

    const lastQuery = backend.received.listQueries.at(-1)!;
    expect(lastQuery.get('status')).toBe('disconnected');
    expect(lastQuery.get('sort')).toBe('endedAt');
    expect(lastQuery.get('order')).toBe('desc');
  });

  it('finds an ended session in the history once its cut is confirmed', async () => {
    const backend = serve([bastion]);
    await renderPage();

    await userEvent.click(
      await screen.findByRole('button', { name: 'End session on bastion-1' }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'End session',
      }),
    );
    // The row is drawn again as the list reloads: look, don't hold on.
    await waitFor(() =>
      expect(screen.getByText('Terminating…')).toBeInTheDocument(),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    backend.confirmCut(bastion.id);

    await userEvent.click(screen.getByRole('tab', { name: 'History' }));

    const row = await rowOf('bastion-1');
    expect(within(row).getByText('Ended by you')).toBeInTheDocument();
    expect(within(row).getByText(/^Cut confirmed /)).toBeInTheDocument();
  });

  it('searches on the server and filters by resource type', async () => {
    const webApp = makeSession({
      resourceName: 'grafana',
      resourceType: 'web',
    });
    const backend = serve([bastion, gateway, webApp]);
    await renderPage();
    await rowOf('grafana');

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Search sessions' }),
      'bastion',
    );
    // Wait for the searched list itself, not an in-between loading state.
    expect(await screen.findByText('bastion-1')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByText('grafana')).not.toBeInTheDocument(),
    );
    expect(backend.received.listQueries.at(-1)!.get('q')).toBe('bastion');

    await userEvent.clear(
      screen.getByRole('textbox', { name: 'Search sessions' }),
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Resource type' }),
      'web',
    );
    expect(await screen.findByText('grafana')).toBeInTheDocument();
    expect(screen.queryByText('bastion-1')).not.toBeInTheDocument();
    const lastQuery = backend.received.listQueries.at(-1)!;
    expect(lastQuery.get('type')).toBe('web');
    expect(lastQuery.has('q')).toBe(false);
  });

  it('loads the next page with the cursor when asked for more', async () => {
    const many = Array.from({ length: 30 }, (_, index) =>
      makeSession({ resourceName: `server-${String(index).padStart(2, '0')}` }),
    );
    const backend = serve(many);
    await renderPage();

    await rowOf('server-24');
    expect(screen.queryByText('server-25')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await screen.findByText('server-29')).toBeInTheDocument();
    expect(screen.getByText('server-00')).toBeInTheDocument();
    expect(backend.received.listQueries.at(-1)!.get('cursor')).toBe('25');
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  it('loads list and stats again on Refresh', async () => {
    const backend = serve([bastion]);
    await renderPage();
    await rowOf('bastion-1');
    const listCalls = backend.received.listQueries.length;

    // Another session starts elsewhere while the page is open.
    server.use(
      ...fakeSessionsBackend([
        bastion,
        makeSession({ resourceName: 'db-proxy' }),
      ]).handlers,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    expect(await screen.findByText('db-proxy')).toBeInTheDocument();
    await waitFor(() =>
      expect(statValue('Active sessions').getByText('2')).toBeInTheDocument(),
    );
    expect(backend.received.listQueries.length).toBe(listCalls);
  });
});
