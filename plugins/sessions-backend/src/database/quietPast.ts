import { Knex } from 'knex';
import { BoundsMs, PersonalTimeoutBounds } from '../config';

const SESSIONS = 'sessions';
const PERSONAL_TIMEOUTS = 'personal_timeouts';

/** The stages of a quiet session, each with its own time. */
export type QuietStage = 'idle' | 'warn' | 'disconnect';

/** The portal's times and, when people may choose their own, the ranges. */
export interface QuietLimits {
  idleAfterMs: number;
  warnAfterMs: number;
  disconnectAfterMs: number;
  personal?: PersonalTimeoutBounds;
}

interface SqlPart {
  sql: string;
  bindings: number[];
}

/** A chosen time, held inside the range the portal allows today. */
function clamped(column: string, { minMs, maxMs }: BoundsMs): SqlPart {
  return {
    sql: `CASE WHEN ${column} < ? THEN ? WHEN ${column} > ? THEN ? ELSE ${column} END`,
    bindings: [minMs, minMs, maxMs, maxMs],
  };
}

/**
 * A person's time for `stage` in SQL, from their row of personal
 * timeouts: what `effectiveTimeouts` computes, for the sweep's statements.
 */
function chosenMs(stage: QuietStage, limits: QuietLimits): SqlPart {
  const bounds = limits.personal!;
  const idle = clamped(
    `${PERSONAL_TIMEOUTS}.idle_after_ms`,
    bounds.idleAfterMs,
  );
  const disconnect = clamped(
    `${PERSONAL_TIMEOUTS}.disconnect_after_ms`,
    bounds.disconnectAfterMs,
  );
  if (stage === 'idle') return idle;
  if (stage === 'disconnect') return disconnect;
  // Warned as long before the disconnect as the portal warns, not before idle.
  const gap = limits.disconnectAfterMs - limits.warnAfterMs;
  return {
    sql: `CASE WHEN (${disconnect.sql}) - ? > (${idle.sql}) THEN (${disconnect.sql}) - ? ELSE (${idle.sql}) END`,
    bindings: [
      ...disconnect.bindings,
      gap,
      ...idle.bindings,
      ...disconnect.bindings,
      gap,
      ...idle.bindings,
    ],
  };
}

/** Nobody's time for `stage` is shorter than this. */
function shortestMs(stage: QuietStage, limits: QuietLimits): number {
  const bounds = limits.personal!;
  if (stage === 'idle') return bounds.idleAfterMs.minMs;
  if (stage === 'disconnect') return bounds.disconnectAfterMs.minMs;
  const gap = limits.disconnectAfterMs - limits.warnAfterMs;
  return Math.min(
    limits.warnAfterMs,
    Math.max(bounds.idleAfterMs.minMs, bounds.disconnectAfterMs.minMs - gap),
  );
}

const PORTAL_MS = {
  idle: 'idleAfterMs',
  warn: 'warnAfterMs',
  disconnect: 'disconnectAfterMs',
} as const;

/**
 * Narrows a query of sessions to those quiet past `stage` at `at`: past
 * the portal's time, or past their person's own where they chose one.
 * One statement for everyone: a range on last activity that no one's time
 * is shorter than, then each person's row of personal timeouts.
 */
export function quietPast(
  query: Knex.QueryBuilder,
  stage: QuietStage,
  at: number,
  limits: QuietLimits,
): Knex.QueryBuilder {
  const portalBefore = at - limits[PORTAL_MS[stage]];
  if (!limits.personal) {
    return query.where(`${SESSIONS}.last_activity_at`, '<', portalBefore);
  }
  const chosen = chosenMs(stage, limits);
  const ownRow = (sub: Knex.QueryBuilder) =>
    sub
      .select(`${PERSONAL_TIMEOUTS}.user_ref`)
      .from(PERSONAL_TIMEOUTS)
      .whereRaw(`${PERSONAL_TIMEOUTS}.user_ref = ${SESSIONS}.user_ref`);
  return query
    .where(`${SESSIONS}.last_activity_at`, '<', at - shortestMs(stage, limits))
    .where(either =>
      either
        .where(portal =>
          portal
            .where(`${SESSIONS}.last_activity_at`, '<', portalBefore)
            .whereNotExists(function noChoice(this: Knex.QueryBuilder) {
              ownRow(this);
            }),
        )
        .orWhereExists(function quietPastOwn(this: Knex.QueryBuilder) {
          ownRow(this).whereRaw(
            `${SESSIONS}.last_activity_at < ? - (${chosen.sql})`,
            [at, ...chosen.bindings],
          );
        }),
    );
}
