import { LoggerService } from '@backstage/backend-plugin-api';
import { RetentionStore } from '../database/RetentionStore';

const BATCH_SIZE = 1000;

/**
 * The scheduled deletion of history older than `sessions.retention`, and of
 * the records of expired portal tokens.
 */
export class HistoryRetention {
  constructor(
    private readonly options: {
      store: RetentionStore;
      retentionMs: number;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  async run() {
    const now = (this.options.now ?? Date.now)();
    const started = Date.now();
    // Records of expired tokens are useless at once, whatever the retention.
    const tokenProofs = await this.options.store.deleteExpiredTokenProofs(
      now,
      BATCH_SIZE,
    );
    await this.options.store.deleteExpiredTrustedDevices(now, BATCH_SIZE);
    const deleted = await this.options.store.deleteHistoryBefore(
      now - this.options.retentionMs,
      BATCH_SIZE,
    );
    if (deleted.sessions || deleted.grants || deleted.orders) {
      this.options.logger.info(
        `Retention deleted ${deleted.sessions} sessions, ${deleted.grants} grants and ${deleted.orders} orders of history in ${Date.now() - started} ms`,
      );
    }
    return { ...deleted, tokenProofs };
  }
}
