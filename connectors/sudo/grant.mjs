#!/usr/bin/env node
// Active Sessions grant command for sudo: gives a user sudo on this host
// for a while, for a reason, and tells the portal.
//
//   grant.mjs --user jane --duration 2h --reason "INC-2291: restart nginx"
//             [--granted-by "change CHG-81"] [--user-ref user:default/jane.doe]
//             [--config /etc/active-sessions/sudo.env]
//
// Run as root by whatever grants the privilege: an approval workflow
// (over SSH, from a runbook tool), or an admin on the host. It checks
// everything first — the user is a valid name of an existing account that
// is not root or a system account, the duration is within the configured
// range, the reason is text — and refuses with a message, changing nothing,
// on any problem. Then it writes the rule to a file beside the drop-in
// directory (sudo ignores it there), checks it with `visudo -c -f`, reports
// the grant with its expiry to the portal (which refuses offboarded
// people), records it in the agent's state directory, moves it into place,
// and checks the whole sudoers with `visudo -c`. The agent (agent.mjs)
// removes it on a revoke or give-back in the portal, and at its expiry.
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_FILE, readConfig } from './agentConfig.mjs';
import {
  directoryProblem,
  dropInPath,
  dropInText,
  ensureStateDir,
  formatDuration,
  newGrantId,
  parseDuration,
  readRecord,
  removeDropIn,
  removeRecord,
  sudoHasNotAfter,
  sudoVersion,
  userNameProblem,
  visudo,
  visudoParsed,
  writeRecord,
} from './grants.mjs';
import { grantReport, portalClient } from './portal.mjs';

const USAGE = `usage: grant.mjs --user NAME --duration DURATION --reason TEXT
                 [--granted-by WHO] [--user-ref user:NAMESPACE/NAME] [--config FILE]
  DURATION: 30m, 2h, 1h30m, 1d (within ACTIVE_SESSIONS_MIN_DURATION and _MAX_DURATION)`;

class Refusal extends Error {}
const refuse = message => {
  throw new Refusal(message);
};

