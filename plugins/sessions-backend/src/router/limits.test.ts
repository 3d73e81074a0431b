import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { sessionsPlugin } from '../plugin';
import { CONNECTOR, as } from '../__testUtils__/credentials';
import { testConfigFactory } from '../__testUtils__/connectorSources';

jest.setTimeout(30_000);

const JANE = 'user:default/jane';

describe('concurrent session limits through the API', () => {
  it('answers a start past the limit with overLimit, and says which limits and timeouts apply', async () => {
    const { server } = await startTestBackend({
      features: [
        sessionsPlugin,
        policyPermissionsFactory(
          new ActiveSessionsTestPolicy('user:default/admin'),
        ),
        testConfigFactory({
          limits: { maxPerUser: 5, perType: { ssh: 1 }, onExceed: 'deny' },
        }),
      ],
    });
    const ssh = (externalId: string) => ({
      externalId,
      userRef: JANE,
      resourceName: 'db-1',
      resourceType: 'ssh',
    });
    const res = await request(server)
      .post('/api/sessions/connector/sessions/start')
      .set('Authorization', CONNECTOR)
      .send({ source: 'bastion', sessions: [ssh('one'), ssh('two')] })
      .expect(200);
    expect(res.body).toEqual({
      accepted: 1,
      unknown: [],
      ended: [],
      refused: [],
      overLimit: ['two'],
    });
    const mine = await request(server)
      .get('/api/sessions/sessions')
      .set('Authorization', as(JANE));
    expect(mine.body.items.map((s: any) => s.externalId)).toEqual(['one']);

    const settings = await request(server)
      .get('/api/sessions/settings')
      .set('Authorization', as(JANE));
    expect(settings.body).toEqual({
      limits: { maxPerUser: 5, perType: { ssh: 1 }, onExceed: 'deny' },
      timeouts: {
        idleAfterMs: 300_000,
        warnAfterMs: 600_000,
        disconnectAfterMs: 1_800_000,
        maxLifetimeMs: 43_200_000,
        // sessions.personalTimeouts is not set: everyone has these.
        personal: null,
      },
      idleWarning: {
        message:
          'Your {type} session to {resource} will be disconnected in {minutes} minutes',
      },
    });
  });
});
