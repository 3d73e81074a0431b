// Ending a set of processes that may fork while it is being ended: SIGTERM
// first (sshd closes the connection cleanly), SIGKILL after a grace period,
// looking the set up again each round for what forked meanwhile. The agent
// passes the processes of one login (loginProcesses.mjs); tests pass a fake.
import { setTimeout as sleep } from 'node:timers/promises';

/** How long processes get to exit on SIGTERM before SIGKILL. */
export const GRACE_MS = 2000;
/** How long ending may take before it is reported failed. */
export const DEADLINE_MS = 10_000;

/**
 * Signals what `survivors()` returns until it returns nothing or the
 * deadline passes. `done` only when nothing is left; `failed` naming each
 * survivor (`pid (command)`) otherwise, or the error a signal raised.
 */
export async function endProcesses(
  survivors,
  signalEach,
  {
    graceMs = GRACE_MS,
    deadlineMs = DEADLINE_MS,
    now = Date.now,
    pause = sleep,
  } = {},
) {
  let processes = survivors();
  const startedAt = now();
  let signal = 'SIGTERM';
  try {
    while (processes.length > 0 && now() - startedAt < deadlineMs) {
      signalEach(processes, signal);
      await pause(20);
      if (now() - startedAt >= graceMs) signal = 'SIGKILL';
      processes = survivors();
    }
  } catch (error) {
    return { outcome: 'failed', message: `kill: ${error.message}` };
  }
  if (processes.length > 0) {
    return {
      outcome: 'failed',
      message: `still running after ${deadlineMs / 1000} s: ${processes
        .map(p => `${p.pid} (${p.command})`)
        .join(', ')}`,
    };
  }
  return { outcome: 'done' };
}
