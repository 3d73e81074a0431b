// One grant's lock, so that the grant command installing a grant and the
// agent revoking it take turns: a revoke arriving while the grant is being
// made is either seen by the grant command before the rule goes in, or
// finds the rule in place and removes it — never answered and then undone.
// A file beside the grant's record, created exclusively (O_EXCL), naming
// its holder; a lock whose holder died is taken over. Only file work is
// done under it, never a call to the portal or the ending of processes.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isGrantId } from './grants.mjs';

/** How long a holder may keep the lock before a waiter gives up. */
export const LOCK_WAIT_MS = 5000;

function lockPath(state, id) {
  if (!isGrantId(id)) throw new Error(`not a sudo grant id: ${id}`);
  return join(state, 'grants', `${id}.lock`);
}

const holderOf = path => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Runs `task` holding grant `id`'s lock in state directory `state`; throws
 * when another holder keeps it longer than `waitMs`.
 */
export async function withGrantLock(
  state,
  id,
  task,
  { waitMs = LOCK_WAIT_MS, pause = sleep } = {},
) {
  const path = lockPath(state, id);
  const token = `${process.pid} ${randomBytes(6).toString('hex')}\n`;
  const startedAt = Date.now();
  for (;;) {
    let fd;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = holderOf(path);
      if (holder === undefined) continue; // released meanwhile
      const pid = Number(holder.split(' ')[0]);
      const waited = Date.now() - startedAt > waitMs;
      // Its holder died holding it (a killed grant command), or before it
      // could write its name.
      if (
        (/^\d+ /.test(holder) && !isRunning(pid)) ||
        (holder === '' && waited)
      ) {
        rmSync(path, { force: true });
        continue;
      }
      if (waited)
        throw new Error(`grant ${id} is locked by process ${pid} (${path})`);
      await pause(5);
      continue;
    }
    try {
      writeSync(fd, token);
    } finally {
      closeSync(fd);
    }
    break;
  }
  try {
    return await task();
  } finally {
    // Unless it was taken over meanwhile.
    if (holderOf(path) === token) rmSync(path, { force: true });
  }
}
