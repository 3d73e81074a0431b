import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 9, 0);

describe('KnexSessionStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const setup = () => migratedStore(databases, databaseId as TestDatabaseId);

    it('ingests a start once, however often it is reported', async () => {
      const { store, knex } = await setup();
      const start = newSession({ externalId: 'pid-1' });

      const first = await store.insertSessions([start], 'connector:bastion');
      const again = await store.insertSessions(
        [{ ...start, id: '00000000-0000-4000-8000-999999999999' }],
        'connector:bastion',
      );

      expect(first.insertedExternalIds).toEqual(['pid-1']);
      expect(again.insertedExternalIds).toEqual([]);
      expect(await knex('sessions').count({ n: '*' })).toEqual([
        { n: expect.anything() },
      ]);
      const rows = await knex('sessions').select('id');
      expect(rows).toEqual([{ id: start.id }]);
      const events = await store.listEvents(start.id);
      expect(events.map(e => e.type)).toEqual(['started']);
    });

    it('lists a user sessions filtered by status, type and text', async () => {
      const { store } = await setup();
      const ssh = newSession({
        resourceName: 'Bastion-Prod',
        location: 'Oslo',
      });
      const rdp = newSession({ resourceType: 'rdp', resourceName: 'win-01' });
      const web = newSession({ resourceType: 'web', resourceName: '100%_app' });
      const other = newSession({ userRef: 'user:default/bob' });
      await store.insertSessions([ssh, rdp, web, other], 'test');
      await store.endSessions(
        { ids: [rdp.id] },
        {
          reason: 'user',
          endedBy: 'user:default/jane',
          at: T0 + MINUTE,
          orderConnector: false,
        },
      );

      const list = (query: object) =>
        store
          .listSessions({
            userRef: 'user:default/jane',
            sort: 'startedAt',
            order: 'asc',
            limit: 10,
            ...query,
          })
          .then(items => items.map(item => item.id).sort());

      expect(await list({})).toEqual([ssh.id, rdp.id, web.id].sort());
      expect(await list({ statuses: ['active', 'idle'] })).toEqual(
        [ssh.id, web.id].sort(),
      );
      expect(await list({ statuses: ['disconnected'] })).toEqual([rdp.id]);
      expect(await list({ types: ['web', 'rdp'] })).toEqual(
        [rdp.id, web.id].sort(),
      );
      expect(await list({ text: 'bastion-prod' })).toEqual([ssh.id]);
      expect(await list({ text: 'OSLO' })).toEqual([ssh.id]);
      // LIKE wildcards in the search text match themselves only.
      expect(await list({ text: '0%_' })).toEqual([web.id]);
      expect(await list({ text: '%' })).toEqual([web.id]);
    });

    it('pages with keyset cursors in both directions without gaps or repeats', async () => {
      const { store } = await setup();
      const sessions = Array.from({ length: 7 }, (_, i) =>
        newSession({
          // Two pairs share a start time, so ties are broken by id.
          startedAt: T0 + Math.floor(i / 2) * MINUTE,
          resourceName: `r-${i % 3}`,
        }),
      );
      await store.insertSessions(sessions, 'test');

      for (const sort of ['startedAt', 'resourceName'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const seen: string[] = [];
          let after: { value: string | number; id: string } | undefined;
          for (let page = 0; page < 10; page++) {
            const items = await store.listSessions({
              userRef: 'user:default/jane',
              sort,
              order,
              limit: 3,
              after,
            });
            seen.push(...items.map(item => item.id));
            if (items.length < 3) break;
            const last = items[items.length - 1];
            after = {
              value:
                sort === 'startedAt'
                  ? Date.parse(last.startedAt)
                  : last.resourceName,
              id: last.id,
            };
          }
          const all = await store.listSessions({
            userRef: 'user:default/jane',
            sort,
            order,
            limit: 100,
          });
          expect(seen).toEqual(all.map(item => item.id));
          expect(new Set(seen).size).toBe(7);
        }
      }
    });

    it("pages everyone's open sessions across statuses in one order, ties by id, without gaps or repeats", async () => {
      const { store, knex } = await setup();
      const statuses = ['active', 'idle', 'terminating', 'disconnected'];
      const sessions = Array.from({ length: 16 }, (_, i) =>
        newSession({
          userRef: `user:default/person-${i % 5}`,
          // Pairs share an activity time across statuses: ties go by id.
          startedAt: T0 + (i % 4) * MINUTE,
          lastActivityAt: T0 + Math.floor(i / 2) * MINUTE,
        }),
      );
      await store.insertSessions(sessions, 'test');
      const statusOf = new Map<string, string>();
      for (const [i, session] of sessions.entries()) {
        statusOf.set(session.id, statuses[i % 4]);
        await knex('sessions')
          .where('id', session.id)
          .update({ status: statuses[i % 4] });
      }
      const open = sessions.filter(
        session => statusOf.get(session.id) !== 'disconnected',
      );

      for (const sort of ['lastActivityAt', 'startedAt'] as const) {
        const value = (session: (typeof sessions)[number]) =>
          sort === 'startedAt' ? session.startedAt : session.lastActivityAt;
        for (const order of ['asc', 'desc'] as const) {
          const sign = order === 'asc' ? 1 : -1;
          const expected = [...open]
            .sort(
              (a, b) =>
                sign * (value(a) - value(b)) || sign * a.id.localeCompare(b.id),
            )
            .map(session => session.id);
          const seen: string[] = [];
          let after: { value: number; id: string } | undefined;
          for (let page = 0; page < 10; page++) {
            const items = await store.listSessions({
              statuses: ['active', 'idle', 'terminating'],
              sort,
              order,
              limit: 5,
              after,
            });
            seen.push(...items.map(item => item.id));
            if (items.length < 5) break;
            const last = items[items.length - 1];
            after = {
              value: Date.parse(
                sort === 'startedAt' ? last.startedAt : last.lastActivityAt,
              ),
              id: last.id,
            };
          }
          expect(seen).toEqual(expected);
        }
      }

      // Permission conditions and search narrow every status alike.
      const narrowed = await store.listSessions({
        statuses: ['active', 'idle', 'terminating'],
        access: { property: 'userRef', values: ['user:default/person-1'] },
        text: 'host',
        sort: 'lastActivityAt',
        order: 'desc',
        limit: 50,
      });
      expect(narrowed.map(item => item.id)).toEqual(
        open
          .filter(session => session.userRef === 'user:default/person-1')
          .sort(
            (a, b) =>
              b.lastActivityAt - a.lastActivityAt || b.id.localeCompare(a.id),
          )
          .map(session => session.id),
      );
    });

    it('applies permission criteria as SQL', async () => {
      const { store } = await setup();
      const janeSsh = newSession();
      const janeRdp = newSession({ resourceType: 'rdp' });
      const bobSsh = newSession({ userRef: 'user:default/bob' });
      const bobWeb = newSession({
        userRef: 'user:default/bob',
        resourceType: 'web',
      });
      await store.insertSessions([janeSsh, janeRdp, bobSsh, bobWeb], 'test');

      const visible = async (access: any) =>
        (
          await store.listSessions({
            sort: 'startedAt',
            order: 'asc',
            limit: 10,
            access,
          })
        )
          .map(s => s.id)
          .sort();

      expect(
        await visible({ property: 'userRef', values: ['user:default/bob'] }),
      ).toEqual([bobSsh.id, bobWeb.id].sort());
      expect(
        await visible({
          anyOf: [
            { property: 'userRef', values: ['user:default/jane'] },
            { property: 'resourceType', values: ['web'] },
          ],
        }),
      ).toEqual([janeSsh.id, janeRdp.id, bobWeb.id].sort());
      expect(
        await visible({
          allOf: [
            { property: 'resourceType', values: ['ssh'] },
            { not: { property: 'userRef', values: ['user:default/jane'] } },
          ],
        }),
      ).toEqual([bobSsh.id]);
      expect(await visible({ property: 'userRef', values: [] })).toEqual([]);
      expect(
        await store.getSession(janeSsh.id, {
          property: 'userRef',
          values: ['user:default/bob'],
        }),
      ).toBeUndefined();
      expect((await store.getSession(janeSsh.id))?.id).toBe(janeSsh.id);
    });

    it('counts open sessions and the start times behind total duration', async () => {
      const { store } = await setup();
      const a = newSession({ startedAt: T0 });
      const b = newSession({ startedAt: T0 + 10 * MINUTE });
      const c = newSession({ startedAt: T0 + 20 * MINUTE });
      await store.insertSessions([a, b, c], 'test');
      await store.sweep({
        at: T0 + 12 * MINUTE,
        actor: 'sweep',
        idleBefore: T0 + 5 * MINUTE,
        warnBefore: 0,
        disconnectBefore: 0,
        startedBefore: 0,
      });
      await store.endSessions(
        { ids: [c.id] },
        {
          reason: 'user',
          endedBy: 'user:default/jane',
          at: T0 + 30 * MINUTE,
          orderConnector: false,
        },
      );

      const counts = await store.countOpenSessions({
        userRef: 'user:default/jane',
      });
      expect(counts).toEqual({
        active: 1,
        idle: 1,
        terminating: 0,
        startedAtSum: 2 * T0 + 10 * MINUTE,
      });
    });

    it('ends open sessions once, with reason, actor, history and orders', async () => {
      const { store, knex } = await setup();
      const keep = newSession();
      const end1 = newSession();
      const end2 = newSession();
      const bobs = newSession({ userRef: 'user:default/bob' });
      await store.insertSessions([keep, end1, end2, bobs], 'test');
      const ending = {
        reason: 'user' as const,
        endedBy: 'user:default/jane',
        at: T0 + MINUTE,
        orderConnector: true,
      };

      const ended = await store.endSessions(
        { userRef: 'user:default/jane', exceptIds: [keep.id] },
        ending,
      );
      const again = await store.endSessions(
        { userRef: 'user:default/jane', exceptIds: [keep.id] },
        ending,
      );

      expect(ended.map(s => s.id).sort()).toEqual([end1.id, end2.id].sort());
      // Ended here: terminating until the connector confirms the cut.
      expect(ended[0]).toMatchObject({
        status: 'terminating',
        endReason: 'user',
        endedBy: 'user:default/jane',
        endedAt: new Date(T0 + MINUTE).toISOString(),
        cutDeadlineAt: new Date(T0 + MINUTE + 30_000).toISOString(),
        cutConfirmedAt: null,
      });
      expect(again).toEqual([]);
      // One order per ended session for its connector, none for the repeat.
      const orders = await knex('connector_commands').orderBy('id').select();
      expect(
        orders.map(o => [o.subject_id, o.action, o.external_id]).sort(),
      ).toEqual(
        [
          [end1.id, 'end_session', end1.externalId],
          [end2.id, 'end_session', end2.externalId],
        ].sort(),
      );
      expect((await store.getSession(keep.id))?.status).toBe('active');
      expect((await store.getSession(bobs.id))?.status).toBe('active');
      expect(await store.listEvents(end1.id)).toMatchObject([
        { type: 'started' },
        {
          type: 'ended',
          fromStatus: 'active',
          toStatus: 'terminating',
          actor: 'user:default/jane',
          reason: 'user',
        },
      ]);
      // Still live at the source: counted apart from open sessions.
      expect(
        await store.countOpenSessions({ userRef: 'user:default/jane' }),
      ).toMatchObject({ active: 1, idle: 0, terminating: 2 });
    });

    it('confirms a cut when the connector reports the session ended', async () => {
      const { store } = await setup();
      const s = newSession({ source: 'bastion', externalId: 'pid-7' });
      await store.insertSessions([s], 'test');
      await store.endSessions(
        { ids: [s.id] },
        {
          reason: 'admin',
          endedBy: 'user:default/ada',
          at: T0 + MINUTE,
          orderConnector: true,
        },
      );
      await store.endSessions(
        { source: 'bastion', externalIds: ['pid-7'] },
        {
          reason: 'connector',
          endedBy: 'connector:bastion',
          at: T0 + 2 * MINUTE,
          orderConnector: false,
        },
      );
      // Who ended it and why stay; the source's report confirms the cut.
      expect(await store.getSession(s.id)).toMatchObject({
        status: 'disconnected',
        endReason: 'admin',
        endedBy: 'user:default/ada',
        cutConfirmedAt: new Date(T0 + 2 * MINUTE).toISOString(),
      });
      expect((await store.listEvents(s.id)).map(e => e.type)).toEqual([
        'started',
        'ended',
        'cut_confirmed',
      ]);
    });

    it('resumes idle sessions on activity and never moves activity backwards', async () => {
      const { store } = await setup();
      const s = newSession({ source: 'rdp-gw', externalId: 'conn-1' });
      await store.insertSessions([s], 'test');
      await store.sweep({
        at: T0 + 6 * MINUTE,
        actor: 'sweep',
        idleBefore: T0 + MINUTE,
        warnBefore: T0 + MINUTE,
        disconnectBefore: 0,
        startedBefore: 0,
      });
      expect(await store.getSession(s.id)).toMatchObject({
        status: 'idle',
        idleWarnedAt: new Date(T0 + 6 * MINUTE).toISOString(),
      });

      await store.recordActivity('rdp-gw', ['conn-1'], T0 + 7 * MINUTE);
      await store.recordActivity('rdp-gw', ['conn-1'], T0 + 3 * MINUTE);
      // Another source's session with the same external id is untouched.
      await store.recordActivity('other', ['conn-1'], T0 + 9 * MINUTE);

      expect(await store.getSession(s.id)).toMatchObject({
        status: 'active',
        idleWarnedAt: null,
        lastActivityAt: new Date(T0 + 7 * MINUTE).toISOString(),
      });
      expect((await store.listEvents(s.id)).map(e => e.type)).toEqual([
        'started',
        'idle',
        'idle_warning',
        'resumed',
      ]);
    });

    it('sweeps: idle, warning, idle timeout and max lifetime, each once', async () => {
      const { store, knex } = await setup();
      const now = T0 + 100 * MINUTE;
      const fresh = newSession({ startedAt: now - MINUTE });
      const quiet = newSession({
        startedAt: now - 20 * MINUTE,
        lastActivityAt: now - 7 * MINUTE,
      });
      const quieter = newSession({
        startedAt: now - 20 * MINUTE,
        lastActivityAt: now - 12 * MINUTE,
      });
      const gone = newSession({
        startedAt: now - 50 * MINUTE,
        lastActivityAt: now - 31 * MINUTE,
      });
      const old = newSession({
        startedAt: now - 99 * MINUTE,
        lastActivityAt: now - MINUTE,
      });
      await store.insertSessions([fresh, quiet, quieter, gone, old], 'test');
      const cutoffs = {
        at: now,
        actor: 'sessions:sweep',
        idleBefore: now - 5 * MINUTE,
        warnBefore: now - 10 * MINUTE,
        disconnectBefore: now - 30 * MINUTE,
        startedBefore: now - 90 * MINUTE,
      };

      const counts = await store.sweep(cutoffs);
      const repeat = await store.sweep(cutoffs);

      // Gone is past the disconnect cutoff: it ends at once, without first
      // going idle and being warned.
      expect(counts).toMatchObject({
        idled: 2,
        warned: 1,
        timedOut: 1,
        expired: 1,
      });
      expect(counts.endedIds.sort()).toEqual([gone.id, old.id].sort());
      expect(
        (await store.listEvents(gone.id)).map(e => [e.type, e.fromStatus]),
      ).toEqual([
        ['started', null],
        ['ended', 'active'],
      ]);
      // Warned once, owed in the same transaction: the repeat sweep warns
      // no one again.
      expect(
        await knex('idle_warnings_due').select('session_id', 'user_ref'),
      ).toEqual([{ session_id: quieter.id, user_ref: quieter.userRef }]);
      expect(repeat).toEqual({
        idled: 0,
        warned: 0,
        timedOut: 0,
        expired: 0,
        noCode: 0,
        noCodeIds: [],
        endedIds: [],
      });
      expect(await store.getSession(fresh.id)).toMatchObject({
        status: 'active',
      });
      expect(await store.getSession(quiet.id)).toMatchObject({
        status: 'idle',
        idleWarnedAt: null,
      });
      expect(await store.getSession(quieter.id)).toMatchObject({
        status: 'idle',
        idleWarnedAt: new Date(now).toISOString(),
      });
      // Swept sessions are cut at their source too: terminating until then.
      expect(await store.getSession(gone.id)).toMatchObject({
        status: 'terminating',
        endReason: 'idle_timeout',
        endedBy: 'sessions:sweep',
      });
      expect(await store.getSession(old.id)).toMatchObject({
        status: 'terminating',
        endReason: 'max_lifetime',
      });
      const orders = await knex('connector_commands').select();
      expect(orders.map(o => `${o.subject_id} ${o.reason}`).sort()).toEqual(
        [`${gone.id} idle_timeout`, `${old.id} max_lifetime`].sort(),
      );
    });

    it('lets two sweepers race without acting twice', async () => {
      const { store, knex } = await setup();
      const sessions = Array.from({ length: 40 }, () =>
        newSession({ startedAt: T0, lastActivityAt: T0 }),
      );
      await store.insertSessions(sessions, 'test');
      const cutoffs = {
        at: T0 + 60 * MINUTE,
        actor: 'sessions:sweep',
        idleBefore: T0 + 30 * MINUTE,
        warnBefore: T0 + 20 * MINUTE,
        disconnectBefore: T0 + 10 * MINUTE,
        startedBefore: 0,
      };
      const other = new (store.constructor as any)(knex);

      const results = await Promise.all([
        store.sweep(cutoffs),
        other.sweep(cutoffs),
      ]);

      expect(results[0].timedOut + results[1].timedOut).toBe(40);
      const ended = await knex('session_events')
        .where('event_type', 'ended')
        .count({ n: '*' });
      expect(Number(ended[0].n)).toBe(40);
    });
  });
});
