import { Knex } from 'knex';
import { chunks } from './sqlHelpers';
import { UserHistory, UserHistoryStore } from './UserHistoryStore';

/** The {@link UserHistoryStore} on any database knex speaks to. */
export class KnexUserHistoryStore implements UserHistoryStore {
  constructor(private readonly db: Knex) {}

  async recentHistory(
    userRefs: string[],
    since: number,
    placesOf: string[],
  ): Promise<Map<string, UserHistory>> {
    const history = new Map<string, UserHistory>();
    const of = (userRef: string) => {
      let entry = history.get(userRef);
      if (!entry) {
        entry = { devices: new Map(), countries: new Set() };
        history.set(userRef, entry);
      }
      return entry;
    };
    for (const chunk of chunks([...new Set(userRefs)])) {
      // Distinct pairs only: a heavy user's thousands of sessions come
      // back as a handful of rows, read through (user_ref, started_at).
      const recent = () =>
        this.db('sessions')
          .whereIn('user_ref', chunk)
          .where('started_at', '>=', since);
      const [devices, countries] = await Promise.all([
        recent().distinct('user_ref', 'resource_type', 'device'),
        recent().distinct('user_ref', 'country_code'),
      ]);
      for (const row of devices) {
        const entry = of(row.user_ref);
        // A kind whose connector names no devices has none to compare.
        if (!row.device) continue;
        const kind = entry.devices.get(row.resource_type) ?? new Set();
        kind.add(row.device);
        entry.devices.set(row.resource_type, kind);
      }
      for (const row of countries) {
        const entry = of(row.user_ref);
        if (row.country_code) entry.countries.add(row.country_code);
      }
    }
    // Only with a city database: each person's latest located session.
    for (const userRef of new Set(placesOf)) {
      const row = await this.db('sessions')
        .where('user_ref', userRef)
        .where('started_at', '>=', since)
        .whereNotNull('latitude')
        .whereNotNull('longitude')
        .orderBy('started_at', 'desc')
        .first('latitude', 'longitude', 'started_at');
      if (row) {
        of(userRef).lastPlace = {
          latitude: Number(row.latitude),
          longitude: Number(row.longitude),
          startedAt: Number(row.started_at),
        };
      }
    }
    return history;
  }
}
