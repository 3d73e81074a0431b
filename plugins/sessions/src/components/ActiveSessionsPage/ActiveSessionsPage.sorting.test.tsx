import { registerMswTestHooks } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AccessGrant, Session } from '@active-sessions/plugin-sessions-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import {
  fakeGrantsBackend,
  makeGrant,
} from '../../__testUtils__/fakeGrantsBackend';
import {
  DISCOVERY_BASE_URL,
  fakeSessionsBackend,
  makeSession,
} from '../../__testUtils__/fakeSessionsBackend';
import { renderPageWithConnectors } from '../../__testUtils__/renderPageWithConnectors';
import { renderSessionsPage } from '../../__testUtils__/renderSessionsPage';

const server = setupServer();
registerMswTestHooks(server);

const API = `${DISCOVERY_BASE_URL}/api/sessions`;
/** The page size of the session and grant tables. */
const TABLE_PAGE = '25';

const address = () => screen.getByTestId('address').textContent;

/**
 * A list route that sorts and pages like the real one: by `sort` and
 * `order` (or `defaults`), `limit` at a time, the cursor an offset here.
 * It records what the tables asked (their page size tells them apart).
 */
function sortingRoute<T extends object>(
  path: string,
  items: () => T[],
  matches: (item: T, query: URLSearchParams) => boolean,
  defaults: { sort: string; order: string },
) {
  const asked: URLSearchParams[] = [];
  const handler = http.get(`${API}${path}`, ({ request }) => {
    const query = new URL(request.url).searchParams;
    if (query.get('limit') === TABLE_PAGE) asked.push(query);
    const field = (query.get('sort') ?? defaults.sort) as keyof T;
    const direction = (query.get('order') ?? defaults.order) === 'asc' ? 1 : -1;
    const sorted = items()
      .filter(item => matches(item, query))
      .sort(
        (a, b) => direction * String(a[field]).localeCompare(String(b[field])),
      );
    const offset = Number(query.get('cursor') ?? 0);
    const end = offset + Number(query.get('limit') ?? 50);
    return HttpResponse.json({
      items: sorted.slice(offset, end),
      nextCursor: end < sorted.length ? String(end) : undefined,
    });
  });
  return { handler, asked };
}

function serveSessions(sessions: Session[]) {
  const route = sortingRoute(
    '/sessions',
    () => sessions,
    (session, query) =>
      query.get('status')?.split(',').includes(session.status) ?? true,
    { sort: 'startedAt', order: 'desc' },
  );
  server.use(
    route.handler,
    ...fakeSessionsBackend(sessions).handlers,
    ...fakeGrantsBackend([]).handlers,
  );
  return route.asked;
}

function serveGrants(grants: AccessGrant[]) {
  const route = sortingRoute(
    '/grants',
    () => grants,
    (grant, query) =>
      query.get('kind')?.split(',').includes(grant.kind) ?? true,
    { sort: 'expiresAt', order: 'asc' },
  );
  server.use(
    route.handler,
    ...fakeSessionsBackend([]).handlers,
    ...fakeGrantsBackend(grants).handlers,
  );
  return route.asked;
}

/** The rows' names among `names`, top to bottom. */
const rowOrder = (names: string[]) =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map(row => names.find(name => row.textContent?.includes(name)));

const header = (name: string | RegExp) =>
  screen.getByRole('columnheader', { name });
const sortButton = (name: RegExp) =>
  within(header(name)).getByRole('button', { name });

const sortOf = (query: URLSearchParams) => ({
  sort: query.get('sort'),
  order: query.get('order'),
  cursor: query.get('cursor'),
});

const HOUR = 3_600_000;
const at = (hours: number) =>
  new Date(Date.parse('2026-11-23T10:00:00.000Z') + hours * HOUR).toISOString();

const NAMES = ['alpha-1', 'bravo-2', 'charlie-3'];
const sessions = [
  makeSession({
    resourceName: 'alpha-1',
    startedAt: at(-2),
    lastActivityAt: at(-0.5),
  }),
  makeSession({
    resourceName: 'bravo-2',
    startedAt: at(-1),
    lastActivityAt: at(-0.8),
  }),
  makeSession({
    resourceName: 'charlie-3',
    startedAt: at(-3),
    lastActivityAt: at(-0.1),
  }),
];

