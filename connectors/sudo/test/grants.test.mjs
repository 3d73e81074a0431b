// node --test connectors/sudo/test: the rule the grant command writes, and
// what the agent accepts as its own (e2e/sudo.mjs runs them for real).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  dropInPath,
  dropInState,
  dropInText,
  formatDuration,
  generalizedTime,
  isGrantId,
  listRecords,
  newGrantId,
  parseDropIn,
  parseDuration,
  readRecord,
  removeDropIn,
  removeRecord,
  removeTempDropIn,
  sudoHasNotAfter,
  tempDropInPath,
  userNameProblem,
  visudoParsed,
  writeRecord,
  ensureStateDir,
} from '../grants.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'active-sessions-sudo-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const ID = 'sudo-0123456789abcdef';
const EXPIRES = Date.UTC(2026, 0, 2, 3, 4, 5);

test('durations: days, hours, minutes, seconds, and nothing else', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('15m'), 900_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('1d'), 86_400_000);
  assert.equal(parseDuration(' 2h '), 7_200_000);
  for (const bad of [
    '',
    'soon',
    '5',
    '-1h',
    '1.5h',
    '1w',
    'h',
    '2h1d',
    undefined,
  ])
    assert.equal(parseDuration(bad), undefined, String(bad));
  assert.equal(formatDuration(5_400_000), '1h30m');
  assert.equal(formatDuration(90_061_000), '1d1h1m1s');
  assert.equal(formatDuration(0), '0s');
});

test('NOTAFTER takes generalized time, and sudo 1.9.10 or later', () => {
  assert.equal(generalizedTime(EXPIRES + 678), '20260102030405Z');
  assert.equal(sudoHasNotAfter('Sudo version 1.9.13p3'), true);
  assert.equal(sudoHasNotAfter('Sudo version 1.9.10'), true);
  assert.equal(sudoHasNotAfter('Sudo version 1.9.9'), false);
  assert.equal(sudoHasNotAfter('Sudo version 1.8.31'), false);
  assert.equal(sudoHasNotAfter('Sudo version 2.0.0'), true);
  assert.equal(sudoHasNotAfter(undefined), false);
});

test('user names that cannot mean anything else in sudoers, only', () => {
  for (const good of ['jane', 'jane.doe', '_svc', 'a-b_c9', 'x'.repeat(32)])
    assert.equal(userNameProblem(good), undefined, good);
  for (const bad of [
    '',
    'Jane',
    'ALL',
    'jane doe',
    'jane,root',
    'jane ALL=(ALL) ALL',
    '%sudo',
    '#0',
    '+netgroup',
    'a:b',
    'x=y',
    'jane\n',
    '1abc',
    '-jane',
    'x'.repeat(33),
    'jane\\',
    undefined,
  ])
    assert.match(userNameProblem(bad), /user name/, JSON.stringify(bad));
});

test('grant ids: sudo- and 16 hex digits; paths only from them', () => {
  assert.ok(isGrantId(newGrantId()));
  assert.notEqual(newGrantId(), newGrantId());
  for (const bad of [
    'sudo-0123',
    '../../etc/sudoers',
    `${ID}/..`,
    `${ID}.tmp`,
    'SUDO-0123456789ABCDEF',
    7,
  ])
    assert.equal(isGrantId(bad), false, String(bad));
  assert.equal(
    dropInPath('/etc/sudoers.d', ID),
    `/etc/sudoers.d/active-sessions-${ID}`,
  );
  assert.throws(
    () => dropInPath('/etc/sudoers.d', '../sudoers'),
    /not a sudo grant id/,
  );
});

