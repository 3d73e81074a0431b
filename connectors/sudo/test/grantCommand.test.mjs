// node --test connectors/sudo/test: the grant command against a scratch
// host — what it refuses, and a revoke arriving while it grants.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  Refusal,
  UsageError,
  accountProblem,
  grant,
  realHost,
} from '../grantCommand.mjs';
import { readConfig } from '../agentConfig.mjs';
import { withGrantLock } from '../grantLock.mjs';
import { dropInPath, readRecord, tempDropInPath } from '../grants.mjs';
import { fakePortal, fakeProcesses, scratchHost } from './scratchHost.mjs';

const hosts = [];
after(() => {
  for (const host of hosts) rmSync(host.root, { recursive: true, force: true });
});
const newHost = lines => {
  const host = scratchHost(lines);
  hosts.push(host);
  return host;
};
const grantedId = host =>
  /^granted (sudo-[0-9a-f]{16}):/.exec(host.printed.at(-1))?.[1];
/** The sudoers directory's names, hidden ones too. */
const files = host => readdirSync(host.sudoersDir).sort();

test('a grant: reported as pending first, then in place and installed', async () => {
  const host = newHost();
  const seen = [];
  const api = fakePortal({
    '/connector/grants/report': body => {
      const id = body.grants[0].externalId;
      // Recorded before the portal hears of it; not in force yet.
      seen.push(readRecord(host.state, id)?.state);
      seen.push(existsSync(dropInPath(host.sudoersDir, id)));
      return { ended: [], refused: [] };
    },
  });
  assert.equal(await grant(host.args(), host.grantHost(api)), 0);
  const id = grantedId(host);
  assert.deepEqual(seen, ['pending', false]);
  assert.equal(readRecord(host.state, id).state, 'installed');
  assert.deepEqual(files(host), [`active-sessions-${id}`]);
  assert.equal(api.calls[0].body.grants[0].userRef, 'user:default/jane');
});

test('a revoke delivered while the grant is reported is carried out: the rule never goes in', async () => {
  const host = newHost();
  const processes = fakeProcesses();
  const agent = host.agent({
    api: fakePortal(),
    findSudo: processes.findSudo,
    end: processes.end,
  });
  const answers = [];
  const api = fakePortal({
    // The portal lists the grant, someone presses Revoke, and the agent
    // gets the order before the grant command hears back.
    '/connector/grants/report': async body => {
      const order = {
        id: 7,
        action: 'revoke_grant',
        externalId: body.grants[0].externalId,
      };
      answers.push(await agent.carryOut(order));
      return { ended: [], refused: [] };
    },
  });
  await assert.rejects(
    grant(host.args(), host.grantHost(api)),
    error =>
      error instanceof Refusal &&
      /revoked while granting: the portal revoked sudo-[0-9a-f]{16} before its rule was in place/.test(
        error.message,
      ),
  );
  const id = api.calls[0].body.grants[0].externalId;
  // Confirmed, and true: no rule, in force or waiting.
  assert.deepEqual(answers, [{ outcome: 'done' }]);
  assert.deepEqual(files(host), []);
  assert.equal(existsSync(tempDropInPath(host.sudoersDir, id)), false);
  // The tombstone answers the order delivered again until the portal has
  // the acknowledgement, then goes.
  assert.equal(readRecord(host.state, id).revoked.outcome, 'done');
  assert.deepEqual(
    await agent.carryOut({ id: 7, action: 'revoke_grant', externalId: id }),
    { outcome: 'done' },
  );
  await agent.acknowledged([{ id: 7, externalId: id }]);
  assert.equal(readRecord(host.state, id), undefined);
  // Not told to the portal as ended at the source: it was revoked there.
  assert.deepEqual(
    api.calls.map(call => call.path),
    ['/connector/grants/report'],
  );
});

test('a revoke acknowledged before the grant command goes on: still refused', async () => {
  const host = newHost();
  const agent = host.agent({ api: fakePortal(), findSudo: () => [] });
  const api = fakePortal({
    '/connector/grants/report': async body => {
      const order = {
        id: 8,
        action: 'revoke_grant',
        externalId: body.grants[0].externalId,
      };
      await agent.carryOut(order);
      await agent.acknowledged([order]);
      return { ended: [], refused: [] };
    },
  });
  await assert.rejects(
    grant(host.args(), host.grantHost(api)),
    /revoked while granting/,
  );
  assert.deepEqual(files(host), []);
});

