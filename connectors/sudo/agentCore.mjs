// What the agent (agent.mjs) does, with the portal, the processes and the
// clock passed in, so that tests can run it against temporary directories
// and a fake portal.
//
// Orders, the clock and reporting ends are three loops. Only file and
// process work is serialised (one task at a time, and each grant's file
// work under the grant's lock, shared with the grant command); calls to
// the portal are made outside, so that a portal that hangs delays neither
// an expiry nor a revoke.
//
// A grant taken away is kept as a tombstone until the portal has it: a
// revoke's outcome (`revoked`) until its acknowledgement is recorded, so
// that an order delivered again gets the same answer — never `not_found`
// for a revoke whose processes survived; an end (`ended`) until the portal
// has the end. Survivors are tried again on the clock; an end is written
// only once the grant is taken away.
import { realpathSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOCK_WAIT_MS, withGrantLock } from './grantLock.mjs';
import {
  dropInPath,
  dropInState,
  isGrantId,
  listRecords,
  readRecord,
  removeDropIn,
  removeRecord,
  removeTempDropIn,
  writeRecord,
} from './grants.mjs';
import { grantReport } from './portal.mjs';
import {
  endProcesses,
  processTable,
  signalEach,
  sudoProcessesOf,
} from './sudoProcesses.mjs';

/**
 * An expired grant is left to the portal's own expiry (its sweep, every
 * 30 s by default) for this long; only then does the agent report it ended
 * itself, which the portal would record as `ended_at_source`.
 */
export const EXPIRY_REPORT_AFTER_MS = 120_000;
/** How often unreported ends are offered to the portal again. */
export const REPORT_EVERY_MS = 5000;
/** How often processes that survived a revoke or an expiry are tried again. */
export const RETRY_EVERY_MS = 30_000;
/** How long such a retry may take (they had SIGTERM already: SIGKILL). */
export const RETRY_DEADLINE_MS = 1000;

/**
 * How long after its start a grant may be pending (the grant command
 * waiting on the portal, at most the configured timeout, and on the lock)
 * or without its drop-in (being installed) before the agent takes it as
 * given up or removed on the host.
 */
export const installGraceMs = config =>
  config.timeoutSeconds * 1000 + LOCK_WAIT_MS + 30_000;

/** sudo, as its path and as the program its processes run. */
export function sudoPathsOf(config) {
  let real = config.sudoPath;
  try {
    real = realpathSync(config.sudoPath);
  } catch {
    // not installed: its path only
  }
  return [...new Set([config.sudoPath, real])];
}

const shown = text => JSON.stringify(String(text)).slice(0, 200);

/**
 * The agent for `config`. `api` calls the portal; `findSudo(user)` lists
 * the user's running sudo and `end(survivors, options)` ends it (both on
 * /proc unless a test passes its own); `now` and `pause` are the clock.
 */
