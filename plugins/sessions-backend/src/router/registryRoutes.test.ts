import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { sessionsPlugin } from '../plugin';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { CONNECTOR, as } from '../__testUtils__/credentials';
import { TEST_CONNECTOR_SUBJECT } from '../__testUtils__/connectorSources';

jest.setTimeout(30_000);

const ADMIN = 'user:default/admin';
const JANE = 'user:default/jane';

describe('connector registry', () => {
  let app: any;

  beforeEach(async () => {
    const backend = await startTestBackend({
      features: [
        sessionsPlugin,
        policyPermissionsFactory(new ActiveSessionsTestPolicy(ADMIN)),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            sessions: {
              connectors: {
                sources: {
                  bastion: {
                    title: 'SSH bastion',
                    subjects: [TEST_CONNECTOR_SUBJECT],
                  },
                  'rdp-gateway': { subjects: ['external:rdp'] },
                },
              },
            },
          },
        }),
      ],
    });
    app = backend.server;
  });

  const connectorsAs = (userRef: string) =>
    request(app)
      .get('/api/sessions/connectors')
      .set('Authorization', as(userRef));

  it('lists configured connectors as offline until they read their orders, then online with pending orders', async () => {
    const before = await connectorsAs(ADMIN);
    expect(before.status).toBe(200);
    expect(before.body.items).toEqual([
      expect.objectContaining({
        id: 'bastion',
        title: 'SSH bastion',
        configured: true,
        lastPollAt: null,
        online: false,
        pendingOrders: 0,
      }),
      // Built in: the plugin's own sign-out sync reads the portal's orders.
      expect.objectContaining({
        id: 'portal',
        title: 'Portal sign-ins (built in)',
        configured: true,
        online: true,
      }),
      expect.objectContaining({ id: 'rdp-gateway', title: 'rdp-gateway' }),
    ]);

    await request(app)
      .post('/api/sessions/connector/sessions/start')
      .set('Authorization', CONNECTOR)
      .send({
        source: 'bastion',
        sessions: [
          {
            externalId: 'pid-1',
            userRef: JANE,
            resourceName: 'db-1',
            resourceType: 'ssh',
          },
        ],
      })
      .expect(200);
    const [session] = (
      await request(app)
        .get('/api/sessions/sessions')
        .set('Authorization', as(JANE))
    ).body.items;
    await request(app)
      .post(`/api/sessions/sessions/${session.id}/end`)
      .set('Authorization', as(JANE))
      .expect(200);
    await request(app)
      .get(`/api/sessions/connector/commands?source=bastion&after=999`)
      .set('Authorization', CONNECTOR)
      .expect(200);
    // A source nobody declared is refused, and so never listed.
    await request(app)
      .get(`/api/sessions/connector/commands?source=web-proxy&after=0`)
      .set('Authorization', CONNECTOR)
      .expect(403);

    const after = (await connectorsAs(ADMIN)).body.items;
    const byId = new Map(after.map((item: any) => [item.id, item]));
    expect(byId.get('bastion')).toMatchObject({
      online: true,
      pendingOrders: 1,
    });
    expect((byId.get('bastion') as any).lastPollAt).not.toBeNull();
    // Admins see which credential speaks for each connector.
    expect(byId.get('bastion')).toMatchObject({
      lastSubject: TEST_CONNECTOR_SUBJECT,
    });
    expect(byId.has('web-proxy')).toBe(false);
    expect(byId.get('rdp-gateway')).toMatchObject({
      online: false,
      lastSubject: null,
    });
  });

  it('is refused to people the policy does not allow', async () => {
    const res = await connectorsAs(JANE);
    expect(res.status).toBe(403);
  });
});
