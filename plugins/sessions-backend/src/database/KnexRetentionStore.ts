import { Knex } from 'knex';
import { RetentionCounts, RetentionStore } from './RetentionStore';

/**
 * Deletes one batch at a time until a batch comes back short: every batch
 * is a short transaction on rows found through an index, so live writes
 * (starts, sweeps, ends) never wait long behind it.
 */
async function inBatches(
  batchSize: number,
  deleteBatch: () => Promise<number>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch();
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** The {@link RetentionStore} on any database knex speaks to. */
export class KnexRetentionStore implements RetentionStore {
  constructor(private readonly db: Knex) {}

  async deleteHistoryBefore(
    cutoff: number,
    batchSize: number,
  ): Promise<RetentionCounts> {
    const sessions = await inBatches(batchSize, () =>
      this.db.transaction(async (trx): Promise<number> => {
        // (status, ended_at, id) index: the oldest history first.
        const ids = await trx('sessions')
          .where('status', 'disconnected')
          .where('ended_at', '<', cutoff)
          .orderBy('ended_at')
          .limit(batchSize)
          .pluck('id');
        if (!ids.length) return 0;
        await trx('session_events').whereIn('session_id', ids).delete();
        return trx('sessions').whereIn('id', ids).delete();
      }),
    );
    const grants = await inBatches(batchSize, () =>
      this.db.transaction(async (trx): Promise<number> => {
        const ids = await trx('access_grants')
          .where(ended =>
            ended
              .where(revoked =>
                revoked
                  .where('status', 'revoked')
                  .where('revoked_at', '<', cutoff),
              )
              .orWhere(expired =>
                expired
                  .where('status', 'expired')
                  .where('expires_at', '<', cutoff),
              ),
          )
          .limit(batchSize)
          .pluck('id');
        if (!ids.length) return 0;
        await trx('grant_events').whereIn('grant_id', ids).delete();
        return trx('access_grants').whereIn('id', ids).delete();
      }),
    );
    const orders = await inBatches(batchSize, async () => {
      const ids = await this.db('connector_commands')
        .whereNotNull('acknowledged_at')
        .where('acknowledged_at', '<', cutoff)
        .limit(batchSize)
        .pluck('id');
      if (!ids.length) return 0;
      return this.db('connector_commands').whereIn('id', ids).delete();
    });
    return { sessions, grants, orders };
  }

  async deleteExpiredTokenProofs(
    now: number,
    batchSize: number,
  ): Promise<number> {
    return inBatches(batchSize, async () => {
      // Through the expires_at index; MySQL takes no LIMIT in a subquery.
      const keys = await this.db('sign_in_token_proofs')
        .where('expires_at', '<=', now)
        .limit(batchSize)
        .select('sid', 'proof');
      if (!keys.length) return 0;
      return this.db('sign_in_token_proofs')
        .whereIn(
          ['sid', 'proof'],
          keys.map(key => [key.sid, key.proof]),
        )
        .delete();
    });
  }

  async deleteExpiredTrustedDevices(
    now: number,
    batchSize: number,
  ): Promise<number> {
    return inBatches(batchSize, async () => {
      const keys = await this.db('trusted_devices')
        .where('trusted_until', '<=', now)
        .limit(batchSize)
        .select('user_ref', 'device_proof');
      if (!keys.length) return 0;
      return this.db('trusted_devices')
        .whereIn(
          ['user_ref', 'device_proof'],
          keys.map(key => [key.user_ref, key.device_proof]),
        )
        .delete();
    });
  }
}
