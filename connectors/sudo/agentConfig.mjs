// The sudo connector's settings: an environment file (KEY=value lines).
// The grant command runs as root the programs it names, reports where it
// says and writes the rules it shapes, so it is read only when root owns
// it and nobody else can change it or a directory above it, and nothing
// from the environment counts for the grant command (whoever runs it,
// through sudo or SSH, could set that). The agent, started by root
// (systemd's Environment=), also takes ACTIVE_SESSIONS_* variables over it.
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import {
  MAX_GRANT_MS,
  formatDuration,
  isUserRef,
  parseDuration,
  userNameProblem,
} from './grants.mjs';

export const DEFAULT_CONFIG_FILE = '/etc/active-sessions/sudo.env';

/**
 * Why the file at `path` might not be root's own, or undefined when only
 * root (`ownerUid`) can have written it: a regular file of root's, not
 * writable by group or others, in directories of root's that only root
 * can change — or that are sticky (/tmp), where nobody else can rename or
 * remove root's entries. Links are followed: the file and directories
 * checked are those that are read. `real` is the path to read.
 */
export function fileTrustProblem(path, { ownerUid = 0 } = {}) {
  let real;
  try {
    real = realpathSync(path);
  } catch (error) {
    return { problem: `${path}: ${error.message}` };
  }
  const owner = ownerUid === 0 ? 'root' : `uid ${ownerUid}`;
  try {
    return ownedBy(real, ownerUid, owner);
  } catch (error) {
    return { real, problem: `${real}: ${error.message}` };
  }
}

function ownedBy(real, ownerUid, owner) {
  const stat = lstatSync(real);
  if (!stat.isFile()) return { real, problem: `${real} is not a file` };
  if (stat.uid !== ownerUid)
    return { real, problem: `${real} is not owned by ${owner}` };
  if ((stat.mode & 0o022) !== 0)
    return { real, problem: `${real} is writable by group or others` };
  for (let dir = dirname(real); ; dir = dirname(dir)) {
    const above = lstatSync(dir);
    if (above.uid !== ownerUid && above.uid !== 0)
      return {
        real,
        problem: `${dir} (a directory above ${real}) is not owned by ${owner}`,
      };
    if ((above.mode & 0o022) !== 0 && (above.mode & 0o1000) === 0)
      return {
        real,
        problem: `${dir} (a directory above ${real}) is writable by group or others`,
      };
    if (dir === dirname(dir)) break;
  }
  return { real };
}

function parseEnvFile(text) {
  const values = {};
  for (const line of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Z_]+)=(.*)$/.exec(line);
    if (match)
      values[match[1]] = match[2].trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/** A connector id as the portal takes it: lower-case letters, digits, dashes. */
const hostId = () =>
  hostname()
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');

/**
 * The settings of file `path` (with `environment`'s ACTIVE_SESSIONS_*
 * variables over it), with their defaults. `fileProblem` says why the
 * file was not read, `missing` names the required settings not set and
 * `problems` the values that make no sense: the agent and the grant
 * command refuse to start on any, the check reports them. `ownerUid`: the
 * file's owner, root but in tests.
 */
