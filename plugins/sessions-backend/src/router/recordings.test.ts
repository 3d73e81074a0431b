import {
  TestDatabaseId,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { sessionsPlugin } from '../plugin';
import { CONNECTOR, as } from '../__testUtils__/credentials';
import { testConfigFactory } from '../__testUtils__/connectorSources';

jest.setTimeout(60_000);

const ADMIN = 'user:default/admin';
const JANE = 'user:default/jane';
const CARL = 'user:default/carl';

const JANE_CAST = { url: 'https://rec.example.com/j1.cast', kind: 'asciicast' };
const ADMIN_VIDEO = { url: 'https://rec.example.com/a1.mp4', kind: 'video' };

describe('session recordings', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: Parameters<typeof request>[0];

    const connector = (path: string, body: object) =>
      request(server)
        .post(`/api/sessions/connector/sessions/${path}`)
        .set('Authorization', CONNECTOR)
        .send({ source: 'bastion', ...body });
    const list = (userRef: string, query = '') =>
      request(server)
        .get(`/api/sessions/sessions${query}`)
        .set('Authorization', as(userRef))
        .expect(200)
        .then(res => res.body.items as any[]);
    const byExternalId = (items: any[], externalId: string) =>
      items.find(item => item.externalId === externalId);

    beforeEach(async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const backend = await startTestBackend({
        features: [
          sessionsPlugin,
          testConfigFactory(),
          mockServices.database.factory({ knex }),
          // The admin reads every session but watches only their own
          // recordings; Carl reads his sessions and watches none.
          policyPermissionsFactory(
            new ActiveSessionsTestPolicy(ADMIN, {
              recordingView: { [ADMIN]: 'own', [CARL]: 'none' },
            }),
          ),
        ],
      });
      server = backend.server;
      await connector('start', {
        sessions: [
          {
            externalId: 'j1',
            userRef: JANE,
            resourceName: 'db-1',
            resourceType: 'ssh',
            recording: JANE_CAST,
          },
          {
            externalId: 'a1',
            userRef: ADMIN,
            resourceName: 'win-1',
            resourceType: 'rdp',
          },
          {
            externalId: 'w1',
            userRef: JANE,
            resourceName: 'wiki',
            resourceType: 'web',
          },
          {
            externalId: 'c1',
            userRef: CARL,
            resourceName: 'db-2',
            resourceType: 'ssh',
            recording: {
              url: 'https://rec.example.com/c1.cast',
              kind: 'asciicast',
            },
          },
        ],
      }).expect(200);
    });

    it('shows the owner where to watch a recording sent with the start', async () => {
      const j1 = byExternalId(await list(JANE), 'j1');
      expect(j1).toMatchObject({ recorded: true, recording: JANE_CAST });
      const w1 = byExternalId(await list(JANE), 'w1');
      expect(w1.recorded).toBe(false);
      expect(w1).not.toHaveProperty('recording');

      const one = await request(server)
        .get(`/api/sessions/sessions/${j1.id}`)
        .set('Authorization', as(JANE))
        .expect(200);
      expect(one.body.recording).toEqual(JANE_CAST);
    });

    it('says a session was recorded but hides where to those the policy does not let watch it', async () => {
      // Allowed for own sessions only: Jane's recording stays hidden.
      const everyone = await list(ADMIN, '?all=true');
      expect(byExternalId(everyone, 'j1').recorded).toBe(true);
      expect(byExternalId(everyone, 'j1')).not.toHaveProperty('recording');
      // Not allowed at all, even for his own session.
      const [c1] = await list(CARL);
      expect(c1.recorded).toBe(true);
      expect(c1).not.toHaveProperty('recording');
      const one = await request(server)
        .get(`/api/sessions/sessions/${c1.id}`)
        .set('Authorization', as(CARL))
        .expect(200);
      expect(one.body).not.toHaveProperty('recording');
      expect(JSON.stringify(one.body)).not.toContain('c1.cast');
    });

    it('attaches a recording once the session is over, and reports unknown sessions', async () => {
      await connector('end', { sessions: [{ externalId: 'a1' }] }).expect(200);
      const res = await connector('recording', {
        recordings: [
          { externalId: 'a1', ...ADMIN_VIDEO },
          { externalId: 'gone', ...ADMIN_VIDEO },
        ],
      }).expect(200);
      expect(res.body).toEqual({ accepted: 1, unknown: ['gone'], ended: [] });

      const a1 = byExternalId(await list(ADMIN, '?status=disconnected'), 'a1');
      expect(a1).toMatchObject({ recorded: true, recording: ADMIN_VIDEO });
    });

    it('takes a corrected reference that differs only in case, and one sent with a repeated start', async () => {
      // Object keys are case-sensitive, whatever MySQL's collation says.
      const corrected = {
        url: 'https://rec.example.com/J1.cast',
        kind: 'asciicast',
      };
      await connector('recording', {
        recordings: [{ externalId: 'j1', ...corrected }],
      }).expect(200);
      expect(byExternalId(await list(JANE), 'j1').recording).toEqual(corrected);

      // The gateway repeats a start it was unsure of, now with a recording.
      await connector('start', {
        sessions: [
          {
            externalId: 'a1',
            userRef: ADMIN,
            resourceName: 'win-1',
            resourceType: 'rdp',
            recording: ADMIN_VIDEO,
          },
        ],
      }).expect(200);
      expect(byExternalId(await list(ADMIN), 'a1').recording).toEqual(
        ADMIN_VIDEO,
      );
    });

    it('refuses a recording on a web session, naming the field, and writes nothing', async () => {
      const onStart = await connector('start', {
        sessions: [
          {
            externalId: 'w2',
            userRef: JANE,
            resourceName: 'wiki',
            resourceType: 'web',
            recording: JANE_CAST,
          },
        ],
      }).expect(400);
      expect(onStart.body.error.message).toContain('sessions.0.recording');
      expect(onStart.body.error.message).toContain('only ssh and rdp');

      const later = await connector('recording', {
        recordings: [
          { externalId: 'a1', ...ADMIN_VIDEO },
          { externalId: 'w1', ...JANE_CAST },
        ],
      }).expect(400);
      expect(later.body.error.message).toContain(
        'recordings.1.externalId names a web session',
      );

      const badUrl = await connector('recording', {
        recordings: [
          {
            externalId: 'a1',
            url: 'ftp://rec.example.com/a1.mp4',
            kind: 'video',
          },
        ],
      }).expect(400);
      expect(badUrl.body.error.message).toContain('recordings.0.url');

      const mine = await list(JANE);
      expect(mine.map(item => item.externalId).sort()).toEqual(['j1', 'w1']);
      const a1 = byExternalId(await list(ADMIN), 'a1');
      expect(a1.recorded).toBe(false);
    });

    it('accepts recordings only from connectors', async () => {
      await request(server)
        .post('/api/sessions/connector/sessions/recording')
        .set('Authorization', as(JANE))
        .send({
          source: 'bastion',
          recordings: [{ externalId: 'j1', ...ADMIN_VIDEO }],
        })
        .expect(403);
      const j1 = byExternalId(await list(JANE), 'j1');
      expect(j1.recording).toEqual(JANE_CAST);
    });
  });
});
