import { BoundsMs } from '../config';
import { QuietLimits } from '../database/quietPast';
import { ChosenTimeouts } from '../database/PersonalTimeoutStore';

/** When one person's quiet sessions idle, are warned and disconnected. */
export interface Timeouts {
  idleAfterMs: number;
  warnAfterMs: number;
  disconnectAfterMs: number;
}

const clamp = (value: number, { minMs, maxMs }: BoundsMs) =>
  Math.min(Math.max(value, minMs), maxMs);

/**
 * A person's times: the portal's, or those they chose held inside today's
 * ranges (an admin may have narrowed them since), warned as long before
 * the disconnect as the portal warns. The sweep's SQL (`quietPast`)
 * computes the same.
 */
export function effectiveTimeouts(
  limits: QuietLimits,
  chosen: ChosenTimeouts | undefined,
): Timeouts {
  if (!limits.personal || !chosen) {
    return {
      idleAfterMs: limits.idleAfterMs,
      warnAfterMs: limits.warnAfterMs,
      disconnectAfterMs: limits.disconnectAfterMs,
    };
  }
  const idleAfterMs = clamp(chosen.idleAfterMs, limits.personal.idleAfterMs);
  const disconnectAfterMs = clamp(
    chosen.disconnectAfterMs,
    limits.personal.disconnectAfterMs,
  );
  const gap = limits.disconnectAfterMs - limits.warnAfterMs;
  return {
    idleAfterMs,
    warnAfterMs: Math.max(idleAfterMs, disconnectAfterMs - gap),
    disconnectAfterMs,
  };
}
