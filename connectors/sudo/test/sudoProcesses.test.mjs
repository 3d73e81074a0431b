// node --test connectors/sudo/test: which processes are a user's running
// sudo, and ending them, on a fake process table and clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endProcesses, sudoProcessesOf } from '../sudoProcesses.mjs';

const SUDO = '/usr/bin/sudo';
const jane = { name: 'jane', uid: 1001 };

function table(entries) {
  return new Map(
    entries.map(entry => [
      entry.pid,
      { startTicks: '1', command: 'x', ...entry },
    ]),
  );
}

const host = table([
  { pid: 1, ppid: 0, realUid: 0, executable: '/usr/lib/systemd/systemd' },
  { pid: 100, ppid: 1, realUid: 0, executable: '/usr/bin/node' }, // the agent
  { pid: 200, ppid: 1, realUid: 1001, executable: '/usr/bin/bash' }, // jane's shell
  { pid: 201, ppid: 200, realUid: 1001, executable: SUDO }, // sudo sleep 600
  { pid: 202, ppid: 201, realUid: 0, executable: '/usr/bin/sleep' },
  { pid: 210, ppid: 200, realUid: 1001, executable: SUDO }, // sudo -i
  { pid: 211, ppid: 210, realUid: 0, executable: '/usr/bin/bash' },
  { pid: 212, ppid: 211, realUid: 0, executable: '/usr/bin/vim' },
  { pid: 300, ppid: 1, realUid: 0, executable: '/usr/bin/sleep' }, // nohup from a sudo shell
  { pid: 400, ppid: 1, realUid: 1002, executable: SUDO }, // joe's sudo
  { pid: 401, ppid: 400, realUid: 0, executable: '/usr/bin/top' },
  { pid: 500, ppid: 1, realUid: 0, executable: '/usr/sbin/nginx' }, // started by joe through sudo
  { pid: 600, ppid: 1, realUid: 0, executable: '/usr/sbin/cron' },
]);
const environments = {
  100: { user: 'jane', uid: '1001' }, // the agent, started with sudo by jane
  202: { user: 'jane', uid: '1001' },
  211: { user: 'jane', uid: '1001' },
  212: { user: 'jane', uid: '1001' },
  300: { user: 'jane', uid: '1001' },
  401: { user: 'joe', uid: '1002' },
  500: { user: 'joe', uid: '1002' },
  600: { user: 'jane', uid: '1002' }, // not both jane's
};
const options = {
  sudoPaths: [SUDO],
  self: 100,
  environmentOf: pid => environments[pid] ?? {},
};

test("a user's sudo: their sudo processes, what runs under them, and orphans sudo started", () => {
  const found = sudoProcessesOf(host, jane, options).map(entry => entry.pid);
  assert.deepEqual(
    found.sort((a, b) => a - b),
    [201, 202, 210, 211, 212, 300],
  );
});

test("never another user's sudo, their shell, init, or the agent", () => {
  const found = sudoProcessesOf(host, jane, options).map(entry => entry.pid);
  for (const pid of [1, 100, 200, 400, 401, 500, 600])
    assert.ok(!found.includes(pid), String(pid));
  const joes = sudoProcessesOf(host, { name: 'joe', uid: 1002 }, options).map(
    e => e.pid,
  );
  assert.deepEqual(
    joes.sort((a, b) => a - b),
    [400, 401, 500],
  );
});

test('sudo under another path counts only when configured', () => {
  const moved = table([
    { pid: 1, ppid: 0, realUid: 0, executable: '/sbin/init' },
    { pid: 20, ppid: 1, realUid: 1001, executable: '/opt/sudo/bin/sudo' },
    { pid: 21, ppid: 20, realUid: 0, executable: '/usr/bin/sleep' },
  ]);
  const none = () => ({});
  assert.deepEqual(
    sudoProcessesOf(moved, jane, {
      sudoPaths: [SUDO],
      self: 999,
      environmentOf: none,
    }),
    [],
  );
  assert.deepEqual(
    sudoProcessesOf(moved, jane, {
      sudoPaths: [SUDO, '/opt/sudo/bin/sudo'],
      self: 999,
      environmentOf: none,
    }).map(e => e.pid),
    [20, 21],
  );
});

