import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import { KnexUserHistoryStore } from '../database/KnexUserHistoryStore';
import { NewSession } from '../database/SessionStore';
import { AnomalyAlerts } from './AnomalyAlerts';
import { AnomalyDetector } from './AnomalyDetector';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 12, 0);
const LONDON = { latitude: 51.5, longitude: -0.12 };
const READING = { latitude: 51.45, longitude: -0.97 };
const SYDNEY = { latitude: -33.87, longitude: 151.21 };

describe('anomaly flags', () => {
  const databases = createTestDatabases();

  /** A detector on a fresh database, and a start flagged as ingest would. */
  async function detectorOn(databaseId: string) {
    const { knex, store } = await migratedStore(
      databases,
      databaseId as TestDatabaseId,
    );
    const detector = new AnomalyDetector(
      new KnexUserHistoryStore(knex),
      { enabled: true, lookbackMs: 30 * DAY, maxSpeedKmh: 1000 },
      () => NOW,
    );
    // Flags a start, then stores it.
    const start = async (overrides: Partial<NewSession>) => {
      const [flagged] = await detector.flag([
        newSession({ startedAt: NOW, ...overrides }),
      ]);
      await store.insertSessions([flagged], 'connector:bastion');
      return { flags: flagged.flags ?? [], detail: flagged.flagDetail };
    };
    return { store, detector, start };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('flags only first sightings: a new device, a new country, impossible travel', async () => {
      const { store, start } = await detectorOn(databaseId);
      const laptop = { device: 'ThinkPad X1', countryCode: 'GB' };

      // Nothing to compare with yet: not flagged.
      expect(
        (await start({ ...laptop, ...LONDON, startedAt: NOW - 3 * 3_600_000 }))
          .flags,
      ).toEqual([]);
      // Seen before: never flagged.
      expect(
        (await start({ ...laptop, ...READING, startedAt: NOW - 3_600_000 }))
          .flags,
      ).toEqual([]);
      expect(await start({ ...laptop, device: 'Pixel 8' })).toEqual({
        flags: ['new_device'],
        detail: 'new device: Pixel 8',
      });
      expect(
        (await start({ ...laptop, countryCode: 'FR', location: 'France' }))
          .flags,
      ).toEqual(['new_country']);
      // Reading an hour ago, Sydney now: 17,000 km in an hour.
      const far = await start({ ...laptop, ...SYDNEY, countryCode: 'GB' });
      expect(far.flags).toEqual(['impossible_travel']);
      expect(far.detail).toMatch(
        /^\d+ km from the previous session in 60 min$/,
      );

      // Devices are compared within a kind: the first portal sign-in after
      // SSH sessions is not a new device, a second browser is.
      const browser = { ...laptop, resourceType: 'portal' as const };
      expect(
        (await start({ ...browser, device: 'Firefox 140 on Linux' })).flags,
      ).toEqual([]);
      expect(
        (await start({ ...browser, device: 'Safari 18 on iOS' })).flags,
      ).toEqual(['new_device']);

      // A browser update is the same device.
      expect(
        (await start({ ...browser, device: 'Firefox 141 on Linux' })).flags,
      ).toEqual([]);

      // A device last used before the lookback is new again.
      await store.insertSessions(
        [newSession({ device: 'Old Mac', startedAt: NOW - 40 * DAY })],
        'connector:bastion',
      );
      expect((await start({ ...laptop, device: 'Old Mac' })).flags).toEqual([
        'new_device',
      ]);
      // Flagged sessions can be listed on their own.
      const flagged = await store.listSessions({
        flagged: true,
        sort: 'startedAt',
        order: 'desc',
        limit: 50,
      });
      expect(flagged).toHaveLength(5);
      expect(flagged.every(s => s.flags.length > 0)).toBe(true);
    });
  });

  it.each(databases.eachSupportedId())(
    'on %p, flags no travel within location noise or before a later-known place, and no device where none were named',
    async databaseId => {
      const { detector, start } = await detectorOn(databaseId);
      const flagsOf = async (overrides: Partial<NewSession>) =>
        (await start(overrides)).flags;
      // A connector that names no devices, for weeks.
      const nameless = { device: null };
      expect(
        await flagsOf({ ...nameless, ...LONDON, startedAt: NOW - 2 * DAY }),
      ).toEqual([]);
      expect(
        await flagsOf({ ...nameless, ...READING, startedAt: NOW - 5 * 60_000 }),
      ).toEqual([]);
      // Its first device is nothing new; Reading to London in five minutes
      // is within what an address lookup gets wrong.
      expect(await flagsOf({ ...LONDON, device: 'ThinkPad X1' })).toEqual([]);
      // Reported late: started before the London session already stored,
      // so not compared with it.
      expect(
        await flagsOf({
          ...SYDNEY,
          device: 'ThinkPad X1',
          startedAt: NOW - DAY,
        }),
      ).toEqual([]);

      // One batch: each start counts as known for the next, in start order.
      const batch = await detector.flag([
        newSession({ ...SYDNEY, device: 'Pixel 8', startedAt: NOW + 60_000 }),
        newSession({ ...LONDON, device: 'Pixel 8', startedAt: NOW + 30_000 }),
      ]);
      expect(batch.map(s => s.flags ?? [])).toEqual([
        ['impossible_travel'],
        ['new_device'],
      ]);
    },
  );

  it('tells the owner, with the way out', async () => {
    const sent: NotificationSendOptions[] = [];
    const alerts = new AnomalyAlerts(
      { send: async options => void sent.push(options) },
      mockServices.logger.mock(),
    );
    await alerts.send([
      newSession({
        resourceName: 'bastion-prod-1',
        flags: ['new_device', 'new_country'],
        flagDetail: 'new device: Pixel 8; new country: France (before: GB)',
      }),
    ]);
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: 'user:default/jane' },
        payload: expect.objectContaining({
          title:
            'New SSH session on bastion-prod-1 from a new device and a new country',
          description:
            'new device: Pixel 8; new country: France (before: GB). Not you? End all your sessions on the Active Sessions page.',
          link: '/sessions?flagged=true',
          severity: 'critical',
        }),
      },
    ]);
  });
});
