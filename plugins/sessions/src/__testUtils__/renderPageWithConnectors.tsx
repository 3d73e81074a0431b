import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ConnectorStatus } from '@active-sessions/plugin-sessions-common';
import { HttpResponse, http } from 'msw';
import { SetupServer } from 'msw/node';
import { renderSessionsPage } from './renderSessionsPage';
import { DISCOVERY_BASE_URL, fakeSessionsBackend } from './fakeSessionsBackend';

const connector = (overrides: Partial<ConnectorStatus>): ConnectorStatus => ({
  id: 'ssh-bastion',
  title: 'SSH bastion',
  configured: true,
  lastPollAt: new Date().toISOString(),
  online: true,
  pendingOrders: 0,
  oldestPendingAt: null,
  lastSubject: 'bastion-token',
  lastSubjectAt: '2026-11-23T08:00:00.000Z',
  webhookUrl: null,
  webhookFailure: null,
  ...overrides,
});

/**
 * Renders the page for someone the permission API answers `authorize` to
 * about watching connectors, with three connectors behind msw.
 */
export async function renderPageWithConnectors(
  server: SetupServer,
  authorize: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  server.use(
    ...fakeSessionsBackend([]).handlers,
    http.get(`${DISCOVERY_BASE_URL}/api/sessions/connectors`, () =>
      HttpResponse.json({
        items: [
          connector({}),
          connector({
            id: 'rdp-gateway',
            title: 'RDP gateway',
            online: false,
            pendingOrders: 2,
            oldestPendingAt: '2026-11-23T09:00:00.000Z',
            webhookUrl: 'https://rdp.example/orders',
            webhookFailure: {
              at: '2026-11-23T09:01:00.000Z',
              message: 'Order 7 not pushed after 6 attempts: HTTP 502',
            },
          }),
          connector({
            id: 'vpn',
            title: 'vpn',
            configured: false,
            online: false,
            lastPollAt: null,
            lastSubject: null,
            lastSubjectAt: null,
          }),
        ],
      }),
    ),
  );
  await renderSessionsPage(authorize);
}
