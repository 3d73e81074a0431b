#!/usr/bin/env node
// Active Sessions agent for sudo grants.
//
// Follows this host's order feed in the portal (long-poll). On a revoke or
// give-back of a grant that the grant command (grant.mjs) made here, it
// removes that grant's sudoers drop-in, ends the user's running sudo — the
// sudo processes and the commands they run — and acknowledges. On its own
// clock, whether or not the portal is reachable, it removes the drop-ins
// of grants that expired (and ends their sudo), and tells the portal once
// it can. It never acts on an order's word alone: it touches only a grant
// its own grant command recorded in the root-only state directory, and
// only the drop-in of exactly that id whose first line names it.
//
// Node.js 18 or later, no packages. Configuration: the environment file
// (first argument, default /etc/active-sessions/sudo.env), overridden by
// the environment. `agent.mjs --check [file]` checks the installation.
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CONFIG_FILE, readConfig } from './agentConfig.mjs';
import {
  DROP_IN_PREFIX,
  directoryProblem,
  dropInPath,
  dropInState,
  ensureStateDir,
  isGrantId,
  listRecords,
  readRecord,
  removeDropIn,
  removeRecord,
  sudoHasNotAfter,
  sudoVersion,
  writeRecord,
} from './grants.mjs';
import { grantReport, portalClient } from './portal.mjs';
import {
  endProcesses,
  processTable,
  sudoProcessesOf,
} from './sudoProcesses.mjs';

const checking = process.argv[2] === '--check';
const config = readConfig(
  process.argv[checking ? 3 : 2] ?? DEFAULT_CONFIG_FILE,
);
if (checking) {
  const { runCheck } = await import('./check.mjs');
  process.exit(await runCheck(config));
}
if (config.missing.length > 0)
  throw new Error(`${config.missing.join(', ')} not set in ${config.file}`);
if (config.problems.length > 0) throw new Error(config.problems.join('; '));
if (process.getuid() !== 0)
  throw new Error('run the agent as root: it removes sudoers rules');
const dirProblem = directoryProblem(config.sudoersDir);
if (dirProblem) throw new Error(dirProblem);
ensureStateDir(config.state);

const SOURCE = config.source;
const STATE = config.state;
const DIR = config.sudoersDir;
const CURSOR = join(STATE, 'cursor');
/** A record without its drop-in this long after the grant: removed on the host. */
const INSTALL_GRACE_MS = 60_000;
/**
 * An expired grant is left to the portal's own expiry (its sweep, every
 * 30 s by default) for this long; only then does the agent report it ended
 * itself, which the portal would record as `ended_at_source`.
 */
const EXPIRY_REPORT_AFTER_MS = 120_000;
/** How often unreported ends are offered to the portal again. */
const REPORT_EVERY_MS = 5000;
/** sudo, as its path and as the program its processes run. */
const SUDO_PATHS = [
  ...new Set([
    config.sudoPath,
    (() => {
      try {
        return realpathSync(config.sudoPath);
      } catch {
        return config.sudoPath;
      }
    })(),
  ]),
];

const api = portalClient(config);
const log = message => console.log(`[active-sessions-sudo] ${message}`);

/** Runs `task` after every earlier one: orders and the clock never interleave. */
let queue = Promise.resolve();
const exclusive = task => {
  const run = queue.then(task);
  queue = run.catch(() => {});
  return run;
};

