import { randomUUID } from 'node:crypto';
import { InputError } from '@backstage/errors';
import {
  IngestResult,
  RECORDABLE_RESOURCE_TYPES,
  SessionActivityBatch,
  SessionEndBatch,
  SessionRecordingBatch,
  SessionStartBatch,
} from '@active-sessions/plugin-sessions-common';
import { NewSession, SessionStore } from '../database/SessionStore';
import { UserLockStore } from '../database/UserLockStore';
import { USER_LOCK_ACTOR, insertUnlessLocked } from './lockedIngest';
import { GeoLocator } from '../geo/GeoLocator';
import { SessionLimits } from '../database/sessionLimits';
import { AnomalyDetector } from './AnomalyDetector';
import {
  classify,
  groupByInstant,
  instant,
  uniqueExternalIds,
} from './batchInput';
import { connectorActor } from '../database/connectorOrders';

// A session ended here and not yet cut counts as ended: the source should cut it.
const isOpen = (status: string) => status === 'active' || status === 'idle';

export interface IngestOptions {
  store: SessionStore;
  locks: UserLockStore;
  now?: () => number;
  /** Looks up where an address is; none: only connectors' locations. */
  geo?: Pick<GeoLocator, 'locate'>;
  /** Concurrent session limits; none: no limit. */
  limits?: SessionLimits;
  /** Flags unusual starts, and tells their owners. */
  anomalies?: {
    detector: Pick<AnomalyDetector, 'flag'>;
    alert: (flagged: NewSession[]) => Promise<void>;
  };
}

/**
 * Applies what connectors report: sessions starting, showing activity and
 * ending at their source. Every batch is idempotent.
 */
export class IngestService {
  private readonly store: SessionStore;
  private readonly locks: UserLockStore;
  private readonly now: () => number;
  private readonly geo?: Pick<GeoLocator, 'locate'>;
  private readonly limits?: SessionLimits;
  private readonly anomalies?: IngestOptions['anomalies'];

  constructor(options: IngestOptions) {
    this.store = options.store;
    this.locks = options.locks;
    this.now = options.now ?? Date.now;
    this.geo = options.geo;
    this.limits = options.limits;
    this.anomalies = options.anomalies;
  }

  async start(batch: SessionStartBatch): Promise<IngestResult> {
    const now = this.now();
    // Refuses a batch naming the same external id twice.
    uniqueExternalIds(batch.sessions, 'sessions');
    const started: NewSession[] = batch.sessions.map((start, index) => {
      const field = `sessions.${index}`;
      const startedAt = instant(start.startedAt, now, `${field}.startedAt`);
      const lastActivityAt = instant(
        start.lastActivityAt ?? start.startedAt,
        now,
        `${field}.lastActivityAt`,
      );
      if (lastActivityAt < startedAt) {
        throw new InputError(`${field}.lastActivityAt is before startedAt`);
      }
      // Looked up once, here; a location the connector sent wins.
      const place = this.geo?.locate(start.ipAddress);
      return {
        id: randomUUID(),
        source: batch.source,
        externalId: start.externalId,
        userRef: start.userRef,
        resourceName: start.resourceName,
        resourceType: start.resourceType,
        device: start.device ?? null,
        userAgent: start.userAgent ?? null,
        ipAddress: start.ipAddress ?? null,
        location: start.location ?? place?.location ?? null,
        countryCode: place?.countryCode ?? null,
        latitude: place?.latitude ?? null,
        longitude: place?.longitude ?? null,
        recording: start.recording,
        startedAt,
        lastActivityAt,
      };
    });
    const sessions = this.anomalies
      ? await this.anomalies.detector.flag(started)
      : started;
    const overLimit: string[] = [];
    const stored = new Set<string>();
    // Offboarded people get no new sessions.
    const { inserted, refused, existing } = await insertUnlessLocked(sessions, {
      locks: this.locks,
      insert: async items => {
        const result = await this.store.insertSessions(
          items,
          connectorActor(batch.source),
          this.limits,
        );
        overLimit.push(...result.overLimit);
        result.insertedExternalIds.forEach(id => stored.add(id));
        return result.insertedExternalIds;
      },
      cut: async externalIds => {
        await this.store.endSessions(
          { source: batch.source, externalIds },
          {
            reason: 'offboarding',
            endedBy: USER_LOCK_ACTOR,
            at: this.now(),
            orderConnector: true,
          },
        );
      },
    });
    const flagged = sessions.filter(
      s =>
        s.flags?.length &&
        stored.has(s.externalId) &&
        !refused.includes(s.externalId),
    );
    if (flagged.length) await this.anomalies?.alert(flagged);
    // Known before this batch: not inserted, and not refused for a limit.
    const known = existing.filter(id => !overLimit.includes(id));
    // A repeated start may bring the recording the first one lacked.
    const recordings = batch.sessions.flatMap(start =>
      start.recording && known.includes(start.externalId)
        ? [{ externalId: start.externalId, ...start.recording }]
        : [],
    );
    if (recordings.length) {
      await this.store.attachRecordings(
        batch.source,
        recordings,
        connectorActor(batch.source),
        this.now(),
      );
    }
    const statuses = await this.store.findStatusByExternalId(
      batch.source,
      known,
    );
    return {
      ...classify(known, statuses, isOpen),
      accepted: inserted,
      refused,
      overLimit,
    };
  }

