import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { CONNECTOR } from '../__testUtils__/credentials';
import { testConfigFactory } from '../__testUtils__/connectorSources';
import { sessionsPlugin } from '../plugin';

jest.setTimeout(60_000);

const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const MINUTE = 60_000;

describe('idle warnings in the running plugin', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'on %p the sweep owes them and its own task sends one per person',
    async databaseId => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const sent: NotificationSendOptions[] = [];
      const scheduler = mockServices.scheduler.mock();
      const backend = await startTestBackend({
        features: [
          sessionsPlugin,
          mockServices.database.factory({ knex }),
          scheduler.factory,
          policyPermissionsFactory(new ActiveSessionsTestPolicy(JANE)),
          testConfigFactory(),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({
              async send(options: NotificationSendOptions) {
                sent.push(options);
              },
            }),
          }),
        ],
      });
      const task = (id: string) => {
        const call = scheduler.scheduleTask.mock.calls.find(
          ([options]) => options.id === id,
        );
        if (!call) throw new Error(`no task ${id}`);
        return call[0].fn(new AbortController().signal);
      };
      await request(backend.server)
        .post('/api/sessions/connector/sessions/start')
        .set('Authorization', CONNECTOR)
        .send({
          source: 'bastion',
          sessions: [
            ['j1', JANE, 'db-prod-1'],
            ['j2', JANE, 'db-prod-2'],
            ['b1', BOB, 'build-1'],
          ].map(([externalId, userRef, resourceName]) => ({
            externalId,
            userRef,
            resourceName,
            resourceType: 'ssh',
            device: 'laptop',
            ipAddress: '192.0.2.7',
          })),
        })
        .expect(200);
      // Quiet past the portal's warning time (defaults: idle at 5, warned
      // at 10, disconnected at 30 minutes), not yet past the disconnect.
      await knex('sessions').update({
        last_activity_at: Date.now() - 12 * MINUTE,
      });

      await task('sessions-sweep');
      expect(sent).toEqual([]);
      expect(scheduler.triggerTask).toHaveBeenCalledWith(
        'sessions-idle-warnings',
      );

      await task('sessions-idle-warnings');
      expect(
        sent.map(options => [
          (options.recipients as { entityRef: string }).entityRef,
          options.payload.title,
        ]),
      ).toEqual(
        expect.arrayContaining([
          [JANE, '2 idle sessions of yours are about to be disconnected'],
          [BOB, expect.stringContaining('build-1')],
        ]),
      );
      expect(sent).toHaveLength(2);
      expect(await knex('idle_warnings_due').select()).toEqual([]);
      await backend.stop();
    },
  );
});
