// What the grant command (grant.mjs) does, with the host it works on passed
// in, so that tests can run it against temporary directories, a fake
// visudo and a fake portal.
//
// It checks everything first — the configuration file is root's alone, the
// user is a valid name of an existing account that is a person's (not
// root, not a system account, not `nobody` or a dynamic user, one that can
// log in), the duration is within the configured range, the reason is
// text — and refuses with a message, changing nothing, on any problem.
// Then it writes the rule to a file beside the drop-in directory (sudo
// ignores it there), checks it with `visudo -c -f`, records the grant as
// pending in the agent's state directory, reports it with its expiry to
// the portal (which refuses offboarded people), and moves the rule into
// place holding the grant's lock — unless the agent took the record
// meanwhile, on a revoke — and checks the whole sudoers with `visudo -c`.
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_FILE, readConfig } from './agentConfig.mjs';
import { withGrantLock } from './grantLock.mjs';
import {
  directoryProblem,
  dropInPath,
  dropInText,
  ensureStateDir,
  formatDuration,
  isUserRef,
  newGrantId,
  parseDuration,
  readRecord,
  removeDropIn,
  removeRecord,
  sudoHasNotAfter,
  sudoVersion,
  tempDropInPath,
  userNameProblem,
  visudo,
  visudoParsed,
  writeRecord,
} from './grants.mjs';
import { grantReport, portalClient } from './portal.mjs';

export const USAGE = `usage: grant.mjs --user NAME --duration DURATION --reason TEXT
                 [--granted-by WHO] [--user-ref user:NAMESPACE/NAME] [--config FILE]
  DURATION: 30m, 2h, 1h30m, 1d (within ACTIVE_SESSIONS_MIN_DURATION and _MAX_DURATION)`;

const OPTIONS = {
  user: { type: 'string' },
  duration: { type: 'string' },
  reason: { type: 'string' },
  'granted-by': { type: 'string' },
  'user-ref': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean' },
};

export class Refusal extends Error {}
/** A usage error: exit status 2. */
export class UsageError extends Error {}
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
    const [, , uid, gid, , , shell] = line.split(':');
    return { name, uid: Number(uid), gid: Number(gid), shell: shell ?? '' };
  } catch (error) {
    if (error.status === 2) return undefined; // no such key
    throw error;
  }
}

function readLoginDefs() {
  try {
    return readFileSync('/etc/login.defs', 'utf8');
  } catch {
    return '';
  }
}

/** The uid `nobody` has everywhere: never a person. */
const NOBODY_UID = 65534;

/**
 * Why an account is no person's to be given sudo, or undefined: root;
 * system accounts (below UID_MIN of /etc/login.defs, default 1000);
 * `nobody`, systemd's dynamic users (61184–65519) and anything else above
 * UID_MAX (default 60000); an account that cannot log in (its shell
 * `nologin` or `false`).
 */
export function accountProblem(account, loginDefs = '') {
  const setting = (key, fallback) => {
    const match = new RegExp(`^\\s*${key}\\s+(\\d+)`, 'm').exec(loginDefs);
    return match ? Number(match[1]) : fallback;
  };
  const { name, uid, shell = '' } = account;
  if (uid === 0) return `${name} has uid 0: root needs no grant`;
  const uidMin = setting('UID_MIN', 1000);
  if (uid < uidMin)
    return `${name} is a system account (uid ${uid}, below UID_MIN ${uidMin} of /etc/login.defs)`;
  const uidMax = setting('UID_MAX', 60000);
  if (uid === NOBODY_UID || uid > uidMax)
    return `${name} is not a person's account (uid ${uid}: nobody, a dynamic or a container user, above UID_MAX ${uidMax} of /etc/login.defs)`;
  if (['nologin', 'false'].includes(basename(shell.trim())))
    return `${name} cannot log in (shell ${shell}): not a person's account`;
  return undefined;
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

/** The host as it is; tests replace parts. */
export const realHost = {
  // The root-owned file alone: never the caller's environment.
  readConfig: file => readConfig(file),
  lookUpAccount,
  loginDefs: readLoginDefs,
  getuid: () => process.getuid(),
  visudo: (config, args) => visudo(config.visudoPath, args),
  sudoVersion: config => sudoVersion(config.sudoPath),
  portal: config => portalClient(config),
  now: () => Date.now(),
  lock: withGrantLock,
  caller: () => `${process.env.SUDO_USER || userInfo().username}@${hostname()}`,
  print: line => console.log(line),
};

/** The options of `argv`; a UsageError on anything else, or an option twice. */
function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(error.message);
  }
  // The last would win: a sudo rule pinning `--config` first could be
  // outdone by a second one at the end.
  const seen = new Set();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name))
      throw new UsageError(`--${token.name} is given more than once`);
    seen.add(token.name);
  }
  return parsed.values;
}

/**
 * Grants sudo as `argv` says; resolves to 0 (granted, or --help), throws a
 * Refusal (exit 1, nothing changed) or a UsageError (exit 2).
 */
