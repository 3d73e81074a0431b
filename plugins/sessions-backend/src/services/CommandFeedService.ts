import {
  CommandAckBatch,
  CommandFeedPage,
  CommandFeedQuery,
} from '@active-sessions/plugin-sessions-common';
import { CommandStore } from '../database/CommandStore';
import { ConnectorStore } from '../database/ConnectorStore';
import { OrderBell } from './OrderBell';

/**
 * How often a waiting read looks for new orders. Orders may be written by
 * any replica, so the database, not this process, is the source of truth.
 */
const POLL_INTERVAL_MS = 250;

/**
 * The order feed connectors follow: read the orders for your source after a
 * cursor (waiting a while when there are none), then acknowledge each one.
 */
export class CommandFeedService {
  constructor(
    private readonly store: CommandStore,
    private readonly connectors: ConnectorStore,
    /** Rung when this process writes an order: waiting reads look at once. */
    private readonly bell: OrderBell = new OrderBell(),
    private readonly now: () => number = Date.now,
    private readonly pollIntervalMs: number = POLL_INTERVAL_MS,
  ) {}

  /**
   * Reading twice after the same cursor returns the same orders: nothing is
   * consumed by reading, only by acknowledging.
   */
  async read(
    query: CommandFeedQuery,
    signal?: AbortSignal,
  ): Promise<CommandFeedPage> {
    // Reading the feed is how a connector shows it is alive.
    await this.connectors.recordPoll(query.source, this.now());
    const deadline = this.now() + query.wait * 1000;
    for (;;) {
      const mark = this.bell.mark();
      const commands = await this.store.listAfter(
        query.source,
        query.after,
        query.limit,
      );
      if (commands.length > 0 || this.now() >= deadline || signal?.aborted) {
        return {
          commands: commands.map(({ seq, ...command }) => command),
          // The cursor follows commit order (seq), not ids.
          cursor: commands.length
            ? commands[commands.length - 1].seq
            : query.after,
        };
      }
      await this.bell.wait(mark, this.pollIntervalMs, signal);
    }
  }

  async acknowledge(
    batch: CommandAckBatch,
  ): Promise<{ acknowledged: number[] }> {
    const acknowledged = await this.store.acknowledge(
      batch.source,
      batch.acks,
      this.now(),
    );
    return { acknowledged };
  }
}