describe('ActiveSessionsPage sorting', () => {
  it('sorts sessions on the server by the header clicked, kept in the address', async () => {
    const asked = serveSessions(sessions);
    await renderSessionsPage();

    // Newest first, as before.
    await screen.findByText('alpha-1');
    expect(rowOrder(NAMES)).toEqual(['bravo-2', 'alpha-1', 'charlie-3']);
    expect(sortOf(asked.at(-1)!)).toMatchObject({
      sort: 'startedAt',
      order: 'desc',
    });
    expect(header(/^Started/)).toHaveAttribute('aria-sort', 'descending');
    expect(address()).toBe('/sessions');

    await userEvent.click(sortButton(/^Resource/));
    await waitFor(() =>
      expect(rowOrder(NAMES)).toEqual(['alpha-1', 'bravo-2', 'charlie-3']),
    );
    expect(sortOf(asked.at(-1)!)).toEqual({
      sort: 'resourceName',
      order: 'asc',
      cursor: null,
    });
    expect(header(/^Resource/)).toHaveAttribute('aria-sort', 'ascending');
    expect(header(/^Started/)).not.toHaveAttribute('aria-sort');
    expect(address()).toBe('/sessions?sort=resourceName&order=asc');

    // Again: the other way round.
    await userEvent.click(sortButton(/^Resource/));
    await waitFor(() =>
      expect(rowOrder(NAMES)).toEqual(['charlie-3', 'bravo-2', 'alpha-1']),
    );
    expect(sortOf(asked.at(-1)!)).toMatchObject({
      sort: 'resourceName',
      order: 'desc',
    });
    expect(header(/^Resource/)).toHaveAttribute('aria-sort', 'descending');
    expect(address()).toBe('/sessions?sort=resourceName&order=desc');

    // A time column starts with the latest.
    await userEvent.click(sortButton(/^Last activity/));
    await waitFor(() =>
      expect(rowOrder(NAMES)).toEqual(['charlie-3', 'alpha-1', 'bravo-2']),
    );
    expect(address()).toBe('/sessions?sort=lastActivityAt&order=desc');

    // Back to the default: the address is plain again.
    await userEvent.click(sortButton(/^Started/));
    await waitFor(() => expect(address()).toBe('/sessions'));
    expect(sortOf(asked.at(-1)!)).toMatchObject({
      sort: 'startedAt',
      order: 'desc',
    });
  });

  it('sorts from the keyboard: Enter and Space on the header', async () => {
    const asked = serveSessions(sessions);
    await renderSessionsPage();
    await screen.findByText('alpha-1');

    sortButton(/^Resource/).focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() =>
      expect(sortOf(asked.at(-1)!)).toMatchObject({
        sort: 'resourceName',
        order: 'asc',
      }),
    );
    expect(sortButton(/^Resource/)).toHaveFocus();
    await userEvent.keyboard(' ');
    await waitFor(() =>
      expect(sortOf(asked.at(-1)!)).toMatchObject({
        sort: 'resourceName',
        order: 'desc',
      }),
    );
    expect(header(/^Resource/)).toHaveAttribute('aria-sort', 'descending');
    expect(sortButton(/^Resource/)).toHaveAccessibleName(
      'Resource, sorted descending',
    );
  });

  it('offers no sort on columns the server cannot sort by', async () => {
    serveSessions(sessions);
    await renderSessionsPage();
    await screen.findByText('alpha-1');

    for (const name of ['Device & IP', 'Location', 'Status', 'Actions']) {
      expect(within(header(name)).queryByRole('button')).toBeNull();
      expect(header(name)).not.toHaveAttribute('aria-sort');
    }
  });

  it('asks for the next page in the same order', async () => {
    const many = Array.from({ length: 30 }, (_, index) =>
      makeSession({
        resourceName: `host-${String(index + 1).padStart(2, '0')}`,
        // The latest started is the last by name.
        startedAt: at(index),
      }),
    );
    const asked = serveSessions(many);
    await renderSessionsPage();
    await screen.findByText('host-30');

    await userEvent.click(sortButton(/^Resource/));
    await screen.findByText('host-01');
    expect(screen.queryByText('host-30')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('host-30');
    expect(sortOf(asked.at(-1)!)).toEqual({
      sort: 'resourceName',
      order: 'asc',
      cursor: '25',
    });
    const names = many.map(session => session.resourceName);
    expect(rowOrder(names)).toEqual(names);
  });

  it('opens in the order the address names', async () => {
    const asked = serveSessions(sessions);
    await renderSessionsPage(
      undefined,
      undefined,
      [],
      '/sessions?sort=lastActivityAt&order=asc',
    );

    await screen.findByText('alpha-1');
    expect(sortOf(asked[0])).toMatchObject({
      sort: 'lastActivityAt',
      order: 'asc',
    });
    expect(rowOrder(NAMES)).toEqual(['bravo-2', 'alpha-1', 'charlie-3']);
    expect(header(/^Last activity/)).toHaveAttribute('aria-sort', 'ascending');
  });

  it('opens History by when sessions ended, and falls back to that for a sort it does not offer', async () => {
    const ended = sessions.map((session, index) => ({
      ...session,
      status: 'disconnected' as const,
      endedAt: at(-index),
      endReason: 'user' as const,
    }));
    const asked = serveSessions(ended);
    await renderSessionsPage(
      undefined,
      undefined,
      [],
      // Open sessions sort by last activity; History has no such column.
      '/sessions/history?sort=lastActivityAt&order=sideways&flagged=false',
    );

    await screen.findByText('alpha-1');
    expect(sortOf(asked[0])).toMatchObject({
      sort: 'endedAt',
      order: 'desc',
    });
    expect(header(/^Ended/)).toHaveAttribute('aria-sort', 'descending');
    expect(
      screen.queryByRole('columnheader', { name: /^Last activity/ }),
    ).toBeNull();

    await userEvent.click(sortButton(/^Started/));
    await waitFor(() =>
      expect(address()).toBe('/sessions/history?sort=startedAt&order=desc'),
    );
    expect(sortOf(asked.at(-1)!)).toMatchObject({
      sort: 'startedAt',
      order: 'desc',
    });
  });

  it('falls back to the default for a sort the view does not offer', async () => {
    const asked = serveSessions(sessions);
    // The backend sorts by endedAt only in History.
    await renderSessionsPage(
      undefined,
      undefined,
      [],
      '/sessions?sort=endedAt&order=asc',
    );
    await screen.findByText('alpha-1');
    expect(sortOf(asked[0])).toMatchObject({
      sort: 'startedAt',
      order: 'desc',
    });
    expect(header(/^Started/)).toHaveAttribute('aria-sort', 'descending');
    expect(rowOrder(NAMES)).toEqual(['bravo-2', 'alpha-1', 'charlie-3']);
  });
});

