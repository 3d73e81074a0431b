// node --test connectors/sudo/test: the settings and the values refused.
import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileTrustProblem, readConfig } from '../agentConfig.mjs';

const dir = mkdtempSync(join(tmpdir(), 'active-sessions-sudo-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
for (const key of Object.keys(process.env))
  if (key.startsWith('ACTIVE_SESSIONS_')) delete process.env[key];

/** This user's files count as root's would (the tests may not run as root). */
const own = { ownerUid: process.getuid() };

function configOf(lines, options = {}) {
  const file = join(dir, `${Math.random()}.env`);
  writeFileSync(file, lines.join('\n'), { mode: 0o600 });
  return readConfig(file, { ...own, ...options });
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

test('the file, quoted values, and the environment over it only when asked (the agent)', () => {
  const lines = [
    'ACTIVE_SESSIONS_URL=https://portal.example.com/api/sessions',
    'ACTIVE_SESSIONS_TOKEN="abc def"',
    'export ACTIVE_SESSIONS_SOURCE=sudo-web01',
    'ACTIVE_SESSIONS_RESOURCE=web01',
    'ACTIVE_SESSIONS_MAX_DURATION=8h',
    "ACTIVE_SESSIONS_SUDO_COMMANDS='/usr/bin/systemctl, /usr/bin/journalctl'",
  ];
  const environment = {
    ACTIVE_SESSIONS_RESOURCE: 'web01-from-env',
    ACTIVE_SESSIONS_VISUDO: '/tmp/visudo',
    HOME: '/root',
  };
  const config = configOf(lines, { environment });
  assert.equal(config.fileProblem, undefined);
  assert.deepEqual(config.missing, []);
  assert.equal(config.token, 'abc def');
  assert.equal(config.source, 'sudo-web01');
  assert.equal(config.resource, 'web01-from-env');
  assert.equal(config.visudoPath, '/tmp/visudo');
  assert.equal(config.maxDurationMs, 8 * 3_600_000);
  assert.equal(config.commands, '/usr/bin/systemctl, /usr/bin/journalctl');
  // Without: the process's own environment counts for nothing.
  process.env.ACTIVE_SESSIONS_RESOURCE = 'web01-from-env';
  try {
    const fileOnly = configOf(lines);
    assert.equal(fileOnly.resource, 'web01');
    assert.equal(fileOnly.visudoPath, '/usr/sbin/visudo');
  } finally {
    delete process.env.ACTIVE_SESSIONS_RESOURCE;
  }
});

test('a file others could have written is not read at all', () => {
  const lines = [
    'ACTIVE_SESSIONS_URL=https://evil.example.com',
    'ACTIVE_SESSIONS_TOKEN=x',
    'ACTIVE_SESSIONS_VISUDO=/tmp/evil',
  ];
  const base = mkdtempSync(join(dir, 'trust-'));
  const file = join(base, 'sudo.env');
  writeFileSync(file, lines.join('\n'), { mode: 0o600 });
  assert.deepEqual(fileTrustProblem(file, own), { real: file });

  chmodSync(file, 0o620);
  let config = readConfig(file, own);
  assert.equal(config.fileProblem, `${file} is writable by group or others`);
  assert.equal(config.url, undefined);
  assert.equal(config.visudoPath, '/usr/sbin/visudo');
  assert.deepEqual(config.missing, [
    'ACTIVE_SESSIONS_URL',
    'ACTIVE_SESSIONS_TOKEN',
  ]);
  chmodSync(file, 0o600);

  // Owned by another user than the one it must be (root).
  assert.equal(
    readConfig(file, { ownerUid: process.getuid() + 1 }).fileProblem,
    `${file} is not owned by uid ${process.getuid() + 1}`,
  );
  // A directory above it others can change (they could swap the file).
  chmodSync(base, 0o777);
  config = readConfig(file, own);
  assert.equal(
    config.fileProblem,
    `${base} (a directory above ${file}) is writable by group or others`,
  );
  assert.equal(config.url, undefined);
  // Sticky, like /tmp: nobody else can rename or remove its entries.
  chmodSync(base, 0o1777);
  assert.equal(readConfig(file, own).fileProblem, undefined);
  chmodSync(base, 0o700);

  // A link: what it points to is what counts.
  const open = join(dir, 'open');
  mkdirSync(open, { mode: 0o700 });
  chmodSync(open, 0o777);
  const target = join(open, 'real.env');
  writeFileSync(target, lines.join('\n'), { mode: 0o600 });
  const link = join(base, 'link.env');
  symlinkSync(target, link);
  assert.equal(
    readConfig(link, own).fileProblem,
    `${open} (a directory above ${target}) is writable by group or others`,
  );
});

test('Unix users mapped to catalog users', () => {
  const config = configOf([
    'ACTIVE_SESSIONS_USER_REFS=jane=user:people/Jane.Doe, bob=user:default/robert',
  ]);
  assert.deepEqual(config.problems, []);
  assert.deepEqual(
    [...config.userRefs],
    [
      ['jane', 'user:people/jane.doe'],
      ['bob', 'user:default/robert'],
    ],
  );
  assert.equal(
    configOf(['ACTIVE_SESSIONS_USER_REFS=jane=group:default/admins x=y'])
      .problems.length,
    2,
  );
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
