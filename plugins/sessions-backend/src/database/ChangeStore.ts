/** A range of changes, by the event seqs (commit order) they end at. */
export interface ChangeCursor {
  sessionEventSeq: number;
  grantEventSeq: number;
}

/** Whose sessions and grants changed since a cursor. */
export interface ChangeBatch {
  /** People whose sessions or grants changed, once each. */
  userRefs: string[];
  /** Where this batch ends; claim it to publish it. */
  next: ChangeCursor;
  /** The cursor the batch was read from. */
  from: ChangeCursor;
}

/** Reads changes from the event tables for live updates of the page. */
export interface ChangeStore {
  /** The next changes after the stored cursor, at most `limit` events each. */
  readChanges(limit: number): Promise<ChangeBatch | undefined>;
  /**
   * Moves the stored cursor from `batch.from` to `batch.next` if no one else
   * has; true when this caller did, and so publishes the batch.
   */
  claim(batch: ChangeBatch): Promise<boolean>;
}
