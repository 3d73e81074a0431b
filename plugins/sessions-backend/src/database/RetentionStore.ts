/** How much history one pass deleted. */
export interface RetentionCounts {
  sessions: number;
  grants: number;
  orders: number;
}

/** Deletes history older than the retention period. */
export interface RetentionStore {
  /**
   * Deletes ended sessions and grants (with their events) that ended
   * before `cutoff`, and acknowledged orders acknowledged before it, in
   * batches of `batchSize` rows, each batch its own short transaction.
   */
  deleteHistoryBefore(
    cutoff: number,
    batchSize: number,
  ): Promise<RetentionCounts>;

  /**
   * Deletes the records of portal sign-in tokens that expired before
   * `now`, in batches of `batchSize`: they concern no working token.
   */
  deleteExpiredTokenProofs(now: number, batchSize: number): Promise<number>;

  /**
   * Forgets browsers that passed the second factor at sign-in whose
   * remembering ended before `now`: they would be asked again anyway.
   */
  deleteExpiredTrustedDevices(now: number, batchSize: number): Promise<number>;
}
