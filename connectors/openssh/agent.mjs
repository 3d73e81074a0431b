#!/usr/bin/env node
// Active Sessions agent for OpenSSH hosts.
//
// Follows this host's order feed in the portal (long-poll), cuts the sshd
// session an order names if the PAM hook recorded it here, and acknowledges
// it with what happened. Every minute it also reports activity of the
// sessions the PAM hook recorded (the last input on their terminal, as `w`
// shows it) and the end of those whose sshd is gone without a close.
//
// Node.js 18 or later, no packages. Configuration: the same environment
// file as the PAM hook (first argument, default
// /etc/active-sessions/openssh.env), overridden by the environment.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const config = loadConfig(
  process.argv[2] ?? '/etc/active-sessions/openssh.env',
);
const URL_BASE = required('ACTIVE_SESSIONS_URL');
const TOKEN = required('ACTIVE_SESSIONS_TOKEN');
const SOURCE =
  config.ACTIVE_SESSIONS_SOURCE ??
  `openssh-${hostname()
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63);
const SPOOL = config.ACTIVE_SESSIONS_SPOOL ?? '/run/active-sessions/openssh';
const STATE =
  config.ACTIVE_SESSIONS_STATE ?? '/var/lib/active-sessions/openssh-cursor';
const WAIT_SECONDS = Number(config.ACTIVE_SESSIONS_WAIT ?? 25);
const ACTIVITY_EVERY_MS = Number(config.ACTIVE_SESSIONS_ACTIVITY_MS ?? 60_000);
/** How long an sshd gets to exit on SIGTERM before SIGKILL. */
const GRACE_MS = 2000;
/**
 * The programs a session's process may run: sshd, or sshd-session where
 * OpenSSH 9.8 and later run each session; ACTIVE_SESSIONS_SSHD adds a path.
 */
const SSHD_NAMES = ['sshd', 'sshd-session'];
const SSHD_PATH = config.ACTIVE_SESSIONS_SSHD;

function loadConfig(path) {
  const values = {};
  if (existsSync(path)) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const match = /^\s*(?:export\s+)?([A-Z_]+)=(.*)$/.exec(line);
      if (match)
        values[match[1]] = match[2].trim().replace(/^(['"])(.*)\1$/, '$2');
    }
  }
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('ACTIVE_SESSIONS_')) values[key] = value;
  }
  return values;
}

function required(key) {
  const value = config[key];
  if (!value) throw new Error(`${key} is not set`);
  return value;
}

const log = message => console.log(`[active-sessions-openssh] ${message}`);

async function api(path, init = {}) {
  const response = await fetch(`${URL_BASE}${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      'Content-Type': 'application/json',
      ...init.headers,
    },
  });
  if (!response.ok) {
    throw new Error(
      `${path} answered ${response.status}: ${await response.text()}`,
    );
  }
  return response.json();
}

