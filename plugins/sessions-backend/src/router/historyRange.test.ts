import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { CONNECTOR, as } from '../__testUtils__/credentials';
import { testConfigFactory } from '../__testUtils__/connectorSources';
import { sessionsPlugin } from '../plugin';

jest.setTimeout(60_000);

const JANE = 'user:default/jane';
/** When each of Jane's three sessions was reported ended. */
const ENDS = {
  'ended-22nd': '2026-11-22T12:00:00.000Z',
  'ended-23rd': '2026-11-23T00:00:00.000Z',
  'ended-24th': '2026-11-24T00:00:00.000Z',
};

describe('History between two instants', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: Parameters<typeof request>[0];

    beforeAll(async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const backend = await startTestBackend({
        features: [
          sessionsPlugin,
          mockServices.database.factory({ knex }),
          policyPermissionsFactory(
            new ActiveSessionsTestPolicy('user:default/admin'),
          ),
          testConfigFactory(),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      server = backend.server;
      const names = Object.keys(ENDS);
      await request(server)
        .post('/api/sessions/connector/sessions/start')
        .set('Authorization', CONNECTOR)
        .send({
          source: 'bastion',
          sessions: names.map(name => ({
            externalId: name,
            userRef: JANE,
            resourceName: name,
            resourceType: 'ssh',
            startedAt: '2026-11-20T09:00:00.000Z',
          })),
        })
        .expect(200);
      await request(server)
        .post('/api/sessions/connector/sessions/end')
        .set('Authorization', CONNECTOR)
        .send({
          source: 'bastion',
          sessions: Object.entries(ENDS).map(([externalId, at]) => ({
            externalId,
            at,
          })),
        })
        .expect(200);
    });

    const history = (range: string) =>
      request(server)
        .get(
          `/api/sessions/sessions?status=disconnected&sort=endedAt&order=asc&${range}`,
        )
        .set('Authorization', as(JANE));
    const names = async (range: string) => {
      const res = await history(range).expect(200);
      return res.body.items.map((session: any) => session.resourceName);
    };

    it('lists what ended from the first instant and before the second', async () => {
      expect(
        await names(
          'endedFrom=2026-11-23T00:00:00Z&endedBefore=2026-11-24T00:00:00Z',
        ),
      ).toEqual(['ended-23rd']);
      expect(await names('endedFrom=2026-11-23T00:00:00Z')).toEqual([
        'ended-23rd',
        'ended-24th',
      ]);
      expect(await names('endedBefore=2026-11-23T00:00:00Z')).toEqual([
        'ended-22nd',
      ]);
      // The same instant written with another offset.
      expect(
        await names(
          `endedFrom=${encodeURIComponent('2026-11-23T01:00:00+01:00')}&endedBefore=${encodeURIComponent('2026-11-23T01:00:01+01:00')}`,
        ),
      ).toEqual(['ended-23rd']);
    });

    it('leaves out sessions that have not ended', async () => {
      const res = await request(server)
        .get('/api/sessions/sessions?endedFrom=2000-01-01T00:00:00Z')
        .set('Authorization', as(JANE))
        .expect(200);
      expect(
        res.body.items.every((session: any) => session.endedAt !== null),
      ).toBe(true);
    });

    it.each([
      ['a date without a time', 'endedFrom=2026-11-23', 'query.endedFrom'],
      [
        'an instant without an offset',
        'endedBefore=2026-11-23T00:00:00',
        'query.endedBefore',
      ],
      [
        'a range that ends where it starts',
        'endedFrom=2026-11-23T00:00:00Z&endedBefore=2026-11-23T00:00:00Z',
        'query.endedBefore: must be after endedFrom',
      ],
    ])('refuses %s, naming the field', async (_, range, message) => {
      const res = await history(range).expect(400);
      expect(res.body.error.message).toContain(message);
    });
  });
});
