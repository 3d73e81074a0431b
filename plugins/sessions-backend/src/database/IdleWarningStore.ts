import { ResourceType } from '@active-sessions/plugin-sessions-common';

/** A session an idle warning is about, as it is now. */
export interface WarnedSession {
  id: string;
  resourceName: string;
  resourceType: ResourceType;
  /** Epoch ms. */
  lastActivityAt: number;
}

/** The warnings one sweep owes one person. */
export interface DueIdleWarning {
  userRef: string;
  /** The sweep's time, epoch ms. */
  warnedAt: number;
  /** The rows to delete once sent. */
  rowIds: number[];
  /**
   * Those of the sessions still idle in the stretch they were warned of;
   * empty when every one was used again or ended since.
   */
  sessions: WarnedSession[];
}

/** The idle warnings the sweep decided on and that are not sent yet. */
export interface IdleWarningStore {
  /**
   * The warnings of the people owed the first `limit` due rows after row
   * `afterId`, each with all of that person's rows for that sweep; and the
   * last row id read, to go on from.
   */
  readDue(
    afterId: number,
    limit: number,
  ): Promise<{ warnings: DueIdleWarning[]; lastId: number }>;
  /** Sent, or moot: gone. */
  remove(rowIds: number[]): Promise<void>;
}
