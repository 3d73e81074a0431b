// The sudo connector's settings: an environment file (KEY=value lines),
// overridden by ACTIVE_SESSIONS_* variables. The grant command and the
// agent read the same file.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { MAX_GRANT_MS, formatDuration, parseDuration } from './grants.mjs';

export const DEFAULT_CONFIG_FILE = '/etc/active-sessions/sudo.env';

function readEnvFile(path) {
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

/** A connector id as the portal takes it: lower-case letters, digits, dashes. */
const hostId = () =>
  hostname()
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');

/**
 * The settings, with their defaults. `missing` names the required ones not
 * set and `problems` the values that make no sense: the agent and the grant
 * command refuse to start on either, the check reports them.
 */
export function readConfig(path = DEFAULT_CONFIG_FILE) {
  const values = readEnvFile(path);
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
  return {
    file: path,
    fileExists: existsSync(path),
    url: values.ACTIVE_SESSIONS_URL,
    token: values.ACTIVE_SESSIONS_TOKEN,
    missing: ['ACTIVE_SESSIONS_URL', 'ACTIVE_SESSIONS_TOKEN'].filter(
      key => !values[key],
    ),
    problems,
    source,
    namespace: namespace.toLowerCase(),
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
