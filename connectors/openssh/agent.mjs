#!/usr/bin/env node
// Active Sessions agent for OpenSSH hosts.
//
// Follows this host's order feed in the portal (long-poll), cuts the login
// an order names if the PAM hook recorded it here — every process of it —
// and acknowledges it with what happened. Every minute it also reports
// activity of the logins the PAM hook recorded (the last input on their
// terminal, as `w` shows it) and the end of those with no process left.
//
// Node.js 18 or later, no packages. Configuration: the same environment
// file as the PAM hook (first argument, default
// /etc/active-sessions/openssh.env), overridden by the environment.
// `agent.mjs --check [file]` checks the installation and exits.
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
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CONFIG_FILE, readAgentConfig } from './agentConfig.mjs';
import { endProcesses } from './endProcesses.mjs';
import {
  loginOf,
  loginProcesses,
  parseExternalId,
  parseSpool,
  processTable,
  startTicksOf,
} from './loginProcesses.mjs';

// `agent.mjs --check [file]` says what it sees instead (check.mjs).
const checking = process.argv[2] === '--check';
const config = readAgentConfig(
  process.argv[checking ? 3 : 2] ?? DEFAULT_CONFIG_FILE,
);
if (checking) {
  const { runCheck } = await import('./check.mjs');
  process.exit(await runCheck(config));
}
if (config.missing.length > 0) {
  throw new Error(`${config.missing.join(', ')} not set in ${config.file}`);
}
const URL_BASE = config.url;
const TOKEN = config.token;
const SOURCE = config.source;
const SPOOL = config.spool;
const STATE = config.state;
const WAIT_SECONDS = config.waitSeconds;
const ACTIVITY_EVERY_MS = config.activityEveryMs;
/** Log every reconciliation pass, not only failures. */
const VERBOSE = config.verbose;
/**
 * The programs a session's process may run: sshd, or sshd-session where
 * OpenSSH 9.8 and later run each session; ACTIVE_SESSIONS_SSHD adds a path.
 */
const SSHD_NAMES = ['sshd', 'sshd-session'];
const SSHD_PATH = config.sshdPath;

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

const isSameProcess = (pid, startTicks) => startTicksOf(pid) === startTicks;

/**
 * What the PAM hook recorded of this session here, when its spool file
 * names exactly this id. Only root writes the spool, so a file of anyone
 * else (or a link) does not count.
 */
function recordedHere(externalId, pid) {
  const file = join(SPOOL, String(pid));
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.uid !== process.getuid()) return undefined;
    const fields = parseSpool(readFileSync(file, 'utf8'));
    return fields.externalId === externalId ? fields : undefined;
  } catch {
    return undefined;
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

/** Sends `signal` to each process still the one that was found. */
function signalEach(processes, signal) {
  for (const { pid, startTicks } of processes) {
    if (startTicksOf(pid) !== startTicks) continue;
    try {
      process.kill(pid, signal);
    } catch (error) {
      if (error.code !== 'ESRCH') throw error;
    }
  }
}

/** The login's processes still alive, looked up afresh (forks included). */
const survivorsOf = login => loginProcesses(processTable(), login);

/**
 * Ends every process of a session's login — the sshd that owns the
 * connection, its privilege-separated child, the shell and whatever runs
 * in the background — and says how it went: `done` only when none is left
 * (the connection closes with the last process holding it), `failed` with
 * what survived otherwise. It cuts only a session this agent reports (its
 * hook's spool file): an order is never trusted to name a process, since
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
  const fields = recordedHere(externalId, pid);
  if (!fields) {
    // Nothing by that id here any more: a repeated order after a cut, or a
    // session already gone, whoever reported it.
    if (!isSameProcess(pid, startTicks)) return { outcome: 'not_found' };
    return {
      outcome: 'failed',
      message: `not a session this agent reported: ${externalId}`,
    };
  }
  // While the sshd the hook ran in lives, it must still be sshd.
  if (isSameProcess(pid, startTicks)) {
    const executable = executableOf(pid);
    if (!isSshd(executable))
      return {
        outcome: 'failed',
        message: `process ${pid} is not sshd (${executable ?? 'unreadable'}): ${externalId}`,
      };
  }
  const login = loginOf(parsed, fields);
  if (survivorsOf(login).length === 0) {
    rmSync(join(SPOOL, String(pid)), { force: true });
    return { outcome: 'not_found' };
  }
  const result = await endProcesses(() => survivorsOf(login), signalEach);
  if (result.outcome !== 'done') return result;
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
      const fields = parseSpool(readFileSync(join(SPOOL, name), 'utf8'));
      return [{ file: join(SPOOL, name), ...fields }];
    } catch {
      return [];
    }
  });
}

/**
 * The terminal of a login: PAM names none for SSH ("ssh"), so look for a
 * /dev/pts device held open by one of its processes.
 */
function findTerminal(processes) {
  for (const { pid } of processes) {
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
 * Last input on the login's terminal, as `w` reads it (the terminal's
 * access time); a login without one counts as active while it lasts.
 */
function lastInput(processes) {
  const terminal = findTerminal(processes);
  try {
    return terminal ? statSync(terminal).atime : new Date();
  } catch {
    return new Date();
  }
}

/**
 * Activity of live sessions; the end of those none of whose processes is
 * left — not merely their sshd, which may be killed while the login's
 * shell lives on.
 */
async function reconcile() {
  const live = [];
  const gone = [];
  const spool = readSpool();
  const table = spool.length ? processTable() : new Map();
  for (const entry of spool) {
    const parsed = parseExternalId(entry.externalId ?? '');
    const processes = parsed
      ? loginProcesses(table, loginOf(parsed, entry))
      : [];
    if (processes.length > 0) live.push({ ...entry, processes });
    else gone.push(entry);
  }
  if (live.length) {
    await api('/connector/sessions/activity', {
      method: 'POST',
      body: JSON.stringify({
        source: SOURCE,
        activity: live.map(entry => ({
          externalId: entry.externalId,
          at: lastInput(entry.processes).toISOString(),
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
  return { live: live.length, ended: gone.length };
}

async function reconcileForever() {
  for (;;) {
    await reconcile()
      .then(({ live, ended }) => {
        if (VERBOSE) log(`reconciled: ${live} live, ${ended} ended`);
      })
      .catch(error => log(`reconcile: ${error.message}`));
    await sleep(ACTIVITY_EVERY_MS);
  }
}

log(`portal ${URL_BASE}, source ${SOURCE}, spool ${SPOOL}`);
await Promise.all([followOrders(), reconcileForever()]);