test('the agent waits for the grant command holding the lock, then removes the rule it put in place', async () => {
  const host = newHost();
  const processes = fakeProcesses();
  const agent = host.agent({
    api: fakePortal(),
    findSudo: processes.findSudo,
    end: processes.end,
  });
  let revoking;
  let answered = false;
  // The order comes in just as the grant command has taken the lock to
  // put the rule in place.
  const lock = (state, id, task) =>
    withGrantLock(state, id, async () => {
      if (!revoking) {
        const order = { id: 9, action: 'revoke_grant', externalId: id };
        revoking = agent.carryOut(order).then(answer => {
          answered = true;
          return answer;
        });
        await new Promise(resolve => setTimeout(resolve, 50));
        assert.equal(answered, false, 'the agent waits for the lock');
      }
      return task();
    });
  assert.equal(
    await grant(host.args(), host.grantHost(fakePortal(), { lock })),
    0,
  );
  assert.deepEqual(await revoking, { outcome: 'done' });
  assert.deepEqual(files(host), []);
});

test('revoked as soon as the rule is in place: the agent takes it out, the grant command says so', async () => {
  const host = newHost();
  const agent = host.agent({ api: fakePortal(), findSudo: () => [] });
  const answers = [];
  const lock = async (state, id, task) => {
    const result = await withGrantLock(state, id, task);
    // The order comes in just after the grant command let go of the lock.
    if (!answers.length)
      answers.push(
        await agent.carryOut({ id: 3, action: 'revoke_grant', externalId: id }),
      );
    return result;
  };
  const api = fakePortal();
  await assert.rejects(
    grant(host.args(), host.grantHost(api, { lock })),
    /revoked while granting: the portal revoked sudo-[0-9a-f]{16} as its rule went in place, and the agent took it out/,
  );
  assert.deepEqual(answers, [{ outcome: 'done' }]);
  assert.deepEqual(files(host), []);
  // Not reported ended at the source: the portal revoked it.
  assert.deepEqual(
    api.calls.map(call => call.path),
    ['/connector/grants/report'],
  );
});

test('a revoke after the rule is in place removes it and ends the sudo', async () => {
  const host = newHost();
  const processes = fakeProcesses();
  const agent = host.agent({
    api: fakePortal(),
    findSudo: processes.findSudo,
    end: processes.end,
  });
  await grant(host.args(), host.grantHost(fakePortal()));
  const id = grantedId(host);
  const sleeper = processes.start('jane');
  assert.deepEqual(
    await agent.carryOut({ id: 1, action: 'revoke_grant', externalId: id }),
    { outcome: 'done' },
  );
  assert.equal(sleeper.alive, false);
  assert.deepEqual(files(host), []);
});

test('the configuration must be root’s alone: a file others can write is refused', async () => {
  const host = newHost();
  chmodSync(host.configFile, 0o666);
  const api = fakePortal();
  await assert.rejects(
    grant(host.args(), host.grantHost(api)),
    /sudo\.env is writable by group or others: the configuration names the programs this command runs as root/,
  );
  chmodSync(host.configFile, 0o600);
  chmodSync(host.root, 0o777);
  await assert.rejects(
    grant(host.args(), host.grantHost(api)),
    /\(a directory above .*sudo\.env\) is writable by group or others/,
  );
  chmodSync(host.root, 0o700);
  // Owned by someone else than the owner it must have (root).
  await assert.rejects(
    grant(
      host.args(),
      host.grantHost(api, {
        readConfig: file =>
          readConfig(file, { ownerUid: process.getuid() + 1 }),
      }),
    ),
    /sudo\.env is not owned by uid \d+/,
  );
  assert.equal(api.calls.length, 0);
});

test('the grant command takes nothing from the environment', () => {
  const host = newHost();
  const saved = { ...process.env };
  try {
    process.env.ACTIVE_SESSIONS_VISUDO = '/tmp/evil';
    process.env.ACTIVE_SESSIONS_SUDOERS_DIR = '/tmp/evil.d';
    process.env.ACTIVE_SESSIONS_URL = 'http://evil.invalid';
    const config = realHost.readConfig(host.configFile);
    assert.equal(config.visudoPath, '/usr/sbin/visudo');
    assert.notEqual(config.sudoersDir, '/tmp/evil.d');
    assert.notEqual(config.url, 'http://evil.invalid');
  } finally {
    for (const key of Object.keys(process.env))
      if (!(key in saved)) delete process.env[key];
  }
});