export function createAgent(config, deps) {
  const {
    api,
    log = () => {},
    now = Date.now,
    findSudo = user =>
      sudoProcessesOf(processTable(), user, {
        sudoPaths: sudoPathsOf(config),
      }),
    end = (survivors, options) => endProcesses(survivors, signalEach, options),
    lock = withGrantLock,
    graceMs = installGraceMs(config),
    retryEveryMs = RETRY_EVERY_MS,
    reportEveryMs = REPORT_EVERY_MS,
    expiryReportAfterMs = EXPIRY_REPORT_AFTER_MS,
    feedRetryMs = 5000,
    saveCursor = () => {},
    readCursor = () => 0,
  } = deps;
  const SOURCE = config.source;
  const STATE = config.state;
  const DIR = config.sudoersDir;
  const iso = ms => new Date(ms).toISOString();

  const stopping = new AbortController();
  const pause = ms =>
    sleep(ms, undefined, { signal: stopping.signal }).catch(() => {});
  const running = () => !stopping.signal.aborted;

  /** Runs `task` after every earlier one: orders and the clock never interleave. */
  let queue = Promise.resolve();
  const exclusive = task => {
    const run = queue.then(task);
    queue = run.catch(() => {});
    return run;
  };

  /** Whether another grant of this user is in force here (its sudo lives on). */
  const anotherGrantHolds = record =>
    listRecords(STATE).some(
      other =>
        other.externalId !== record.externalId &&
        other.user === record.user &&
        other.state !== 'pending' &&
        !other.ended &&
        !other.revoked &&
        Date.parse(other.expiresAt) > now() &&
        dropInState(DIR, other.externalId) === 'ours',
    );

  /**
   * Takes a grant away: removes its drop-in (only if it is the one the
   * grant command wrote) and ends the user's running sudo, unless another
   * grant of theirs is in force. `done`, or `failed` with why and the
   * processes that survived. `retrying`: survivors of an earlier try.
   */
  async function takeAway(record, { retrying = false } = {}) {
    const found = removeDropIn(DIR, record.externalId);
    removeTempDropIn(DIR, record.externalId);
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
    const result = await end(
      () => findSudo(user),
      retrying ? { graceMs: 0, deadlineMs: RETRY_DEADLINE_MS } : {},
    );
    if (result.outcome !== 'done')
      return {
        outcome: 'failed',
        message: `sudoers rule removed, but ${record.user}'s sudo is ${result.message}`,
        survivors: result.survivors,
      };
    return { outcome: 'done' };
  }

  /** A tombstone's `revoked` after an attempt with `result`. */
  const revokedAfter = (revoked, result, orderId) => ({
    at: revoked.at,
    orders: [...new Set([...(revoked.orders ?? []), orderId])].filter(
      id => id !== undefined,
    ),
    outcome: result.outcome,
    ...(result.message && { message: result.message }),
    ...(result.survivors && { survivors: result.survivors }),
    ...(result.outcome === 'failed' && { retryAt: iso(now() + retryEveryMs) }),
    ...(revoked.acknowledged && { acknowledged: true }),
  });

  /** Carries out one order; the acknowledgement's outcome and message. */
  async function carryOut(command) {
    if (command.action !== 'revoke_grant')
      return {
        outcome: 'failed',
        message: `this connector cannot ${command.action}`,
      };
    const id = command.externalId;
    if (!isGrantId(id))
      return {
        outcome: 'failed',
        message: `not a sudo grant id: ${shown(id)}`,
      };
    // The record's fate is decided under the grant's lock: a grant command
    // installing this grant either waits and sees it revoked, or has put
    // the rule in place already and the revoke removes it.
    const step = await lock(STATE, id, () => {
      const record = readRecord(STATE, id);
      if (!record) {
        // Nothing by that id any more (an order delivered again after its
        // acknowledgement, a grant reported ended), or something this
        // connector did not write: left alone.
        return {
          answer:
            dropInState(DIR, id) === 'absent'
              ? { outcome: 'not_found' }
              : {
                  outcome: 'failed',
                  message: `not a grant this connector made: ${id} (its drop-in is left alone)`,
                },
        };
      }
      if (record.revoked) return { record }; // delivered again
      if (record.ended) {
        // Taken away by the clock already; the portal's revoke ends it.
        removeRecord(STATE, id);
        return { answer: { outcome: 'not_found' } };
      }
      const at = iso(now());
      if (record.state === 'pending') {
        // Its rule is not in place: marked, the grant command will not
        // put it there.
        removeTempDropIn(DIR, id);
        writeRecord(STATE, {
          ...record,
          revoked: { at, orders: [command.id], outcome: 'done' },
        });
        log(`${id}: revoked while being granted; its rule never goes in`);
        return { answer: { outcome: 'done' } };
      }
      // First the tombstone: whatever happens next, an order delivered
      // again finds it and tries again.
      const tombstone = {
        ...record,
        revoked: { at, orders: [command.id], outcome: 'pending' },
      };
      writeRecord(STATE, tombstone);
      return { record: tombstone, first: true };
    });
    if (step.answer) return step.answer;
    const { record } = step;
    if (!step.first && record.revoked.outcome === 'done') {
      writeRecord(STATE, {
        ...record,
        revoked: revokedAfter(record.revoked, { outcome: 'done' }, command.id),
      });
      return { outcome: 'done' };
    }
    // The first time, or again after survivors (or after a crash midway).
    const { note, ...result } = await takeAway(record, {
      retrying: record.revoked.outcome === 'failed',
    });
    if (note) log(`${id}: ${note}`);
    writeRecord(STATE, {
      ...record,
      revoked: revokedAfter(record.revoked, result, command.id),
    });
    return result.outcome === 'done'
      ? { outcome: 'done' }
      : { outcome: 'failed', message: result.message };
  }

  /**
   * The portal recorded the acknowledgements of `commands`: their
   * tombstones go once their grants are taken away; those with survivors
   * stay, tried again on the clock.
   */
  function acknowledged(commands) {
    for (const command of commands) {
      if (!isGrantId(command.externalId)) continue;
      const record = readRecord(STATE, command.externalId);
      if (!record?.revoked) continue;
      if (record.revoked.outcome === 'done')
        removeRecord(STATE, command.externalId);
      else
        writeRecord(STATE, {
          ...record,
          revoked: { ...record.revoked, acknowledged: true },
        });
    }
  }

  /** Reads orders after the cursor (waiting for them), carries out, acknowledges. */
  async function followOrders() {
    let cursor = readCursor();
    log(`following orders for ${SOURCE} after ${cursor}`);
    while (running()) {
      try {
        const page = await api(
          `/connector/commands?source=${SOURCE}&after=${cursor}&wait=${config.waitSeconds}`,
          undefined,
          { timeoutSeconds: config.waitSeconds + config.timeoutSeconds },
        );
        if (page.commands.length > 0) {
          const acks = [];
          for (const command of page.commands) {
            // On an error (a lock held too long, a full disk) the page is
            // read again: what was carried out answers from its tombstone.
            const result = await exclusive(() => carryOut(command));
            log(
              `order ${command.id}: ${command.action} ${shown(command.externalId)} -> ${result.outcome}${result.message ? `: ${result.message}` : ''}`,
            );
            acks.push({ id: command.id, ...result });
          }
          await api('/connector/commands/ack', { source: SOURCE, acks });
          await exclusive(() => acknowledged(page.commands));
        }
        cursor = page.cursor;
        saveCursor(cursor);
      } catch (error) {
        if (!running()) break;
        log(
          `order feed: ${error.message}; retrying in ${feedRetryMs / 1000} s`,
        );
        await pause(feedRetryMs);
      }
    }
  }

  /** One record on the clock; see enforce. */
  async function enforceOne(record, at) {
    const id = record.externalId;
    const revoked = record.revoked;
    if (revoked) {
      if (revoked.outcome === 'done') {
        // Answered, and the answer recorded or no longer asked for.
        if (revoked.acknowledged || at >= Date.parse(record.expiresAt))
          removeRecord(STATE, id);
        return;
      }
      if (revoked.retryAt && at < Date.parse(revoked.retryAt)) return;
      const { note, ...result } = await takeAway(record, { retrying: true });
      log(
        `${id} (${record.user}) revoked: ${result.outcome === 'done' ? 'its sudo ended now' : result.message}${note ? `; ${note}` : ''}`,
      );
      if (result.outcome === 'done' && revoked.acknowledged)
        removeRecord(STATE, id);
      else
        writeRecord(STATE, {
          ...record,
          revoked: revokedAfter(revoked, result),
        });
      return;
    }
    if (record.ended) return;
    if (record.state === 'pending') {
      if (at - Date.parse(record.startsAt) <= graceMs) return;
      // The grant command died or gave up before the rule went in: ended,
      // so that it never goes in, and reported in case the portal has it.
      await lock(STATE, id, () => {
        const current = readRecord(STATE, id);
        if (current?.state !== 'pending' || current.revoked || current.ended)
          return;
        removeTempDropIn(DIR, id);
        writeRecord(STATE, {
          ...current,
          ended: { at: iso(at), why: 'never installed' },
        });
        log(`${id} (${record.user}): its grant command never installed it`);
      });
      return;
    }
    let ended;
    if (at >= Date.parse(record.expiresAt)) {
      ended = { at: record.expiresAt, why: 'expired' };
    } else if (
      at - Date.parse(record.startsAt) > graceMs &&
      dropInState(DIR, id) === 'absent'
    ) {
      ended = {
        at: record.ending?.at ?? iso(at),
        why: 'removed on the host',
      };
    } else return;
    if (record.ending && at < Date.parse(record.ending.retryAt)) return;
    const { note, ...result } = await takeAway(record, {
      retrying: Boolean(record.ending),
    });
    if (result.outcome === 'done') {
      const { ending, ...rest } = record;
      writeRecord(STATE, { ...rest, ended });
    } else {
      // Not ended while its sudo runs: tried again on the clock.
      writeRecord(STATE, {
        ...record,
        ending: {
          ...ended,
          message: result.message,
          ...(result.survivors && { survivors: result.survivors }),
          retryAt: iso(at + retryEveryMs),
        },
      });
    }
    log(
      `${id} (${record.user}) ${ended.why}: ${result.outcome === 'done' ? 'rule removed, sudo ended' : result.message}${note ? `; ${note}` : ''}`,
    );
  }

  /**
   * The host's clock: takes away grants past their expiry, notices a
   * drop-in removed on the host or a grant never installed, and tries
   * survivors again. One record's trouble does not hold up the others.
   */
  async function enforce(at = now()) {
    for (const record of listRecords(STATE)) {
      try {
        await enforceOne(record, at);
      } catch (error) {
        log(`${record.externalId}: ${error.message}`);
      }
    }
  }

  /** Offers the ends kept by `enforce` to the portal; forgets those it took. */
  async function reportEnds(at = now()) {
    const pending = listRecords(STATE).filter(
      record => record.ended && !record.revoked,
    );
    if (pending.length === 0) return;
    const expired = pending.filter(record => record.ended.why === 'expired');
    const over = new Set();
    for (let i = 0; i < expired.length; i += 500) {
      // Reporting a grant again changes nothing; its `ended` says whether
      // the portal has it ended (expired) already.
      const answer = await api('/connector/grants/report', {
        source: SOURCE,
        grants: expired.slice(i, i + 500).map(grantReport),
      });
      for (const id of [...answer.ended, ...answer.refused]) over.add(id);
    }
    const forget = (record, why) =>
      exclusive(() => {
        if (readRecord(STATE, record.externalId)?.ended) {
          removeRecord(STATE, record.externalId);
          log(`${record.externalId}: ${why}`);
        }
      });
    const toEnd = [];
    for (const record of pending) {
      if (over.has(record.externalId)) {
        await forget(record, 'the portal has it ended');
      } else if (
        record.ended.why !== 'expired' ||
        at - Date.parse(record.expiresAt) > expiryReportAfterMs
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
      for (const record of batch)
        await forget(record, `reported ended (${record.ended.why})`);
    }
  }

  async function keepTime() {
    while (running()) {
      await exclusive(() => enforce()).catch(error =>
        log(`expiry: ${error.message}`),
      );
      await pause(config.tickMs);
    }
  }

  async function keepReporting() {
    while (running()) {
      await reportEnds().catch(error =>
        log(
          `reporting ends: ${error.message}; trying again in ${reportEveryMs / 1000} s`,
        ),
      );
      await pause(reportEveryMs);
    }
  }

  return {
    carryOut: command => exclusive(() => carryOut(command)),
    acknowledged: commands => exclusive(() => acknowledged(commands)),
    enforce: at => exclusive(() => enforce(at)),
    reportEnds,
    followOrders,
    keepTime,
    keepReporting,
    /** Runs the three loops until `stop`. */
    run: () => Promise.all([followOrders(), keepTime(), keepReporting()]),
    stop: () => stopping.abort(),
  };
}