test('the rule: the user, NOTAFTER, NOPASSWD and the commands; its first line names the grant', () => {
  const text = dropInText({
    id: ID,
    user: 'jane',
    expiresAt: EXPIRES,
    commands: 'ALL',
    askPassword: false,
    notAfter: true,
  });
  assert.equal(
    text,
    [
      `# Active Sessions grant ${ID} for jane until 2026-01-02T03:04:05.000Z`,
      "# Written by the sudo connector's grant command; its agent removes it.",
      'jane ALL=(ALL:ALL) NOTAFTER=20260102030404Z NOPASSWD: ALL',
      '',
    ].join('\n'),
  );
  assert.deepEqual(parseDropIn(text), {
    id: ID,
    user: 'jane',
    expiresAt: EXPIRES,
  });
  const asking = dropInText({
    id: ID,
    user: 'jane',
    expiresAt: EXPIRES,
    commands: '/usr/bin/systemctl, /usr/bin/journalctl',
    askPassword: true,
    notAfter: false,
  });
  assert.match(
    asking,
    /^jane ALL=\(ALL:ALL\) \/usr\/bin\/systemctl, \/usr\/bin\/journalctl$/m,
  );
  assert.doesNotMatch(asking, /NOPASSWD|NOTAFTER/);
  assert.equal(parseDropIn('jane ALL=(ALL) ALL\n'), undefined);
});

test('nothing but checked values gets into the rule', () => {
  const args = {
    id: ID,
    expiresAt: EXPIRES,
    commands: 'ALL',
    askPassword: false,
    notAfter: true,
  };
  assert.throws(
    () => dropInText({ ...args, user: 'jane ALL=(ALL) NOPASSWD: ALL\nroot' }),
    /user name/,
  );
  assert.throws(
    () => dropInText({ ...args, user: 'jane', id: 'sudo-1\nx' }),
    /grant id/,
  );
  assert.throws(
    () =>
      dropInText({ ...args, user: 'jane', commands: 'ALL\njoe ALL=(ALL) ALL' }),
    /one line/,
  );
});

test(
  'visudo takes the rule (when sudo is installed)',
  { skip: !existsSync('/usr/sbin/visudo') },
  () => {
    const file = join(scratch, 'rule');
    writeFileSync(
      file,
      dropInText({
        id: ID,
        user: 'jane.doe',
        expiresAt: EXPIRES,
        commands: 'ALL',
        askPassword: false,
        notAfter: sudoHasNotAfter(
          execFileSync('/usr/bin/sudo', ['-V'], { encoding: 'utf8' }),
        ),
      }),
    );
    execFileSync('/usr/sbin/visudo', ['-c', '-q', '-f', file]);
  },
);

