import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { sessionsPlugin } from '../plugin';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { as } from '../__testUtils__/credentials';
import {
  AuditRecord,
  recordingAuditorFactory,
} from '../__testUtils__/recordingAuditor';

jest.setTimeout(30_000);

const ADMIN = 'user:default/admin';
const JANE = 'user:default/jane';

/** The Authorization header of a service credential with this subject. */
const speakingAs = (subject: string) =>
  `Bearer ${mockCredentials.service.token({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'sessions',
  })}`;

const BASTION = speakingAs('external:bastion');
const BROKER = speakingAs('external:broker');
/** What the auth plugin's portal sign-in tracking calls with. */
const AUTH_PLUGIN = speakingAs('plugin:auth');

describe('connector identity', () => {
  let app: any;
  let audit: AuditRecord[];

  beforeEach(async () => {
    audit = [];
    const backend = await startTestBackend({
      features: [
        sessionsPlugin,
        recordingAuditorFactory(audit),
        policyPermissionsFactory(new ActiveSessionsTestPolicy(ADMIN)),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            sessions: {
              connectors: {
                sources: {
                  bastion: { subjects: ['external:bastion'] },
                  'priv-broker': { subjects: ['external:broker'] },
                },
              },
            },
          },
        }),
      ],
    });
    app = backend.server;
  });

  const post = (auth: string, path: string, body: object) =>
    request(app)
      .post(`/api/sessions/connector/${path}`)
      .set('Authorization', auth)
      .send(body);
  const feed = (auth: string, source: string) =>
    request(app)
      .get(`/api/sessions/connector/commands?source=${source}&after=0`)
      .set('Authorization', auth);
  const listAs = async (userRef: string, query = '') =>
    (
      await request(app)
        .get(`/api/sessions/sessions${query}`)
        .set('Authorization', as(userRef))
    ).body.items as any[];
  const connectors = async () =>
    new Map(
      (
        await request(app)
          .get('/api/sessions/connectors')
          .set('Authorization', as(ADMIN))
      ).body.items.map((item: any) => [item.id, item]),
    );

  const signIn = (sid: string) =>
    post(AUTH_PLUGIN, 'sessions/start', {
      source: 'portal',
      sessions: [
        {
          externalId: sid,
          userRef: JANE,
          resourceName: 'Backstage portal',
          resourceType: 'portal',
        },
      ],
    });

  it("refuses a connector's token for the portal's sign-ins: no sign-out, no fake sign-in, no feed", async () => {
    await signIn('sid-jane').expect(200);

    const end = await post(BASTION, 'sessions/end', {
      source: 'portal',
      sessions: [{ externalId: 'sid-jane' }],
    });
    expect(end.status).toBe(403);
    expect(end.body.error.message).toContain("'portal'");
    const fake = await post(BASTION, 'sessions/start', {
      source: 'portal',
      sessions: [
        {
          externalId: 'sid-forged',
          userRef: JANE,
          resourceName: 'Backstage portal',
          resourceType: 'portal',
        },
      ],
    });
    expect(fake.status).toBe(403);
    expect((await feed(BASTION, 'portal')).status).toBe(403);
    // Not even the auth plugin reads the portal's orders over HTTP.
    expect((await feed(AUTH_PLUGIN, 'portal')).status).toBe(403);

    // Jane still has exactly her one sign-in, open.
    const signIns = await listAs(JANE, '?type=portal');
    expect(signIns.map(s => [s.externalId, s.status])).toEqual([
      ['sid-jane', 'active'],
    ]);
    // Each refusal is an audit failure naming the source and the caller.
    expect(audit).toContainEqual(
      expect.objectContaining({
        eventId: 'connector-refused',
        outcome: 'failure',
        meta: expect.objectContaining({
          source: 'portal',
          subject: 'external:bastion',
        }),
      }),
    );
  });

  it('takes the tokens of portal sign-ins from the auth plugin only, and names the field of bad input', async () => {
    await signIn('sid-jane').expect(200);
    const token = {
      sid: 'sid-jane',
      proof: 'Ab-_'.repeat(10).concat('xyz'),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const record = (auth: string, body: object) =>
      post(auth, 'portal/tokens', body);

    // Another connector's credential, one bound to no source, a person.
    for (const auth of [BASTION, speakingAs('external:nobody')]) {
      const res = await record(auth, token);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain("'portal'");
    }
    expect((await record(as(JANE), token)).status).toBe(403);
    expect(audit).toContainEqual(
      expect.objectContaining({
        eventId: 'connector-refused',
        meta: expect.objectContaining({
          source: 'portal',
          subject: 'external:bastion',
        }),
      }),
    );

    const bad: Array<[object, string]> = [
      // The uip itself (ES256: 86 characters) is never sent, only its hash.
      [{ ...token, proof: 'A'.repeat(86) }, 'body.proof'],
      [{ ...token, proof: `${'A'.repeat(42)}=` }, 'body.proof'],
      [{ ...token, proof: 42 }, 'body.proof'],
      [{ ...token, sid: '' }, 'body.sid'],
      [{ ...token, sid: 's'.repeat(256) }, 'body.sid'],
      [{ ...token, sid: 'sid\u0000' }, 'body.sid'],
      [{ ...token, expiresAt: 'in an hour' }, 'body.expiresAt'],
      [
        {
          ...token,
          expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
        },
        'body.expiresAt',
      ],
      [{ sid: token.sid, proof: token.proof }, 'body.expiresAt'],
      [{ ...token, uip: 'A'.repeat(86) }, 'uip'],
    ];
    for (const [body, field] of bad) {
      const res = await record(AUTH_PLUGIN, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
    }

    // The auth plugin's record; again is harmless.
    expect((await record(AUTH_PLUGIN, token)).status).toBe(204);
    expect((await record(AUTH_PLUGIN, token)).status).toBe(204);
  });

  it("refuses a connector's token for another connector's sessions, grants and orders", async () => {
    await post(BASTION, 'sessions/start', {
      source: 'bastion',
      sessions: [
        {
          externalId: 'pid-1',
          userRef: JANE,
          resourceName: 'db-1',
          resourceType: 'ssh',
        },
      ],
    }).expect(200);
    await post(BROKER, 'grants/report', {
      source: 'priv-broker',
      grants: [
        {
          externalId: 'g-1',
          kind: 'device_admin',
          userRef: JANE,
          target: 'laptop-jane',
          targetType: 'device',
          grantedBy: 'it',
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      ],
    }).expect(200);
    // Jane gives her grant back: an order for the broker.
    const [grant] = (
      await request(app)
        .get('/api/sessions/grants')
        .set('Authorization', as(JANE))
    ).body.items;
    await request(app)
      .post(`/api/sessions/grants/${grant.id}/give-back`)
      .set('Authorization', as(JANE))
      .expect(200);
    const [order] = (await feed(BROKER, 'priv-broker').expect(200)).body
      .commands;

    // The broker's token cannot end the bastion's session ...
    const end = await post(BROKER, 'sessions/end', {
      source: 'bastion',
      sessions: [{ externalId: 'pid-1' }],
    });
    expect(end.status).toBe(403);
    expect(end.body.error.message).toBe(
      "The credential 'external:broker' may not speak for source 'bastion'",
    );
    // ... and the bastion's cannot read or acknowledge the broker's orders.
    expect((await feed(BASTION, 'priv-broker')).status).toBe(403);
    const ack = await post(BASTION, 'commands/ack', {
      source: 'priv-broker',
      acks: [{ id: order.id, outcome: 'done' }],
    });
    expect(ack.status).toBe(403);

    const [session] = await listAs(JANE);
    expect(session.status).toBe('active');
    const grants = (
      await request(app)
        .get('/api/sessions/grants?status=active,revoking')
        .set('Authorization', as(JANE))
    ).body.items;
    // The give-back still waits for the broker's own acknowledgement.
    expect(grants.map((g: any) => g.status)).toEqual(['revoking']);
    const byId = await connectors();
    expect(byId.get('priv-broker')).toMatchObject({
      pendingOrders: 1,
      lastSubject: 'external:broker',
    });
    expect(byId.get('bastion')).toMatchObject({
      lastSubject: 'external:bastion',
      // It reported sessions but never read its own feed.
      lastPollAt: null,
    });
  });

  it('refuses sources nobody declared, and does not list them', async () => {
    const start = await post(BASTION, 'sessions/start', {
      source: 'shadow-it',
      sessions: [
        {
          externalId: 'x',
          userRef: JANE,
          resourceName: 'db',
          resourceType: 'ssh',
        },
      ],
    });
    expect(start.status).toBe(403);
    expect(start.body.error.message).toBe(
      "Source 'shadow-it' is not declared in sessions.connectors.sources",
    );
    expect((await feed(BASTION, 'shadow-it')).status).toBe(403);
    expect(await listAs(JANE)).toEqual([]);
    expect((await connectors()).has('shadow-it')).toBe(false);
  });

  it('refuses people on connector routes whatever source they name', async () => {
    const res = await request(app)
      .get('/api/sessions/connector/commands?source=bastion&after=0')
      .set('Authorization', as(ADMIN));
    expect(res.status).toBe(403);
  });
});
