/** A user's TOTP enrolment. Instants are epoch ms. */
export interface MfaEnrolment {
  userRef: string;
  secretCiphertext: string;
  status: 'pending' | 'active';
  createdAt: number;
  activatedAt: number | null;
  lastTimeStep: number | null;
  lockedUntil: number | null;
}

/**
 * Persistence of second-factor enrolments, recovery codes and failures.
 * The replay guard and the lockout are conditional statements here, so
 * they hold when several replicas verify codes for one user at once.
 */
export interface MfaStore {
  getEnrolment(userRef: string): Promise<MfaEnrolment | undefined>;
  /** Starts (or restarts) an enrolment; refused when one is active. */
  savePendingEnrolment(
    userRef: string,
    secretCiphertext: string,
    at: number,
  ): Promise<boolean>;
  /**
   * Activates a pending enrolment with its first accepted time step and
   * replaces the recovery codes, in one transaction.
   */
  activate(
    userRef: string,
    timeStep: number,
    recoveryCodeHashes: string[],
    at: number,
  ): Promise<boolean>;
  /**
   * Records an accepted time step unless this or a later one was accepted
   * before; false means the code was replayed.
   */
  acceptTimeStep(userRef: string, timeStep: number): Promise<boolean>;
  replaceSecret(userRef: string, secretCiphertext: string): Promise<void>;
  /** Unused recovery codes of the user, with their ids. */
  unusedRecoveryCodes(
    userRef: string,
  ): Promise<Array<{ id: number; hash: string }>>;
  /** Marks a recovery code used unless it already was; false if it was. */
  useRecoveryCode(id: number, at: number): Promise<boolean>;
  recordFailure(userRef: string, at: number): Promise<void>;
  countFailures(userRef: string, since: number): Promise<number>;
  lock(userRef: string, until: number): Promise<void>;
  clearFailures(userRef: string): Promise<void>;
  /** Removes the enrolment and its recovery codes. */
  deleteEnrolment(userRef: string): Promise<void>;
}