export function readConfig(
  path = DEFAULT_CONFIG_FILE,
  { environment = {}, ownerUid = 0 } = {},
) {
  const fileExists = existsSync(path);
  const trust = fileExists ? fileTrustProblem(path, { ownerUid }) : {};
  // A file root's alone: not a single value of it otherwise.
  const values =
    fileExists && !trust.problem
      ? parseEnvFile(readFileSync(trust.real, 'utf8'))
      : {};
  for (const [key, value] of Object.entries(environment)) {
    if (key.startsWith('ACTIVE_SESSIONS_')) values[key] = value;
  }
  const problems = [];
  const duration = (key, fallback) => {
    const text = values[key] ?? fallback;
    const ms = parseDuration(text);
    if (ms === undefined) {
      problems.push(
        `${key}=${text} is not a duration such as 30m, 2h or 1h30m`,
      );
      return parseDuration(fallback);
    }
    return ms;
  };
  const number = (key, fallback, min, max) => {
    const text = values[key] ?? String(fallback);
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      problems.push(
        `${key}=${text} is not a whole number from ${min} to ${max}`,
      );
      return fallback;
    }
    return value;
  };
  const minDurationMs = duration('ACTIVE_SESSIONS_MIN_DURATION', '1m');
  const maxDurationMs = duration('ACTIVE_SESSIONS_MAX_DURATION', '24h');
  if (maxDurationMs > MAX_GRANT_MS)
    problems.push(
      `ACTIVE_SESSIONS_MAX_DURATION is over ${formatDuration(MAX_GRANT_MS)}: the portal takes no longer grant`,
    );
  if (minDurationMs > maxDurationMs)
    problems.push(
      'ACTIVE_SESSIONS_MIN_DURATION is longer than ACTIVE_SESSIONS_MAX_DURATION',
    );
  const commands = values.ACTIVE_SESSIONS_SUDO_COMMANDS ?? 'ALL';
  // Set by root in the configuration; visudo checks the rule it makes.
  // One line, so that it can only be the command list of the grant's rule.
  if (!commands.trim() || /[\u0000-\u001f\u007f]/.test(commands))
    problems.push(
      'ACTIVE_SESSIONS_SUDO_COMMANDS must be one line of sudoers commands',
    );
  const namespace = values.ACTIVE_SESSIONS_USER_NAMESPACE ?? 'default';
  if (!/^[a-z0-9][a-z0-9_.-]{0,62}$/i.test(namespace))
    problems.push(
      `ACTIVE_SESSIONS_USER_NAMESPACE=${namespace} is not an entity namespace`,
    );
  const source =
    values.ACTIVE_SESSIONS_SOURCE ?? `sudo-${hostId()}`.slice(0, 63);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(source))
    problems.push(
      `ACTIVE_SESSIONS_SOURCE=${source} is not a connector id (lower-case letters, digits, dashes)`,
    );
  // Unix user → catalog user, where the name is not the catalog's:
  // `jane=user:default/jane.doe, bob=user:people/bob`.
  const userRefs = new Map();
  for (const entry of (values.ACTIVE_SESSIONS_USER_REFS ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)) {
    const [name, ref = ''] = entry.split(/=(.*)/s);
    if (userNameProblem(name) || !isUserRef(ref.toLowerCase()))
      problems.push(
        `ACTIVE_SESSIONS_USER_REFS: ${entry} is not <unix user>=user:<namespace>/<name>`,
      );
    else userRefs.set(name, ref.toLowerCase());
  }
  return {
    file: path,
    fileExists,
    fileProblem: trust.problem,
    url: values.ACTIVE_SESSIONS_URL,
    token: values.ACTIVE_SESSIONS_TOKEN,
    missing: ['ACTIVE_SESSIONS_URL', 'ACTIVE_SESSIONS_TOKEN'].filter(
      key => !values[key],
    ),
    problems,
    source,
    namespace: namespace.toLowerCase(),
    userRefs,
    resource: values.ACTIVE_SESSIONS_RESOURCE ?? hostname(),
    sudoersDir: values.ACTIVE_SESSIONS_SUDOERS_DIR ?? '/etc/sudoers.d',
    state: values.ACTIVE_SESSIONS_STATE ?? '/var/lib/active-sessions/sudo',
    minDurationMs,
    maxDurationMs,
    commands: commands.trim(),
    askPassword: values.ACTIVE_SESSIONS_ASK_PASSWORD === '1',
    sudoPath: values.ACTIVE_SESSIONS_SUDO ?? '/usr/bin/sudo',
    visudoPath: values.ACTIVE_SESSIONS_VISUDO ?? '/usr/sbin/visudo',
    waitSeconds: number('ACTIVE_SESSIONS_WAIT', 25, 0, 25),
    tickMs: number('ACTIVE_SESSIONS_TICK_MS', 1000, 100, 60_000),
    timeoutSeconds: number('ACTIVE_SESSIONS_TIMEOUT', 10, 1, 120),
  };
}
