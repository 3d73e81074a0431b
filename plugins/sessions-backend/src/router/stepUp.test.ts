import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { StepUpProofs } from '../mfa/StepUpProofs';
import { totpCode } from '../mfa/totp';
import { sessionsPlugin } from '../plugin';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { CONNECTOR, as } from '../__testUtils__/credentials';
import { testConfigFactory } from '../__testUtils__/connectorSources';

jest.setTimeout(60_000);

const ADMIN = 'user:default/admin';
const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const KEY = Buffer.alloc(32, 5);
const HEADER = 'x-sessions-step-up';

describe('step-up before critical actions', () => {
  let app: any;

  /** A portal with step-up on, Jane's and Bob's sessions and grants. */
  async function start(policy = new ActiveSessionsTestPolicy(ADMIN)) {
    const backend = await startTestBackend({
      features: [
        sessionsPlugin,
        policyPermissionsFactory(policy),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        testConfigFactory({
          mfa: { encryptionKey: KEY.toString('base64') },
          stepUp: { enabled: true },
        }),
      ],
    });
    app = backend.server;
    await request(app)
      .post('/api/sessions/connector/sessions/start')
      .set('Authorization', CONNECTOR)
      .send({
        source: 'bastion',
        sessions: [
          ['j1', JANE],
          ['j2', JANE],
          ['j3', JANE],
          ['b1', BOB],
        ].map(([externalId, userRef]) => ({
          externalId,
          userRef,
          resourceName: `host-${externalId}`,
          resourceType: 'ssh',
        })),
      })
      .expect(200);
    await request(app)
      .post('/api/sessions/connector/grants/report')
      .set('Authorization', CONNECTOR)
      .send({
        source: 'priv-broker',
        grants: [
          ['g1', JANE],
          ['g2', BOB],
        ].map(([externalId, userRef]) => ({
          externalId,
          kind: 'device_admin',
          userRef,
          target: `laptop-${externalId}`,
          targetType: 'device',
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        })),
      })
      .expect(200);
  }

  beforeEach(() => start());

  const post = (
    path: string,
    userRef: string,
    body: object = {},
    proof?: string,
  ) => {
    const call = request(app)
      .post(`/api/sessions${path}`)
      .set('Authorization', as(userRef));
    if (proof) call.set(HEADER, proof);
    return call.send(body);
  };
  const openOf = async (userRef: string) =>
    (
      await request(app)
        .get(`/api/sessions/sessions?status=active,idle&user=${userRef}`)
        .set('Authorization', as(ADMIN))
    ).body.items as any[];
  const grantOf = async (userRef: string) =>
    (
      await request(app)
        .get(`/api/sessions/grants?user=${userRef}`)
        .set('Authorization', as(ADMIN))
    ).body.items[0];

  /** Enrols the user; returns their secret. */
  async function enrol(userRef: string) {
    const { secret } = (await post('/mfa/enrol', userRef).expect(200)).body;
    await post('/mfa/activate', userRef, {
      code: await totpCode(secret, Date.now()),
    }).expect(200);
    return secret as string;
  }

  /** A step-up proof, from the code of the next time step (the current one is spent). */
  async function stepUp(userRef: string, secret: string) {
    const res = await post('/mfa/verify', userRef, {
      code: await totpCode(secret, Date.now() + 30_000),
    });
    expect(res.status).toBe(200);
    return res.body.proof as string;
  }

  it('asks people without a second factor to enrol first, and ends nothing', async () => {
    const res = await post('/sessions/end-all', JANE);
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('MfaEnrollmentRequiredError');
    expect(res.body.error.message).toBe(
      'Set up two-factor authentication to end all your sessions',
    );
    expect(await openOf(JANE)).toHaveLength(3);
  });

  it('ends all sessions only with a fresh proof of the caller', async () => {
    const secret = await enrol(JANE);
    const without = await post('/sessions/end-all', JANE);
    expect(without.status).toBe(403);
    expect(without.body.error.name).toBe('StepUpRequiredError');
    expect(await openOf(JANE)).toHaveLength(3);

    const expired = new StepUpProofs(KEY).issue(JANE, Date.now() - 1, 0);
    expect(
      (await post('/sessions/end-all', JANE, {}, expired)).body.error.name,
    ).toBe('StepUpRequiredError');
    const forged = `${expired.split('.')[0]}.${'x'.repeat(43)}`;
    expect((await post('/sessions/end-all', JANE, {}, forged)).status).toBe(
      403,
    );

    const proof = await stepUp(JANE, secret);
    const ended = await post('/sessions/end-all', JANE, {}, proof);
    expect(ended.status).toBe(200);
    expect(ended.body.ended).toHaveLength(3);
  });

  it('lets people end one of their own sessions without a step-up', async () => {
    const [mine] = await openOf(JANE);
    expect((await post(`/sessions/${mine.id}/end`, JANE)).status).toBe(200);
  });

  it("guards bulk revoke and acting on someone else's access; a proof is bound to its user", async () => {
    const janeSecret = await enrol(JANE);
    const adminSecret = await enrol(ADMIN);
    const janesGrant = await grantOf(JANE);
    const bobsGrant = await grantOf(BOB);
    const [bobsSession] = await openOf(BOB);

    const bulk = await post('/grants/revoke', JANE, { ids: [janesGrant.id] });
    expect(bulk.body.error.name).toBe('StepUpRequiredError');
    const janesProof = await stepUp(JANE, janeSecret);
    expect(
      (await post('/grants/revoke', JANE, { ids: [janesGrant.id] }, janesProof))
        .body.results,
    ).toEqual([{ id: janesGrant.id, outcome: 'revoked' }]);

    // The admin may act on Bob's access, but not on Jane's proof.
    for (const path of [
      `/sessions/${bobsSession.id}/end`,
      `/grants/${bobsGrant.id}/revoke`,
    ]) {
      const refused = await post(path, ADMIN, {}, janesProof);
      expect(refused.status).toBe(403);
      expect(refused.body.error.name).toBe('StepUpRequiredError');
    }
    expect((await openOf(BOB)).map(s => s.id)).toEqual([bobsSession.id]);
    expect((await grantOf(BOB)).status).toBe('active');

    const adminsProof = await stepUp(ADMIN, adminSecret);
    expect(
      (await post(`/sessions/${bobsSession.id}/end`, ADMIN, {}, adminsProof))
        .body.status,
    ).toBe('terminating');
    expect(
      (await post(`/grants/${bobsGrant.id}/revoke`, ADMIN, {}, adminsProof))
        .body.status,
    ).toBe('revoking');
  });

  it('refuses what the policy does not allow before asking for a code', async () => {
    await start(
      new ActiveSessionsTestPolicy(ADMIN, {
        denied: {
          [ADMIN]: ['sessions.grant.revoke', 'sessions.session.terminate'],
          [JANE]: ['sessions.grant.revoke'],
        },
      }),
    );
    await enrol(ADMIN);
    await enrol(JANE);
    const bobsGrant = await grantOf(BOB);
    const [bobsSession] = await openOf(BOB);

    // The admin reads Bob's access but may not cut it: refused, not asked
    // for a code first.
    for (const path of [
      `/grants/${bobsGrant.id}/revoke`,
      `/sessions/${bobsSession.id}/end`,
    ]) {
      const refused = await post(path, ADMIN);
      expect(refused.status).toBe(403);
      expect(refused.body.error.name).toBe('NotAllowedError');
    }
    // A bulk revoke of nothing Jane may revoke says so for each, codeless.
    const janesGrant = await grantOf(JANE);
    const bulk = await post('/grants/revoke', JANE, { ids: [janesGrant.id] });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results).toEqual([
      { id: janesGrant.id, outcome: 'denied' },
    ]);
    expect((await grantOf(JANE)).status).toBe('active');
    expect((await grantOf(BOB)).status).toBe('active');
  });

  it("lifts a person's lock only with a fresh proof", async () => {
    const secret = await enrol(ADMIN);
    const proof = await stepUp(ADMIN, secret);
    await post('/offboard', ADMIN, { users: [BOB] }, proof).expect(200);
    const unlock = (withProof?: string) => {
      const call = request(app)
        .delete(`/api/sessions/locks/${encodeURIComponent(BOB)}`)
        .set('Authorization', as(ADMIN));
      if (withProof) call.set(HEADER, withProof);
      return call;
    };
    const expired = new StepUpProofs(KEY).issue(ADMIN, Date.now() - 1, 0);
    for (const refusedProof of [undefined, expired]) {
      const refused = await unlock(refusedProof);
      expect(refused.status).toBe(403);
      expect(refused.body.error.name).toBe('StepUpRequiredError');
    }
    const locks = async () =>
      (
        await request(app)
          .get('/api/sessions/locks')
          .set('Authorization', as(ADMIN))
      ).body.items.map((lock: any) => lock.userRef);
    expect(await locks()).toEqual([BOB]);
    await unlock(proof).expect(204);
    expect(await locks()).toEqual([]);
  });

  it.each([
    ['end all sessions', 'end-all'],
    ['bulk revoke', 'bulk-revoke'],
    ["end someone else's session", 'end-other'],
    ["revoke someone else's grant", 'revoke-other'],
  ])(
    'refuses to %s without a proof or with an expired one, and does it with a fresh one',
    async (_name, action) => {
      const secret = await enrol(ADMIN);
      const call = async (proof?: string) => {
        switch (action) {
          case 'end-all':
            return post('/sessions/end-all', ADMIN, {}, proof);
          case 'bulk-revoke':
            return post(
              '/grants/revoke',
              ADMIN,
              { ids: [(await grantOf(BOB)).id] },
              proof,
            );
          case 'end-other':
            return post(
              `/sessions/${(await openOf(BOB))[0].id}/end`,
              ADMIN,
              {},
              proof,
            );
          default:
            return post(
              `/grants/${(await grantOf(BOB)).id}/revoke`,
              ADMIN,
              {},
              proof,
            );
        }
      };
      const expired = new StepUpProofs(KEY).issue(ADMIN, Date.now() - 1, 0);
      for (const proof of [undefined, expired]) {
        const refused = await call(proof);
        expect(refused.status).toBe(403);
        expect(refused.body.error.name).toBe('StepUpRequiredError');
      }
      // Nothing was cut by the refused calls.
      expect(await openOf(BOB)).toHaveLength(1);
      expect((await grantOf(BOB)).status).toBe('active');

      const done = await call(await stepUp(ADMIN, secret));
      expect(done.status).toBe(200);
    },
  );

  it('answers bad codes with a 400 naming the field, and disables only with a valid one', async () => {
    const secret = await enrol(JANE);
    const malformed = await post('/mfa/verify', JANE, { code: '12ab' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('body.code');
    const wrong = await post('/mfa/disable', JANE, { code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe('body.code: not a valid code');
    expect(
      (
        await request(app)
          .get('/api/sessions/mfa')
          .set('Authorization', as(JANE))
      ).body,
    ).toMatchObject({
      available: true,
      enrolled: true,
      recoveryCodesLeft: 10,
      stepUp: { enabled: true, maxAgeSeconds: 300 },
    });
    await post('/mfa/disable', JANE, {
      code: await totpCode(secret, Date.now() + 30_000),
    }).expect(204);
    expect(
      (
        await request(app)
          .get('/api/sessions/mfa')
          .set('Authorization', as(JANE))
      ).body.enrolled,
    ).toBe(false);
  });
});

describe('two-factor authentication without an encryption key', () => {
  it('refuses enrolment with a message naming the setting', async () => {
    const backend = await startTestBackend({
      features: [
        sessionsPlugin,
        testConfigFactory(),
        policyPermissionsFactory(new ActiveSessionsTestPolicy(ADMIN)),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    const status = await request(backend.server)
      .get('/api/sessions/mfa')
      .set('Authorization', as(JANE));
    expect(status.body).toMatchObject({ available: false, enrolled: false });
    const res = await request(backend.server)
      .post('/api/sessions/mfa/enrol')
      .set('Authorization', as(JANE));
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('sessions.mfa.encryptionKey');
  });
});
