import { AnomalyFlag } from '@active-sessions/plugin-sessions-common';
import { NewSession } from '../database/SessionStore';
import { UserHistory, UserHistoryStore } from '../database/UserHistoryStore';

/** `sessions.anomaly`: what counts as unusual. */
export interface AnomalySettings {
  enabled: boolean;
  /** Devices and countries used within this long count as known. */
  lookbackMs: number;
  /** Faster than this between two sessions' places is impossible. */
  maxSpeedKmh: number;
}

const EARTH_RADIUS_KM = 6371;
/**
 * City-level address lookups are often tens of kilometres off: closer
 * than this, two places are not worth a flag whatever the time between.
 */
const LOCATION_NOISE_KM = 300;

/**
 * The device as compared: without a browser's version ("Chrome 129 on Mac
 * OS" → "Chrome on Mac OS"), so updating a browser is not a new device.
 */
export function deviceKey(device: string) {
  return device.replace(/ \d+(?:\.\d+)*(?= on )/, '');
}

/** Great-circle distance (haversine). */
function distanceKm(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
) {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(rad(a.latitude)) *
      Math.cos(rad(b.latitude)) *
      Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

/**
 * Flags new sessions that look unusual for their user: a device or a
 * country not seen within the lookback, or a place too far from their
 * previous one for the time between. A person with no recent sessions has
 * nothing to compare with and is not flagged, nor is a device on their
 * first session of a kind (their first portal sign-in after weeks of SSH);
 * a device or place seen before never is.
 */
export class AnomalyDetector {
  constructor(
    private readonly history: UserHistoryStore,
    private readonly settings: AnomalySettings,
    private readonly now: () => number = Date.now,
  ) {}

  async flag(sessions: NewSession[]): Promise<NewSession[]> {
    if (!this.settings.enabled || sessions.length === 0) return sessions;
    const recent = await this.history.recentHistory(
      sessions.map(s => s.userRef),
      this.now() - this.settings.lookbackMs,
      sessions.filter(s => typeof s.latitude === 'number').map(s => s.userRef),
    );
    const judged = new Map<NewSession, NewSession>();
    // In order of start, each counting as known for the next in the batch.
    const byStart = [...sessions].sort((a, b) => a.startedAt - b.startedAt);
    for (const session of byStart) {
      const known = recent.get(session.userRef);
      judged.set(session, known ? this.judge(session, known) : session);
      recent.set(session.userRef, remember(known, session));
    }
    return sessions.map(session => judged.get(session) ?? session);
  }

  /** The session with the flags its person's history gives it. */
  private judge(session: NewSession, known: UserHistory): NewSession {
    const flags: AnomalyFlag[] = [];
    const details: string[] = [];
    // A first session of its kind has no devices of that kind to compare.
    const devices = known.devices.get(session.resourceType);
    const key = session.device && deviceKey(session.device);
    if (key && devices && ![...devices].some(seen => deviceKey(seen) === key)) {
      flags.push('new_device');
      details.push(`new device: ${session.device}`);
    }
    if (
      session.countryCode &&
      known.countries.size > 0 &&
      !known.countries.has(session.countryCode)
    ) {
      flags.push('new_country');
      details.push(
        `new country: ${session.location ?? session.countryCode} (before: ${[
          ...known.countries,
        ].join(', ')})`,
      );
    }
    const last = known.lastPlace;
    if (
      last &&
      // A start reported late is not compared with what came after it.
      last.startedAt <= session.startedAt &&
      session.latitude !== null &&
      session.latitude !== undefined &&
      session.longitude !== null &&
      session.longitude !== undefined
    ) {
      const km = distanceKm(last, {
        latitude: session.latitude,
        longitude: session.longitude,
      });
      const hours =
        Math.max(session.startedAt - last.startedAt, 60_000) / 3_600_000;
      if (km > LOCATION_NOISE_KM && km / hours > this.settings.maxSpeedKmh) {
        flags.push('impossible_travel');
        details.push(
          `${Math.round(km)} km from the previous session in ${Math.round(hours * 60)} min`,
        );
      }
    }
    return flags.length
      ? { ...session, flags, flagDetail: details.join('; ') }
      : session;
  }
}

/** A person's history with one more session in it. */
function remember(
  known: UserHistory | undefined,
  session: NewSession,
): UserHistory {
  const history: UserHistory = known ?? {
    devices: new Map(),
    countries: new Set(),
  };
  if (session.device) {
    const devices = history.devices.get(session.resourceType) ?? new Set();
    history.devices.set(session.resourceType, devices.add(session.device));
  }
  if (session.countryCode) history.countries.add(session.countryCode);
  const { latitude, longitude, startedAt } = session;
  if (
    typeof latitude === 'number' &&
    typeof longitude === 'number' &&
    (!history.lastPlace || history.lastPlace.startedAt <= startedAt)
  ) {
    history.lastPlace = { latitude, longitude, startedAt };
  }
  return history;
}
