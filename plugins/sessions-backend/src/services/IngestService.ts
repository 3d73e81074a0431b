import { randomUUID } from 'node:crypto';
import { InputError } from '@backstage/errors';
import {
  IngestResult,
  SessionActivityBatch,
  SessionEndBatch,
  SessionStartBatch,
} from '@internal/plugin-sessions-common';
import { NewSession, SessionStore } from '../database/SessionStore';

/** How far ahead of our clock a connector's timestamp may be. */
const ALLOWED_CLOCK_SKEW_MS = 5 * 60_000;

/** The actor recorded for changes a connector reports. */
export const connectorActor = (source: string) => `connector:${source}`;

/**
 * Applies what connectors report: sessions starting, showing activity and
 * ending at their source. Every batch is idempotent.
 */
export class IngestService {
  constructor(
    private readonly store: SessionStore,
    private readonly now: () => number = Date.now,
  ) {}

  async start(batch: SessionStartBatch): Promise<IngestResult> {
    const now = this.now();
    const externalIds = this.uniqueExternalIds(batch.sessions, 'sessions');
    const sessions: NewSession[] = batch.sessions.map((start, index) => {
      const field = `sessions.${index}`;
      const startedAt = this.instant(
        start.startedAt,
        now,
        `${field}.startedAt`,
      );
      const lastActivityAt = this.instant(
        start.lastActivityAt ?? start.startedAt,
        now,
        `${field}.lastActivityAt`,
      );
      if (lastActivityAt < startedAt) {
        throw new InputError(`${field}.lastActivityAt is before startedAt`);
      }
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
        location: start.location ?? null,
        startedAt,
        lastActivityAt,
      };
    });
    const { insertedExternalIds } = await this.store.insertSessions(
      sessions,
      connectorActor(batch.source),
    );
    const inserted = new Set(insertedExternalIds);
    const statuses = await this.store.findStatusByExternalId(
      batch.source,
      externalIds.filter(id => !inserted.has(id)),
    );
    return {
      accepted: inserted.size,
      unknown: [],
      ended: [...statuses]
        .filter(([, s]) => s === 'disconnected')
        .map(([id]) => id),
    };
  }

  async activity(batch: SessionActivityBatch): Promise<IngestResult> {
    const now = this.now();
    this.uniqueExternalIds(batch.activity, 'activity');
    const byInstant = new Map<number, string[]>();
    batch.activity.forEach((item, index) => {
      const at = this.instant(item.at, now, `activity.${index}.at`);
      byInstant.set(at, [...(byInstant.get(at) ?? []), item.externalId]);
    });
    const result = await this.classify(
      batch.source,
      batch.activity.map(item => item.externalId),
    );
    for (const [at, externalIds] of byInstant) {
      await this.store.recordActivity(batch.source, externalIds, at);
    }
    return result;
  }

  async end(batch: SessionEndBatch): Promise<IngestResult> {
    const now = this.now();
    this.uniqueExternalIds(batch.sessions, 'sessions');
    const byInstant = new Map<number, string[]>();
    batch.sessions.forEach((item, index) => {
      const at = this.instant(item.at, now, `sessions.${index}.at`);
      byInstant.set(at, [...(byInstant.get(at) ?? []), item.externalId]);
    });
    const result = await this.classify(
      batch.source,
      batch.sessions.map(item => item.externalId),
    );
    for (const [at, externalIds] of byInstant) {
      await this.store.endSessions(
        { source: batch.source, externalIds },
        { reason: 'connector', endedBy: connectorActor(batch.source), at },
      );
    }
    return result;
  }

  /** Sorts a batch's ids into open (accepted), unknown and already ended. */
  private async classify(
    source: string,
    externalIds: string[],
  ): Promise<IngestResult> {
    const statuses = await this.store.findStatusByExternalId(
      source,
      externalIds,
    );
    const result: IngestResult = { accepted: 0, unknown: [], ended: [] };
    for (const id of externalIds) {
      const status = statuses.get(id);
      if (!status) result.unknown.push(id);
      else if (status === 'disconnected') result.ended.push(id);
      else result.accepted += 1;
    }
    return result;
  }

  private uniqueExternalIds(
    items: Array<{ externalId: string }>,
    list: string,
  ) {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(item.externalId)) {
        throw new InputError(
          `${list}.${index}.externalId repeats ${item.externalId} within the batch`,
        );
      }
      seen.add(item.externalId);
    });
    return [...seen];
  }

  private instant(iso: string | undefined, now: number, field: string) {
    if (!iso) return now;
    const at = Date.parse(iso);
    if (at > now + ALLOWED_CLOCK_SKEW_MS) {
      throw new InputError(`${field} is in the future`);
    }
    return at;
  }
}
