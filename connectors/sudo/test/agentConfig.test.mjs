// node --test connectors/sudo/test: the settings and the values refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readConfig } from '../agentConfig.mjs';

const dir = mkdtempSync(join(tmpdir(), 'active-sessions-sudo-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
for (const key of Object.keys(process.env))
  if (key.startsWith('ACTIVE_SESSIONS_')) delete process.env[key];

function configOf(lines) {
  const file = join(dir, `${Math.random()}.env`);
  writeFileSync(file, lines.join('\n'));
  return readConfig(file);
}

test('defaults, and the required settings named when missing', () => {
  const config = readConfig(join(dir, 'absent.env'));
  assert.deepEqual(config.missing, [
    'ACTIVE_SESSIONS_URL',
    'ACTIVE_SESSIONS_TOKEN',
  ]);
  assert.deepEqual(config.problems, []);
  assert.match(config.source, /^sudo-[a-z0-9-]+$/);
  assert.equal(config.sudoersDir, '/etc/sudoers.d');
  assert.equal(config.state, '/var/lib/active-sessions/sudo');
  assert.equal(config.minDurationMs, 60_000);
  assert.equal(config.maxDurationMs, 86_400_000);
  assert.equal(config.commands, 'ALL');
  assert.equal(config.askPassword, false);
  assert.equal(config.waitSeconds, 25);
});

test('the file, quoted values and the environment over it', () => {
  process.env.ACTIVE_SESSIONS_RESOURCE = 'web01-from-env';
  try {
    const config = configOf([
      'ACTIVE_SESSIONS_URL=https://portal.example.com/api/sessions',
      'ACTIVE_SESSIONS_TOKEN="abc def"',
      'export ACTIVE_SESSIONS_SOURCE=sudo-web01',
      'ACTIVE_SESSIONS_RESOURCE=web01',
      'ACTIVE_SESSIONS_MAX_DURATION=8h',
      "ACTIVE_SESSIONS_SUDO_COMMANDS='/usr/bin/systemctl, /usr/bin/journalctl'",
    ]);
    assert.deepEqual(config.missing, []);
    assert.equal(config.token, 'abc def');
    assert.equal(config.source, 'sudo-web01');
    assert.equal(config.resource, 'web01-from-env');
    assert.equal(config.maxDurationMs, 8 * 3_600_000);
    assert.equal(config.commands, '/usr/bin/systemctl, /usr/bin/journalctl');
  } finally {
    delete process.env.ACTIVE_SESSIONS_RESOURCE;
  }
});

test('settings that make no sense are problems, by name', () => {
  const { problems } = configOf([
    'ACTIVE_SESSIONS_MIN_DURATION=a while',
    'ACTIVE_SESSIONS_MAX_DURATION=400d',
    'ACTIVE_SESSIONS_SOURCE=Sudo_Web01',
    'ACTIVE_SESSIONS_WAIT=60',
    'ACTIVE_SESSIONS_USER_NAMESPACE=a/b',
  ]);
  assert.equal(problems.length, 5, problems.join('\n'));
  assert.match(
    problems.join('\n'),
    /ACTIVE_SESSIONS_MIN_DURATION=a while is not a duration/,
  );
  assert.match(
    problems.join('\n'),
    /ACTIVE_SESSIONS_MAX_DURATION is over 366d/,
  );
  assert.match(
    problems.join('\n'),
    /ACTIVE_SESSIONS_SOURCE=Sudo_Web01 is not a connector id/,
  );
  assert.match(problems.join('\n'), /ACTIVE_SESSIONS_WAIT=60/);
  assert.match(problems.join('\n'), /ACTIVE_SESSIONS_USER_NAMESPACE=a\/b/);
  assert.match(
    configOf([
      'ACTIVE_SESSIONS_MIN_DURATION=2h',
      'ACTIVE_SESSIONS_MAX_DURATION=1h',
    ]).problems[0],
    /MIN_DURATION is longer than/,
  );
});
