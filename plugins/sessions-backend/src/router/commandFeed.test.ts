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
import { testConfigFactory } from '../__testUtils__/connectorSources';

jest.setTimeout(30_000);

const JANE = 'user:default/jane';

describe('connector command feed', () => {
  let app: any;

  beforeEach(async () => {
    const backend = await startTestBackend({
      features: [
        sessionsPlugin,
        testConfigFactory(),
        policyPermissionsFactory(
          new ActiveSessionsTestPolicy('user:default/admin'),
        ),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    app = backend.server;
    await request(app)
      .post('/api/sessions/connector/sessions/start')
      .set('Authorization', CONNECTOR)
      .send({
        source: 'bastion',
        sessions: ['pid-1', 'pid-2', 'pid-3'].map(externalId => ({
          externalId,
          userRef: JANE,
          resourceName: `host-${externalId}`,
          resourceType: 'ssh',
        })),
      })
      .expect(200);
  });

  const feed = (query: string) =>
    request(app)
      .get(`/api/sessions/connector/commands?${query}`)
      .set('Authorization', CONNECTOR);

  async function endAsJane(externalId: string) {
    const list = await request(app)
      .get('/api/sessions/sessions?status=active')
      .set('Authorization', as(JANE));
    const session = list.body.items.find(
      (s: any) => s.externalId === externalId,
    );
    await request(app)
      .post(`/api/sessions/sessions/${session.id}/end`)
      .set('Authorization', as(JANE))
      .expect(200);
    return session.id as string;
  }

  it('hands a connector an order for each session a person ended, and reading is repeatable', async () => {
    const id = await endAsJane('pid-1');

    const first = await feed('source=bastion&after=0');
    const again = await feed('source=bastion&after=0');
    const otherSource = await feed('source=rdp-gateway&after=0');

    expect(first.body.commands).toEqual([
      expect.objectContaining({
        action: 'end_session',
        subjectType: 'session',
        subjectId: id,
        externalId: 'pid-1',
        reason: 'user',
        requestedBy: JANE,
      }),
    ]);
    expect(first.body.cursor).toBe(first.body.commands[0].id);
    expect(again.body).toEqual(first.body);
    expect(otherSource.body).toEqual({ commands: [], cursor: 0 });

    const afterCursor = await feed(`source=bastion&after=${first.body.cursor}`);
    expect(afterCursor.body).toEqual({
      commands: [],
      cursor: first.body.cursor,
    });
  });

  it('waits for the next order instead of answering empty at once', async () => {
    const waiting = feed('source=bastion&after=0&wait=20').then(res => res);
    // The read is already waiting when the order is written.
    await endAsJane('pid-2');
    const res = await waiting;
    expect(res.body.commands.map((c: any) => c.externalId)).toEqual(['pid-2']);
  });

  it('writes no order for a session the connector itself reported ended', async () => {
    await request(app)
      .post('/api/sessions/connector/sessions/end')
      .set('Authorization', CONNECTOR)
      .send({ source: 'bastion', sessions: [{ externalId: 'pid-3' }] })
      .expect(200);
    expect((await feed('source=bastion&after=0')).body.commands).toEqual([]);
  });

  it('records each acknowledgement once, and only for the order own source', async () => {
    await endAsJane('pid-1');
    const [order] = (await feed('source=bastion&after=0')).body.commands;
    const ack = (source: string) =>
      request(app)
        .post('/api/sessions/connector/commands/ack')
        .set('Authorization', CONNECTOR)
        .send({ source, acks: [{ id: order.id, outcome: 'done' }] });

    expect((await ack('rdp-gateway')).body).toEqual({ acknowledged: [] });
    expect((await ack('bastion')).body).toEqual({ acknowledged: [order.id] });
    expect((await ack('bastion')).body).toEqual({ acknowledged: [] });
  });

  it('accepts only service credentials', async () => {
    const asUser = await request(app)
      .get('/api/sessions/connector/commands?source=bastion')
      .set('Authorization', as(JANE));
    const anonymous = await request(app).get(
      '/api/sessions/connector/commands?source=bastion',
    );
    expect(asUser.status).toBe(403);
    expect(anonymous.status).toBe(401);
  });

  it.each([
    ['after=0', 'query.source'],
    ['source=bastion&wait=26', 'query.wait'],
    ['source=bastion&after=-1', 'query.after'],
  ])('answers %s with 400 naming %s', async (query, field) => {
    const res = await feed(query);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });

  it('refuses an acknowledgement with an unknown outcome, recording nothing', async () => {
    await endAsJane('pid-1');
    const [order] = (await feed('source=bastion&after=0')).body.commands;
    const res = await request(app)
      .post('/api/sessions/connector/commands/ack')
      .set('Authorization', CONNECTOR)
      .send({ source: 'bastion', acks: [{ id: order.id, outcome: 'maybe' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('body.acks.0.outcome');
    const good = await request(app)
      .post('/api/sessions/connector/commands/ack')
      .set('Authorization', CONNECTOR)
      .send({ source: 'bastion', acks: [{ id: order.id, outcome: 'done' }] });
    expect(good.body).toEqual({ acknowledged: [order.id] });
  });

  const ackAs = (source: string, acks: object[]) =>
    request(app)
      .post('/api/sessions/connector/commands/ack')
      .set('Authorization', CONNECTOR)
      .send({ source, acks })
      .expect(200);
  const sessionAs = async (userRef: string, id: string) =>
    (
      await request(app)
        .get(`/api/sessions/sessions/${id}`)
        .set('Authorization', as(userRef))
        .expect(200)
    ).body;

  it('shows an ended session terminating until its connector confirms the cut, then disconnected with the time', async () => {
    const id = await endAsJane('pid-1');
    const pending = await sessionAs(JANE, id);
    expect(pending).toMatchObject({
      status: 'terminating',
      cutConfirmedAt: null,
      cutFailure: null,
    });
    // The default deadline: flagged unconfirmed 30 s after the end.
    expect(
      Date.parse(pending.cutDeadlineAt) - Date.parse(pending.endedAt),
    ).toBe(30_000);
    // Not in the history yet: it is still live at its source.
    const history = await request(app)
      .get('/api/sessions/sessions?status=disconnected')
      .set('Authorization', as(JANE));
    expect(history.body.items).toEqual([]);

    const [order] = (await feed('source=bastion&after=0')).body.commands;
    const before = Date.now();
    await ackAs('bastion', [{ id: order.id, outcome: 'done' }]);

    const confirmed = await sessionAs(JANE, id);
    expect(confirmed).toMatchObject({ status: 'disconnected', endedBy: JANE });
    expect(Date.parse(confirmed.cutConfirmedAt)).toBeGreaterThanOrEqual(before);
    const after = await request(app)
      .get('/api/sessions/sessions?status=disconnected')
      .set('Authorization', as(JANE));
    expect(after.body.items.map((s: any) => s.id)).toEqual([id]);
  });

  it('counts not_found as cut, and keeps a failed cut terminating with the connector message', async () => {
    const gone = await endAsJane('pid-1');
    const stuck = await endAsJane('pid-2');
    const orders = (await feed('source=bastion&after=0')).body.commands;
    const orderFor = (id: string) =>
      orders.find((o: any) => o.subjectId === id);

    await ackAs('bastion', [
      { id: orderFor(gone).id, outcome: 'not_found' },
      {
        id: orderFor(stuck).id,
        outcome: 'failed',
        message: 'kill: operation not permitted',
      },
    ]);

    expect(await sessionAs(JANE, gone)).toMatchObject({
      status: 'disconnected',
    });
    expect(await sessionAs(JANE, stuck)).toMatchObject({
      status: 'terminating',
      cutConfirmedAt: null,
      cutFailure: 'kill: operation not permitted',
    });
    // The stats count it apart: it can no longer be ended, nor is it cut.
    const stats = await request(app)
      .get('/api/sessions/sessions/stats')
      .set('Authorization', as(JANE));
    expect(stats.body).toMatchObject({ active: 1, terminating: 1 });
  });

  it('shows a revoked grant revoking until its connector confirms, then revoked', async () => {
    await request(app)
      .post('/api/sessions/connector/grants/report')
      .set('Authorization', CONNECTOR)
      .send({
        source: 'priv-broker',
        grants: [
          {
            externalId: 'g-1',
            kind: 'device_admin',
            userRef: JANE,
            target: 'laptop-1',
            targetType: 'device',
            expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          },
        ],
      })
      .expect(200);
    const list = await request(app)
      .get('/api/sessions/grants')
      .set('Authorization', as(JANE));
    const id = list.body.items[0].id;
    const revoked = await request(app)
      .post(`/api/sessions/grants/${id}/revoke`)
      .set('Authorization', as(JANE))
      .send({});
    expect(revoked.body).toMatchObject({ status: 'revoking' });

    const [order] = (await feed('source=priv-broker&after=0')).body.commands;
    expect(order).toMatchObject({ action: 'revoke_grant', subjectId: id });
    await ackAs('priv-broker', [{ id: order.id, outcome: 'done' }]);

    const grant = await request(app)
      .get(`/api/sessions/grants/${id}`)
      .set('Authorization', as(JANE));
    expect(grant.body).toMatchObject({ status: 'revoked' });
    expect(grant.body.cutConfirmedAt).not.toBeNull();
  });
});
