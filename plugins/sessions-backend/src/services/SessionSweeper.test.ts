import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import { SessionSweeper, SWEEP_ACTOR } from './SessionSweeper';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const settings = {
  idleAfterMs: 5 * MINUTE,
  warnAfterMs: 10 * MINUTE,
  disconnectAfterMs: 30 * MINUTE,
  maxLifetimeMs: 12 * 60 * MINUTE,
  sweepFrequency: { seconds: 30 },
};

describe('SessionSweeper', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('applies the configured timeouts and audits what it ended', async () => {
      const { store } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const now = Date.UTC(2026, 5, 1, 12, 0);
      const busy = newSession({
        startedAt: now - 60 * MINUTE,
        lastActivityAt: now - MINUTE,
      });
      const quiet = newSession({
        startedAt: now - 60 * MINUTE,
        lastActivityAt: now - 6 * MINUTE,
      });
      const abandoned = newSession({
        startedAt: now - 60 * MINUTE,
        lastActivityAt: now - 31 * MINUTE,
      });
      const ancient = newSession({
        startedAt: now - 13 * 60 * MINUTE,
        lastActivityAt: now - MINUTE,
      });
      await store.insertSessions([busy, quiet, abandoned, ancient], 'test');
      const auditor = mockServices.auditor.mock();
      const sweeper = new SessionSweeper(
        store,
        settings,
        mockServices.logger.mock(),
        auditor,
        () => now,
      );

      const counts = await sweeper.run();

      expect(counts).toMatchObject({ idled: 1, timedOut: 1, expired: 1 });
      expect((await store.getSession(busy.id))?.status).toBe('active');
      expect((await store.getSession(quiet.id))?.status).toBe('idle');
      expect(await store.getSession(abandoned.id)).toMatchObject({
        status: 'terminating',
        endReason: 'idle_timeout',
        endedBy: SWEEP_ACTOR,
      });
      expect(await store.getSession(ancient.id)).toMatchObject({
        status: 'terminating',
        endReason: 'max_lifetime',
      });
      expect(auditor.createEvent).toHaveBeenCalledTimes(1);
      const [event] = auditor.createEvent.mock.calls[0];
      expect(event.eventId).toBe('session-end');
      expect((event.meta?.sessionIds as string[]).sort()).toEqual(
        [abandoned.id, ancient.id].sort(),
      );

      // Nothing left to do: no second audit event.
      await sweeper.run();
      expect(auditor.createEvent).toHaveBeenCalledTimes(1);
    });

    it('audits each sign-in it ended for want of its code as a second-factor outcome', async () => {
      const { store, knex } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const now = Date.UTC(2026, 5, 1, 12, 0);
      const waiting = newSession({
        source: 'portal',
        resourceType: 'portal',
        externalId: 'sid-waiting',
        userRef: 'user:default/jörg',
        startedAt: now - 6 * MINUTE,
        lastActivityAt: now - MINUTE,
      });
      const inTime = newSession({
        source: 'portal',
        resourceType: 'portal',
        externalId: 'sid-in-time',
        startedAt: now - MINUTE,
        lastActivityAt: now - MINUTE,
      });
      await store.insertSessions([waiting, inTime], 'test');
      await knex('sessions')
        .where('id', waiting.id)
        .update({ code_due_at: now - MINUTE });
      await knex('sessions')
        .where('id', inTime.id)
        .update({ code_due_at: now + 4 * MINUTE });
      const auditor = mockServices.auditor.mock();

      await new SessionSweeper(
        store,
        settings,
        mockServices.logger.mock(),
        auditor,
        () => now,
      ).run();

      expect(await store.getSession(waiting.id)).toMatchObject({
        status: 'terminating',
        endReason: 'second_factor',
      });
      const secondFactor = auditor.createEvent.mock.calls
        .map(([event]) => event)
        .filter(event => event.eventId === 'portal-second-factor');
      expect(secondFactor.map(event => event.meta)).toEqual([
        {
          userRef: 'user:default/jörg',
          sid: 'sid-waiting',
          outcome: 'timed-out',
        },
      ]);
    });

    it('audits every session a large sweep ends, a thousand to a record', async () => {
      const { store } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const now = Date.UTC(2026, 5, 1, 12, 0);
      const abandoned = Array.from({ length: 2500 }, () =>
        newSession({
          startedAt: now - 60 * MINUTE,
          lastActivityAt: now - 31 * MINUTE,
        }),
      );
      await store.insertSessions(abandoned, 'test');
      const auditor = mockServices.auditor.mock();
      await new SessionSweeper(
        store,
        settings,
        mockServices.logger.mock(),
        auditor,
        () => now,
      ).run();

      const records = auditor.createEvent.mock.calls.map(([event]) => event);
      expect(
        records.map(event => [
          event.eventId,
          event.meta?.part,
          event.meta?.parts,
          (event.meta?.sessionIds as string[]).length,
        ]),
      ).toEqual([
        ['session-end', 1, 3, 1000],
        ['session-end', 2, 3, 1000],
        ['session-end', 3, 3, 500],
      ]);
      expect(
        records.flatMap(event => event.meta?.sessionIds as string[]).sort(),
      ).toEqual(abandoned.map(session => session.id).sort());
    });
  });
});
