/** A portal sign-in as the second factor at sign-in sees it. */
export interface SignInForChallenge {
  userRef: string;
  /** Whether it is still open (active or idle). */
  open: boolean;
  /** Waiting for its code until then (epoch ms); null: not waiting. */
  codeDueAt: number | null;
  deviceProof: string | null;
}

/** Portal sign-ins waiting for their code, and browsers that passed. */
export interface SignInChallengeStore {
  /** The portal sign-in with this id, if there is one. */
  find(sid: string): Promise<SignInForChallenge | undefined>;
  /**
   * Makes an open sign-in wait for its code until `dueAt`, remembering
   * the browser it came from. False when it is not open.
   */
  challenge(sid: string, dueAt: number, deviceProof?: string): Promise<boolean>;
  /** Whether this browser passed the code for this person and still counts. */
  isTrusted(userRef: string, deviceProof: string, at: number): Promise<boolean>;
  /**
   * The sign-in gave its code: it no longer waits, and its browser (if
   * known) needs no code until `trustedUntil`. False when it was not
   * waiting (already passed, or ended).
   */
  pass(sid: string, trustedUntil: number): Promise<boolean>;
}
