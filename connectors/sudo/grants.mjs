// Grants as this connector keeps them on a host: the sudoers drop-in that
// gives the privilege, and the record beside it in the connector's own
// root-only state directory that says the grant command wrote it. Both are
// named by the grant's id, `sudo-<16 hex digits>`: nothing an order or a
// user name says ever becomes part of a path or of sudoers syntax.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, normalize } from 'node:path';

/** The drop-ins' file-name prefix; sudo skips names with a dot, so has none. */
export const DROP_IN_PREFIX = 'active-sessions-';
/** The portal takes grants ending at most 366 days from now. */
export const MAX_GRANT_MS = 366 * 86_400_000;

const GRANT_ID = /^sudo-[0-9a-f]{16}$/;
export const newGrantId = () => `sudo-${randomBytes(8).toString('hex')}`;
export const isGrantId = id => typeof id === 'string' && GRANT_ID.test(id);

/** The drop-in of a grant; throws on anything but a grant id. */
export function dropInPath(dir, id) {
  if (!isGrantId(id)) throw new Error(`not a sudo grant id: ${id}`);
  return join(dir, `${DROP_IN_PREFIX}${id}`);
}

/**
 * A user name that is safe in a sudoers rule as it is: lower-case letters,
 * digits, `_`, `.` and `-`, starting with a letter or `_`, at most 32 long
 * (no `%group`, `#uid`, `+netgroup`, alias, space, comma, colon or `=`).
 */
const SAFE_USER_NAME = /^[a-z_][a-z0-9_.-]{0,31}$/;

/** Why a user name cannot be granted sudo here, or undefined. */
export function userNameProblem(name) {
  if (typeof name !== 'string' || name === '') return 'no user name given';
  if (!SAFE_USER_NAME.test(name))
    return `not a valid user name: ${JSON.stringify(name)} (lower-case letters, digits, _ . -, at most 32)`;
  return undefined;
}

/** A catalog user's entity ref as the portal keeps it (lower-case). */
export const isUserRef = ref =>
  typeof ref === 'string' &&
  ref.length <= 255 &&
  /^user:[a-z0-9_.-]+\/[a-z0-9_.@-]+$/.test(ref);

/** `30s`, `15m`, `2h`, `1d`, `1h30m` → milliseconds; undefined otherwise. */
export function parseDuration(text) {
  const match =
    /^\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?\s*$/.exec(
      String(text ?? ''),
    );
  if (!match || !match.slice(1).some(Boolean)) return undefined;
  const [d, h, m, s] = match.slice(1).map(part => Number(part ?? 0));
  return (((d * 24 + h) * 60 + m) * 60 + s) * 1000;
}

/** Milliseconds as `1d2h30m15s` (whole seconds). */
export function formatDuration(ms) {
  let rest = Math.floor(ms / 1000);
  const parts = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ]) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count) parts.push(`${count}${unit}`);
  }
  return parts.join('') || '0s';
}

/** An instant as sudoers' NOTAFTER takes it: `yyyymmddHHMMSSZ`, UTC. */
export const generalizedTime = ms =>
  new Date(ms)
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** Whether this sudo takes NOTBEFORE/NOTAFTER in sudoers files (1.9.10+). */
export function sudoHasNotAfter(versionText) {
  const match = /Sudo version (\d+)\.(\d+)\.(\d+)/.exec(versionText ?? '');
  if (!match) return false;
  const [major, minor, patch] = match.slice(1).map(Number);
  return (
    major > 1 || (major === 1 && (minor > 9 || (minor === 9 && patch >= 10)))
  );
}

/** The version line of the sudo installed, or undefined without one. */
export function sudoVersion(sudoPath) {
  try {
    return execFileSync(sudoPath, ['-V'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return undefined;
  }
}

/**
 * The drop-in giving `user` sudo until `expiresAt`. Its first line names the
 * grant, for the agent to check before removing it; only checked values go
 * into it (the reason never does). `notAfter`: sudo itself stops honouring
 * the rule at the expiry, even with the agent down (sudo 1.9.10 and later).
 * sudo honours a rule through the whole second NOTAFTER names, so it names
 * the last second before the expiry.
 */
export function dropInText({
  id,
  user,
  expiresAt,
  commands,
  askPassword,
  notAfter,
}) {
  if (!isGrantId(id)) throw new Error(`not a sudo grant id: ${id}`);
  const problem = userNameProblem(user);
  if (problem) throw new Error(problem);
  if (/[\u0000-\u001f\u007f]/.test(commands))
    throw new Error('commands must be one line');
  const options = [
    notAfter ? `NOTAFTER=${generalizedTime(expiresAt - 1000)} ` : '',
    askPassword ? '' : 'NOPASSWD: ',
  ].join('');
  return [
    `# Active Sessions grant ${id} for ${user} until ${new Date(expiresAt).toISOString()}`,
    "# Written by the sudo connector's grant command; its agent removes it.",
    `${user} ALL=(ALL:ALL) ${options}${commands}`,
    '',
  ].join('\n');
}

/** The grant a drop-in's first line names, or undefined when it names none. */
export function parseDropIn(text) {
  const match =
    /^# Active Sessions grant (sudo-[0-9a-f]{16}) for ([a-z_][a-z0-9_.-]*) until (\S+)\n/.exec(
      text,
    );
  return match
    ? { id: match[1], user: match[2], expiresAt: Date.parse(match[3]) }
    : undefined;
}

/** A file only root (this process's user) can have written: no link, ours, not writable by others. */
function isOwnFile(stat) {
  return (
    stat.isFile() && stat.uid === process.getuid() && (stat.mode & 0o022) === 0
  );
}

/** Why a directory the connector writes in is unsafe, or undefined. */
export function directoryProblem(dir) {
  try {
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return `${dir} is not a directory`;
    if (stat.uid !== process.getuid())
      return `${dir} is not owned by ${process.getuid() === 0 ? 'root' : 'this user'}`;
    if ((stat.mode & 0o022) !== 0) return `${dir} is writable by others`;
    return undefined;
  } catch (error) {
    return `${dir}: ${error.code === 'ENOENT' ? 'does not exist' : error.message}`;
  }
}

/**
 * What the drop-in of grant `id` is: `absent`, `ours` (a file of root's
 * whose first line names this grant) or `foreign` (anything else by that
 * name, which is never touched).
 */
export function dropInState(dir, id) {
  const path = dropInPath(dir, id);
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if (error.code === 'ENOENT') return 'absent';
    throw error;
  }
  if (!isOwnFile(stat)) return 'foreign';
  return parseDropIn(readFileSync(path, 'utf8'))?.id === id
    ? 'ours'
    : 'foreign';
}

