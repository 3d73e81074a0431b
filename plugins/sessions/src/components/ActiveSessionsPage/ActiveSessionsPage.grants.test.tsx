import { alertApiRef, identityApiRef } from '@backstage/core-plugin-api';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { AccessGrant } from '@active-sessions/plugin-sessions-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import {
  CALLER_REF,
  fakeGrantsBackend,
  makeGrant,
} from '../../__testUtils__/fakeGrantsBackend';
import {
  DISCOVERY_BASE_URL,
  backstageError,
  fakeSessionsBackend,
} from '../../__testUtils__/fakeSessionsBackend';
import {
  SessionsClient,
  StepUpBroker,
  sessionsApiRef,
  stepUpApiRef,
} from '../../api';
import { formatInstant } from '../SessionsTable/formatInstant';
import { ActiveSessionsPage } from './ActiveSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

/** The moment every test runs at, so remaining times are exact. */
const NOW = Date.parse('2026-11-23T09:30:00.000Z');
const MINUTE = 60_000;
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

// Only the clock stands still: msw, React and user-event keep real timers.
const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

beforeEach(() => {
  jest.useFakeTimers({ now: NOW, doNotFake: [...REAL_TIMERS] });
});
afterEach(() => {
  jest.useRealTimers();
});

const BOB = 'user:default/bob.smith';

/** Jane's own admin rights on her laptop: 4h approved, 2h 30m left. */
const janesLaptop = makeGrant({
  target: 'laptop-jane',
  targetType: 'device',
  grantedBy: 'user:default/it.admin',
  startsAt: at(-90 * MINUTE),
  expiresAt: at(150 * MINUTE),
});
/** Bob's admin rights on a shared build box: 45m approved, 15m left. */
const bobsDevbox = makeGrant({
  userRef: BOB,
  target: 'devbox-7',
  targetType: 'linux-server',
  grantedBy: null,
  startsAt: at(-30 * MINUTE),
  expiresAt: at(15 * MINUTE),
});
/** Past its expiry, not yet swept to `expired` by the backend. */
const janesLapsedGrant = makeGrant({
  target: 'kiosk-3',
  startsAt: at(-120 * MINUTE),
  expiresAt: at(-5 * MINUTE),
});
/** Jane's access to a database: 1d 2h approved, a day left. */
const janesDatabase = makeGrant({
  kind: 'timed_access',
  target: 'prod-db',
  targetType: 'postgres',
  grantedBy: 'access-request-workflow',
  startsAt: at(-2 * 60 * MINUTE),
  expiresAt: at(24 * 60 * MINUTE),
});

function serve(
  grants: AccessGrant[],
  options?: Parameters<typeof fakeGrantsBackend>[1],
) {
  // Jane looks after others: the policy lets her read their grants.
  server.use(
    ...fakeSessionsBackend([], { capabilities: { readsOthersGrants: true } })
      .handlers,
  );
  const backend = fakeGrantsBackend(grants, options);
  server.use(...backend.handlers);
  return backend;
}

async function openTab(name: 'Device Admin' | 'Timed Access') {
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  const stepUp = new StepUpBroker();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [stepUpApiRef, stepUp],
        [
          sessionsApiRef,
          new SessionsClient({
            discoveryApi: mockApis.discovery({ baseUrl: DISCOVERY_BASE_URL }),
            fetchApi: new MockFetchApi(),
            stepUp,
          }),
        ],
        [alertApiRef, alertApi],
        [permissionApiRef, mockApis.permission()],
        // Cased differently from the backend's refs, as identities may be.
        [
          identityApiRef,
          mockApis.identity({ userEntityRef: 'user:default/Jane.Doe' }),
        ],
      ]}
    >
      <ActiveSessionsPage />
    </TestApiProvider>,
  );
  await userEvent.click(screen.getByRole('tab', { name }));
  return { alertApi };
}

const rowOf = async (target: string) =>
  (await screen.findByText(target)).closest('tr') as HTMLElement;

async function showEveryonesGrants() {
  await userEvent.selectOptions(
    screen.getByLabelText('Whose grants'),
    'Everyone I may see',
  );
}