test('a drop-in is ours only as the grant command wrote it; anything else is left alone', () => {
  const dir = mkdtempSync(join(scratch, 'sudoers.d-'));
  const path = dropInPath(dir, ID);
  assert.equal(dropInState(dir, ID), 'absent');
  assert.equal(removeDropIn(dir, ID), 'absent');

  writeFileSync(
    path,
    dropInText({
      id: ID,
      user: 'jane',
      expiresAt: EXPIRES,
      commands: 'ALL',
      askPassword: false,
      notAfter: true,
    }),
    { mode: 0o440 },
  );
  assert.equal(dropInState(dir, ID), 'ours');
  assert.equal(removeDropIn(dir, ID), 'ours');
  assert.equal(existsSync(path), false);

  // Another grant's header, someone's own rule, a link: never removed.
  const other = 'sudo-fedcba9876543210';
  writeFileSync(
    path,
    dropInText({
      id: other,
      user: 'jane',
      expiresAt: EXPIRES,
      commands: 'ALL',
      askPassword: false,
      notAfter: true,
    }),
  );
  assert.equal(removeDropIn(dir, ID), 'foreign');
  writeFileSync(path, 'jane ALL=(ALL) ALL\n');
  assert.equal(removeDropIn(dir, ID), 'foreign');
  rmSync(path);
  const target = join(dir, 'elsewhere');
  writeFileSync(
    target,
    dropInText({
      id: ID,
      user: 'jane',
      expiresAt: EXPIRES,
      commands: 'ALL',
      askPassword: false,
      notAfter: true,
    }),
  );
  symlinkSync(target, path);
  assert.equal(removeDropIn(dir, ID), 'foreign');
  assert.match(readFileSync(target, 'utf8'), /^# Active Sessions grant/);
  rmSync(path);
  // Writable by others: not one the grant command wrote.
  writeFileSync(
    path,
    dropInText({
      id: ID,
      user: 'jane',
      expiresAt: EXPIRES,
      commands: 'ALL',
      askPassword: false,
      notAfter: true,
    }),
    { mode: 0o666 },
  );
  execFileSync('chmod', ['666', path]);
  assert.equal(removeDropIn(dir, ID), 'foreign');
  assert.ok(existsSync(path));
});

test('records: by id only, naming that id, in a directory of the owner only', () => {
  const state = join(scratch, 'state');
  ensureStateDir(state);
  const record = {
    externalId: ID,
    user: 'jane',
    uid: 1001,
    startsAt: new Date(EXPIRES - 1000).toISOString(),
    expiresAt: new Date(EXPIRES).toISOString(),
  };
  writeRecord(state, record);
  assert.deepEqual(readRecord(state, ID), record);
  assert.deepEqual(listRecords(state), [record]);
  assert.equal(readRecord(state, '../grants/x'), undefined);
  // A record by one name that names another id does not count.
  const other = 'sudo-fedcba9876543210';
  writeFileSync(
    join(state, 'grants', `${other}.json`),
    JSON.stringify({ ...record }),
    { mode: 0o600 },
  );
  assert.equal(readRecord(state, other), undefined);
  // Nor one with a user name sudoers could read otherwise.
  writeFileSync(
    join(state, 'grants', `${other}.json`),
    JSON.stringify({ ...record, externalId: other, user: 'jane,root' }),
  );
  assert.equal(readRecord(state, other), undefined);
  assert.deepEqual(
    listRecords(state).map(r => r.externalId),
    [ID],
  );
  removeRecord(state, ID);
  assert.equal(readRecord(state, ID), undefined);
  const unsafe = join(scratch, 'unsafe');
  ensureStateDir(unsafe);
  execFileSync('chmod', ['777', unsafe]);
  assert.throws(() => ensureStateDir(unsafe), /writable by others/);
});

test('visudo -c parsed the drop-in, however its include line spells the directory', () => {
  const path = `/etc/sudoers.d/active-sessions-${ID}`;
  const output = (dir, name = `active-sessions-${ID}`) =>
    `/etc/sudoers: parsed OK\n${dir}${name}: parsed OK\n`;
  assert.ok(visudoParsed(output('/etc/sudoers.d/'), path));
  // `@includedir /etc/sudoers.d/`: visudo names it with two slashes.
  assert.ok(visudoParsed(output('/etc/sudoers.d//'), path));
  assert.ok(
    visudoParsed(
      output('/etc/sudoers.d/'),
      '/etc/sudoers.d//' + path.split('/').pop(),
    ),
  );
  assert.ok(!visudoParsed(output('/etc/other.d/'), path));
  assert.ok(
    !visudoParsed(output('/etc/sudoers.d/', `active-sessions-${ID}.tmp`), path),
  );
  assert.ok(!visudoParsed(`${path}: syntax error\n`, path));
});

test('the rule not yet in force: a dot-file beside the drop-ins, removed only if ours', () => {
  const dir = mkdtempSync(join(scratch, 'temp.d-'));
  const path = tempDropInPath(dir, ID);
  assert.equal(path, join(dir, `.active-sessions-${ID}.tmp`));
  removeTempDropIn(dir, ID); // absent: nothing to do
  writeFileSync(path, 'jane ALL=(ALL) ALL\n');
  removeTempDropIn(dir, ID);
  assert.ok(existsSync(path), 'not the grant command’s: left alone');
  writeFileSync(
    path,
    dropInText({
      id: ID,
      user: 'jane',
      expiresAt: EXPIRES,
      commands: 'ALL',
      askPassword: false,
      notAfter: true,
    }),
  );
  removeTempDropIn(dir, ID);
  assert.equal(existsSync(path), false);
});