/** Removes grant `id`'s drop-in if it is ours; says what it found. */
export function removeDropIn(dir, id) {
  const state = dropInState(dir, id);
  if (state === 'ours') rmSync(dropInPath(dir, id), { force: true });
  return state;
}

/**
 * Where the grant command writes grant `id`'s rule before it is in force:
 * beside the drop-ins, with a dot, which sudo skips.
 */
export const tempDropInPath = (dir, id) =>
  join(dir, `.${basename(dropInPath(dir, id))}.tmp`);

/** Removes grant `id`'s rule not yet in force, if it is ours. */
export function removeTempDropIn(dir, id) {
  const path = tempDropInPath(dir, id);
  try {
    const stat = lstatSync(path);
    if (isOwnFile(stat) && parseDropIn(readFileSync(path, 'utf8'))?.id === id)
      rmSync(path, { force: true });
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
}

// ---- records: /var/lib/active-sessions/sudo/grants/<id>.json -------------
//
// A record is `pending` from before the grant is reported until its rule is
// in place (`installed`); `revoked` (an order took it: kept, with the
// outcome, until the portal has the acknowledgement) and `ended` (the
// clock took it: kept until the portal has the end) are tombstones.

const recordsDir = state => join(state, 'grants');
const recordPath = (state, id) => {
  if (!isGrantId(id)) throw new Error(`not a sudo grant id: ${id}`);
  return join(recordsDir(state), `${id}.json`);
};

/** Creates the state directories, root only; throws when they are unsafe. */
export function ensureStateDir(state) {
  for (const dir of [state, recordsDir(state)]) {
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    const problem = directoryProblem(dir);
    if (problem) throw new Error(problem);
  }
}

/** Writes a record atomically (root only), replacing any. */
export function writeRecord(state, record) {
  const path = recordPath(state, record.externalId);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/**
 * The record of grant `id`, when the grant command wrote one: a file of
 * root's by exactly that name, naming that id. Undefined otherwise.
 */
export function readRecord(state, id) {
  if (!isGrantId(id)) return undefined;
  const path = recordPath(state, id);
  try {
    if (!isOwnFile(lstatSync(path))) return undefined;
    const record = JSON.parse(readFileSync(path, 'utf8'));
    return record?.externalId === id &&
      userNameProblem(record.user) === undefined
      ? record
      : undefined;
  } catch {
    return undefined;
  }
}

/** Every record, oldest first by start. */
export function listRecords(state) {
  let names;
  try {
    names = readdirSync(recordsDir(state));
  } catch {
    return [];
  }
  return names
    .map(name => /^(sudo-[0-9a-f]{16})\.json$/.exec(name)?.[1])
    .filter(Boolean)
    .map(id => readRecord(state, id))
    .filter(Boolean)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

export function removeRecord(state, id) {
  rmSync(recordPath(state, id), { force: true });
}

// ---- visudo -----------------------------------------------------------------

/** Runs visudo; `{ ok, output }` with what it printed. */
export function visudo(visudoPath, args) {
  try {
    const output = execFileSync(visudoPath, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { ok: true, output };
  } catch (error) {
    if (error.code === 'ENOENT')
      return {
        ok: false,
        output: `${visudoPath} not found (is sudo installed?)`,
      };
    return {
      ok: false,
      output:
        `${error.stderr ?? ''}${error.stdout ?? ''}`.trim() || error.message,
    };
  }
}

/**
 * Whether `visudo -c`'s output says it parsed `path` (is it included?).
 * visudo names a file as the include line spells its directory, so
 * `@includedir /etc/sudoers.d/` gives `/etc/sudoers.d//<file>`.
 */
export const visudoParsed = (output, path) =>
  output.split('\n').some(line => {
    const match = /^(.+): parsed OK$/.exec(line.trim());
    return match !== null && normalize(match[1]) === normalize(path);
  });
