import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { CONNECTOR, as } from '../__testUtils__/credentials';
import { testConfigFactory } from '../__testUtils__/connectorSources';
import {
  AuditRecord,
  recordingAuditorFactory,
} from '../__testUtils__/recordingAuditor';
import { sessionsPlugin } from '../plugin';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const JANE = 'user:default/jane';
/** Jane as an identity provider may name her: refs compare in any case. */
const JANE_MIXED = 'user:default/Jane';
const CONTRACTOR = 'user:default/contractor';
const PERSONAL = {
  idleAfter: { min: { minutes: 2 }, max: { hours: 1 } },
  disconnectAfter: { min: { minutes: 15 }, max: { hours: 4 } },
};

describe('choosing your own idle timeout', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: Parameters<typeof request>[0];
    let knex: Knex;
    let audit: AuditRecord[];

    async function start(
      sessions: JsonObject = { personalTimeouts: PERSONAL },
    ) {
      audit = [];
      knex = await databases.init(databaseId as TestDatabaseId);
      const backend = await startTestBackend({
        features: [
          sessionsPlugin,
          mockServices.database.factory({ knex }),
          policyPermissionsFactory(
            new ActiveSessionsTestPolicy('user:default/admin', {
              denied: { [CONTRACTOR]: ['sessions.timeouts.update'] },
            }),
          ),
          testConfigFactory(sessions),
          recordingAuditorFactory(audit),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      server = backend.server;
    }

    const timeouts = async (userRef: string) =>
      (
        await request(server)
          .get('/api/sessions/settings')
          .set('Authorization', as(userRef))
          .expect(200)
      ).body.timeouts;
    const choose = (userRef: string, body: unknown) =>
      request(server)
        .put('/api/sessions/settings/timeouts')
        .set('Authorization', as(userRef))
        .send(body as object);

    it('shows the portal times and the ranges, then the choice', async () => {
      await start();
      expect(await timeouts(JANE)).toEqual({
        idleAfterMs: 5 * MINUTE,
        warnAfterMs: 10 * MINUTE,
        disconnectAfterMs: 30 * MINUTE,
        maxLifetimeMs: 12 * 60 * MINUTE,
        personal: {
          chosen: false,
          mayChoose: true,
          defaults: {
            idleAfterMs: 5 * MINUTE,
            warnAfterMs: 10 * MINUTE,
            disconnectAfterMs: 30 * MINUTE,
          },
          bounds: {
            idleAfterMs: { minMs: 2 * MINUTE, maxMs: 60 * MINUTE },
            disconnectAfterMs: { minMs: 15 * MINUTE, maxMs: 240 * MINUTE },
          },
        },
      });

      const saved = await choose(JANE_MIXED, {
        idleAfterMs: 30 * MINUTE,
        disconnectAfterMs: 120 * MINUTE,
      }).expect(200);

      // Warned as long before the disconnect as the portal warns (20 min).
      expect(saved.body).toMatchObject({
        idleAfterMs: 30 * MINUTE,
        warnAfterMs: 100 * MINUTE,
        disconnectAfterMs: 120 * MINUTE,
        personal: { chosen: true },
      });
      expect(await timeouts(JANE)).toEqual(saved.body);
      // Stored under the ref sessions are stored under, whatever the case.
      expect(await knex('personal_timeouts').pluck('user_ref')).toEqual([JANE]);
      // Others keep the portal's.
      expect(await timeouts('user:default/bob')).toMatchObject({
        disconnectAfterMs: 30 * MINUTE,
        personal: { chosen: false },
      });
      expect(audit.filter(r => r.eventId === 'personal-timeouts')).toEqual([
        expect.objectContaining({
          outcome: 'success',
          meta: expect.objectContaining({
            actionType: 'choose',
            idleAfterMs: 30 * MINUTE,
            disconnectAfterMs: 120 * MINUTE,
          }),
        }),
      ]);

      const reset = await request(server)
        .delete('/api/sessions/settings/timeouts')
        .set('Authorization', as(JANE))
        .expect(200);
      expect(reset.body).toMatchObject({
        disconnectAfterMs: 30 * MINUTE,
        personal: { chosen: false },
      });
      expect(await knex('personal_timeouts').select()).toEqual([]);
    });

    it.each([
      [
        'an idle time under the range',
        { idleAfterMs: MINUTE, disconnectAfterMs: 30 * MINUTE },
        'body.idleAfterMs: must be between 2m and 1h',
      ],
      [
        'a disconnect time over the range',
        { idleAfterMs: 5 * MINUTE, disconnectAfterMs: 300 * MINUTE },
        'body.disconnectAfterMs: must be between 15m and 4h',
      ],
      [
        'a disconnect not after idle',
        { idleAfterMs: 20 * MINUTE, disconnectAfterMs: 20 * MINUTE },
        'body.disconnectAfterMs: must be longer than idleAfterMs',
      ],
      [
        'a fraction of a millisecond',
        { idleAfterMs: 300_000.5, disconnectAfterMs: 30 * MINUTE },
        'body.idleAfterMs',
      ],
      [
        'text for a number',
        { idleAfterMs: '5m', disconnectAfterMs: 30 * MINUTE },
        'body.idleAfterMs',
      ],
      [
        'a missing field',
        { idleAfterMs: 5 * MINUTE },
        'body.disconnectAfterMs',
      ],
      [
        'an unknown field',
        { idleAfterMs: 5 * MINUTE, disconnectAfterMs: 30 * MINUTE, warn: 1 },
        'unknown field(s) warn',
      ],
    ])(
      'refuses %s, naming the field, and keeps the choice',
      async (_, body, message) => {
        await start();
        await choose(JANE, {
          idleAfterMs: 10 * MINUTE,
          disconnectAfterMs: 60 * MINUTE,
        }).expect(200);

        const response = await choose(JANE, body).expect(400);

        expect(response.body.error.message).toContain(message);
        expect(await timeouts(JANE)).toMatchObject({
          idleAfterMs: 10 * MINUTE,
          disconnectAfterMs: 60 * MINUTE,
        });
      },
    );

    it('refuses people the policy denies, and everyone without ranges', async () => {
      await start();
      const body = { idleAfterMs: 10 * MINUTE, disconnectAfterMs: 60 * MINUTE };
      await choose(CONTRACTOR, body).expect(403);
      await request(server)
        .delete('/api/sessions/settings/timeouts')
        .set('Authorization', as(CONTRACTOR))
        .expect(403);
      expect(await knex('personal_timeouts').select()).toEqual([]);
      // They still see the times that apply to them, and that they may not.
      expect(await timeouts(CONTRACTOR)).toMatchObject({
        disconnectAfterMs: 30 * MINUTE,
        personal: { chosen: false, mayChoose: false },
      });

      await start({});
      const refused = await choose(JANE, body).expect(403);
      expect(refused.body.error.message).toContain('sessions.personalTimeouts');
      expect(await timeouts(JANE)).toMatchObject({ personal: null });
    });

    it('accepts only people, not services or anonymous callers', async () => {
      await start();
      const body = { idleAfterMs: 10 * MINUTE, disconnectAfterMs: 60 * MINUTE };
      await request(server)
        .put('/api/sessions/settings/timeouts')
        .set('Authorization', CONNECTOR)
        .send(body)
        .expect(403);
      await request(server)
        .put('/api/sessions/settings/timeouts')
        .send(body)
        .expect(401);
      expect(await knex('personal_timeouts').select()).toEqual([]);
    });
  });
});
