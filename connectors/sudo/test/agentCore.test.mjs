// node --test connectors/sudo/test: the agent against a scratch host — an
// order delivered again, survivors, expiries with a portal that hangs, and
// one bad record among many.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RETRY_EVERY_MS } from '../agentCore.mjs';
import { grant } from '../grantCommand.mjs';
import {
  dropInPath,
  dropInText,
  ensureStateDir,
  readRecord,
  writeRecord,
} from '../grants.mjs';
import { fakePortal, fakeProcesses, scratchHost } from './scratchHost.mjs';

const hosts = [];
after(() => {
  for (const host of hosts) rmSync(host.root, { recursive: true, force: true });
});

const NOW = Date.UTC(2026, 5, 1, 12);
let counter = 0;

/** A scratch host with installed grants as the grant command leaves them. */
function hostWithGrants(grants) {
  const host = scratchHost();
  hosts.push(host);
  ensureStateDir(host.state);
  host.records = grants.map(
    ({ user = 'jane', uid = 1001, startsAt, expiresAt }) => {
      const id = `sudo-${(++counter).toString(16).padStart(16, '0')}`;
      writeFileSync(
        dropInPath(host.sudoersDir, id),
        dropInText({
          id,
          user,
          expiresAt,
          commands: 'ALL',
          askPassword: false,
          notAfter: true,
        }),
        { mode: 0o440 },
      );
      const record = {
        externalId: id,
        user,
        uid,
        userRef: `user:default/${user}`,
        target: 'web01',
        grantedBy: 'tester',
        reason: 'test',
        startsAt: new Date(startsAt).toISOString(),
        expiresAt: new Date(expiresAt).toISOString(),
        dropIn: dropInPath(host.sudoersDir, id),
        state: 'installed',
      };
      writeRecord(host.state, record);
      return record;
    },
  );
  return host;
}

const revokeOf = (record, id = 1) => ({
  id,
  action: 'revoke_grant',
  externalId: record.externalId,
});

test('a revoke whose sudo survives stays failed when delivered again, and is retried', async () => {
  const host = hostWithGrants([{ startsAt: NOW, expiresAt: NOW + 3_600_000 }]);
  const [grant] = host.records;
  const processes = fakeProcesses();
  const stuck = processes.start('jane', { stuck: true, command: 'stuck' });
  let now = NOW + 1000;
  const agent = host.agent({
    api: fakePortal(),
    now: () => now,
    findSudo: processes.findSudo,
    end: processes.end,
  });
  const first = await agent.carryOut(revokeOf(grant));
  assert.equal(first.outcome, 'failed');
  assert.match(
    first.message,
    /sudoers rule removed, but jane's sudo is still running after 10 s: 1000 \(stuck\)/,
  );
  assert.equal(existsSync(grant.dropIn), false);
  // The acknowledgement did not reach the portal (a 503, a restart): the
  // order comes again. Never `not_found` — that would confirm the cut.
  const again = await agent.carryOut(revokeOf(grant));
  assert.deepEqual(again, first);
  assert.equal(processes.ends.length, 2, 'the survivors were tried again');
  assert.deepEqual(processes.ends[1], { graceMs: 0, deadlineMs: 1000 });
  const tombstone = readRecord(host.state, grant.externalId).revoked;
  assert.equal(tombstone.outcome, 'failed');
  assert.deepEqual(tombstone.survivors, [
    { pid: stuck.pid, startTicks: '1', command: 'stuck' },
  ]);
  // Gone at last: the order delivered again is `done`.
  stuck.stuck = false;
  assert.deepEqual(await agent.carryOut(revokeOf(grant)), { outcome: 'done' });
  await agent.acknowledged([revokeOf(grant)]);
  assert.equal(readRecord(host.state, grant.externalId), undefined);
  // And only now does a later delivery find nothing.
  assert.deepEqual(await agent.carryOut(revokeOf(grant)), {
    outcome: 'not_found',
  });
});

test('survivors of an acknowledged revoke are retried on the clock, then forgotten', async () => {
  const host = hostWithGrants([{ startsAt: NOW, expiresAt: NOW + 3_600_000 }]);
  const [grant] = host.records;
  const processes = fakeProcesses();
  const stuck = processes.start('jane', { stuck: true });
  let now = NOW + 1000;
  const agent = host.agent({
    api: fakePortal(),
    now: () => now,
    findSudo: processes.findSudo,
    end: processes.end,
  });
  assert.equal((await agent.carryOut(revokeOf(grant))).outcome, 'failed');
  await agent.acknowledged([revokeOf(grant)]);
  assert.equal(
    readRecord(host.state, grant.externalId).revoked.acknowledged,
    true,
  );
  await agent.enforce(now + 1000);
  assert.equal(processes.ends.length, 1, 'not before its time');
  now += RETRY_EVERY_MS;
  await agent.enforce(now);
  assert.equal(processes.ends.length, 2);
  assert.ok(readRecord(host.state, grant.externalId), 'kept while it survives');
  stuck.stuck = false;
  now += RETRY_EVERY_MS;
  await agent.enforce(now);
  assert.equal(stuck.alive, false);
  assert.equal(readRecord(host.state, grant.externalId), undefined);
});