function readCursor() {
  try {
    return Number(readFileSync(STATE, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

function saveCursor(cursor) {
  mkdirSync(dirname(STATE), { recursive: true });
  writeFileSync(STATE, String(cursor));
}

/** `sshd-<pid>-<start ticks>` as the PAM hook builds it. */
function parseExternalId(externalId) {
  const match = /^sshd-(\d+)-(\d+)$/.exec(externalId);
  return match ? { pid: Number(match[1]), startTicks: match[2] } : undefined;
}

/** The start time of a live process, or undefined when it is gone. */
function startTicksOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const isSameProcess = (pid, startTicks) => startTicksOf(pid) === startTicks;

/**
 * Whether the PAM hook recorded this session here: its spool file names
 * exactly this id. Only root writes the spool, so a file of anyone else (or
 * a link) does not count.
 */
function isReportedHere(externalId, pid) {
  const file = join(SPOOL, String(pid));
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.uid !== process.getuid()) return false;
    return readFileSync(file, 'utf8')
      .split('\n')
      .includes(`externalId=${externalId}`);
  } catch {
    return false;
  }
}

/** The program a live process runs, or undefined when it cannot be read. */
function executableOf(pid) {
  try {
    // An sshd upgraded under a running session reads "… (deleted)".
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
}

const isSshd = path =>
  path !== undefined &&
  (SSHD_NAMES.includes(basename(path)) || path === SSHD_PATH);

/**
 * Ends the sshd process that owns a session; says how it went. It cuts only
 * a session this agent reports (its hook's spool file) whose process is
 * still that same sshd: an order is never trusted to name a process, since
 * anyone allowed to report for this source could have written it.
 */
async function cutSession(externalId) {
  const parsed = parseExternalId(externalId);
  if (!parsed)
    return {
      outcome: 'failed',
      message: `not an OpenSSH session id: ${externalId}`,
    };
  const { pid, startTicks } = parsed;
  // Nothing by that id here any more: a repeated order after a cut, or a
  // session already gone, whoever reported it.
  if (!isSameProcess(pid, startTicks)) return { outcome: 'not_found' };
  if (!isReportedHere(externalId, pid))
    return {
      outcome: 'failed',
      message: `not a session this agent reported: ${externalId}`,
    };
  const executable = executableOf(pid);
  if (!isSshd(executable))
    return {
      outcome: 'failed',
      message: `process ${pid} is not sshd (${executable ?? 'unreadable'}): ${externalId}`,
    };
  // Again: what was read above was this process, not one that took its PID.
  if (!isSameProcess(pid, startTicks)) return { outcome: 'not_found' };
  try {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + GRACE_MS;
    while (isSameProcess(pid, startTicks) && Date.now() < deadline)
      await sleep(20);
    if (isSameProcess(pid, startTicks)) process.kill(pid, 'SIGKILL');
    while (isSameProcess(pid, startTicks)) await sleep(20);
  } catch (error) {
    if (error.code === 'ESRCH') return { outcome: 'not_found' };
    return { outcome: 'failed', message: `kill ${pid}: ${error.message}` };
  }
  rmSync(join(SPOOL, String(pid)), { force: true });
  return { outcome: 'done' };
}

async function carryOut(command) {
  if (command.action !== 'end_session') {
    return {
      outcome: 'failed',
      message: `this connector cannot ${command.action}`,
    };
  }
  return cutSession(command.externalId);
}

/** Reads orders after the cursor (waiting for them), cuts, acknowledges. */
async function followOrders() {
  let cursor = readCursor();
  log(`following orders for ${SOURCE} after ${cursor}`);
  for (;;) {
    try {
      const page = await api(
        `/connector/commands?source=${SOURCE}&after=${cursor}&wait=${WAIT_SECONDS}`,
      );
      if (page.commands.length > 0) {
        const acks = [];
        for (const command of page.commands) {
          const result = await carryOut(command);
          log(
            `order ${command.id}: ${command.action} ${command.externalId} -> ${result.outcome}`,
          );
          acks.push({ id: command.id, ...result });
        }
        await api('/connector/commands/ack', {
          method: 'POST',
          body: JSON.stringify({ source: SOURCE, acks }),
        });
      }
      cursor = page.cursor;
      saveCursor(cursor);
    } catch (error) {
      log(`order feed: ${error.message}; retrying in 5 s`);
      await sleep(5000);
    }
  }
}

function readSpool() {
  if (!existsSync(SPOOL)) return [];
  return readdirSync(SPOOL).flatMap(name => {
    try {
      const fields = Object.fromEntries(
        readFileSync(join(SPOOL, name), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map(line => line.split(/=(.*)/s).slice(0, 2)),
      );
      return [{ file: join(SPOOL, name), ...fields }];
    } catch {
      return [];
    }
  });
}

/** The parent of every process, read from /proc. */
function parentsByPid() {
  const parents = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // Gone while we looked.
    }
  }
  return parents;
}

/**
 * The terminal of a session: PAM names none for SSH ("ssh"), so look for a
 * /dev/pts device held open by a process under the session's sshd.
 */
function findTerminal(sshdPid, parents) {
  const under = pid => {
    for (let at = pid; at > 1; at = parents.get(at) ?? 0) {
      if (at === sshdPid) return true;
    }
    return false;
  };
  for (const pid of parents.keys()) {
    if (pid === sshdPid || !under(pid)) continue;
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('/dev/pts/')) return target;
      }
    } catch {
      // Gone, or not ours to read.
    }
  }
  return undefined;
}

/**
 * Last input on the session's terminal, as `w` reads it (the terminal's
 * access time); a session without one counts as active while it lasts.
 */
function lastInput(sshdPid, parents) {
  const terminal = findTerminal(sshdPid, parents);
  try {
    return terminal ? statSync(terminal).atime : new Date();
  } catch {
    return new Date();
  }
}

/** Activity of live sessions; the end of those whose sshd is gone. */
async function reconcile() {
  const live = [];
  const gone = [];
  for (const entry of readSpool()) {
    const parsed = parseExternalId(entry.externalId ?? '');
    if (parsed && isSameProcess(parsed.pid, parsed.startTicks)) {
      live.push({ ...entry, pid: parsed.pid });
    } else {
      gone.push(entry);
    }
  }
  const parents = live.length ? parentsByPid() : new Map();
  if (live.length) {
    await api('/connector/sessions/activity', {
      method: 'POST',
      body: JSON.stringify({
        source: SOURCE,
        activity: live.map(entry => ({
          externalId: entry.externalId,
          at: lastInput(entry.pid, parents).toISOString(),
        })),
      }),
    });
  }
  const ended = gone.filter(entry => entry.externalId);
  if (ended.length) {
    await api('/connector/sessions/end', {
      method: 'POST',
      body: JSON.stringify({
        source: SOURCE,
        sessions: ended.map(entry => ({ externalId: entry.externalId })),
      }),
    });
  }
  for (const entry of gone) rmSync(entry.file, { force: true });
}

async function reconcileForever() {
  for (;;) {
    await reconcile().catch(error => log(`reconcile: ${error.message}`));
    await sleep(ACTIVITY_EVERY_MS);
  }
}

log(`portal ${URL_BASE}, source ${SOURCE}, spool ${SPOOL}`);
await Promise.all([followOrders(), reconcileForever()]);
