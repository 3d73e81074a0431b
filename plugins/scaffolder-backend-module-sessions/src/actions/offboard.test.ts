import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createSessionsOffboardAction } from './offboard';

const JANE = 'user:default/jane';
const BOB = 'user:default/bob';

/**
 * A sessions backend that fails half-way through offboarding: Jane got
 * locked before it answered 500, Bob did not.
 */
function failingBackend() {
  let offboardCalled = false;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      const { users } = JSON.parse(body || '{}') as { users: string[] };
      if (req.url?.endsWith('/offboard/preview')) {
        res.end(
          JSON.stringify({
            items: users.map(userRef => ({
              userRef,
              locked: offboardCalled && userRef === JANE,
              mayOffboard: true,
              sessions: [
                { resourceName: 'db-1', resourceType: 'ssh', count: 1 },
              ],
              grants: [],
            })),
          }),
        );
      } else if (req.url?.endsWith('/offboard')) {
        offboardCalled = true;
        res.statusCode = 500;
        res.end(
          // A Backstage error body, as the backend's error handler writes it.
          JSON.stringify({
            error: { name: 'Error', message: 'database went away' },
            request: { method: 'POST', url: req.url },
            response: { statusCode: 500 },
          }),
        );
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  return server;
}

describe('sessions:offboard when the backend fails part-way', () => {
  let server: Server;
  afterEach(() => new Promise(resolve => server.close(resolve)));

  it('says who is locked now instead of "nothing was changed"', async () => {
    server = failingBackend();
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const action = createSessionsOffboardAction({
      auth: mockServices.auth(),
      discovery: {
        getBaseUrl: async () => `http://127.0.0.1:${port}/api/sessions`,
        getExternalBaseUrl: async () => `http://127.0.0.1:${port}/api/sessions`,
      },
      catalog: catalogServiceMock({
        entities: [JANE, BOB].map(ref => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: ref.split('/')[1], namespace: 'default' },
          spec: {},
        })),
      }),
    });
    const ctx = createMockActionContext({
      input: { people: [JANE, BOB], mode: 'offboard' as const },
      getInitiatorCredentials: async () =>
        mockCredentials.user('user:default/maria'),
    });

    const run = action.handler(ctx);
    await expect(run).rejects.toThrow(
      `Offboarding failed part-way (500 database went away). Locked now (what they hold may be only partly cut): ${JANE}. Not offboarded: ${BOB}.`,
    );
    await expect(run).rejects.not.toThrow('Nothing was changed');
  });
});
