import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import { IdleWarnings } from './IdleWarnings';
import { SessionSweeper } from './SessionSweeper';
import { PersonalTimeoutsService } from './PersonalTimeoutsService';
import { KnexPersonalTimeoutStore } from '../database/KnexPersonalTimeoutStore';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 23, 12, 0);
const SETTINGS = {
  idleAfterMs: 5 * MINUTE,
  warnAfterMs: 10 * MINUTE,
  disconnectAfterMs: 30 * MINUTE,
  maxLifetimeMs: 12 * 60 * MINUTE,
};

describe('idle warnings', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('notifies the owner once per idle stretch, with the minutes left', async () => {
      const { store } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const sent: NotificationSendOptions[] = [];
      let now = NOW;
      const warnings = new IdleWarnings({
        notifications: { send: async options => void sent.push(options) },
        message: '{type} {resource}: {minutes} min left',
        disconnectAfterMs: SETTINGS.disconnectAfterMs,
        logger: mockServices.logger.mock(),
        now: () => now,
      });
      const sweeper = new SessionSweeper(
        store,
        SETTINGS,
        mockServices.logger.mock(),
        mockServices.auditor.mock(),
        () => now,
        sessions => warnings.send(sessions),
      );
      await store.insertSessions(
        [
          newSession({
            externalId: 'quiet',
            userRef: 'user:default/jane',
            resourceName: 'db-replica-2',
            startedAt: NOW - 12 * MINUTE,
          }),
          newSession({ externalId: 'busy', startedAt: NOW - MINUTE }),
        ],
        'connector:bastion',
      );

      await sweeper.run();
      now += MINUTE;
      await sweeper.run();
      expect(sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: 'user:default/jane' },
          payload: expect.objectContaining({
            title: 'SSH db-replica-2: 18 min left',
            link: '/sessions',
            severity: 'high',
            scope: expect.stringMatching(/^idle-warning:/),
          }),
        },
      ]);

      // Used again, then quiet again: a new stretch, a new warning.
      await store.recordActivity('bastion', ['quiet'], now);
      now += 11 * MINUTE;
      // Busy stays in use all along.
      await store.recordActivity('bastion', ['busy'], now);
      await sweeper.run();
      expect(sent).toHaveLength(2);
      expect(sent[1].payload.title).toBe('SSH db-replica-2: 19 min left');
    });

    it('warns someone who chose their own times by them', async () => {
      const { store, knex } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
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
        'user:default/jane',
        { idleAfterMs: 5 * MINUTE, disconnectAfterMs: 60 * MINUTE },
        NOW,
      );
      const sent: NotificationSendOptions[] = [];
      let now = NOW;
      const warnings = new IdleWarnings({
        notifications: { send: async options => void sent.push(options) },
        message: '{resource}: {minutes} min left',
        disconnectAfterMs: SETTINGS.disconnectAfterMs,
        chosenDisconnectAfter: userRefs =>
          timeouts.chosenDisconnectAfter(userRefs),
        logger: mockServices.logger.mock(),
        now: () => now,
      });
      const sweeper = new SessionSweeper(
        store,
        settings,
        mockServices.logger.mock(),
        mockServices.auditor.mock(),
        () => now,
        sessions => warnings.send(sessions),
      );
      await store.insertSessions(
        [
          newSession({
            externalId: 'jane',
            userRef: 'user:default/jane',
            resourceName: 'jane-host',
            startedAt: NOW,
          }),
          newSession({
            externalId: 'bob',
            userRef: 'user:default/bob',
            resourceName: 'bob-host',
            startedAt: NOW,
          }),
        ],
        'connector:bastion',
      );

      now = NOW + 12 * MINUTE;
      await sweeper.run();
      now = NOW + 41 * MINUTE;
      await sweeper.run();

      expect(sent.map(options => options.payload.title)).toEqual([
        'bob-host: 18 min left',
        'jane-host: 19 min left',
      ]);
    });
  });

  it('keeps sweeping when notifications cannot be sent', async () => {
    const logger = mockServices.logger.mock();
    const warnings = new IdleWarnings({
      notifications: {
        send: async () => {
          throw new Error('notifications backend not installed');
        },
      },
      message: 'x',
      disconnectAfterMs: SETTINGS.disconnectAfterMs,
      logger,
    });
    await expect(
      warnings.send([
        {
          id: 's1',
          userRef: 'user:default/jane',
          resourceName: 'db',
          resourceType: 'ssh',
          lastActivityAt: new Date().toISOString(),
          idleWarnedAt: new Date().toISOString(),
        } as any,
      ]),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('notifications backend not installed'),
    );
  });
});

describe('idle warnings queued by the sweep', () => {
  const databases = createTestDatabases();

  it('does not hold the sweep while notifications are slow, and sends them all', async () => {
    const [databaseId] = databases.eachSupportedId()[0];
    const { store } = await migratedStore(
      databases,
      databaseId as TestDatabaseId,
    );
    const sent: NotificationSendOptions[] = [];
    let release!: () => void;
    const slow = new Promise<void>(resolve => (release = resolve));
    const warnings = new IdleWarnings({
      notifications: {
        send: async options => {
          await slow;
          sent.push(options);
        },
      },
      message: '{resource}',
      disconnectAfterMs: SETTINGS.disconnectAfterMs,
      logger: mockServices.logger.mock(),
      now: () => NOW,
    });
    const sweeper = new SessionSweeper(
      store,
      SETTINGS,
      mockServices.logger.mock(),
      mockServices.auditor.mock(),
      () => NOW,
      async sessions => warnings.enqueue(sessions),
    );
    await store.insertSessions(
      Array.from({ length: 20 }, (_, i) =>
        newSession({ externalId: `quiet-${i}`, startedAt: NOW - 12 * MINUTE }),
      ),
      'connector:bastion',
    );

    // The sweep is done while no notification has gone out yet.
    const counts = await sweeper.run();
    expect(counts.warned).toBe(20);
    expect(sent).toHaveLength(0);

    release();
    await warnings.drained();
    expect(sent).toHaveLength(20);
  });
});