test('--user-ref only as the configuration maps the user', async () => {
  const host = newHost(['ACTIVE_SESSIONS_USER_REFS=jane=user:people/Jane.Doe']);
  const api = fakePortal();
  await assert.rejects(
    grant(
      host.args('jane', '--user-ref', 'user:default/ceo'),
      host.grantHost(api),
    ),
    /--user-ref user:default\/ceo is not the catalog user the configuration gives jane \(user:people\/jane\.doe\)/,
  );
  await assert.rejects(
    grant(
      host.args('joe', '--user-ref', 'user:people/jane.doe'),
      host.grantHost(api),
    ),
    /not the catalog user the configuration gives joe \(user:default\/joe\)/,
  );
  assert.equal(api.calls.length, 0);
  // Mapped: with or without --user-ref, the mapping's.
  await grant(
    host.args('jane', '--user-ref', 'user:people/jane.doe'),
    host.grantHost(api),
  );
  await grant(host.args('jane'), host.grantHost(api));
  assert.deepEqual(
    api.calls.map(call => call.body.grants[0].userRef),
    ['user:people/jane.doe', 'user:people/jane.doe'],
  );
});

test('an option given twice is a usage error (a sudo rule pins the first)', async () => {
  const host = newHost();
  await assert.rejects(
    grant(
      [...host.args(), '--config', '/tmp/other.env'],
      host.grantHost(fakePortal()),
    ),
    error =>
      error instanceof UsageError &&
      /--config is given more than once/.test(error.message),
  );
});

test('accounts: root, system accounts, nobody and dynamic users, no login', () => {
  const defs = 'UID_MIN 1000\nUID_MAX 60000\n';
  const person = { name: 'jane', uid: 1001, shell: '/bin/bash' };
  assert.equal(accountProblem(person, defs), undefined);
  assert.equal(accountProblem({ ...person, uid: 60000 }, defs), undefined);
  assert.match(accountProblem({ ...person, uid: 0 }, defs), /root needs/);
  assert.match(accountProblem({ ...person, uid: 999 }, defs), /system account/);
  for (const uid of [65534, 61184, 65519, 60001, 100000])
    assert.match(
      accountProblem({ ...person, uid }, defs),
      /not a person's account \(uid \d+: nobody, a dynamic or a container user, above UID_MAX 60000/,
      String(uid),
    );
  // 65534 is nobody's whatever UID_MAX says; the defaults without the file.
  assert.match(
    accountProblem({ ...person, uid: 65534 }, 'UID_MAX 4000000'),
    /nobody/,
  );
  assert.match(accountProblem({ ...person, uid: 70000 }, ''), /UID_MAX 60000/);
  for (const shell of [
    '/usr/sbin/nologin',
    '/sbin/nologin',
    '/bin/false',
    '/usr/bin/false',
  ])
    assert.match(
      accountProblem({ ...person, shell }, defs),
      /cannot log in/,
      shell,
    );
});

test('nobody and an account without a login are refused, nothing changed', async () => {
  const host = newHost();
  const api = fakePortal();
  await assert.rejects(
    grant(host.args('nobody'), host.grantHost(api)),
    /nobody is not a person's account \(uid 65534/,
  );
  await assert.rejects(
    grant(host.args('backup'), host.grantHost(api)),
    /backup cannot log in \(shell \/usr\/sbin\/nologin\)/,
  );
  assert.equal(api.calls.length, 0);
  assert.deepEqual(files(host), []);
});

test('visudo naming the drop-in with a double slash (@includedir …/) is sudo reading it', async () => {
  const host = newHost();
  host.visudoOutput.slash = '//';
  assert.equal(await grant(host.args(), host.grantHost(fakePortal())), 0);
  assert.deepEqual(files(host), [`active-sessions-${grantedId(host)}`]);
});

test('not included by sudo: refused, rule and record taken out, the portal told', async () => {
  const host = newHost();
  host.visudoOutput.slash = '/elsewhere/';
  const api = fakePortal();
  await assert.rejects(
    grant(host.args(), host.grantHost(api)),
    /sudo does not read/,
  );
  const id = api.calls[0].body.grants[0].externalId;
  assert.deepEqual(files(host), []);
  assert.equal(readRecord(host.state, id), undefined);
  assert.deepEqual(
    api.calls.map(call => call.path),
    ['/connector/grants/report', '/connector/grants/end'],
  );
  assert.ok(!existsSync(join(host.state, 'grants', `${id}.lock`)));
});
