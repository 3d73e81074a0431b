import {
  CommandOutcome,
  ConnectorCommand,
} from '@active-sessions/plugin-sessions-common';

/** An order with its place in the feed: cursors are seqs, not ids. */
export interface FeedCommand extends ConnectorCommand {
  seq: number;
}

/** Reading and acknowledging the orders connectors carry out. */
export interface CommandStore {
  /**
   * Orders for one source after the cursor `after`, in commit order. An
   * order committed late comes after every cursor handed out before.
   */
  listAfter(
    source: string,
    after: number,
    limit: number,
  ): Promise<FeedCommand[]>;
  /**
   * Records outcomes of orders of this source not yet acknowledged; returns
   * the ids it recorded. An order is acknowledged once.
   */
  acknowledge(
    source: string,
    acks: Array<{ id: number; outcome: CommandOutcome; message?: string }>,
    at: number,
  ): Promise<number[]>;
}