function readCursor() {
  try {
    return Number(readFileSync(CURSOR, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

function saveCursor(cursor) {
  mkdirSync(dirname(CURSOR), { recursive: true });
  writeFileSync(CURSOR, String(cursor), { mode: 0o600 });
}

/** Whether another grant of this user is in force here (its sudo lives on). */
const anotherGrantHolds = record =>
  listRecords(STATE).some(
    other =>
      other.externalId !== record.externalId &&
      other.user === record.user &&
      !other.ended &&
      Date.parse(other.expiresAt) > Date.now() &&
      dropInState(DIR, other.externalId) === 'ours',
  );

/**
 * Takes a grant away: removes its drop-in (only if it is the one the grant
 * command wrote) and ends the user's running sudo, unless another grant of
 * theirs is in force. `done`, or `failed` with why.
 */
async function takeAway(record) {
  const found = removeDropIn(DIR, record.externalId);
  if (found === 'foreign')
    return {
      outcome: 'failed',
      message: `${dropInPath(DIR, record.externalId)} is not the drop-in this connector wrote for ${record.externalId}: left alone`,
    };
  if (anotherGrantHolds(record))
    return {
      outcome: 'done',
      note: `another grant of ${record.user} is in force: its sudo runs on`,
    };
  const user = { name: record.user, uid: record.uid };
  const result = await endProcesses(() =>
    sudoProcessesOf(processTable(), user, { sudoPaths: SUDO_PATHS }),
  );
  if (result.outcome !== 'done')
    return {
      outcome: 'failed',
      message: `sudoers rule removed, but ${record.user}'s sudo is ${result.message}`,
    };
  return result;
}

const shown = text => JSON.stringify(String(text)).slice(0, 200);

/** Carries out one order; the acknowledgement's outcome and message. */
async function carryOut(command) {
  if (command.action !== 'revoke_grant')
    return {
      outcome: 'failed',
      message: `this connector cannot ${command.action}`,
    };
  const id = command.externalId;
  if (!isGrantId(id))
    return { outcome: 'failed', message: `not a sudo grant id: ${shown(id)}` };
  const record = readRecord(STATE, id);
  if (!record) {
    // Nothing by that id any more (an order delivered again, an expired
    // grant), or something this connector did not write: left alone.
    return dropInState(DIR, id) === 'absent'
      ? { outcome: 'not_found' }
      : {
          outcome: 'failed',
          message: `not a grant this connector made: ${id} (its drop-in is left alone)`,
        };
  }
  // First the record: a grant command still installing this grant sees it
  // gone and takes its rule out again.
  removeRecord(STATE, id);
  if (record.ended) return { outcome: 'not_found' };
  const { note, ...result } = await takeAway(record);
  if (note) log(`${id}: ${note}`);
  return result;
}

/** Reads orders after the cursor (waiting for them), carries out, acknowledges. */
async function followOrders() {
  let cursor = readCursor();
  log(`following orders for ${SOURCE} after ${cursor}`);
  for (;;) {
    try {
      const page = await api(
        `/connector/commands?source=${SOURCE}&after=${cursor}&wait=${config.waitSeconds}`,
        undefined,
        { timeoutSeconds: config.waitSeconds + config.timeoutSeconds },
      );
      if (page.commands.length > 0) {
        const acks = [];
        for (const command of page.commands) {
          const result = await exclusive(() => carryOut(command));
          log(
            `order ${command.id}: ${command.action} ${shown(command.externalId)} -> ${result.outcome}${result.message ? `: ${result.message}` : ''}`,
          );
          acks.push({ id: command.id, ...result });
        }
        await api('/connector/commands/ack', { source: SOURCE, acks });
      }
      cursor = page.cursor;
      saveCursor(cursor);
    } catch (error) {
      log(`order feed: ${error.message}; retrying in 5 s`);
      await sleep(5000);
    }
  }
}

/**
 * The host's clock: takes away grants past their expiry, and notices a
 * drop-in removed on the host. Either is kept as ended until reported.
 */
async function enforce(now = Date.now()) {
  for (const record of listRecords(STATE)) {
    if (record.ended) continue;
    const id = record.externalId;
    let ended;
    if (now >= Date.parse(record.expiresAt)) {
      ended = { at: record.expiresAt, why: 'expired' };
    } else if (
      now - Date.parse(record.startsAt) > INSTALL_GRACE_MS &&
      dropInState(DIR, id) === 'absent'
    ) {
      ended = { at: new Date(now).toISOString(), why: 'removed on the host' };
    } else continue;
    // An order may have taken it meanwhile.
    if (!readRecord(STATE, id)) continue;
    const { note, ...result } = await takeAway(record);
    writeRecord(STATE, { ...record, ended });
    log(
      `${id} (${record.user}) ${ended.why}: ${result.outcome === 'done' ? 'rule removed, sudo ended' : result.message}${note ? `; ${note}` : ''}`,
    );
  }
}

/** Offers the ends kept by `enforce` to the portal; forgets those it took. */
async function reportEnds(now = Date.now()) {
  const pending = listRecords(STATE).filter(record => record.ended);
  if (pending.length === 0) return;
  const expired = pending.filter(record => record.ended.why === 'expired');
  const over = new Set();
  for (let i = 0; i < expired.length; i += 500) {
    // Reporting a grant again changes nothing; its `ended` says whether the
    // portal has it ended (expired) already.
    const answer = await api('/connector/grants/report', {
      source: SOURCE,
      grants: expired.slice(i, i + 500).map(grantReport),
    });
    for (const id of [...answer.ended, ...answer.refused]) over.add(id);
  }
  const toEnd = [];
  for (const record of pending) {
    if (over.has(record.externalId)) {
      removeRecord(STATE, record.externalId);
      log(`${record.externalId}: the portal has it ended`);
    } else if (
      record.ended.why !== 'expired' ||
      now - Date.parse(record.expiresAt) > EXPIRY_REPORT_AFTER_MS
    ) {
      toEnd.push(record);
    }
  }
  for (let i = 0; i < toEnd.length; i += 500) {
    const batch = toEnd.slice(i, i + 500);
    await api('/connector/grants/end', {
      source: SOURCE,
      grants: batch.map(record => ({
        externalId: record.externalId,
        at: record.ended.at,
      })),
    });
    for (const record of batch) {
      removeRecord(STATE, record.externalId);
      log(`${record.externalId}: reported ended (${record.ended.why})`);
    }
  }
}

async function keepTime() {
  let reportedAt = 0;
  for (;;) {
    await exclusive(() => enforce()).catch(error =>
      log(`expiry: ${error.message}`),
    );
    if (Date.now() - reportedAt >= REPORT_EVERY_MS) {
      reportedAt = Date.now();
      await exclusive(() => reportEnds()).catch(error =>
        log(
          `reporting ends: ${error.message}; trying again in ${REPORT_EVERY_MS / 1000} s`,
        ),
      );
    }
    await sleep(config.tickMs);
  }
}

const version = sudoVersion(config.sudoPath);
log(
  `portal ${config.url}, source ${SOURCE}, rules ${join(DIR, `${DROP_IN_PREFIX}sudo-*`)}, state ${STATE}`,
);
if (!version) log(`WARNING: ${config.sudoPath} is not installed`);
else if (!sudoHasNotAfter(version))
  log(
    `WARNING: ${version} has no NOTAFTER: expiries rest on this agent alone (sudo 1.9.10 and later enforce them too)`,
  );
await Promise.all([followOrders(), keepTime()]);