export async function grant(argv, overrides = {}) {
  const host = { ...realHost, ...overrides };
  const values = parseOptions(argv);
  if (values.help) {
    host.print(USAGE);
    return 0;
  }
  const config = host.readConfig(values.config ?? DEFAULT_CONFIG_FILE);
  if (!config.fileExists) refuse(`no configuration file ${config.file}`);
  if (config.fileProblem)
    refuse(
      `${config.fileProblem}: the configuration names the programs this command runs as root, so it must be root's alone (chown root:root, chmod 600)`,
    );
  if (config.missing.length > 0)
    refuse(`${config.missing.join(', ')} not set in ${config.file}`);
  if (config.problems.length > 0) refuse(config.problems.join('; '));
  for (const option of ['user', 'duration', 'reason'])
    if (values[option] === undefined)
      refuse(`--${option} is required\n${USAGE}`);

  // Who: an existing account with a name safe in sudoers, a person's.
  const user = values.user;
  const nameProblem = userNameProblem(user);
  if (nameProblem) refuse(nameProblem);
  const account = host.lookUpAccount(user);
  if (!account) refuse(`no such user on this host: ${user}`);
  const whoProblem = accountProblem(account, host.loginDefs());
  if (whoProblem) refuse(whoProblem);

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
  const grantedBy = values['granted-by'] ?? host.caller();
  const grantedByProblem = textProblem('--granted-by', grantedBy, 255, false);
  if (grantedByProblem) refuse(grantedByProblem);
  // Whose grant the portal lists: the configuration says, not the caller,
  // who could otherwise list someone else as holding it.
  const userRef =
    config.userRefs.get(user) ?? `user:${config.namespace}/${user}`;
  if (!isUserRef(userRef))
    refuse(`not a user entity ref: ${JSON.stringify(userRef)}`);
  const askedRef = values['user-ref']?.toLowerCase();
  if (askedRef !== undefined && askedRef !== userRef)
    refuse(
      `--user-ref ${values['user-ref']} is not the catalog user the configuration gives ${user} (${userRef}); map it in ACTIVE_SESSIONS_USER_REFS of ${config.file}`,
    );

  // Where: root's directories only.
  if (host.getuid() !== 0)
    refuse(`run it as root: it writes ${config.sudoersDir}`);
  const dirProblem = directoryProblem(config.sudoersDir);
  if (dirProblem) refuse(dirProblem);
  try {
    ensureStateDir(config.state);
  } catch (error) {
    refuse(`state directory: ${error.message}`);
  }
  const before = host.visudo(config, ['-c']);
  if (!before.ok)
    refuse(
      `this host's sudoers fails visudo -c already; fix that first:\n${before.output}`,
    );

  // The rule, checked before anyone is told.
  const id = newGrantId();
  const startsAt = Math.floor(host.now() / 1000) * 1000;
  const expiresAt = startsAt + durationMs;
  const finalPath = dropInPath(config.sudoersDir, id);
  // sudo skips file names with a dot: a rule here is not in force yet.
  const tempPath = tempDropInPath(config.sudoersDir, id);
  writeFileSync(
    tempPath,
    dropInText({
      id,
      user,
      expiresAt,
      commands: config.commands,
      askPassword: config.askPassword,
      notAfter: sudoHasNotAfter(host.sudoVersion(config)),
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
    state: 'pending',
  };
  const api = host.portal(config);
  const locked = task => host.lock(config.state, id, task);
  let reported = false;
  const undo = async why => {
    const takeOut = () => {
      rmSync(tempPath, { force: true });
      removeDropIn(config.sudoersDir, id);
      // A revoke's tombstone stays: the agent answers the order with it.
      if (!readRecord(config.state, id)?.revoked)
        removeRecord(config.state, id);
    };
    // Locked, so as not to cross the agent; unlocked if it cannot be.
    await locked(takeOut).catch(takeOut);
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
    const checked = host.visudo(config, ['-c', '-f', tempPath]);
    if (!checked.ok)
      await undo(`the sudoers rule fails visudo -c:\n${checked.output}`);

    // Recorded before the portal is told, so that a revoke delivered to the
    // agent as soon as the portal lists the grant finds it.
    writeRecord(config.state, record);
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

    // In place, unless revoked meanwhile: the agent, holding the same lock,
    // marks a pending grant it is ordered to revoke, and answers `done`.
    const problem = await locked(() => {
      const why = stillToInstall(readRecord(config.state, id), id, host.now());
      if (why) return why;
      renameSync(tempPath, finalPath);
      // Checked again with the rule in place (a lock taken over from us).
      const after = readRecord(config.state, id);
      const changed = stillToInstall(after, id, host.now());
      if (changed) {
        removeDropIn(config.sudoersDir, id);
        return changed;
      }
      writeRecord(config.state, { ...after, state: 'installed' });
      return undefined;
    });
    if (problem) {
      const now = readRecord(config.state, id);
      // Revoked or given up: the agent answers for it. Expired: ours.
      if (now && !now.revoked && !now.ended) await undo(problem);
      rmSync(tempPath, { force: true });
      refuse(problem);
    }

    const after = host.visudo(config, ['-c']);
    // Revoked as soon as it was in place: the agent took the rule out.
    const current = readRecord(config.state, id);
    if (!current || current.revoked)
      refuse(
        `revoked while granting: the portal revoked ${id} as its rule went in place, and the agent took it out`,
      );
    if (!after.ok)
      await undo(`sudoers fails visudo -c with the rule:\n${after.output}`);
    if (!visudoParsed(after.output, finalPath))
      await undo(
        `sudo does not read ${config.sudoersDir}: add "@includedir ${config.sudoersDir}" to /etc/sudoers`,
      );
  } catch (error) {
    if (error instanceof Refusal) throw error;
    // Anything unforeseen (a full disk…): nothing stays, the portal is told.
    await undo(`${error.message}`);
  }
  host.print(
    `granted ${id}: ${user} may use sudo on ${config.resource} until ${record.expiresAt} (${formatDuration(durationMs)}), reported to ${config.source} as ${userRef}`,
  );
  return 0;
}

/** Why a grant's record says its rule must not go in place, or undefined. */
function stillToInstall(record, id, now) {
  if (!record || record.revoked)
    return `revoked while granting: the portal revoked ${id} before its rule was in place`;
  if (record.ended)
    return `the agent gave ${id} up (${record.ended.why}) before its rule was in place`;
  if (now >= Date.parse(record.expiresAt))
    return `${id} expired before its rule was in place`;
  return undefined;
}
