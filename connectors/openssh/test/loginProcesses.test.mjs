// node --test connectors/openssh/test: which processes make up a login,
// from a fake process table (e2e/openssh.mjs reads the real /proc).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  loginOf,
  loginProcesses,
  parseExternalId,
  parseSpool,
} from '../loginProcesses.mjs';

const entry = (pid, ppid, auditSession, command, startTicks = `${pid}00`) => ({
  pid,
  ppid,
  auditSession,
  command,
  startTicks,
});

/**
 * The listener sshd (100) accepted a login: its per-connection sshd 200
 * (audit session 7) forked the privilege-separated 201 and the shell 202; a
 * `nohup sleep` (203) was orphaned to init. Another login has session 8.
 */
const table = new Map(
  [
    entry(1, 0, undefined, 'init'),
    entry(100, 1, undefined, 'sshd'),
    entry(200, 100, '7', 'sshd'),
    entry(201, 200, '7', 'sshd'),
    entry(202, 201, '7', 'bash'),
    entry(203, 1, '7', 'sleep'),
    entry(300, 100, '8', 'sshd'),
    entry(301, 300, '8', 'bash'),
  ].map(e => [e.pid, e]),
);
const pids = list => list.map(p => p.pid).sort((a, b) => a - b);

test('a login is every process with its audit session, orphans included', () => {
  const login = loginOf(parseExternalId('sshd-200-20000'), {
    auditSession: '7',
    listener: '100-10000',
  });
  assert.deepEqual(pids(loginProcesses(table, login)), [200, 201, 202, 203]);
});

test('without an audit session a login is the tree under its sshd', () => {
  const login = loginOf(parseExternalId('sshd-200-20000'), {});
  assert.deepEqual(pids(loginProcesses(table, login)), [200, 201, 202]);
});

test('a reused pid does not make another process part of the login', () => {
  // The spool names sshd 200 started at other ticks: that sshd is gone.
  const login = loginOf(parseExternalId('sshd-200-99'), {});
  assert.deepEqual(loginProcesses(table, login), []);
});

test('the listener sshd and init are never part of a login', () => {
  // A listener started from inside a login carries that login's session.
  const inside = new Map(table);
  inside.set(100, { ...inside.get(100), auditSession: '7' });
  inside.set(1, { ...inside.get(1), auditSession: '7' });
  const login = loginOf(parseExternalId('sshd-200-20000'), {
    auditSession: '7',
    listener: '100-10000',
  });
  assert.deepEqual(pids(loginProcesses(inside, login)), [200, 201, 202, 203]);
});

test('a spool audit session that is not a number is ignored', () => {
  const login = loginOf(parseExternalId('sshd-200-20000'), {
    auditSession: '7 or 8',
  });
  assert.equal(login.auditSession, undefined);
  assert.deepEqual(pids(loginProcesses(table, login)), [200, 201, 202]);
});

test('spool files and session ids parse as the hook writes them', () => {
  assert.deepEqual(parseSpool('externalId=sshd-5-6\nuser=a=b\n'), {
    externalId: 'sshd-5-6',
    user: 'a=b',
  });
  assert.equal(parseExternalId('sshd-5-6; rm -rf /'), undefined);
  assert.deepEqual(parseExternalId('sshd-5-6'), { pid: 5, startTicks: '6' });
});
