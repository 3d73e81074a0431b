import { Knex } from 'knex';
import { ResourceType } from '@active-sessions/plugin-sessions-common';
import { chunks } from './sqlHelpers';
import { NewSession } from './SessionStore';

/** How many open sessions a person may hold, and what happens past it. */
export interface SessionLimits {
  /** Across all kinds of session; none: no global limit. */
  maxPerUser?: number;
  /** Per kind, counting only that kind; wins over `maxPerUser`. */
  perType: Partial<Record<ResourceType, number>>;
  /** `deny`: refuse the new session; `endOldest`: end the oldest one. */
  onExceed: 'deny' | 'endOldest';
}

const LOCKS = 'session_limit_locks';
const OPEN = ['active', 'idle'];

/** The limit a new session of this kind counts against, and its scope. */
function limitFor(limits: SessionLimits, type: ResourceType) {
  const perType = limits.perType[type];
  if (perType !== undefined) return { max: perType, scope: type };
  if (limits.maxPerUser !== undefined) {
    return { max: limits.maxPerUser, scope: '*' as const };
  }
  return undefined;
}

/**
 * Creates the lock rows of these users, each in its own statement outside
 * the caller's transaction: inserting inside it would take a shared lock
 * that two transactions then both try to upgrade (a deadlock on MySQL).
 */
export async function ensureLimitLocks(db: Knex, userRefs: string[]) {
  for (const chunk of chunks([...new Set(userRefs)].sort())) {
    await db(LOCKS)
      .insert(chunk.map(user_ref => ({ user_ref })))
      .onConflict('user_ref')
      .ignore();
  }
}

/**
 * Decides which new sessions fit their users' limits, inside the inserting
 * transaction: it locks each user's row (in entity-ref order, so two
 * batches never wait on each other in a circle), counts their open
 * sessions, and goes through the new ones in order. Sessions already known
 * (a repeated start) are not new and pass. Returns the sessions to insert,
 * the external ids refused (`deny`), and the ids of the oldest sessions to
 * end to make room (`endOldest`).
 */
export async function admitWithinLimits(
  trx: Knex.Transaction,
  sessions: NewSession[],
  limits: SessionLimits,
): Promise<{ admitted: NewSession[]; overLimit: string[]; toEnd: string[] }> {
  const limited = sessions.filter(s => limitFor(limits, s.resourceType));
  if (!limited.length) return { admitted: sessions, overLimit: [], toEnd: [] };
  const users = [...new Set(limited.map(s => s.userRef))].sort();
  // No-op on SQLite, where a writing transaction holds the database.
  await trx(LOCKS).whereIn('user_ref', users).orderBy('user_ref').forUpdate();

  const known = new Set<string>();
  for (const chunk of chunks(limited)) {
    const rows = await trx('sessions')
      .where('source', chunk[0].source)
      .whereIn(
        'external_id',
        chunk.map(s => s.externalId),
      )
      .pluck('external_id');
    rows.forEach(id => known.add(id));
  }

  // Open sessions per user, oldest first, to count and to end from.
  const open: Array<{ id: string; user_ref: string; resource_type: string }> =
    await trx('sessions')
      .whereIn('user_ref', users)
      .whereIn('status', OPEN)
      .orderBy('started_at')
      .orderBy('id')
      .select('id', 'user_ref', 'resource_type');

  const admitted: NewSession[] = [];
  const overLimit: string[] = [];
  const toEnd: string[] = [];
  const ending = new Set<string>();
  const added = new Map<string, number>();
  for (const session of sessions) {
    const limit = limitFor(limits, session.resourceType);
    if (!limit || known.has(session.externalId)) {
      admitted.push(session);
      continue;
    }
    const inScope = (row: { user_ref: string; resource_type: string }) =>
      row.user_ref === session.userRef &&
      (limit.scope === '*' || row.resource_type === limit.scope);
    const key = `${session.userRef}\n${limit.scope}`;
    const stillOpen = open.filter(row => inScope(row) && !ending.has(row.id));
    const count = stillOpen.length + (added.get(key) ?? 0);
    if (count < limit.max) {
      admitted.push(session);
      added.set(key, (added.get(key) ?? 0) + 1);
    } else if (limits.onExceed === 'endOldest' && stillOpen.length > 0) {
      ending.add(stillOpen[0].id);
      toEnd.push(stillOpen[0].id);
      admitted.push(session);
      added.set(key, (added.get(key) ?? 0) + 1);
    } else {
      overLimit.push(session.externalId);
    }
  }
  return { admitted, overLimit, toEnd };
}
