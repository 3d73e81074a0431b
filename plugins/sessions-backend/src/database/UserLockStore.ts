import { UserLock } from '@active-sessions/plugin-sessions-common';

export type { UserLock };

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
