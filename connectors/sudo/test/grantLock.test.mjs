// node --test connectors/sudo/test: a grant's lock — one holder at a time,
// a dead holder's lock taken over, a live one waited for, then given up.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withGrantLock } from '../grantLock.mjs';
import { ensureStateDir } from '../grants.mjs';

const state = mkdtempSync(join(tmpdir(), 'active-sessions-sudo-lock-'));
after(() => rmSync(state, { recursive: true, force: true }));
ensureStateDir(state);
const ID = 'sudo-0123456789abcdef';
const lockFile = join(state, 'grants', `${ID}.lock`);

test('one holder at a time; released after, also on a throw', async () => {
  const order = [];
  const first = withGrantLock(state, ID, async () => {
    order.push('first in');
    await sleep(30);
    order.push('first out');
  });
  const second = withGrantLock(state, ID, () => order.push('second'));
  await Promise.all([first, second]);
  assert.deepEqual(order, ['first in', 'first out', 'second']);
  assert.equal(existsSync(lockFile), false);
  await assert.rejects(
    withGrantLock(state, ID, () => {
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(existsSync(lockFile), false);
});

test("a dead holder's lock is taken over; a live one's is waited for, then given up", async () => {
  // A pid that was running and is no more.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  writeFileSync(lockFile, `${dead} abc\n`);
  assert.equal(await withGrantLock(state, ID, () => 'taken'), 'taken');
  writeFileSync(lockFile, `${process.ppid} abc\n`);
  await assert.rejects(
    withGrantLock(state, ID, () => 'never', { waitMs: 50 }),
    new RegExp(`grant ${ID} is locked by process ${process.ppid}`),
  );
  rmSync(lockFile);
});
