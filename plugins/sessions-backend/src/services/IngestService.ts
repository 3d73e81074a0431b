import { randomUUID } from 'node:crypto';
import { InputError } from '@backstage/errors';
import {
  IngestResult,
  SessionActivityBatch,
  SessionEndBatch,
  SessionStartBatch,
} from '@internal/plugin-sessions-common';
import { NewSession, SessionStore } from '../database/SessionStore';
import { UserLockStore } from '../database/UserLockStore';
import { USER_LOCK_ACTOR, insertUnlessLocked } from './lockedIngest';
import { GeoLocator } from '../geo/GeoLocator';
import { SessionLimits } from '../database/sessionLimits';
import {
  classify,
  groupByInstant,
  instant,
  uniqueExternalIds,
} from './batchInput';
import { connectorActor } from '../database/connectorOrders';

// A session ended here and not yet cut counts as ended: the source should cut it.
const isOpen = (status: string) => status === 'active' || status === 'idle';

/**
 * Applies what connectors report: sessions starting, showing activity and
 * ending at their source. Every batch is idempotent.
 */
export class IngestService {
  constructor(
    private readonly store: SessionStore,
    private readonly locks: UserLockStore,
    private readonly now: () => number = Date.now,
    /** Looks up where an address is; none: only connectors' locations. */
    private readonly geo?: Pick<GeoLocator, 'locate'>,
    /** Concurrent session limits; none: no limit. */
    private readonly limits?: SessionLimits,
  ) {}

  async start(batch: SessionStartBatch): Promise<IngestResult> {
    const now = this.now();
    // Refuses a batch naming the same external id twice.
    uniqueExternalIds(batch.sessions, 'sessions');
    const sessions: NewSession[] = batch.sessions.map((start, index) => {
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
        startedAt,
        lastActivityAt,
      };
    });
    const overLimit: string[] = [];
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
    // Known before this batch: not inserted, and not refused for a limit.
    const known = existing.filter(id => !overLimit.includes(id));
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