test("below a daemon started with sudo: what is root's, the user's or carries their sudo — not other people's sessions", () => {
  // `sudo service ssh restart` on a host without systemd: sshd runs on as
  // root with jane's sudo environment, and bob logs in through it.
  const daemon = table([
    { pid: 1, ppid: 0, realUid: 0, executable: '/sbin/init' },
    { pid: 50, ppid: 1, realUid: 0, executable: '/usr/sbin/sshd' },
    { pid: 51, ppid: 50, realUid: 33, executable: '/usr/sbin/helper' }, // a worker as www-data
    { pid: 52, ppid: 50, realUid: 0, executable: '/usr/sbin/sshd' }, // bob's connection
    { pid: 53, ppid: 52, realUid: 1002, executable: '/usr/bin/bash' }, // bob's shell
    { pid: 54, ppid: 53, realUid: 1002, executable: '/usr/bin/vim' },
    { pid: 55, ppid: 53, realUid: 1002, executable: SUDO }, // bob's own sudo
    { pid: 56, ppid: 55, realUid: 0, executable: '/usr/bin/top' },
    { pid: 57, ppid: 50, realUid: 1001, executable: '/usr/bin/bash' }, // jane's, no variables
    { pid: 58, ppid: 57, realUid: 0, executable: '/usr/bin/sleep' },
    { pid: 59, ppid: 51, realUid: 0, executable: '/usr/bin/sh' }, // under the worker
    { pid: 70, ppid: 1, realUid: 1003, executable: '/usr/bin/sleep' }, // jane's `sudo -u carol`
  ]);
  const environment = {
    50: { user: 'jane', uid: '1001' },
    52: { user: 'jane', uid: '1001' }, // inherited from the daemon
    56: { user: 'bob', uid: '1002' },
    70: { user: 'jane', uid: '1001' },
  };
  const found = sudoProcessesOf(daemon, jane, {
    sudoPaths: [SUDO],
    self: 999,
    environmentOf: pid => environment[pid] ?? {},
  }).map(entry => entry.pid);
  assert.deepEqual(
    found.sort((a, b) => a - b),
    [50, 52, 57, 58, 70],
  );
  // Bob's sudo is bob's.
  assert.deepEqual(
    sudoProcessesOf(
      daemon,
      { name: 'bob', uid: 1002 },
      {
        sudoPaths: [SUDO],
        self: 999,
        environmentOf: pid => environment[pid] ?? {},
      },
    )
      .map(entry => entry.pid)
      .sort((a, b) => a - b),
    [55, 56],
  );
});

test('never what runs under the agent', () => {
  const agentTree = table([
    { pid: 1, ppid: 0, realUid: 0, executable: '/sbin/init' },
    { pid: 100, ppid: 1, realUid: 0, executable: '/usr/bin/node' },
    { pid: 101, ppid: 100, realUid: 0, executable: '/usr/sbin/visudo' },
  ]);
  assert.deepEqual(
    sudoProcessesOf(agentTree, jane, {
      sudoPaths: [SUDO],
      self: 100,
      environmentOf: () => ({ user: 'jane', uid: '1001' }),
    }),
    [],
  );
});

function fakeProcesses(processes) {
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
        if (p.dies.includes(signal)) alive.delete(p.pid);
      }
    },
    options: { now: () => clock, pause: async ms => void (clock += ms) },
  };
}

test('sudo that passes SIGTERM on ends without SIGKILL', async () => {
  const host = fakeProcesses([
    { pid: 10, command: 'sudo', dies: ['SIGTERM', 'SIGKILL'] },
    { pid: 11, command: 'sleep', dies: ['SIGTERM', 'SIGKILL'] },
  ]);
  assert.deepEqual(
    await endProcesses(host.survivors, host.signalEach, host.options),
    { outcome: 'done' },
  );
  assert.deepEqual(host.sent, ['SIGTERM 10', 'SIGTERM 11']);
});

test('a command ignoring SIGTERM gets SIGKILL; what survives the deadline is named', async () => {
  const host = fakeProcesses([
    { pid: 20, command: 'bash', dies: ['SIGKILL'] },
    { pid: 21, command: 'stuck', dies: [] },
  ]);
  const result = await endProcesses(host.survivors, host.signalEach, {
    ...host.options,
    graceMs: 100,
    deadlineMs: 1000,
  });
  assert.deepEqual(result, {
    outcome: 'failed',
    message: 'still running after 1 s: 21 (stuck)',
    survivors: [{ pid: 21, startTicks: undefined, command: 'stuck' }],
  });
  assert.ok(host.sent.includes('SIGKILL 20'));
});
