/** A person whose new sessions and grants are refused. */
export interface UserLock {
  userRef: string;
  lockedAt: string;
  lockedBy: string;
  reason: 'offboarding';
}

/** Persistence of user locks. */
export interface UserLockStore {
  /** Locks the user; false when a lock already stood. */
  lock(userRef: string, lockedBy: string, at: number): Promise<boolean>;
  /** Lifts the lock; false when there was none. */
  unlock(userRef: string): Promise<boolean>;
  /** Which of these users are locked. */
  lockedAmong(userRefs: string[]): Promise<Set<string>>;
  listLocks(): Promise<UserLock[]>;
}
