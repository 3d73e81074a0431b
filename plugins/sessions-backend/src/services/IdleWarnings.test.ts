import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import { IdleWarnings } from './IdleWarnings';
import { SessionSweeper } from './SessionSweeper';
import { PersonalTimeoutsService } from './PersonalTimeoutsService';
import { KnexPersonalTimeoutStore } from '../database/KnexPersonalTimeoutStore';
import { KnexIdleWarningStore } from '../database/KnexIdleWarningStore';
import { KnexSessionStore } from '../database/KnexSessionStore';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 23, 12, 0);
const SETTINGS = {
  idleAfterMs: 5 * MINUTE,
  warnAfterMs: 10 * MINUTE,
  disconnectAfterMs: 30 * MINUTE,
  maxLifetimeMs: 12 * 60 * MINUTE,
};
const JANE = 'user:default/jane';
const BOB = 'user:default/bob';

/** Records what is sent; `fail` decides which sends throw. */
function recordingNotifications(
  fail: (options: NotificationSendOptions) => boolean = () => false,
) {
  const sent: NotificationSendOptions[] = [];
  const notifications: NotificationService = {
    send: async options => {
      if (fail(options)) throw new Error('notifications backend unreachable');
      sent.push(options);
    },
  };
  return { sent, notifications };
}

