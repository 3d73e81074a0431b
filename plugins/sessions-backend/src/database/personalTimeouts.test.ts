import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import { PersonalTimeoutBounds } from '../config';
import { effectiveTimeouts } from '../services/effectiveTimeouts';
import { KnexPersonalTimeoutStore } from './KnexPersonalTimeoutStore';
import { QuietLimits } from './quietPast';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 11, 2, 12, 0);
const PORTAL = {
  idleAfterMs: 5 * MINUTE,
  warnAfterMs: 10 * MINUTE,
  disconnectAfterMs: 30 * MINUTE,
};
const BOUNDS: PersonalTimeoutBounds = {
  idleAfterMs: { minMs: 2 * MINUTE, maxMs: 60 * MINUTE },
  disconnectAfterMs: { minMs: 15 * MINUTE, maxMs: 240 * MINUTE },
};
const LIMITS: QuietLimits = { ...PORTAL, personal: BOUNDS };

const cutoffs = (limits: QuietLimits = LIMITS) => ({
  at: NOW,
  actor: 'sessions:sweep',
  idleBefore: NOW - limits.idleAfterMs,
  warnBefore: NOW - limits.warnAfterMs,
  disconnectBefore: NOW - limits.disconnectAfterMs,
  startedBefore: 0,
  personal: limits.personal,
});

describe('the sweep with personal timeouts', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup() {
      const { knex, store } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      return { knex, store, chosen: new KnexPersonalTimeoutStore(knex) };
    }

    /** A session of `userRef` quiet for `minutes`, never warned. */
    const quietFor = (userRef: string, minutes: number) =>
      newSession({
        userRef,
        startedAt: NOW - (minutes + 1) * MINUTE,
        lastActivityAt: NOW - minutes * MINUTE,
      });

    it("keeps a longer choice's sessions and ends a shorter one's", async () => {
      const { store, chosen } = await setup();
      // Jane chose four hours; Bob a quarter of an hour; Ann nothing.
      await chosen.set(
        'user:default/jane',
        { idleAfterMs: 30 * MINUTE, disconnectAfterMs: 240 * MINUTE },
        NOW,
      );
      await chosen.set(
        'user:default/bob',
        { idleAfterMs: 3 * MINUTE, disconnectAfterMs: 15 * MINUTE },
        NOW,
      );
      const jane = quietFor('user:default/jane', 60);
      const janeFresh = quietFor('user:default/jane', 20);
      const bob = quietFor('user:default/bob', 20);
      const ann = quietFor('user:default/ann', 20);
      const annGone = quietFor('user:default/ann', 60);
      await store.insertSessions([jane, janeFresh, bob, ann, annGone], 'test');

      const counts = await store.sweep(cutoffs());

      expect(counts.endedIds.sort()).toEqual([bob.id, annGone.id].sort());
      // Jane's hour-quiet session is idle (her idle is 30 minutes), not
      // warned: her warning comes 20 minutes before her four hours.
      expect(await store.getSession(jane.id)).toMatchObject({
        status: 'idle',
        idleWarnedAt: null,
      });
      expect(await store.getSession(janeFresh.id)).toMatchObject({
        status: 'active',
      });
      // Ann has the portal's times: 20 minutes quiet is idle and warned.
      expect(await store.getSession(ann.id)).toMatchObject({
        status: 'idle',
        idleWarnedAt: new Date(NOW).toISOString(),
      });
      expect(await store.getSession(bob.id)).toMatchObject({
        status: 'terminating',
        endReason: 'idle_timeout',
      });
    });

    it('holds a choice inside ranges an admin narrowed since', async () => {
      const { store, chosen } = await setup();
      await chosen.set(
        'user:default/jane',
        { idleAfterMs: 30 * MINUTE, disconnectAfterMs: 240 * MINUTE },
        NOW,
      );
      const session = quietFor('user:default/jane', 100);
      await store.insertSessions([session], 'test');
      const narrowed: QuietLimits = {
        ...PORTAL,
        personal: {
          ...BOUNDS,
          disconnectAfterMs: { minMs: 15 * MINUTE, maxMs: 90 * MINUTE },
        },
      };

      expect((await store.sweep(cutoffs(narrowed))).endedIds).toEqual([
        session.id,
      ]);
    });

    it('ignores choices when people may no longer choose', async () => {
      const { store, chosen } = await setup();
      await chosen.set(
        'user:default/jane',
        { idleAfterMs: 30 * MINUTE, disconnectAfterMs: 240 * MINUTE },
        NOW,
      );
      const session = quietFor('user:default/jane', 40);
      await store.insertSessions([session], 'test');

      const counts = await store.sweep(cutoffs({ ...PORTAL }));

      expect(counts.endedIds).toEqual([session.id]);
    });

    it('does in SQL what the page says, for every stage', async () => {
      const { store, chosen } = await setup();
      // Choices across the ranges (some outside: stored before a change),
      // each person with sessions quiet around each of their times.
      const choices = [
        undefined,
        { idleAfterMs: 2 * MINUTE, disconnectAfterMs: 15 * MINUTE },
        { idleAfterMs: 12 * MINUTE, disconnectAfterMs: 25 * MINUTE },
        { idleAfterMs: 45 * MINUTE, disconnectAfterMs: 200 * MINUTE },
        { idleAfterMs: 1 * MINUTE, disconnectAfterMs: 600 * MINUTE },
      ];
      const expected = new Map<string, string>();
      const sessions = [];
      for (const [index, choice] of choices.entries()) {
        const userRef = `user:default/person-${index}`;
        if (choice) await chosen.set(userRef, choice, NOW);
        const times = effectiveTimeouts(LIMITS, choice);
        for (const ms of Object.values(times)) {
          for (const offset of [-MINUTE / 2, MINUTE / 2]) {
            const quietMs = ms + offset;
            const session = newSession({
              userRef,
              startedAt: NOW - quietMs - MINUTE,
              lastActivityAt: NOW - quietMs,
            });
            sessions.push(session);
            let stage = 'active';
            if (quietMs > times.idleAfterMs) stage = 'idle';
            if (quietMs > times.warnAfterMs) stage = 'warned';
            if (quietMs > times.disconnectAfterMs) stage = 'ended';
            expected.set(session.id, stage);
          }
        }
      }
      await store.insertSessions(sessions, 'test');

      await store.sweep(cutoffs());

      const actual = new Map<string, string>();
      for (const session of sessions) {
        const stored = (await store.getSession(session.id))!;
        let stage: string = stored.status;
        if (stored.status === 'terminating') stage = 'ended';
        else if (stored.idleWarnedAt) stage = 'warned';
        actual.set(session.id, stage);
      }
      expect(actual).toEqual(expected);
    });
  });
});
