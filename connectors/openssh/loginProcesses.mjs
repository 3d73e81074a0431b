// The processes of one SSH login, read from /proc.
//
// pam_loginuid (in sshd's PAM session stack, before the Active Sessions
// hook) gives the sshd that opens a login a new audit session id; every
// process forked in that login inherits it and cannot change it: the
// privilege-separated `sshd: user@pts/0`, the shell, what runs in the
// background (`nohup … &`), and orphans whose parent was killed. That id
// names the whole login. Where the kernel has no audit session ids (or the
// PAM stack does not set one) the login is the process tree under its
// sshd, which loses processes once their parent is gone.
import { readFileSync, readdirSync } from 'node:fs';

/** `sshd-<pid>-<start ticks>` as the PAM hook builds it. */
export function parseExternalId(externalId) {
  const match = /^sshd-(\d+)-(\d+)$/.exec(externalId);
  return match ? { pid: Number(match[1]), startTicks: match[2] } : undefined;
}

/** The fields of a spool file the hook wrote (`key=value` lines). */
export function parseSpool(text) {
  return Object.fromEntries(
    text
      .split('\n')
      .filter(Boolean)
      .map(line => line.split(/=(.*)/s).slice(0, 2)),
  );
}

/** A login as the hook recorded it: its sshd, audit session and listener. */
export function loginOf(parsed, fields) {
  const auditSession = fields?.auditSession;
  return {
    sshdPid: parsed.pid,
    startTicks: parsed.startTicks,
    auditSession: /^\d+$/.test(auditSession ?? '') ? auditSession : undefined,
    listener: fields?.listener,
  };
}

/** What /proc/PID/sessionid reads when no login set one. */
const UNSET_SESSION = '4294967295';

/** Start time in clock ticks and parent of a live process, from its stat. */
function statOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return {
      state: fields[0],
      ppid: Number(fields[1]),
      startTicks: fields[19],
      command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(') ')),
    };
  } catch {
    return undefined;
  }
}

/** Whether a stat is of a process that exited and awaits reaping. */
const isZombie = stat => stat.state === 'Z' || stat.state === 'X';

/** The start time of a live process, or undefined when it is gone. */
export function startTicksOf(pid) {
  const stat = statOf(pid);
  return stat && !isZombie(stat) ? stat.startTicks : undefined;
}

/** The audit session id of a live process, or undefined when unset. */
export function auditSessionOf(pid) {
  try {
    const id = readFileSync(`/proc/${pid}/sessionid`, 'utf8').trim();
    return id && id !== UNSET_SESSION ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every live process: pid, parent, start time, command and audit session.
 * One pass over /proc, shared by every login looked up from it.
 */
export function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const stat = statOf(pid);
    // Gone while we looked, or exited and waiting for its parent to reap
    // it (a zombie holds no files, no connection, runs nothing).
    if (stat && !isZombie(stat))
      table.set(pid, { pid, ...stat, auditSession: auditSessionOf(pid) });
  }
  return table;
}

/** The processes under `root` (itself included), following parents. */
function treeUnder(table, root) {
  const found = [];
  for (const entry of table.values()) {
    for (let at = entry.pid; at > 1; at = table.get(at)?.ppid ?? 0) {
      if (at === root) {
        found.push(entry);
        break;
      }
    }
  }
  return found;
}

/** This process and its ancestors. */
function selfAndAncestors(table) {
  const pids = new Set();
  for (
    let at = process.pid;
    at > 0 && !pids.has(at);
    at = table.get(at)?.ppid ?? 0
  ) {
    pids.add(at);
  }
  return pids;
}

/**
 * The live processes of a login: those carrying its audit session id, and
 * the tree under its sshd while that is the same process. Never init, the
 * sshd that accepted the connection (`listener`, `<pid>-<start ticks>`:
 * started from inside a login, it would share the login's id), nor this
 * process and its ancestors.
 */
export function loginProcesses(table, login) {
  const byPid = new Map();
  if (login.auditSession) {
    for (const entry of table.values()) {
      if (entry.auditSession === login.auditSession)
        byPid.set(entry.pid, entry);
    }
  }
  if (table.get(login.sshdPid)?.startTicks === login.startTicks) {
    for (const entry of treeUnder(table, login.sshdPid)) {
      byPid.set(entry.pid, entry);
    }
  }
  for (const pid of selfAndAncestors(table)) byPid.delete(pid);
  byPid.delete(1);
  return [...byPid.values()].filter(
    entry => `${entry.pid}-${entry.startTicks}` !== login.listener,
  );
}
