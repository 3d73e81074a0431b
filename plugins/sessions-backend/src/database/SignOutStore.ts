/** What every plugin must refuse, read from the database. */
export interface SignOutList {
  /** Sign-in ids (`sid`) of portal sign-ins ended here. */
  endedSignIns: string[];
  /**
   * Per user, tokens issued before this instant (epoch ms) are refused;
   * `Infinity` for locked (offboarded) people: all of their tokens.
   */
  notBefore: Map<string, number>;
}

/** Reads the portal sign-outs every backend plugin enforces. */
export interface SignOutStore {
  /**
   * Sign-ins ended and cutoffs set at or after `since`: older ones only
   * concern tokens that have expired anyway.
   */
  readSignOuts(since: number): Promise<SignOutList>;
}