describe('ActiveSessionsPage grant tabs', () => {
  it('counts my grants in force and those being revoked in the header', async () => {
    serve([
      janesLaptop,
      janesDatabase,
      bobsDevbox,
      makeGrant({ target: 'old-box', status: 'revoking' }),
    ]);
    await openTab('Timed Access');
    expect(
      await screen.findByText(
        'Device Admin 1 · Timed Access 1 · 1 being revoked',
      ),
    ).toBeInTheDocument();
    const card = screen.getByRole('region', { name: 'Active grants' });
    expect(within(card).getByText('2')).toBeInTheDocument();
    // End All belongs to the Sessions tab, not to the grants'.
    expect(
      screen.queryByRole('button', { name: 'End All Sessions' }),
    ).toBeNull();
  });

  it('puts Device Admin and Timed Access between Sessions and History', async () => {
    serve([]);
    await openTab('Device Admin');

    expect(screen.getAllByRole('tab').map(tab => tab.textContent)).toEqual([
      'Sessions',
      'Device Admin',
      'Timed Access',
      'History',
      'Portal sign-ins',
      'Two-factor',
      'Idle timeout',
      // The test policy lets this person offboard and watch the connectors.
      'People',
      'Connectors',
    ]);
    expect(screen.getByRole('tab', { name: 'Device Admin' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('lists active device admin grants with holder, device, start, remaining and approved time', async () => {
    const backend = serve([janesLaptop, janesLapsedGrant, janesDatabase]);
    await openTab('Device Admin');

    const row = await rowOf('laptop-jane');
    // The holder's short name, with the full entity ref as its tooltip.
    expect(within(row).getByText('jane.doe')).toHaveAttribute(
      'title',
      CALLER_REF,
    );
    expect(within(row).getByText('device')).toBeInTheDocument();
    expect(within(row).getByText('it.admin')).toBeInTheDocument();
    expect(
      within(row).getByText(formatInstant(janesLaptop.startsAt)),
    ).toBeInTheDocument();
    expect(within(row).getByText('2h 30m')).toBeInTheDocument();
    expect(within(row).getByText('4h')).toBeInTheDocument();
    expect(within(row).getByText('Active')).toBeInTheDocument();

    const lapsedRow = await rowOf('kiosk-3');
    expect(within(lapsedRow).getByText('Expired')).toBeInTheDocument();

    expect(screen.getByRole('columnheader', { name: 'Device' })).toBeVisible();
    // Timed access belongs to its own tab.
    expect(screen.queryByText('prod-db')).not.toBeInTheDocument();
    const query = backend.received.listQueries.at(-1)!;
    expect(query.get('kind')).toBe('device_admin');
    // Revoking ones stay listed until their connector confirms.
    expect(query.get('status')).toBe('active,revoking');
    expect(query.has('all')).toBe(false);
  });

  it('lists timed access grants under Resource', async () => {
    const backend = serve([janesLaptop, janesDatabase]);
    await openTab('Timed Access');

    const row = await rowOf('prod-db');
    expect(within(row).getByText('postgres')).toBeInTheDocument();
    expect(
      within(row).getByText('access-request-workflow'),
    ).toBeInTheDocument();
    expect(within(row).getByText('1d')).toBeInTheDocument();
    expect(within(row).getByText('1d 2h')).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: 'Resource' }),
    ).toBeVisible();
    expect(screen.queryByText('laptop-jane')).not.toBeInTheDocument();
    expect(backend.received.listQueries.at(-1)!.get('kind')).toBe(
      'timed_access',
    );
  });

  it("shows everyone's grants the person may see when asked", async () => {
    const backend = serve([janesLaptop, bobsDevbox]);
    await openTab('Device Admin');
    await rowOf('laptop-jane');
    expect(screen.queryByText('devbox-7')).not.toBeInTheDocument();

    await showEveryonesGrants();

    const row = await rowOf('devbox-7');
    expect(within(row).getByText('bob.smith')).toBeInTheDocument();
    expect(within(row).getByText('15m')).toBeInTheDocument();
    expect(within(row).getByText('45m')).toBeInTheDocument();
    expect(within(row).getByText('—')).toBeInTheDocument();
    expect(backend.received.listQueries.at(-1)!.get('all')).toBe('true');
  });

  it('counts the remaining time down every minute while the page is open', async () => {
    // Every timer is fake here, moving with real time until told to jump.
    jest.useFakeTimers({ now: NOW, advanceTimers: true });
    // Half a minute of slack, so the real time the test takes does not show.
    serve([
      makeGrant({ target: 'laptop-tick', expiresAt: at(150.5 * MINUTE) }),
    ]);
    await openTab('Device Admin');
    const row = await rowOf('laptop-tick');
    expect(within(row).getByText('2h 30m')).toBeInTheDocument();

    act(() => {
      jest.advanceTimersByTime(MINUTE);
    });

    expect(within(row).getByText('2h 29m')).toBeInTheDocument();
  });

  it('shows a revoked grant confirmed when the connector acknowledges before the page asks again', async () => {
    serve([janesLaptop, bobsDevbox], { fastConnector: true });
    await openTab('Device Admin');
    await showEveryonesGrants();
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Revoke grant on devbox-7 for bob.smith',
      }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Revoke grant',
      }),
    );
    expect(
      await screen.findByText(/^Cut confirmed /, {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('devbox-7')).toBeInTheDocument();
  });

  it('revokes one grant after a confirmation naming holder and device', async () => {
    const backend = serve([janesLaptop, bobsDevbox]);
    const { alertApi } = await openTab('Device Admin');
    await showEveryonesGrants();

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Revoke grant on devbox-7 for bob.smith',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Revoke this grant?',
    });
    expect(within(dialog).getByText('bob.smith')).toBeInTheDocument();
    expect(within(dialog).getByText('devbox-7')).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'bob.smith loses admin rights on devbox-7 at once.',
      ),
    ).toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke grant' }),
    );

    // Revoking until the connector confirms; nothing more to do on it.
    expect(await screen.findByText('Revoking…')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', {
        name: 'Revoke grant on devbox-7 for bob.smith',
      }),
    ).not.toBeInTheDocument();
    expect(backend.received.revokedIds).toEqual([bobsDevbox.id]);
    expect(backend.received.revokeBodies).toEqual([{}]);
    expect(await screen.findByText('laptop-jane')).toBeInTheDocument();
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: "Revoked bob.smith's admin rights on devbox-7.",
        severity: 'success',
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    backend.confirmCut(bobsDevbox.id);
    expect(await screen.findByText(/^Cut confirmed /)).toBeInTheDocument();
    expect(
      within(await rowOf('devbox-7')).getByText('Revoked'),
    ).toBeInTheDocument();
  });

  it('revokes nothing when the confirmation is cancelled', async () => {
    const backend = serve([janesLaptop]);
    await openTab('Device Admin');

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Revoke grant on laptop-jane for jane.doe',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(backend.received.revokeBodies).toEqual([]);
    expect(screen.getByText('laptop-jane')).toBeInTheDocument();
  });

  it('keeps the dialog open and explains why when revoking is denied', async () => {
    serve([bobsDevbox], { deny: [bobsDevbox.id] });
    await openTab('Device Admin');
    await showEveryonesGrants();

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Revoke grant on devbox-7 for bob.smith',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke grant' }),
    );

    expect(
      await within(dialog).findByText('You may not revoke this grant'),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    expect(
      await screen.findByRole('checkbox', { name: 'Select grant on devbox-7' }),
    ).toBeInTheDocument();
  });

  it('revokes the selected grants in one call and shows what happened to each', async () => {
    const backend = serve([janesLaptop, bobsDevbox, janesLapsedGrant], {
      deny: [bobsDevbox.id],
    });
    await openTab('Device Admin');
    await showEveryonesGrants();

    const laptopBox = await screen.findByRole('checkbox', {
      name: 'Select grant on laptop-jane',
    });
    await userEvent.click(laptopBox);
    // Ticking keeps the row, so keyboard users stay where they were.
    expect(laptopBox).toBeChecked();
    expect(laptopBox).toHaveFocus();
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select grant on devbox-7' }),
    );
    expect(screen.getByText('2 selected')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Actions' }));
    await userEvent.click(
      await screen.findByRole('menuitem', { name: 'Revoke selected' }),
    );

    const dialog = await screen.findByRole('dialog', {
      name: 'Revoke 2 grants?',
    });
    expect(within(dialog).getByText('laptop-jane')).toBeInTheDocument();
    expect(within(dialog).getByText('devbox-7')).toBeInTheDocument();
    expect(within(dialog).queryByText('kiosk-3')).not.toBeInTheDocument();
    expect(
      within(dialog).getByText('The users lose these privileges at once.'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke 2 grants' }),
    );

    expect(
      await screen.findByText('1 of 2 grants revoked'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('laptop-jane held by jane.doe: Revoked'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('devbox-7 held by bob.smith: Not allowed'),
    ).toBeInTheDocument();
    expect(backend.received.bulkRevokeBodies).toEqual([
      { ids: [bobsDevbox.id, janesLaptop.id] },
    ]);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // The revoked row leaves; the denied one stays, no longer selected.
    await waitFor(() =>
      expect(
        screen.queryByRole('checkbox', { name: 'Select grant on laptop-jane' }),
      ).not.toBeInTheDocument(),
    );
    expect(
      screen.getByRole('checkbox', { name: 'Select grant on devbox-7' }),
    ).not.toBeChecked();
    expect(screen.getByText('0 selected')).toBeInTheDocument();
  });

  it('revokes more grants than one call takes, in turns', async () => {
    const many = Array.from({ length: 101 }, (_, index) =>
      makeGrant({ target: `host-${String(index).padStart(3, '0')}` }),
    );
    const backend = serve(many);
    await openTab('Device Admin');
    await rowOf('host-100');

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select all grants' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Actions' }));
    await userEvent.click(
      await screen.findByRole('menuitem', { name: 'Revoke selected' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Revoke 101 grants?',
    });
    expect(within(dialog).getByText('and 91 more')).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke 101 grants' }),
    );

    expect(
      await screen.findByText('101 of 101 grants revoked'),
    ).toBeInTheDocument();
    // All revoking now: none can be ticked again.
    await waitFor(() =>
      expect(screen.getAllByText('Revoking…')).toHaveLength(101),
    );
    expect(
      screen.queryAllByRole('checkbox', { name: /^Select grant on / }),
    ).toEqual([]);
    expect(
      backend.received.bulkRevokeBodies.map(
        body => (body as { ids: string[] }).ids.length,
      ),
    ).toEqual([100, 1]);
  }, 60_000); // a hundred and one rows take a while to render in jsdom

  it('offers Revoke selected only once something is selected, and speaks of one grant', async () => {
    serve([janesLaptop]);
    await openTab('Device Admin');
    await rowOf('laptop-jane');

    await userEvent.click(screen.getByRole('button', { name: 'Actions' }));
    expect(
      await screen.findByRole('menuitem', { name: 'Revoke selected' }),
    ).toHaveAttribute('aria-disabled', 'true');
    await userEvent.keyboard('{Escape}');

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select all grants' }),
    );
    expect(
      screen.getByRole('checkbox', { name: 'Select grant on laptop-jane' }),
    ).toBeChecked();
    await userEvent.click(screen.getByRole('button', { name: 'Actions' }));
    await userEvent.click(
      await screen.findByRole('menuitem', { name: 'Revoke selected' }),
    );

    const dialog = await screen.findByRole('dialog', {
      name: 'Revoke 1 grant?',
    });
    expect(
      within(dialog).getByText('The user loses this privilege at once.'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Revoke 1 grant' }),
    ).toBeInTheDocument();
  });

  it('offers Give back on the person’s own grants only, and gives one back', async () => {
    const backend = serve([janesLaptop, bobsDevbox]);
    const { alertApi } = await openTab('Device Admin');
    await showEveryonesGrants();
    await rowOf('devbox-7');

    expect(
      screen.queryByRole('button', { name: 'Give back grant on devbox-7' }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Give back grant on laptop-jane' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Give back this grant?',
    });
    expect(
      within(dialog).getByText('You lose admin rights on laptop-jane at once.'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Give back grant' }),
    );

    await waitFor(() =>
      expect(
        screen.queryByRole('button', {
          name: 'Give back grant on laptop-jane',
        }),
      ).not.toBeInTheDocument(),
    );
    expect(
      within(await rowOf('laptop-jane')).getByText('Revoking…'),
    ).toBeInTheDocument();
    expect(backend.received.givenBackIds).toEqual([janesLaptop.id]);
    expect(backend.received.giveBackBodies).toEqual([{}]);
    expect(backend.received.revokeBodies).toEqual([]);
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'Gave back your admin rights on laptop-jane.',
      }),
    );
  });

  it.each([
    ['Device Admin', 'No device admin grants'],
    ['Timed Access', 'No timed access grants'],
  ] as const)('says so when the %s tab has no grants', async (tab, title) => {
    serve([]);
    await openTab(tab);

    expect(await screen.findByText(title)).toBeInTheDocument();
    expect(
      screen.getByRole('checkbox', { name: 'Select all grants' }),
    ).toBeDisabled();
  });

  it('shows the backend error when grants cannot be loaded', async () => {
    serve([janesLaptop]);
    server.use(
      http.get('*/api/sessions/grants', () =>
        backstageError(500, 'Error', 'database is unreachable'),
      ),
    );
    await openTab('Device Admin');

    expect(
      await screen.findByText(/Could not load grants: database is unreachable/),
    ).toBeInTheDocument();
    expect(screen.queryByText('laptop-jane')).not.toBeInTheDocument();
  });
});
