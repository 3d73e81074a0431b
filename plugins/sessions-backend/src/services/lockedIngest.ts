import { UserLockStore } from '../database/UserLockStore';

/** Recorded as the actor when a lock cuts what slipped in. */
export const USER_LOCK_ACTOR = 'sessions:user-lock';

/**
 * Stores the new items of people who are not locked (offboarded), and cuts
 * at once any that slipped in while their user was being locked. Returns
 * how many were stored for good, the refused external ids, and the ids that
 * were already known, for the caller to classify.
 */
export async function insertUnlessLocked<
  T extends { externalId: string; userRef: string },
>(
  items: T[],
  options: {
    locks: UserLockStore;
    /** Stores the items; returns the external ids that were new. */
    insert: (items: T[]) => Promise<string[]>;
    /** Cuts these stored external ids, with orders for the connector. */
    cut: (externalIds: string[]) => Promise<void>;
  },
): Promise<{ inserted: number; refused: string[]; existing: string[] }> {
  const { locks } = options;
  const lockedBefore = await locks.lockedAmong(items.map(i => i.userRef));
  const refused = items
    .filter(item => lockedBefore.has(item.userRef))
    .map(item => item.externalId);
  const insertedIds = new Set(
    await options.insert(items.filter(i => !lockedBefore.has(i.userRef))),
  );
  const inserted = items.filter(item => insertedIds.has(item.externalId));
  const lockedNow = await locks.lockedAmong(inserted.map(i => i.userRef));
  const slipped = inserted
    .filter(item => lockedNow.has(item.userRef))
    .map(item => item.externalId);
  if (slipped.length) await options.cut(slipped);
  return {
    inserted: inserted.length - slipped.length,
    refused: [...refused, ...slipped],
    existing: items
      .map(item => item.externalId)
      .filter(id => !insertedIds.has(id) && !refused.includes(id)),
  };
}
