// The OpenSSH connector's settings: the environment file the PAM hook reads
// too (KEY=value lines), overridden by ACTIVE_SESSIONS_* variables.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export const DEFAULT_CONFIG_FILE = '/etc/active-sessions/openssh.env';

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

/**
 * The settings, with their defaults; `missing` names the required ones
 * that are not set (the agent refuses to start, the check reports them).
 */
export function readAgentConfig(path = DEFAULT_CONFIG_FILE) {
  const values = readEnvFile(path);
  return {
    file: path,
    fileExists: existsSync(path),
    url: values.ACTIVE_SESSIONS_URL,
    token: values.ACTIVE_SESSIONS_TOKEN,
    missing: ['ACTIVE_SESSIONS_URL', 'ACTIVE_SESSIONS_TOKEN'].filter(
      key => !values[key],
    ),
    // As the hook derives it: a connector id is lower-case letters, digits, dashes.
    source:
      values.ACTIVE_SESSIONS_SOURCE ??
      `openssh-${hostname()
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63),
    spool: values.ACTIVE_SESSIONS_SPOOL ?? '/run/active-sessions/openssh',
    state:
      values.ACTIVE_SESSIONS_STATE ?? '/var/lib/active-sessions/openssh-cursor',
    waitSeconds: Number(values.ACTIVE_SESSIONS_WAIT ?? 25),
    activityEveryMs: Number(values.ACTIVE_SESSIONS_ACTIVITY_MS ?? 60_000),
    verbose: values.ACTIVE_SESSIONS_VERBOSE === '1',
    sshdPath: values.ACTIVE_SESSIONS_SSHD,
    pamService: values.ACTIVE_SESSIONS_PAM_SERVICE ?? 'sshd',
  };
}
