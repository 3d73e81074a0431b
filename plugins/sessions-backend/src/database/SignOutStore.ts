/** What every plugin must refuse, read from the database. */
export interface SignOutList {
  /** Sign-in ids (`sid`) of portal sign-ins ended here. */
  endedSignIns: string[];
  /**
   * Proofs (see `tokenProof`) of the tokens of those sign-ins that have not
   * expired yet: limited tokens carry no `sid`, only the signature part
   * these name; and of tokens issued while their sign-in waited for its
   * code.
   */
  endedTokenProofs: string[];
  /**
   * Per user, tokens issued before this instant (epoch ms) are refused;
   * `Infinity` for locked (offboarded) people: all of their tokens.
   */
  notBefore: Map<string, number>;
}

/** A user token issued for a portal sign-in, as the auth plugin reports it. */
export interface TokenProof {
  /** The sign-in (`sid`) the token was issued for. */
  sid: string;
  /** The SHA-256 of the token's `uip` claim, base64url. */
  proof: string;
  /** Epoch ms: the token and its limited tokens stop working then. */
  expiresAt: number;
  /** Issued while its sign-in waited for its code: its limited tokens are refused. */
  awaitingCode?: boolean;
}

/** The portal sign-outs every backend plugin enforces. */
export interface SignOutStore {
  /**
   * Sign-ins ended and cutoffs set at or after `since`: older ones only
   * concern tokens that have expired anyway. Token proofs are those still
   * valid at `now`.
   */
  readSignOuts(since: number, now: number): Promise<SignOutList>;

  /** Records a token of a sign-in; recording it again changes nothing. */
  recordTokenProof(token: TokenProof): Promise<void>;
}