describe('ActiveSessionsPage grant sorting', () => {
  const GRANT_NAMES = ['laptop-a', 'laptop-b', 'laptop-c'];
  const grants = [
    makeGrant({ target: 'laptop-a', startsAt: at(-3), expiresAt: at(1) }),
    makeGrant({ target: 'laptop-b', startsAt: at(-1), expiresAt: at(3) }),
    makeGrant({ target: 'laptop-c', startsAt: at(-2), expiresAt: at(2) }),
  ];

  it('sorts grants on the server by target, start or remaining time, kept in the address', async () => {
    const asked = serveGrants(grants);
    await renderSessionsPage(
      undefined,
      undefined,
      [],
      '/sessions/device-admin',
    );

    // Soonest to expire first, as before.
    await screen.findByText('laptop-a');
    expect(rowOrder(GRANT_NAMES)).toEqual(['laptop-a', 'laptop-c', 'laptop-b']);
    expect(sortOf(asked.at(-1)!)).toMatchObject({
      sort: 'expiresAt',
      order: 'asc',
    });
    expect(header(/^Remaining/)).toHaveAttribute('aria-sort', 'ascending');

    await userEvent.click(sortButton(/^Start/));
    await waitFor(() =>
      expect(rowOrder(GRANT_NAMES)).toEqual([
        'laptop-b',
        'laptop-c',
        'laptop-a',
      ]),
    );
    expect(sortOf(asked.at(-1)!)).toMatchObject({
      sort: 'startsAt',
      order: 'desc',
    });
    expect(address()).toBe('/sessions/device-admin?sort=startsAt&order=desc');

    await userEvent.click(sortButton(/^Device/));
    await waitFor(() =>
      expect(address()).toBe('/sessions/device-admin?sort=target&order=asc'),
    );
    expect(rowOrder(GRANT_NAMES)).toEqual(['laptop-a', 'laptop-b', 'laptop-c']);

    for (const name of ['User', 'Granted by', 'Approved duration', 'Status']) {
      expect(within(header(name)).queryByRole('button')).toBeNull();
    }
    // The column of selection checkboxes is no sort either.
    expect(
      within(screen.getAllByRole('columnheader')[0]).queryByRole('button'),
    ).toBeNull();
  });

  it('opens in the order the address names and loads more in it', async () => {
    const many = Array.from({ length: 27 }, (_, index) =>
      makeGrant({
        kind: 'timed_access',
        target: `db-${String(index + 1).padStart(2, '0')}`,
        targetType: 'postgres',
        expiresAt: at(index + 1),
      }),
    );
    const asked = serveGrants(many);
    await renderSessionsPage(
      undefined,
      undefined,
      [],
      '/sessions/timed-access?sort=target&order=desc',
    );

    await screen.findByText('db-27');
    expect(sortOf(asked[0])).toMatchObject({ sort: 'target', order: 'desc' });
    expect(header(/^Resource/)).toHaveAttribute('aria-sort', 'descending');
    expect(screen.queryByText('db-01')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('db-01');
    expect(sortOf(asked.at(-1)!)).toEqual({
      sort: 'target',
      order: 'desc',
      cursor: '25',
    });
  });
});

describe('ActiveSessionsPage lists sorted in the browser', () => {
  it('sorts the connectors, which come all at once', async () => {
    await renderPageWithConnectors(server, AuthorizeResult.ALLOW);
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Connectors' }),
    );
    const names = ['SSH bastion', 'RDP gateway', 'vpn'];
    await screen.findByText('SSH bastion');
    // In the backend's order until asked.
    expect(rowOrder(names)).toEqual(['SSH bastion', 'RDP gateway', 'vpn']);
    expect(
      screen
        .getAllByRole('columnheader')
        .filter(th => th.hasAttribute('aria-sort')),
    ).toEqual([]);

    await userEvent.click(sortButton(/^Orders waiting/));
    expect(rowOrder(names)).toEqual(['RDP gateway', 'SSH bastion', 'vpn']);
    expect(header(/^Orders waiting/)).toHaveAttribute(
      'aria-sort',
      'descending',
    );

    await userEvent.click(sortButton(/^Connector/));
    expect(rowOrder(names)).toEqual(['RDP gateway', 'SSH bastion', 'vpn']);
    await userEvent.click(sortButton(/^Connector/));
    expect(rowOrder(names)).toEqual(['vpn', 'SSH bastion', 'RDP gateway']);

    // Online, then offline, then never connected.
    await userEvent.click(sortButton(/^Status/));
    expect(rowOrder(names)).toEqual(['SSH bastion', 'RDP gateway', 'vpn']);

    expect(within(header('Webhook')).queryByRole('button')).toBeNull();
    expect(within(header('Speaks as')).queryByRole('button')).toBeNull();
  });

  it('sorts portal sign-ins only when the page holds the whole list', async () => {
    const signIn = (device: string, overrides: Partial<Session> = {}) =>
      makeSession({
        source: 'portal',
        resourceType: 'portal',
        resourceName: 'Backstage portal',
        device,
        ...overrides,
      });
    const open = [
      signIn('Firefox 130 on Mac OS', { lastActivityAt: at(-0.1) }),
      signIn('Chrome 129 on Android (mobile)', { lastActivityAt: at(-0.2) }),
    ];
    const ended = signIn('Safari 17 on iOS (mobile)', {
      status: 'disconnected',
      endedAt: at(-5),
      endReason: 'idle_timeout',
    });
    server.use(
      // More ended sign-ins than the panel shows.
      http.get(`${API}/sessions`, ({ request }) => {
        const query = new URL(request.url).searchParams;
        return query.get('status') === 'disconnected'
          ? HttpResponse.json({ items: [ended], nextCursor: '1' })
          : HttpResponse.json({ items: open });
      }),
      ...fakeSessionsBackend([]).handlers,
      ...fakeGrantsBackend([]).handlers,
      http.get(`${API}/portal/status`, () =>
        HttpResponse.json({
          tokenCheck: 'enforced',
          refreshIntervalMs: 5000,
          heartbeatIntervalMs: 30_000,
        }),
      ),
    );
    await renderSessionsPage(
      undefined,
      undefined,
      [],
      '/sessions/portal-sign-ins',
    );
    const devices = [
      'Firefox 130 on Mac OS',
      'Chrome 129 on Android (mobile)',
      'Safari 17 on iOS (mobile)',
    ];
    await screen.findByText('Firefox 130 on Mac OS');
    const [openTable, endedTable] = screen.getAllByRole('table');

    // Open: the whole list; the backend's order is latest activity first.
    expect(
      within(openTable).getByRole('columnheader', { name: /^Last activity/ }),
    ).toHaveAttribute('aria-sort', 'descending');
    await userEvent.click(
      within(openTable).getByRole('button', { name: /^Device/ }),
    );
    expect(rowOrder(devices).slice(0, 2)).toEqual([
      'Chrome 129 on Android (mobile)',
      'Firefox 130 on Mac OS',
    ]);

    // Ended: only the latest of more, so no sort at all.
    expect(within(endedTable).queryAllByRole('button')).toEqual([]);
    for (const th of within(endedTable).getAllByRole('columnheader')) {
      expect(th).not.toHaveAttribute('aria-sort');
    }
  });
});
