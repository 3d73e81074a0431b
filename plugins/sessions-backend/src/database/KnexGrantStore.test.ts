import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  migratedStore,
  newGrant,
} from '../__testUtils__/databases';
import { grantRules } from '@active-sessions/plugin-sessions-node';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 9, 0);

describe('KnexGrantStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const setup = () => migratedStore(databases, databaseId as TestDatabaseId);

    it('lets a HAS_TARGET policy match a target exactly, as its single-grant check does', async () => {
      const { grants } = await setup();
      const exact = newGrant({ target: 'laptop-A' });
      const otherCase = newGrant({ target: 'LAPTOP-a' });
      const accented = newGrant({ target: 'laptop-Á' });
      await grants.insertGrants([exact, otherCase, accented], 'test');
      const targets = ['laptop-A'];
      const listed = await grants.listGrants({
        userRef: 'user:default/jane',
        sort: 'expiresAt',
        order: 'asc',
        limit: 10,
        access: { property: 'target', values: targets },
      });
      expect(listed.map(grant => grant.target)).toEqual(['laptop-A']);
      // What the rule's apply says of each grant, one at a time.
      const stored = await grants.findGrants({
        ids: [exact.id, otherCase.id, accented.id],
      });
      expect(
        stored.filter(grant =>
          grantRules.hasTarget.apply(grant as any, { targets }),
        ),
      ).toEqual(listed);
    });

    it('ingests a grant once, however often it is reported', async () => {
      const { grants, knex } = await setup();
      const grant = newGrant({ externalId: 'g-1' });
      const first = await grants.insertGrants([grant], 'connector:priv-broker');
      const again = await grants.insertGrants(
        [{ ...grant, id: '00000000-0000-4000-9000-999999999999' }],
        'connector:priv-broker',
      );
      expect(first.insertedExternalIds).toEqual(['g-1']);
      expect(again.insertedExternalIds).toEqual([]);
      expect(await knex('access_grants').select('id')).toEqual([
        { id: grant.id },
      ]);
      expect(await grants.getGrant(grant.id)).toMatchObject({
        kind: 'device_admin',
        status: 'active',
        startsAt: new Date(T0).toISOString(),
        expiresAt: new Date(T0 + 60 * MINUTE).toISOString(),
      });
    });

    it('lists by kind, user, text and access criteria, paging by expiry', async () => {
      const { grants } = await setup();
      const items = [
        newGrant({ expiresAt: T0 + 10 * MINUTE, target: 'MBP-JANE' }),
        newGrant({
          expiresAt: T0 + 20 * MINUTE,
          kind: 'timed_access',
          target: 'prod-db',
        }),
        newGrant({ expiresAt: T0 + 30 * MINUTE }),
        newGrant({ expiresAt: T0 + 30 * MINUTE }),
        newGrant({ expiresAt: T0 + 40 * MINUTE, userRef: 'user:default/bob' }),
      ];
      await grants.insertGrants(items, 'test');
      const janes = (query: object) =>
        grants
          .listGrants({
            userRef: 'user:default/jane',
            sort: 'expiresAt',
            order: 'asc',
            limit: 10,
            ...query,
          })
          .then(list => list.map(grant => grant.id));

      expect(await janes({ kinds: ['device_admin'] })).toEqual([
        items[0].id,
        items[2].id,
        items[3].id,
      ]);
      expect(await janes({ text: 'mbp-jane' })).toEqual([items[0].id]);
      expect(
        await janes({ access: { property: 'kind', values: ['timed_access'] } }),
      ).toEqual([items[1].id]);

      const firstPage = await janes({ limit: 2 });
      const last = items.find(item => item.id === firstPage[1])!;
      const secondPage = await janes({
        limit: 2,
        after: { value: last.expiresAt, id: last.id },
      });
      const thirdPage = await janes({
        limit: 2,
        after: { value: items[3].expiresAt, id: secondPage[1] },
      });
      // Ordered by expiry, ties by id; bob's grant is not jane's.
      expect([...firstPage, ...secondPage, ...thirdPage]).toEqual(
        items.slice(0, 4).map(item => item.id),
      );
    });

    it('revokes active grants once and records an order for the connector', async () => {
      const { grants, knex } = await setup();
      const mine = newGrant();
      const other = newGrant({ userRef: 'user:default/bob' });
      await grants.insertGrants([mine, other], 'test');
      const revocation = {
        reason: 'revoked' as const,
        revokedBy: 'user:default/admin',
        at: T0 + 5 * MINUTE,
        orderConnector: true,
      };

      const revoked = await grants.revokeGrants({ ids: [mine.id] }, revocation);
      const again = await grants.revokeGrants({ ids: [mine.id] }, revocation);

      expect(revoked).toHaveLength(1);
      // Revoked here: revoking until the connector confirms the removal.
      expect(revoked[0]).toMatchObject({
        status: 'revoking',
        cutDeadlineAt: new Date(T0 + 5 * MINUTE + 30_000).toISOString(),
        revokedBy: 'user:default/admin',
        revokeReason: 'revoked',
        revokedAt: new Date(T0 + 5 * MINUTE).toISOString(),
      });
      expect(again).toEqual([]);
      expect((await grants.getGrant(other.id))?.status).toBe('active');
      const orders = await knex('connector_commands').select();
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({
        source: 'priv-broker',
        subject_type: 'grant',
        subject_id: mine.id,
        external_id: mine.externalId,
        action: 'revoke_grant',
        requested_by: 'user:default/admin',
      });
      const events = await knex('grant_events')
        .where('grant_id', mine.id)
        .orderBy('id')
        .select('event_type');
      expect(events.map(e => e.event_type)).toEqual(['granted', 'revoked']);
    });

    it('writes no order when the source itself ended the grant', async () => {
      const { grants, knex } = await setup();
      const grant = newGrant({
        source: 'access-requests',
        externalId: 'req-9',
      });
      await grants.insertGrants([grant], 'test');
      await grants.revokeGrants(
        { source: 'access-requests', externalIds: ['req-9'] },
        {
          reason: 'ended_at_source',
          revokedBy: 'connector:access-requests',
          at: T0 + MINUTE,
          orderConnector: false,
        },
      );
      expect(await grants.getGrant(grant.id)).toMatchObject({
        status: 'revoked',
        revokeReason: 'ended_at_source',
        cutConfirmedAt: new Date(T0 + MINUTE).toISOString(),
      });
      expect(await knex('connector_commands').select()).toEqual([]);
    });

    it('expires grants at their expiry, each once, with history', async () => {
      const { grants, knex } = await setup();
      const due = newGrant({ expiresAt: T0 + 10 * MINUTE });
      const later = newGrant({ expiresAt: T0 + 60 * MINUTE });
      const revoked = newGrant({ expiresAt: T0 + 5 * MINUTE });
      await grants.insertGrants([due, later, revoked], 'test');
      await grants.revokeGrants(
        { ids: [revoked.id] },
        {
          reason: 'given_back',
          revokedBy: 'user:default/jane',
          at: T0 + MINUTE,
          orderConnector: true,
        },
      );

      const expired = await grants.expireGrants(
        T0 + 10 * MINUTE,
        'sessions:sweep',
      );
      const again = await grants.expireGrants(
        T0 + 10 * MINUTE,
        'sessions:sweep',
      );

      expect(expired).toEqual([due.id]);
      expect(again).toEqual([]);
      expect((await grants.getGrant(later.id))?.status).toBe('active');
      // Waiting for its connector, past its expiry: never marked expired.
      expect((await grants.getGrant(revoked.id))?.status).toBe('revoking');
      const events = await knex('grant_events')
        .where('grant_id', due.id)
        .orderBy('id')
        .select('event_type', 'created_at');
      expect(events.map(e => e.event_type)).toEqual(['granted', 'expired']);
      expect(Number(events[1].created_at)).toBe(T0 + 10 * MINUTE);
    });

    it('lets two expiry sweeps race without expiring twice', async () => {
      const { grants, knex } = await setup();
      const due = Array.from({ length: 30 }, () =>
        newGrant({ expiresAt: T0 + MINUTE }),
      );
      await grants.insertGrants(due, 'test');
      const other = new (grants.constructor as any)(knex);
      const [a, b] = await Promise.all([
        grants.expireGrants(T0 + 2 * MINUTE, 'a'),
        other.expireGrants(T0 + 2 * MINUTE, 'b'),
      ]);
      expect(a.length + b.length).toBe(30);
      const events = await knex('grant_events')
        .where('event_type', 'expired')
        .count({ n: '*' });
      expect(Number(events[0].n)).toBe(30);
    });
  });
});
