import { randomUUID } from 'node:crypto';
import { InputError } from '@backstage/errors';
import {
  GrantEndBatch,
  GrantReportBatch,
  IngestResult,
  MAX_GRANT_TERM_MS,
} from '@active-sessions/plugin-sessions-common';
import { GrantStore, NewGrant } from '../database/GrantStore';
import { UserLockStore } from '../database/UserLockStore';
import { USER_LOCK_ACTOR, insertUnlessLocked } from './lockedIngest';
import {
  classify,
  groupByInstant,
  instant,
  uniqueExternalIds,
} from './batchInput';
import { connectorActor } from '../database/connectorOrders';

const isOpen = (status: string) => status === 'active';

/**
 * Applies what connectors report about grants: granted (idempotent on
 * source and external id) and ended early at the source.
 */
export class GrantIngestService {
  constructor(
    private readonly store: GrantStore,
    private readonly locks: UserLockStore,
    private readonly now: () => number = Date.now,
  ) {}

  async report(batch: GrantReportBatch): Promise<IngestResult> {
    const now = this.now();
    // Refuses a batch naming the same external id twice.
    uniqueExternalIds(batch.grants, 'grants');
    const grants: NewGrant[] = batch.grants.map((report, index) => {
      const field = `grants.${index}`;
      const startsAt = instant(report.startsAt, now, `${field}.startsAt`);
      const expiresAt = Date.parse(report.expiresAt);
      if (expiresAt <= startsAt) {
        throw new InputError(`${field}.expiresAt must be after startsAt`);
      }
      if (expiresAt > now + MAX_GRANT_TERM_MS) {
        throw new InputError(
          `${field}.expiresAt is more than ${MAX_GRANT_TERM_MS / 86_400_000} days from now; grants this long are standing access`,
        );
      }
      return {
        id: randomUUID(),
        kind: report.kind,
        userRef: report.userRef,
        target: report.target,
        targetType: report.targetType,
        grantedBy: report.grantedBy ?? null,
        reason: report.reason ?? null,
        source: batch.source,
        externalId: report.externalId,
        startsAt,
        expiresAt,
      };
    });
    // Offboarded people get no new grants.
    const { inserted, refused, existing } = await insertUnlessLocked(grants, {
      locks: this.locks,
      insert: async items =>
        (await this.store.insertGrants(items, connectorActor(batch.source)))
          .insertedExternalIds,
      cut: async externalIds => {
        await this.store.revokeGrants(
          { source: batch.source, externalIds },
          {
            reason: 'offboarding',
            revokedBy: USER_LOCK_ACTOR,
            at: this.now(),
            orderConnector: true,
          },
        );
      },
    });
    const statuses = await this.store.findStatusByExternalId(
      batch.source,
      existing,
    );
    return {
      ...classify(existing, statuses, isOpen),
      accepted: inserted,
      refused,
    };
  }

  async end(batch: GrantEndBatch): Promise<IngestResult> {
    const externalIds = uniqueExternalIds(batch.grants, 'grants');
    const groups = groupByInstant(batch.grants, this.now(), 'grants');
    const statuses = await this.store.findStatusByExternalId(
      batch.source,
      externalIds,
    );
    for (const [at, ids] of groups) {
      await this.store.revokeGrants(
        { source: batch.source, externalIds: ids },
        {
          reason: 'ended_at_source',
          revokedBy: connectorActor(batch.source),
          at,
          // The source already removed the privilege: no order back to it.
          orderConnector: false,
        },
      );
    }
    return classify(externalIds, statuses, isOpen);
  }
}