test('an acknowledgement the portal answered 503: the order delivered again gets the same outcome', async () => {
  const host = hostWithGrants([{ startsAt: NOW, expiresAt: NOW + 3_600_000 }]);
  const [grant] = host.records;
  const processes = fakeProcesses();
  processes.start('jane', { stuck: true });
  const acks = [];
  let agent;
  const order = { ...revokeOf(grant, 41), cursor: 41 };
  const api = fakePortal({
    '/connector/commands': (body, path) =>
      path.includes('after=0')
        ? { commands: [order], cursor: 41 }
        : (() => {
            agent.stop();
            throw new Error('stopped');
          })(),
    '/connector/commands/ack': body => {
      acks.push(...body.acks.map(ack => ack.outcome));
      if (acks.length === 1)
        throw new Error('/connector/commands/ack answered 503: db busy');
      return { acknowledged: [41] };
    },
  });
  agent = host.agent({
    api,
    findSudo: processes.findSudo,
    end: processes.end,
    feedRetryMs: 1,
  });
  await agent.followOrders();
  assert.deepEqual(acks, ['failed', 'failed']);
  assert.equal(
    readRecord(host.state, grant.externalId).revoked.acknowledged,
    true,
  );
});

test('an expiry whose sudo survives is not ended until it is gone', async () => {
  const host = hostWithGrants([{ startsAt: NOW, expiresAt: NOW + 60_000 }]);
  const [grant] = host.records;
  const processes = fakeProcesses();
  const stuck = processes.start('jane', { stuck: true });
  const api = fakePortal();
  const agent = host.agent({
    api,
    findSudo: processes.findSudo,
    end: processes.end,
  });
  let now = NOW + 61_000;
  await agent.enforce(now);
  let record = readRecord(host.state, grant.externalId);
  assert.equal(record.ended, undefined);
  assert.equal(record.ending.why, 'expired');
  assert.match(record.ending.message, /still running/);
  assert.equal(existsSync(grant.dropIn), false);
  // Not reported ended while its sudo runs.
  await agent.reportEnds(now + 600_000);
  assert.deepEqual(api.calls, []);
  stuck.stuck = false;
  now += RETRY_EVERY_MS;
  await agent.enforce(now);
  record = readRecord(host.state, grant.externalId);
  assert.deepEqual(record.ended, { at: grant.expiresAt, why: 'expired' });
  assert.equal(record.ending, undefined);
  assert.equal(stuck.alive, false);
});

test('an expiry is enforced within a second or two while the portal never answers the end report', async () => {
  const now = Date.now();
  const host = hostWithGrants([
    // Expired long ago and taken away: its end waits to be reported.
    { startsAt: now - 7_200_000, expiresAt: now - 3_600_000 },
    { startsAt: now - 1000, expiresAt: now + 300 },
  ]);
  const [old, soon] = host.records;
  writeRecord(host.state, {
    ...old,
    ended: { at: old.expiresAt, why: 'expired' },
  });
  rmSync(old.dropIn);
  const hang = () => new Promise(() => {});
  const api = fakePortal({
    '/connector/commands': hang,
    '/connector/grants/report': hang,
    '/connector/grants/end': hang,
  });
  const agent = host.agent({ api, findSudo: () => [], reportEveryMs: 50 });
  agent.run();
  try {
    const deadline = Date.now() + 2000;
    while (existsSync(soon.dropIn) && Date.now() < deadline) await sleep(20);
    assert.equal(
      existsSync(soon.dropIn),
      false,
      'the expired rule is still there',
    );
    assert.ok(Date.now() - Date.parse(soon.expiresAt) < 2000);
    assert.ok(
      api.calls.some(call => call.path === '/connector/grants/report'),
      'the end report was tried, and hangs',
    );
  } finally {
    agent.stop();
  }
});

test('a record that fails does not hold up the expiry of the others', async () => {
  const host = hostWithGrants([
    { user: 'joe', uid: 1002, startsAt: NOW - 2000, expiresAt: NOW - 1000 },
    { user: 'jane', uid: 1001, startsAt: NOW - 1000, expiresAt: NOW - 500 },
  ]);
  const [broken, fine] = host.records;
  const logged = [];
  const agent = host.agent({
    api: fakePortal(),
    log: line => logged.push(line),
    findSudo: user => {
      if (user.name === 'joe') throw new Error('EIO reading /proc');
      return [];
    },
  });
  await agent.enforce(NOW);
  assert.deepEqual(readRecord(host.state, fine.externalId).ended, {
    at: fine.expiresAt,
    why: 'expired',
  });
  assert.equal(existsSync(fine.dropIn), false);
  assert.equal(readRecord(host.state, broken.externalId).ended, undefined);
  assert.ok(
    logged.some(line =>
      line.includes(`${broken.externalId}: EIO reading /proc`),
    ),
  );
});

test('a pending grant its grant command never installed is given up after the grace', async () => {
  const host = hostWithGrants([{ startsAt: NOW, expiresAt: NOW + 3_600_000 }]);
  const [grant] = host.records;
  writeRecord(host.state, { ...grant, state: 'pending' });
  rmSync(grant.dropIn);
  const agent = host.agent({ api: fakePortal(), findSudo: () => [] });
  // The configured timeout (10 s) plus the lock's wait and a margin.
  await agent.enforce(NOW + 30_000);
  assert.equal(readRecord(host.state, grant.externalId).ended, undefined);
  await agent.enforce(NOW + 46_000);
  assert.deepEqual(readRecord(host.state, grant.externalId).ended, {
    at: new Date(NOW + 46_000).toISOString(),
    why: 'never installed',
  });
});

test('a grant command slower than the grace finds its grant given up, and puts no rule in place', async () => {
  const host = scratchHost();
  hosts.push(host);
  const agent = host.agent({ api: fakePortal(), findSudo: () => [] });
  const api = fakePortal({
    // The portal takes longer than the agent waits (a clock jump, a stop).
    '/connector/grants/report': async () => {
      await agent.enforce(Date.now() + 46_000);
      return { ended: [], refused: [] };
    },
  });
  await assert.rejects(
    grant(host.args(), host.grantHost(api)),
    /the agent gave sudo-[0-9a-f]{16} up \(never installed\) before its rule was in place/,
  );
  assert.deepEqual(readdirSync(host.sudoersDir), []);
});