describe('idle warnings', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let store: KnexSessionStore;
    let now: number;

    beforeEach(async () => {
      ({ knex, store } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      ));
      now = NOW;
    });

    const sweeper = (
      settings: ConstructorParameters<typeof SessionSweeper>[1] = SETTINGS,
      onWarned?: () => void,
    ) =>
      new SessionSweeper(
        store,
        settings,
        mockServices.logger.mock(),
        mockServices.auditor.mock(),
        () => now,
        onWarned,
      );

    const sender = (
      notifications: NotificationService,
      extra: Partial<ConstructorParameters<typeof IdleWarnings>[0]> = {},
    ) =>
      new IdleWarnings({
        store: new KnexIdleWarningStore(knex),
        notifications,
        message: '{type} {resource}: {minutes} min left',
        disconnectAfterMs: SETTINGS.disconnectAfterMs,
        logger: mockServices.logger.mock(),
        now: () => now,
        ...extra,
      });

    const quietSession = (userRef: string, resourceName: string) =>
      newSession({ userRef, resourceName, startedAt: NOW - 12 * MINUTE });

    const due = async () =>
      Number((await knex('idle_warnings_due').count({ n: '*' }))[0].n);

    it('sends each person one notification per sweep, naming their sessions with the minutes left', async () => {
      const janeFirst = quietSession(JANE, 'db-replica-2');
      const janeSecond = newSession({
        userRef: JANE,
        resourceName: 'build-7',
        resourceType: 'rdp',
        startedAt: NOW - 11 * MINUTE,
      });
      const busy = newSession({ userRef: BOB, startedAt: NOW - MINUTE });
      await store.insertSessions(
        [janeFirst, janeSecond, quietSession(BOB, 'bob-host'), busy],
        'connector:bastion',
      );
      const triggered = jest.fn();
      const { sent, notifications } = recordingNotifications();

      await sweeper(SETTINGS, triggered).run();
      // The sweep only owes them: nothing is sent inside it.
      expect(triggered).toHaveBeenCalledTimes(1);
      expect(sent).toEqual([]);
      expect(await due()).toBe(3);

      now += MINUTE;
      expect(await sender(notifications).run()).toEqual({
        people: 2,
        failed: 0,
      });
      const byPerson = new Map(
        sent.map(options => [
          (options.recipients as { entityRef: string }).entityRef,
          options.payload,
        ]),
      );
      expect(sent).toHaveLength(2);
      expect(byPerson.get(BOB)).toMatchObject({
        title: 'SSH bob-host: 17 min left',
        link: '/sessions',
        severity: 'high',
        topic: 'Idle sessions',
      });
      // Soonest first: the RDP session was active a minute later.
      expect(byPerson.get(JANE)).toMatchObject({
        title: '2 idle sessions of yours are about to be disconnected',
        description: expect.stringMatching(
          /^SSH db-replica-2: 17 min left\nRDP build-7: 18 min left\nUse them/,
        ),
      });
      expect(await due()).toBe(0);

      // Nothing owed, nothing sent; the next sweep warns no one again.
      await sweeper().run();
      await sender(notifications).run();
      expect(sent).toHaveLength(2);

      // Used again, then quiet again: a new stretch, a new warning.
      await store.recordActivity('bastion', [janeFirst.externalId], now);
      now += 11 * MINUTE;
      // Bob's other session stays in use all along.
      await store.recordActivity('bastion', [busy.externalId], now);
      await sweeper().run();
      await sender(notifications).run();
      expect(sent).toHaveLength(3);
      expect(sent[2].payload.title).toBe('SSH db-replica-2: 19 min left');
      expect(sent[2].payload.scope).not.toBe(byPerson.get(JANE)!.scope);
    });

    it('loses none when sending stops midway, and sends a person again only under the same scope', async () => {
      await store.insertSessions(
        [
          quietSession(JANE, 'jane-1'),
          quietSession(JANE, 'jane-2'),
          quietSession(BOB, 'bob-1'),
        ],
        'connector:bastion',
      );
      await sweeper().run();

      // Jane's goes out, Bob's fails: the backend went away.
      const first = recordingNotifications(
        options =>
          (options.recipients as { entityRef: string }).entityRef === BOB,
      );
      expect(await sender(first.notifications).run()).toEqual({
        people: 1,
        failed: 1,
      });
      expect(await due()).toBe(1);

      // The process dies after sending, before it deletes what it sent.
      const second = recordingNotifications();
      const dying = new KnexIdleWarningStore(knex);
      dying.remove = async () => {
        throw new Error('killed');
      };
      await expect(
        sender(second.notifications, { store: dying }).run(),
      ).rejects.toThrow('killed');

      // A new process sends what is still owed, once.
      const third = recordingNotifications();
      await sender(third.notifications).run();
      expect(await due()).toBe(0);
      expect(third.sent.map(options => options.payload.scope)).toEqual(
        second.sent.map(options => options.payload.scope),
      );
      expect(
        third.sent.map(
          options => (options.recipients as { entityRef: string }).entityRef,
        ),
      ).toEqual([BOB]);
    });

    it('leaves out a session used again or ended since its warning', async () => {
      const used = quietSession(JANE, 'used-again');
      const ended = quietSession(JANE, 'ended');
      const stillIdle = quietSession(JANE, 'still-idle');
      const bobs = quietSession(BOB, 'bob-used-again');
      await store.insertSessions(
        [used, ended, stillIdle, bobs],
        'connector:bastion',
      );
      await sweeper().run();
      await store.recordActivity(
        'bastion',
        [used.externalId, bobs.externalId],
        now,
      );
      await store.endSessions(
        { ids: [ended.id] },
        { reason: 'user', endedBy: JANE, at: now, orderConnector: true },
      );

      const { sent, notifications } = recordingNotifications();
      await sender(notifications).run();
      expect(sent.map(options => options.payload.title)).toEqual([
        'SSH still-idle: 18 min left',
      ]);
      // Bob has nothing left to be warned of: his row goes unsent.
      expect(await due()).toBe(0);
    });

    it('keeps one notification per person when their rows span reading rounds', async () => {
      const people = ['a', 'b', 'c'].map(name => `user:default/${name}`);
      await store.insertSessions(
        people.flatMap(userRef =>
          [1, 2, 3].map(n => quietSession(userRef, `${userRef}-${n}`)),
        ),
        'connector:bastion',
      );
      await sweeper().run();
      const { sent, notifications } = recordingNotifications();
      await sender(notifications, { rowsPerRound: 4 }).run();
      expect(
        sent
          .map(options => [
            (options.recipients as { entityRef: string }).entityRef,
            options.payload.title,
          ])
          .sort(),
      ).toEqual(
        people.map(userRef => [
          userRef,
          '3 idle sessions of yours are about to be disconnected',
        ]),
      );
      expect(await due()).toBe(0);
    });

    it('warns someone who chose their own times by them', async () => {
      const settings = {
        ...SETTINGS,
        personalTimeouts: {
          idleAfterMs: { minMs: MINUTE, maxMs: 60 * MINUTE },
          disconnectAfterMs: { minMs: 15 * MINUTE, maxMs: 120 * MINUTE },
        },
      };
      const timeouts = new PersonalTimeoutsService({
        store: new KnexPersonalTimeoutStore(knex),
        settings,
        permissions: mockServices.permissions(),
      });
      // Jane is disconnected after an hour: warned at 40 minutes.
      await new KnexPersonalTimeoutStore(knex).set(
        JANE,
        { idleAfterMs: 5 * MINUTE, disconnectAfterMs: 60 * MINUTE },
        NOW,
      );
      await store.insertSessions(
        [
          newSession({
            userRef: JANE,
            resourceName: 'jane-host',
            startedAt: NOW,
          }),
          newSession({
            userRef: BOB,
            resourceName: 'bob-host',
            startedAt: NOW,
          }),
        ],
        'connector:bastion',
      );
      const { sent, notifications } = recordingNotifications();
      const warnings = sender(notifications, {
        chosenDisconnectAfter: userRefs =>
          timeouts.chosenDisconnectAfter(userRefs),
      });

      now = NOW + 12 * MINUTE;
      await sweeper(settings).run();
      await warnings.run();
      now = NOW + 41 * MINUTE;
      await sweeper(settings).run();
      await warnings.run();

      expect(sent.map(options => options.payload.title)).toEqual([
        'SSH bob-host: 18 min left',
        'SSH jane-host: 19 min left',
      ]);
    });
  });
});
