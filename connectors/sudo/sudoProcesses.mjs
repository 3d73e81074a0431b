// A user's running sudo, read from /proc, and how to end it.
//
// What `sudo <command>` leaves running: the sudo process itself (the
// set-uid program, still with the user's real uid) and the command under
// it, as root or whoever it runs as, with whatever that started. A command
// whose sudo parent is gone (killed, or a `nohup … &` from a root shell)
// still carries the environment sudo gave it: SUDO_USER and SUDO_UID name
// the user who ran sudo.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long processes get to exit on SIGTERM before SIGKILL. */
export const GRACE_MS = 2000;
/** How long ending may take before it is reported failed. */
export const DEADLINE_MS = 10_000;

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

const isZombie = stat => stat.state === 'Z' || stat.state === 'X';

/** The start time of a live process, or undefined when it is gone. */
export function startTicksOf(pid) {
  const stat = statOf(pid);
  return stat && !isZombie(stat) ? stat.startTicks : undefined;
}

function realUidOf(pid) {
  try {
    const match = /^Uid:\s+(\d+)/m.exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function executableOf(pid) {
  try {
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
}

/** SUDO_USER and SUDO_UID from a process's environment, as it started. */
export function sudoEnvironmentOf(pid) {
  try {
    const found = {};
    for (const entry of readFileSync(`/proc/${pid}/environ`, 'latin1').split(
      '\0',
    )) {
      if (entry.startsWith('SUDO_USER=')) found.user = entry.slice(10);
      else if (entry.startsWith('SUDO_UID=')) found.uid = entry.slice(9);
    }
    return found;
  } catch {
    return {};
  }
}

/** Every live process: pid, parent, start time, command, real uid, program. */
export function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const stat = statOf(pid);
    if (stat && !isZombie(stat))
      table.set(pid, {
        pid,
        ...stat,
        realUid: realUidOf(pid),
        executable: executableOf(pid),
      });
  }
  return table;
}

/** `pid` and its ancestors in `table`. */
function selfAndAncestors(table, pid) {
  const pids = new Set();
  for (let at = pid; at > 0 && !pids.has(at); at = table.get(at)?.ppid ?? 0)
    pids.add(at);
  return pids;
}

/**
 * The running sudo of a user (`{ name, uid }`): the sudo processes they
 * started (program `sudoPaths`, real uid theirs) and everything under them
 * (their commands, a root shell and what it runs); and the processes
 * carrying the environment sudo gave their commands (SUDO_USER and
 * SUDO_UID both theirs) with what is below them that is theirs too — that
 * carries it as well, or runs as root or as the user. Below a daemon
 * started through sudo runs other people's work (a login through an sshd
 * the user restarted: its session runs as that person, with an environment
 * of its own): that, and whatever is under it, is left alone. Never init,
 * nor `self` (the agent) and its ancestors, nor what is under them.
 * `environmentOf` reads /proc unless a test passes one.
 */
export function sudoProcessesOf(
  table,
  user,
  { sudoPaths, self = process.pid, environmentOf = sudoEnvironmentOf },
) {
  const children = new Map();
  for (const entry of table.values()) {
    if (!children.has(entry.ppid)) children.set(entry.ppid, []);
    children.get(entry.ppid).push(entry);
  }
  const spared = selfAndAncestors(table, self);
  for (const below = [...(children.get(self) ?? [])]; below.length > 0;) {
    const entry = below.pop();
    if (spared.has(entry.pid)) continue;
    spared.add(entry.pid);
    below.push(...(children.get(entry.pid) ?? []));
  }
  const carries = entry => {
    const environment = environmentOf(entry.pid);
    return (
      environment.user === user.name && environment.uid === String(user.uid)
    );
  };
  const found = new Map();
  /** `root` and what is below it that `admits`, through admitted ones only. */
  const take = (root, admits) => {
    const stack = [root];
    while (stack.length > 0) {
      const entry = stack.pop();
      if (found.has(entry.pid) || entry.pid <= 1 || spared.has(entry.pid))
        continue;
      found.set(entry.pid, entry);
      for (const child of children.get(entry.pid) ?? [])
        if (admits(child)) stack.push(child);
    }
  };
  for (const entry of table.values())
    if (sudoPaths.includes(entry.executable) && entry.realUid === user.uid)
      take(entry, () => true);
  for (const entry of table.values())
    if (!found.has(entry.pid) && carries(entry))
      take(
        entry,
        child =>
          child.realUid === 0 || child.realUid === user.uid || carries(child),
      );
  return [...found.values()];
}

/** Sends `signal` to each process still the one that was found. */
export function signalEach(processes, signal) {
  for (const { pid, startTicks } of processes) {
    if (startTicksOf(pid) !== startTicks) continue;
    try {
      process.kill(pid, signal);
    } catch (error) {
      if (error.code !== 'ESRCH') throw error;
    }
  }
}

/**
 * Signals what `survivors()` returns until it returns nothing or the
 * deadline passes: SIGTERM first (sudo passes it on to its command),
 * SIGKILL after the grace period, looking again each round for what forked
 * meanwhile. `done` only when nothing is left; `failed` naming each
 * survivor (`pid (command)`, and as `survivors`) otherwise, or the error a
 * signal raised.
 */
export async function endProcesses(
  survivors,
  signal = signalEach,
  {
    graceMs = GRACE_MS,
    deadlineMs = DEADLINE_MS,
    now = Date.now,
    pause = sleep,
  } = {},
) {
  let processes = survivors();
  const startedAt = now();
  let name = 'SIGTERM';
  try {
    while (processes.length > 0 && now() - startedAt < deadlineMs) {
      signal(processes, name);
      await pause(20);
      if (now() - startedAt >= graceMs) name = 'SIGKILL';
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
      survivors: processes.map(({ pid, startTicks, command }) => ({
        pid,
        startTicks,
        command,
      })),
    };
  }
  return { outcome: 'done' };
}
