/** What the database remembers about a connector. Instants are epoch ms. */
export interface ConnectorRecord {
  id: string;
  lastPollAt: number | null;
  pushCursor: number | null;
  pushFailedAt: number | null;
  pushFailure: string | null;
  /** The service credential that last spoke for it, and when. */
  lastSubject: string | null;
  lastSubjectAt: number | null;
}

/** Orders of one source its connector has not acknowledged yet. */
export interface PendingOrders {
  count: number;
  oldestAt: number;
}

/**
 * The connector registry: when each connector last read its orders, how
 * far webhook pushes have got, and what waits for each.
 */
export interface ConnectorStore {
  recordPoll(id: string, at: number): Promise<void>;
  recordSubject(id: string, subject: string, at: number): Promise<void>;
  listConnectors(): Promise<ConnectorRecord[]>;
  pendingOrders(): Promise<Map<string, PendingOrders>>;
  /**
   * Where pushes to this connector's webhook stand; a connector pushed to
   * for the first time starts after the orders that exist now.
   */
  pushCursor(id: string): Promise<number>;
  /**
   * Moves the push cursor from `from` to `to` if no one else has; the
   * replica that wins pushes the orders in between, exactly one does.
   */
  claimPush(id: string, from: number, to: number): Promise<boolean>;
  recordPushFailure(id: string, at: number, message: string): Promise<void>;
}
