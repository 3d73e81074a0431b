// node --test connectors/openssh/test: the agent's cut against fake
// processes and a fake clock (e2e/openssh.mjs cuts real ones).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endProcesses } from '../endProcesses.mjs';

/**
 * Fake processes on a fake clock. Each has `dies` — the signals it exits
 * on — and may `fork` one child the first time it gets SIGTERM.
 */
function fakeHost(processes) {
  let clock = 0;
  const alive = new Map(processes.map(p => [p.pid, p]));
  const sent = [];
  return {
    sent,
    survivors: () => [...alive.values()],
    signalEach: (found, signal) => {
      for (const p of found) {
        if (!alive.has(p.pid)) continue;
        sent.push(`${signal} ${p.pid}`);
        if (p.fork && signal === 'SIGTERM') {
          alive.set(p.fork.pid, p.fork);
          delete p.fork;
        }
        if (p.dies.includes(signal)) alive.delete(p.pid);
      }
    },
    options: {
      now: () => clock,
      pause: async ms => {
        clock += ms;
      },
    },
  };
}

test('processes that exit on SIGTERM are done without SIGKILL', async () => {
  const host = fakeHost([
    { pid: 10, command: 'sshd', dies: ['SIGTERM', 'SIGKILL'] },
    { pid: 11, command: 'bash', dies: ['SIGTERM', 'SIGKILL'] },
  ]);
  const result = await endProcesses(
    host.survivors,
    host.signalEach,
    host.options,
  );
  assert.deepEqual(result, { outcome: 'done' });
  assert.deepEqual(host.sent, ['SIGTERM 10', 'SIGTERM 11']);
});

test('a process ignoring SIGTERM gets SIGKILL after the grace period', async () => {
  const host = fakeHost([{ pid: 20, command: 'sleep', dies: ['SIGKILL'] }]);
  const result = await endProcesses(host.survivors, host.signalEach, {
    ...host.options,
    graceMs: 100,
  });
  assert.deepEqual(result, { outcome: 'done' });
  assert.equal(host.sent.at(-1), 'SIGKILL 20');
  assert.ok(host.sent.filter(s => s === 'SIGTERM 20').length >= 4);
});

test('a child forked during the cut is found and ended too', async () => {
  const host = fakeHost([
    {
      pid: 30,
      command: 'bash',
      dies: ['SIGKILL'],
      fork: { pid: 31, command: 'nohup', dies: ['SIGKILL'] },
    },
  ]);
  const result = await endProcesses(host.survivors, host.signalEach, {
    ...host.options,
    graceMs: 100,
  });
  assert.deepEqual(result, { outcome: 'done' });
  assert.ok(host.sent.includes('SIGKILL 31'));
  assert.deepEqual(host.survivors(), []);
});

test('what survives the deadline is reported failed, by pid and command', async () => {
  const host = fakeHost([
    { pid: 40, command: 'sshd', dies: ['SIGTERM'] },
    { pid: 41, command: 'stuck-in-io', dies: [] },
  ]);
  const result = await endProcesses(host.survivors, host.signalEach, {
    ...host.options,
    graceMs: 100,
    deadlineMs: 1000,
  });
  assert.deepEqual(result, {
    outcome: 'failed',
    message: 'still running after 1 s: 41 (stuck-in-io)',
  });
  assert.ok(host.sent.includes('SIGKILL 41'));
});

test('a signal that cannot be sent is reported failed with its error', async () => {
  const result = await endProcesses(
    () => [{ pid: 50, command: 'bash' }],
    () => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    },
    { now: () => 0, pause: async () => {} },
  );
  assert.deepEqual(result, { outcome: 'failed', message: 'kill: kill EPERM' });
});
