/** The idle and disconnect times one person chose, in milliseconds. */
export interface ChosenTimeouts {
  idleAfterMs: number;
  disconnectAfterMs: number;
}

/** Persistence of the times people chose for their own sessions. */
export interface PersonalTimeoutStore {
  /** What this person chose; undefined: nothing. */
  get(userRef: string): Promise<ChosenTimeouts | undefined>;
  /** What those of these people who chose, chose. */
  getMany(userRefs: string[]): Promise<Map<string, ChosenTimeouts>>;
  set(userRef: string, chosen: ChosenTimeouts, at: number): Promise<void>;
  /** Back to the portal's times; false when they had chosen none. */
  clear(userRef: string): Promise<boolean>;
}
