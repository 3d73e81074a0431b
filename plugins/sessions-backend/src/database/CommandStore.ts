import {
  CommandOutcome,
  ConnectorCommand,
} from '@internal/plugin-sessions-common';

/** Reading and acknowledging the orders connectors carry out. */
export interface CommandStore {
  /** Orders for one source with an id above `after`, oldest first. */
  listAfter(
    source: string,
    after: number,
    limit: number,
  ): Promise<ConnectorCommand[]>;
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