/** The account of a user name: `getent passwd` (local files, LDAP, SSSD…). */
function lookUpAccount(name) {
  try {
    const line = execFileSync('getent', ['passwd', name], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .find(entry => entry.split(':')[0] === name);
    if (!line) return undefined;
    const [, , uid, gid] = line.split(':');
    return { name, uid: Number(uid), gid: Number(gid) };
  } catch (error) {
    if (error.status === 2) return undefined; // no such key
    throw error;
  }
}

/** UID_MIN of /etc/login.defs: accounts below it are system accounts. */
function firstUserUid() {
  try {
    const match = /^\s*UID_MIN\s+(\d+)/m.exec(
      readFileSync('/etc/login.defs', 'utf8'),
    );
    return match ? Number(match[1]) : 1000;
  } catch {
    return 1000;
  }
}

/** Text the portal takes: trimmed, `max` code points, no control characters but tab and line breaks when `lines`. */
function textProblem(what, text, max, lines) {
  const trimmed = text.trim();
  const length = [...trimmed].length;
  if (length === 0) return `${what} is empty`;
  if (length > max) return `${what} is longer than ${max} characters`;
  const control = lines
    ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/
    : /[\u0000-\u001f\u007f-\u009f]/;
  if (control.test(trimmed)) return `${what} holds control characters`;
  if (
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(
      trimmed,
    )
  )
    return `${what} holds an unpaired surrogate`;
  return undefined;
}

async function grant(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        user: { type: 'string' },
        duration: { type: 'string' },
        reason: { type: 'string' },
        'granted-by': { type: 'string' },
        'user-ref': { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`grant.mjs: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = readConfig(values.config ?? DEFAULT_CONFIG_FILE);
  if (config.missing.length > 0)
    refuse(`${config.missing.join(', ')} not set in ${config.file}`);
  if (config.problems.length > 0) refuse(config.problems.join('; '));
  for (const option of ['user', 'duration', 'reason'])
    if (values[option] === undefined)
      refuse(`--${option} is required\n${USAGE}`);

  // Who: an existing account with a name safe in sudoers, not root, not a
  // system account.
  const user = values.user;
  const nameProblem = userNameProblem(user);
  if (nameProblem) refuse(nameProblem);
  const account = lookUpAccount(user);
  if (!account) refuse(`no such user on this host: ${user}`);
  if (account.uid === 0) refuse(`${user} has uid 0: root needs no grant`);
  const uidMin = firstUserUid();
  if (account.uid < uidMin)
    refuse(
      `${user} is a system account (uid ${account.uid}, below UID_MIN ${uidMin} of /etc/login.defs)`,
    );

  // How long.
  const durationMs = parseDuration(values.duration);
  if (durationMs === undefined)
    refuse(
      `not a duration: ${JSON.stringify(values.duration)} (e.g. 30m, 2h, 1h30m)`,
    );
  if (durationMs < config.minDurationMs || durationMs > config.maxDurationMs)
    refuse(
      `duration ${formatDuration(durationMs)} is out of range: from ${formatDuration(config.minDurationMs)} to ${formatDuration(config.maxDurationMs)} (ACTIVE_SESSIONS_MIN_DURATION, ACTIVE_SESSIONS_MAX_DURATION)`,
    );

  // Why, and who says so: for the portal only, never in the sudoers file.
  const reasonProblem = textProblem('the reason', values.reason, 1000, true);
  if (reasonProblem) refuse(reasonProblem);
  const grantedBy =
    values['granted-by'] ??
    `${process.env.SUDO_USER || userInfo().username}@${hostname()}`;
  const grantedByProblem = textProblem('--granted-by', grantedBy, 255, false);
  if (grantedByProblem) refuse(grantedByProblem);
  const userRef = (
    values['user-ref'] ?? `user:${config.namespace}/${user}`
  ).toLowerCase();
  if (
    !/^user:[a-z0-9_.-]+\/[a-z0-9_.@-]+$/.test(userRef) ||
    userRef.length > 255
  )
    refuse(`not a user entity ref: ${JSON.stringify(userRef)}`);

  // Where: root's directories only.
  if (process.getuid() !== 0)
    refuse(`run it as root: it writes ${config.sudoersDir}`);
  const dirProblem = directoryProblem(config.sudoersDir);
  if (dirProblem) refuse(dirProblem);
  try {
    ensureStateDir(config.state);
  } catch (error) {
    refuse(`state directory: ${error.message}`);
  }
  const before = visudo(config.visudoPath, ['-c']);
  if (!before.ok)
    refuse(
      `this host's sudoers fails visudo -c already; fix that first:\n${before.output}`,
    );

  // The rule, checked before anyone is told.
  const id = newGrantId();
  const startsAt = Math.floor(Date.now() / 1000) * 1000;
  const expiresAt = startsAt + durationMs;
  const finalPath = dropInPath(config.sudoersDir, id);
  // sudo skips file names with a dot: a rule here is not in force yet.
  const tempPath = join(config.sudoersDir, `.${basename(finalPath)}.tmp`);
  writeFileSync(
    tempPath,
    dropInText({
      id,
      user,
      expiresAt,
      commands: config.commands,
      askPassword: config.askPassword,
      notAfter: sudoHasNotAfter(sudoVersion(config.sudoPath)),
    }),
    { mode: 0o440, flag: 'wx' },
  );
  const record = {
    externalId: id,
    user,
    uid: account.uid,
    userRef,
    target: config.resource,
    grantedBy: grantedBy.trim(),
    reason: values.reason.trim(),
    startsAt: new Date(startsAt).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
    dropIn: finalPath,
  };
  const api = portalClient(config);
  let reported = false;
  const undo = async why => {
    rmSync(tempPath, { force: true });
    removeDropIn(config.sudoersDir, id);
    removeRecord(config.state, id);
    if (reported) {
      await api('/connector/grants/end', {
        source: config.source,
        grants: [{ externalId: id }],
      }).catch(error =>
        console.error(
          `grant.mjs: could not tell the portal that ${id} ended: ${error.message}`,
        ),
      );
    }
    refuse(why);
  };
  try {
    const checked = visudo(config.visudoPath, ['-c', '-f', tempPath]);
    if (!checked.ok)
      await undo(`the sudoers rule fails visudo -c:\n${checked.output}`);

    // The portal lists every grant: none it was not told of.
    let answer;
    try {
      answer = await api('/connector/grants/report', {
        source: config.source,
        grants: [grantReport(record)],
      });
    } catch (error) {
      await undo(
        `${error.message}; a grant the portal does not list is not given`,
      );
    }
    reported = true;
    if (answer.refused.includes(id))
      await undo(`${userRef} is locked (offboarded) in the portal`);
    if (answer.ended.includes(id))
      await undo(`the portal has ${id} ended already`);

    writeRecord(config.state, record);
    renameSync(tempPath, finalPath);
    const after = visudo(config.visudoPath, ['-c']);
    if (!after.ok)
      await undo(`sudoers fails visudo -c with the rule:\n${after.output}`);
    if (!visudoParsed(after.output, finalPath))
      await undo(
        `sudo does not read ${config.sudoersDir}: add "@includedir ${config.sudoersDir}" to /etc/sudoers`,
      );
    // Revoked in the portal meanwhile: the agent removed the record.
    if (!readRecord(config.state, id)) {
      removeDropIn(config.sudoersDir, id);
      refuse(`${id} was revoked in the portal while it was being granted`);
    }
  } catch (error) {
    if (error instanceof Refusal) throw error;
    // Anything unforeseen (a full disk…): nothing stays, the portal is told.
    await undo(`${error.message}`);
  }
  console.log(
    `granted ${id}: ${user} may use sudo on ${config.resource} until ${record.expiresAt} (${formatDuration(durationMs)}), reported to ${config.source} as ${userRef}`,
  );
  return 0;
}

try {
  process.exitCode = await grant(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof Refusal)) throw error;
  console.error(`grant.mjs: refused: ${error.message}\nNothing was changed.`);
  process.exitCode = 1;
}