  async activity(batch: SessionActivityBatch): Promise<IngestResult> {
    const externalIds = uniqueExternalIds(batch.activity, 'activity');
    const groups = groupByInstant(batch.activity, this.now(), 'activity');
    const statuses = await this.store.findStatusByExternalId(
      batch.source,
      externalIds,
    );
    for (const [at, ids] of groups) {
      await this.store.recordActivity(batch.source, ids, at);
    }
    return classify(externalIds, statuses, isOpen);
  }

  /**
   * Attaches recordings to sessions, open or ended: a recording is often
   * ready only once the session is over. A batch naming a session that is
   * not ssh or rdp is refused whole.
   */
  async record(batch: SessionRecordingBatch): Promise<IngestResult> {
    const externalIds = uniqueExternalIds(batch.recordings, 'recordings');
    const known = await this.store.listSessions({
      source: batch.source,
      externalIds,
      sort: 'startedAt',
      order: 'asc',
      limit: externalIds.length,
    });
    const typeOf = new Map(known.map(s => [s.externalId, s.resourceType]));
    batch.recordings.forEach((item, index) => {
      const type = typeOf.get(item.externalId);
      if (type && !RECORDABLE_RESOURCE_TYPES.includes(type)) {
        throw new InputError(
          `recordings.${index}.externalId names a ${type} session; only ${RECORDABLE_RESOURCE_TYPES.join(' and ')} sessions carry recordings`,
        );
      }
    });
    await this.store.attachRecordings(
      batch.source,
      batch.recordings.filter(item => typeOf.has(item.externalId)),
      connectorActor(batch.source),
      this.now(),
    );
    return {
      accepted: known.length,
      unknown: externalIds.filter(id => !typeOf.has(id)),
      ended: [],
    };
  }

  async end(batch: SessionEndBatch): Promise<IngestResult> {
    const externalIds = uniqueExternalIds(batch.sessions, 'sessions');
    const groups = groupByInstant(batch.sessions, this.now(), 'sessions');
    const statuses = await this.store.findStatusByExternalId(
      batch.source,
      externalIds,
    );
    for (const [at, ids] of groups) {
      await this.store.endSessions(
        { source: batch.source, externalIds: ids },
        {
          reason: 'connector',
          endedBy: connectorActor(batch.source),
          at,
          // The source already cut it: no order back to it.
          orderConnector: false,
        },
      );
    }
    return classify(externalIds, statuses, isOpen);
  }
}
