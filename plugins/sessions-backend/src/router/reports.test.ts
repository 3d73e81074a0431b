import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
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
import { totpCode } from '../mfa/totp';
import { sessionsPlugin } from '../plugin';

jest.setTimeout(60_000);

/** Security: the test policy lets the admin read everyone's sessions. */
const SECURITY = 'user:default/admin';
const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const NOTIFY = ['group:default/security', 'user:default/sam'];
const HEADER = 'x-sessions-step-up';

describe('reporting a session you did not start', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: Parameters<typeof request>[0];
    let sent: NotificationSendOptions[];
    let audit: AuditRecord[];
    let failSends: boolean;

    /** Starts the backend with `sessions` config and a few sessions. */
    async function start(
      sessions: JsonObject = { reports: { notify: NOTIFY } },
    ) {
      sent = [];
      audit = [];
      failSends = false;
      const knex = await databases.init(databaseId as TestDatabaseId);
      const backend = await startTestBackend({
        features: [
          sessionsPlugin,
          mockServices.database.factory({ knex }),
          policyPermissionsFactory(new ActiveSessionsTestPolicy(SECURITY)),
          testConfigFactory(sessions),
          recordingAuditorFactory(audit),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({
              async send(options: NotificationSendOptions) {
                if (failSends) throw new Error('notifications are down');
                sent.push(options);
              },
            }),
          }),
        ],
      });
      server = backend.server;
      await request(server)
        .post('/api/sessions/connector/sessions/start')
        .set('Authorization', CONNECTOR)
        .send({
          source: 'bastion',
          sessions: [
            ['j1', JANE, 'db-prod-1'],
            ['j2', JANE, 'db-prod-2'],
            ['j3', JANE, 'wiki'],
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
    }

    const report = (
      userRef: string,
      id: string,
      body: unknown,
      proof?: string,
    ) => {
      const call = request(server)
        .post(`/api/sessions/sessions/${id}/report`)
        .set('Authorization', as(userRef));
      if (proof) call.set(HEADER, proof);
      return call.send(body as object);
    };
    /** Everyone's sessions, as security sees them, by external id. */
    const everyone = async (query = '') => {
      const res = await request(server)
        .get(`/api/sessions/sessions?all=true&limit=200${query}`)
        .set('Authorization', as(SECURITY))
        .expect(200);
      return new Map<string, any>(
        res.body.items.map((session: any) => [session.externalId, session]),
      );
    };
    const idOf = async (externalId: string) =>
      (await everyone()).get(externalId).id as string;
    const orders = async () =>
      (
        await request(server)
          .get('/api/sessions/connector/commands?source=bastion')
          .set('Authorization', CONNECTOR)
          .expect(200)
      ).body.commands as any[];

    it('ends the reported session, marks it, orders its cut, tells security and audits it', async () => {
      await start();
      const id = await idOf('j1');
      const res = await report(JANE, id, {
        note: '  I was asleep then 🛌\nnot me  ',
      }).expect(200);
      expect(res.body).toMatchObject({
        id,
        status: 'terminating',
        endReason: 'reported',
        endedBy: JANE,
        reportNote: 'I was asleep then 🛌\nnot me',
      });
      expect(Date.parse(res.body.reportedAt)).toBeGreaterThan(
        Date.now() - 60_000,
      );

      // The connector is told to cut it, and only it.
      expect(
        (await orders()).map(order => [order.subjectId, order.reason]),
      ).toEqual([[id, 'reported']]);
      const after = await everyone();
      expect(after.get('j1')).toMatchObject({
        status: 'terminating',
        reportNote: 'I was asleep then 🛌\nnot me',
      });
      expect(after.get('j2')).toMatchObject({
        status: 'active',
        reportedAt: null,
        reportNote: null,
      });

      expect(sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: NOTIFY },
          payload: expect.objectContaining({
            title:
              'user:default/jane reported a session as not theirs: SSH on db-prod-1',
            description: expect.stringContaining(
              '"I was asleep then 🛌\nnot me"',
            ),
            link: '/sessions/history?reported=true&all=true',
            severity: 'high',
          }),
        },
      ]);
      expect(audit.filter(r => r.eventId === 'session-report')).toEqual([
        {
          eventId: 'session-report',
          severityLevel: 'high',
          outcome: 'success',
          meta: expect.objectContaining({
            sessionId: id,
            userRef: JANE,
            resourceName: 'db-prod-1',
            endOthers: false,
            reported: true,
            endedOthers: [],
          }),
        },
      ]);
    });

    it('with endOthers, ends every other open session of the caller too, and nobody else’s', async () => {
      await start();
      const id = await idOf('j1');
      await report(JANE, id, { note: 'not me', endOthers: true }).expect(200);
      const after = await everyone();
      expect(
        ['j1', 'j2', 'j3', 'b1'].map(externalId => [
          externalId,
          after.get(externalId).status,
          after.get(externalId).endReason,
          Boolean(after.get(externalId).reportedAt),
        ]),
      ).toEqual([
        ['j1', 'terminating', 'reported', true],
        ['j2', 'terminating', 'user', false],
        ['j3', 'terminating', 'user', false],
        ['b1', 'active', null, false],
      ]);
      expect((await orders()).map(order => order.subjectId).sort()).toEqual(
        ['j1', 'j2', 'j3'].map(externalId => after.get(externalId).id).sort(),
      );
      const [record] = audit.filter(r => r.eventId === 'session-report');
      expect(record.meta).toMatchObject({ endOthers: true });
      expect((record.meta.endedOthers as string[]).sort()).toEqual(
        [after.get('j2').id, after.get('j3').id].sort(),
      );
    });

    it("answers 404 for someone else's session, even to security, and changes nothing", async () => {
      await start();
      const id = await idOf('j1');
      for (const caller of [BOB, SECURITY]) {
        const res = await report(caller, id, { note: 'not me' });
        expect(res.status).toBe(404);
      }
      expect((await everyone()).get('j1')).toMatchObject({
        status: 'active',
        reportedAt: null,
        reportNote: null,
      });
      expect(await orders()).toEqual([]);
      expect(sent).toEqual([]);
      expect(audit.filter(r => r.eventId === 'session-report')).toEqual([
        expect.objectContaining({ outcome: 'failure' }),
        expect.objectContaining({ outcome: 'failure' }),
      ]);
    });

    it('reports a session that is over already: marked and told, nothing to end', async () => {
      await start();
      await request(server)
        .post('/api/sessions/connector/sessions/end')
        .set('Authorization', CONNECTOR)
        .send({ source: 'bastion', sessions: [{ externalId: 'j2' }] })
        .expect(200);
      const id = await idOf('j2');
      const res = await report(JANE, id, { note: 'saw it in my history' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'disconnected',
        endReason: 'connector',
        reportNote: 'saw it in my history',
      });
      expect(await orders()).toEqual([]);
      expect(sent).toHaveLength(1);
      const reported = await everyone('&reported=true');
      expect([...reported.keys()]).toEqual(['j2']);
    });

    it('keeps the first report when reported twice, and tells nobody again', async () => {
      await start();
      const id = await idOf('j1');
      await report(JANE, id, { note: 'first words' }).expect(200);
      const first = (await everyone()).get('j1').reportedAt;
      const again = await report(JANE, id, { note: 'second words' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        reportNote: 'first words',
        reportedAt: first,
        status: 'terminating',
      });
      expect(sent).toHaveLength(1);
      expect(await orders()).toHaveLength(1);
      expect(
        audit
          .filter(r => r.eventId === 'session-report')
          .map(r => r.meta.reported),
      ).toEqual([true, false]);
    });

    it('refuses an empty, over-long or control-character note naming body.note, and writes nothing', async () => {
      await start();
      const id = await idOf('j1');
      for (const body of [
        {},
        { note: '' },
        { note: '   \n ' },
        { note: 'x'.repeat(1001) },
        { note: 'not\u0000me' },
        { note: 'not\u0007me' },
        { note: 42 },
      ]) {
        const res = await report(JANE, id, body);
        expect([res.status, res.body.error.message]).toEqual([
          400,
          expect.stringContaining('body.note'),
        ]);
      }
      const unknown = await report(JANE, id, { note: 'ok', isAdmin: true });
      expect(unknown.status).toBe(400);
      expect((await everyone()).get('j1')).toMatchObject({
        status: 'active',
        reportedAt: null,
      });
      expect(sent).toEqual([]);
      expect(await orders()).toEqual([]);
      expect(audit.filter(r => r.eventId === 'session-report')).toEqual([]);

      // Exactly 1,000 characters, each an emoji, is fine.
      const full = await report(JANE, id, { note: '🚀'.repeat(1000) });
      expect(full.status).toBe(200);
      expect(full.body.reportNote).toBe('🚀'.repeat(1000));
    });

    it('lists reported sessions only on request: the caller’s, or with all=true everyone’s', async () => {
      await start();
      await report(JANE, await idOf('j3'), { note: 'not me' }).expect(200);
      await report(BOB, await idOf('b1'), { note: 'not me either' }).expect(
        200,
      );
      const janes = await request(server)
        .get('/api/sessions/sessions?reported=true&status=terminating')
        .set('Authorization', as(JANE))
        .expect(200);
      expect(janes.body.items.map((s: any) => s.externalId)).toEqual(['j3']);
      expect([...(await everyone('&reported=true')).keys()].sort()).toEqual([
        'b1',
        'j3',
      ]);
      expect([...(await everyone('&reported=false')).keys()].sort()).toEqual([
        'b1',
        'j1',
        'j2',
        'j3',
      ]);
    });

    it('counts a JaneDoe-cased token as the owner of user:default/janedoe’s session', async () => {
      await start();
      await request(server)
        .post('/api/sessions/connector/sessions/start')
        .set('Authorization', CONNECTOR)
        .send({
          source: 'bastion',
          sessions: [
            {
              externalId: 'jd1',
              userRef: 'user:default/janedoe',
              resourceName: 'vault',
              resourceType: 'ssh',
            },
          ],
        })
        .expect(200);
      const res = await report('user:default/JaneDoe', await idOf('jd1'), {
        note: 'not me',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        userRef: 'user:default/janedoe',
        endedBy: 'user:default/janedoe',
        endReason: 'reported',
      });
    });

    it('tells nobody when no audience is configured, and still reports when telling fails', async () => {
      await start({});
      await report(JANE, await idOf('j1'), { note: 'not me' }).expect(200);
      expect(sent).toEqual([]);

      await start();
      failSends = true;
      const res = await report(JANE, await idOf('j1'), { note: 'not me' });
      expect(res.status).toBe(200);
      expect((await everyone()).get('j1')).toMatchObject({
        status: 'terminating',
        reportNote: 'not me',
      });
    });

    it('asks for a step-up before ending the others, and writes nothing without it', async () => {
      await start({
        reports: { notify: NOTIFY },
        mfa: { encryptionKey: Buffer.alloc(32, 7).toString('base64') },
        stepUp: { enabled: true },
      });
      const post = (path: string, body: object) =>
        request(server)
          .post(`/api/sessions${path}`)
          .set('Authorization', as(JANE))
          .send(body);
      const { secret } = (await post('/mfa/enrol', {}).expect(200)).body;
      await post('/mfa/activate', {
        code: await totpCode(secret, Date.now()),
      }).expect(200);
      const id = await idOf('j1');

      const refused = await report(JANE, id, {
        note: 'not me',
        endOthers: true,
      });
      expect([refused.status, refused.body.error.name]).toEqual([
        403,
        'StepUpRequiredError',
      ]);
      expect((await everyone()).get('j1')).toMatchObject({
        status: 'active',
        reportedAt: null,
      });
      expect(sent).toEqual([]);

      const { proof } = (
        await post('/mfa/verify', {
          code: await totpCode(secret, Date.now() + 30_000),
        }).expect(200)
      ).body;
      await report(JANE, id, { note: 'not me', endOthers: true }, proof).expect(
        200,
      );
      const after = await everyone();
      expect(['j1', 'j2', 'j3'].map(e => after.get(e).status)).toEqual([
        'terminating',
        'terminating',
        'terminating',
      ]);
      expect(sent).toHaveLength(1);
    });
  });
});
