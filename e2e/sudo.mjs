// End-to-end test of the sudo connector (connectors/sudo) against a running
// backend, with real sudo and a real test user: the agent follows the order
// feed, grants are made with the connector's grant command, and the portal
// actions are done through the user API as an admin (or, to give a grant
// back, as its holder). `sudo -n true` as the test user must fail before a
// grant, work after it, and fail again once Revoke is pressed: 20 times, to
// measure press-to-denied latency. A running `sudo sleep` is ended by the
// revoke; a give-back ends the grant too; bad input (an unknown user, a name
// that is sudoers syntax, root, a system account, nobody, a catalog user the
// configuration does not give, durations out of range, a rule visudo
// refuses, a configuration file others can write) is refused with a message
// and changes nothing, and the caller's ACTIVE_SESSIONS_* variables count
// for nothing; orders for grants the grant command did not make are
// refused, and a restarted agent reading every order again removes
// nothing. Last, the expiry: with the portal unreachable for the agent, an
// expired grant is taken away on the host (rule removed, `sudo sleep`
// ended) and reported once the portal is back; and with the agent stopped,
// sudo itself refuses after the expiry (the rule's NOTAFTER).
//
// Needs root (a test user, /etc/sudoers.d) and Debian's sudo, whose
// /etc/sudoers reads /etc/sudoers.d; scripts/setup.sh installs it.
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { sudoReadmeProblems } from './sudoReadme.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONNECTOR = join(root, 'connectors', 'sudo');
const GRANT = join(CONNECTOR, 'grant.mjs');
const AGENT = join(CONNECTOR, 'agent.mjs');
const UNIX_USER = 'asess-sudo-e2e';
const USER_REF = `user:default/${UNIX_USER}`;
const SOURCE = 'sudo-e2e';
const RESOURCE = 'e2e-sudo-host';
const SUDOERS_DIR = '/etc/sudoers.d';
const DROP_IN_PREFIX = 'active-sessions-';
/** The shortest grant the test's configuration allows (the default is 1m). */
const MIN_DURATION = '5s';

const log = message => console.log(`[sudo] ${message}`);

/** Waits for a condition, polling; fails with `what` after the timeout. */
async function until(what, condition, timeoutMs = 30_000, everyMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

function percentile(sorted, p) {
  const index = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, index)];
}

/** Parent and start time of every live process, from /proc. */
function processes() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      table.set(Number(name), {
        pid: Number(name),
        ppid: Number(fields[1]),
        startTicks: fields[19],
        command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(') ')),
      });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** The live processes under `pid`. */
function descendantsOf(pid) {
  const table = processes();
  return [...table.values()].filter(entry => {
    for (let at = entry.ppid; at > 1; at = table.get(at)?.ppid ?? 0)
      if (at === pid) return true;
    return false;
  });
}

const isAlive = ({ pid, startTicks }) =>
  processes().get(pid)?.startTicks === startTicks;

/**
 * A TCP proxy on loopback in front of the backend: the agent's only way to
 * the portal. The e2e runner starts one backend for every test and offers
 * no way to stop it and start it again, so "the backend is unreachable" is
 * this proxy closed — the listener and every connection through it.
 */
async function startProxy(target) {
  const sockets = new Set();
  let server;
  let port = 0;
  const open = () =>
    new Promise((resolve, reject) => {
      server = createServer(client => {
        const upstream = connect(target.port, target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = server.address().port;
        resolve();
      });
    });
  await open();
  return {
    port: () => port,
    open,
    async close() {
      const closed = new Promise(resolve => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** The test user's drop-ins this connector wrote (from any earlier run). */
function testDropIns() {
  return readdirSync(SUDOERS_DIR)
    .filter(name => name.startsWith(`${DROP_IN_PREFIX}sudo-`))
    .filter(name =>
      readFileSync(join(SUDOERS_DIR, name), 'utf8').startsWith(
        `# Active Sessions grant ${name.slice(DROP_IN_PREFIX.length)} for ${UNIX_USER} `,
      ),
    )
    .map(name => join(SUDOERS_DIR, name));
}

/** Every file of /etc/sudoers.d with its content and mode. */
function sudoersSnapshot() {
  return readdirSync(SUDOERS_DIR)
    .sort()
    .map(name => {
      const path = join(SUDOERS_DIR, name);
      return `${name} ${execFileSync('stat', ['-c', '%a %U', path], { encoding: 'utf8' }).trim()}\n${readFileSync(path, 'utf8')}`;
    })
    .join('\n');
}

/** Sets up the test user, the configuration and the agent. */
async function startHost(options) {
  if (process.getuid?.() !== 0) throw new Error('needs root');
  for (const program of ['/usr/bin/sudo', '/usr/sbin/visudo']) {
    if (!existsSync(program))
      throw new Error(
        `${program} is missing: sudo is not installed (scripts/setup.sh installs it)`,
      );
  }
  if (
    !/^\s*[@#]includedir\s+\/etc\/sudoers\.d\s*$/m.test(
      readFileSync('/etc/sudoers', 'utf8'),
    )
  ) {
    throw new Error('/etc/sudoers does not include /etc/sudoers.d');
  }
  try {
    execFileSync('id', [UNIX_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', UNIX_USER]);
  }
  // What an earlier run that was killed may have left.
  for (const path of testDropIns()) rmSync(path, { force: true });

  const backend = new URL(options.api);
  const proxy = await startProxy(backend);
  const dir = mkdtempSync(join(tmpdir(), 'active-sessions-sudo-'));
  const state = join(dir, 'state');
  const env = join(dir, 'sudo.env');
  let variants = 0;
  /** A configuration file: this test's settings and `extra` lines. */
  const writeConfig = (path, extra = []) => {
    writeFileSync(
      path,
      [
        `ACTIVE_SESSIONS_URL=http://127.0.0.1:${proxy.port()}${backend.pathname}`,
        `ACTIVE_SESSIONS_TOKEN=${options.connectorToken}`,
        `ACTIVE_SESSIONS_SOURCE=${SOURCE}`,
        `ACTIVE_SESSIONS_RESOURCE=${RESOURCE}`,
        `ACTIVE_SESSIONS_STATE=${state}`,
        // So that an expiry is seen within the test's wait.
        `ACTIVE_SESSIONS_MIN_DURATION=${MIN_DURATION}`,
        ...extra,
        '',
      ].join('\n'),
      // It holds the token and names what runs as root: root's alone, as
      // the README says (the test runs as root).
      { mode: 0o600 },
    );
    return path;
  };
  writeConfig(env);

  const agentLog = [];
  let agent;
  const startAgent = () => {
    agent = spawn(process.execPath, [AGENT, env], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    agent.stdout.on('data', chunk => agentLog.push(String(chunk)));
    agent.stderr.on('data', chunk => agentLog.push(String(chunk)));
  };
  startAgent();
  const sleepers = [];

  return {
    proxy,
    state,
    agentLog,
    agentLogText: (from = 0) => agentLog.slice(from).join(''),
    /** Stops the agent (SIGSTOP) or lets it go on (SIGCONT). */
    pauseAgent: () => agent.kill('SIGSTOP'),
    resumeAgent: () => agent.kill('SIGCONT'),
    /**
     * Restarts the agent without its cursor, so it reads every order again;
     * returns where the new agent's lines start in agentLog.
     */
    async restartAgentFromStart() {
      const closed = new Promise(resolve => agent.once('close', resolve));
      agent.kill('SIGTERM');
      await closed;
      rmSync(join(state, 'cursor'), { force: true });
      const from = agentLog.length;
      startAgent();
      return from;
    },
    /** `agent.mjs --check`: its exit code and what it printed. */
    async check() {
      try {
        const { stdout } = await run(process.execPath, [AGENT, '--check', env]);
        return { status: 0, output: stdout };
      } catch (error) {
        return { status: error.code, output: String(error.stdout) };
      }
    },
    /**
     * Another configuration file beside the agent's, with `extra` lines
     * and `mode`.
     */
    configWith(extra, mode = 0o600) {
      const path = writeConfig(join(dir, `sudo-${++variants}.env`), extra);
      chmodSync(path, mode);
      return path;
    },
    /**
     * The grant command with `args` (with the agent's configuration file
     * unless `config` names another, and `env` added to its environment):
     * status, output, id.
     */
    async grant(args, { env: extraEnv = {}, config = env } = {}) {
      try {
        const { stdout, stderr } = await run(
          process.execPath,
          [GRANT, '--config', config, ...args],
          { env: { ...process.env, ...extraEnv } },
        );
        const match = /^granted (sudo-[0-9a-f]{16}): .* until (\S+) /m.exec(
          stdout,
        );
        if (!match) throw new Error(`grant.mjs printed: ${stdout}${stderr}`);
        return {
          status: 0,
          stdout,
          stderr,
          id: match[1],
          expiresAt: Date.parse(match[2]),
          dropIn: join(SUDOERS_DIR, `${DROP_IN_PREFIX}${match[1]}`),
        };
      } catch (error) {
        if (typeof error.code !== 'number') throw error;
        return {
          status: error.code,
          stdout: error.stdout,
          stderr: error.stderr,
        };
      }
    },
    /** A grant that must succeed. */
    async granted(args, options) {
      const result = await this.grant(args, options);
      if (result.status !== 0)
        throw new Error(`grant.mjs ${args.join(' ')}: ${result.stderr}`);
      return result;
    },
    /** The agent's record of a grant, while it keeps one. */
    record(id) {
      const path = join(state, 'grants', `${id}.json`);
      return existsSync(path)
        ? JSON.parse(readFileSync(path, 'utf8'))
        : undefined;
    },
    /**
     * `sudo sleep 600` run by the test user, once sudo runs the command;
     * `exited` resolves when the user's side of it is gone.
     */
    async sudoSleep() {
      const child = spawn(
        'runuser',
        ['-u', UNIX_USER, '--', 'sudo', '-n', 'sleep', '600'],
        { stdio: 'ignore' },
      );
      const exited = new Promise(resolve =>
        child.once('exit', () => resolve(Date.now())),
      );
      sleepers.push(child);
      const tree = await until('sudo to run sleep as root', () => {
        if (child.exitCode !== null)
          throw new Error('sudo sleep 600 was refused or ended at once');
        const found = descendantsOf(child.pid);
        return found.some(entry => entry.command === 'sleep') && found;
      });
      return { child, exited, processes: tree };
    },
    async stop() {
      agent.kill('SIGCONT');
      agent.kill('SIGTERM');
      for (const child of sleepers) {
        for (const entry of descendantsOf(child.pid)) {
          try {
            process.kill(entry.pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
        child.kill('SIGKILL');
      }
      for (const path of testDropIns()) rmSync(path, { force: true });
      await proxy.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether `sudo -n true` works for the test user right now. */
async function sudoWorks() {
  try {
    await run('runuser', ['-u', UNIX_USER, '--', 'sudo', '-n', 'true']);
    return true;
  } catch {
    return false;
  }
}

/** The ref a user token speaks for (its `sub`). */
const subjectOf = token =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;

/**
 * Runs the test against the backend at `api` (…/api/sessions) and returns
 * the latencies; throws on the first failure. `stepUpProof` is a proof, or
 * a function giving a fresh one (revoking someone else's grant needs it).
 */
export async function runSudoTest(options) {
  const { api, adminToken, connectorToken, rounds = 20 } = options;
  const stepUpProof = async () =>
    typeof options.stepUpProof === 'function'
      ? options.stepUpProof()
      : options.stepUpProof;
  const adminRef = subjectOf(adminToken).toLowerCase();
  const asAdmin = async (path, init = {}) => {
    const proof = await stepUpProof();
    const response = await fetch(`${api}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${adminToken}`,
        'Content-Type': 'application/json',
        ...(proof && { 'x-sessions-step-up': proof }),
      },
    });
    if (!response.ok) {
      throw new Error(
        `${path} answered ${response.status}: ${await response.text()}`,
      );
    }
    return response.json();
  };
  /** Speaks for this connector's source, as anyone with its token can. */
  const asConnector = async (path, body) => {
    const response = await fetch(`${api}/connector${path}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${connectorToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ source: SOURCE, ...body }),
    });
    if (!response.ok) {
      throw new Error(
        `${path} answered ${response.status}: ${await response.text()}`,
      );
    }
    return response.json();
  };
  const grantsOf = async userRef =>
    (
      await asAdmin(
        `/grants?user=${encodeURIComponent(userRef)}&kind=device_admin&status=active,revoking,expired,revoked&sort=startsAt&order=desc&limit=200`,
      )
    ).items.filter(grant => grant.source === SOURCE);
  /** The portal's grant for a grant command's id. */
  const listed = (externalId, userRef = USER_REF) =>
    until(`grant ${externalId} to be listed`, async () =>
      (await grantsOf(userRef)).find(grant => grant.externalId === externalId),
    );
  const getGrant = id => asAdmin(`/grants/${id}`);
  /** The grant once its connector confirmed the removal. */
  const removalConfirmed = id =>
    until(
      'the removal to be confirmed',
      async () => {
        const now = await getGrant(id);
        if (now.cutFailure)
          throw new Error(`the agent failed: ${now.cutFailure}`);
        return now.status === 'revoked' && now.cutConfirmedAt ? now : undefined;
      },
      15_000,
    );
  const revoke = async grant => {
    const revoked = await asAdmin(`/grants/${grant.id}/revoke`, {
      method: 'POST',
      body: '{}',
    });
    if (revoked.status !== 'revoking')
      throw new Error(`a revoked grant is ${revoked.status}, not revoking`);
  };
  const sudoDenied = (what, timeoutMs = 10_000) =>
    until(what, async () => !(await sudoWorks()), timeoutMs, 5);

  // The README a sysadmin follows says what this test does.
  const readmeProblems = sudoReadmeProblems(CONNECTOR);
  if (readmeProblems.length > 0)
    throw new Error(`connectors/sudo/README.md: ${readmeProblems.join('; ')}`);
  log(
    'the connector README copies every file, lists every setting, and gives the service',
  );

  const host = await startHost(options);
  try {
    await until('the agent to follow the order feed', () =>
      host.agentLogText().includes('following orders'),
    );
    const checked = await host.check();
    if (checked.status !== 0 || !checked.output.includes('NOTAFTER'))
      throw new Error(`agent.mjs --check:\n${checked.output}`);
    log(
      `agent.mjs --check: ${checked.output.trim().split('\n').length} lines, no problems`,
    );

    if (await sudoWorks())
      throw new Error(
        `sudo -n true works for ${UNIX_USER} before any grant: it has sudo from elsewhere`,
      );
    log(`before any grant: sudo -n true is refused to ${UNIX_USER}`);

    // Bad input is refused with a message, and changes nothing: not
    // /etc/sudoers.d, not the agent's records, not the portal.
    const sudoersBefore = sudoersSnapshot();
    const portalBefore = (await grantsOf(USER_REF)).length;
    const base = { user: UNIX_USER, duration: '1h', reason: 'e2e: bad input' };
    const refusals = [
      [
        'an unknown user',
        { user: 'asess-no-such-user' },
        /no such user on this host: asess-no-such-user/,
      ],
      [
        'a user name that is sudoers syntax',
        { user: `${UNIX_USER} ALL=(ALL) NOPASSWD: ALL` },
        /not a valid user name/,
      ],
      ['root', { user: 'root' }, /root needs no grant/],
      ['a system account', { user: 'daemon' }, /daemon is a system account/],
      [
        'nobody',
        { user: 'nobody' },
        /nobody is not a person's account \(uid 65534/,
      ],
      [
        'a catalog user the configuration does not give',
        { 'user-ref': 'user:default/someone-else' },
        /--user-ref user:default\/someone-else is not the catalog user the configuration gives asess-sudo-e2e \(user:default\/asess-sudo-e2e\)/,
      ],
      [
        'a duration under the minimum',
        { duration: '4s' },
        /duration 4s is out of range: from 5s to 1d/,
      ],
      [
        'a duration over the maximum',
        { duration: '25h' },
        /duration 1d1h is out of range/,
      ],
      ['no duration at all', { duration: 'soon' }, /not a duration: "soon"/],
      ['an empty reason', { reason: '   ' }, /the reason is empty/],
      [
        'a rule visudo refuses',
        {
          config: host.configWith([
            'ACTIVE_SESSIONS_SUDO_COMMANDS=systemctl restart nginx',
          ]),
        },
        /the sudoers rule fails visudo -c:\n.*expected a fully-qualified path name/,
      ],
      [
        'a configuration file others can write',
        { config: host.configWith([], 0o622) },
        /sudo-\d+\.env is writable by group or others: the configuration names the programs this command runs as root/,
      ],
    ];
    for (const [what, change, message] of refusals) {
      const { config, ...args } = { ...base, ...change };
      const result = await host.grant(
        Object.entries(args).flatMap(([key, value]) => [`--${key}`, value]),
        { config },
      );
      if (result.status !== 1 || !message.test(result.stderr))
        throw new Error(
          `grant.mjs with ${what}: exit ${result.status}, ${result.stdout}${result.stderr}`,
        );
      if (!result.stderr.includes('Nothing was changed.'))
        throw new Error(`grant.mjs with ${what} does not say nothing changed`);
      if (sudoersSnapshot() !== sudoersBefore)
        throw new Error(`grant.mjs with ${what} changed ${SUDOERS_DIR}`);
      log(
        `refused ${what}: ${result.stderr.split('\n')[0].replace(/^grant\.mjs: refused: /, '')}`,
      );
    }
    if (
      existsSync(join(host.state, 'grants')) &&
      readdirSync(join(host.state, 'grants')).length
    )
      throw new Error('a refused grant left a record');
    if ((await grantsOf(USER_REF)).length !== portalBefore)
      throw new Error('a refused grant was reported to the portal');
    if (await sudoWorks()) throw new Error('a refused grant gave sudo');
    log(
      `${refusals.length} refusals: ${SUDOERS_DIR}, the records and the portal unchanged`,
    );

    // A grant, with a reason that is sudoers syntax: it is the portal's
    // text, and never gets into the rule. Whoever runs the grant command
    // sets its environment: that counts for nothing (this visudo, portal
    // and directory would fail the grant).
    const reason = `e2e: INC-1\n${UNIX_USER} ALL=(ALL) NOPASSWD: ALL\n#include /tmp/x`;
    const first = await host.granted(
      [
        '--user',
        UNIX_USER,
        '--duration',
        '1h',
        '--reason',
        reason,
        '--granted-by',
        'e2e approval #1',
      ],
      {
        env: {
          ACTIVE_SESSIONS_VISUDO: '/bin/false',
          ACTIVE_SESSIONS_URL: 'http://127.0.0.1:9/api/sessions',
          ACTIVE_SESSIONS_SUDOERS_DIR: '/nonexistent',
        },
      },
    );
    if (!(await sudoWorks()))
      throw new Error('sudo -n true fails after the grant');
    const rule = readFileSync(first.dropIn, 'utf8');
    const ruleLines = rule.trim().split('\n');
    if (
      ruleLines.length !== 3 ||
      rule.includes('INC-1') ||
      rule.includes('#include') ||
      !/^asess-sudo-e2e ALL=\(ALL:ALL\) NOTAFTER=\d{14}Z NOPASSWD: ALL$/.test(
        ruleLines[2],
      )
    )
      throw new Error(`the drop-in is not the rule alone:\n${rule}`);
    const firstGrant = await listed(first.id);
    const expected = {
      kind: 'device_admin',
      target: RESOURCE,
      targetType: 'device',
      reason,
      grantedBy: 'e2e approval #1',
      status: 'active',
      expiresAt: new Date(first.expiresAt).toISOString(),
    };
    for (const [key, value] of Object.entries(expected)) {
      if (firstGrant[key] !== value)
        throw new Error(
          `the portal's grant has ${key} ${JSON.stringify(firstGrant[key])}, not ${JSON.stringify(value)}`,
        );
    }
    log(
      `granted ${first.id} (ACTIVE_SESSIONS_* of the caller's environment ignored): sudo -n true works; the portal lists it until ${firstGrant.expiresAt}; the reason is not in the rule`,
    );

    // A running `sudo sleep` ends with the grant, revoked by a press of
    // Revoke on the portal's page where the caller gives one.
    const sleeper = await host.sudoSleep();
    await (options.pressRevoke ?? revoke)(firstGrant);
    await Promise.race([
      sleeper.exited,
      sleep(10_000).then(() => {
        throw new Error('the running sudo sleep was not ended within 10 s');
      }),
    ]);
    await until('the sudo and sleep processes to be gone', () =>
      sleeper.processes.every(entry => !isAlive(entry)),
    );
    await sudoDenied('sudo -n true to be refused after the revoke');
    if (existsSync(first.dropIn)) throw new Error('the drop-in is still there');
    await removalConfirmed(firstGrant.id);
    log(
      `revoked: the running sudo sleep (${sleeper.processes.map(p => `${p.pid} ${p.command}`).join(', ')}) was ended, the drop-in removed, the removal confirmed`,
    );

    // Press-to-denied, `rounds` times.
    const deniedMs = [];
    const confirmedMs = [];
    for (let round = 1; round <= rounds; round++) {
      const granted = await host.granted([
        '--user',
        UNIX_USER,
        '--duration',
        '2h',
        '--reason',
        `e2e: round ${round}`,
      ]);
      if (!(await sudoWorks()))
        throw new Error(`round ${round}: sudo -n true fails after the grant`);
      const grant = await listed(granted.id);
      const pressedAt = Date.now();
      await revoke(grant);
      await sudoDenied(`round ${round}: sudo -n true to be refused`);
      deniedMs.push(Date.now() - pressedAt);
      const confirmed = await removalConfirmed(grant.id);
      confirmedMs.push(Date.parse(confirmed.cutConfirmedAt) - pressedAt);
    }
    const summary = (name, values) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        text: `${name}: p50 ${percentile(sorted, 50)} ms, p95 ${percentile(sorted, 95)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms over ${sorted.length} runs`,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
      };
    };
    const denied = summary(
      'press-to-denied (Revoke → sudo -n true refused)',
      deniedMs,
    );
    const confirmed = summary(
      'press-to-confirm (Revoke → agent acknowledged)',
      confirmedMs,
    );
    log(denied.text);
    log(confirmed.text);
    if (denied.p99 > 2000)
      throw new Error(`press-to-denied p99 is ${denied.p99} ms, over 2000 ms`);

    // Given back by its holder (the admin holds this one: the configuration
    // maps the test user to the admin's catalog user).
    const held = await host.granted(
      [
        '--user',
        UNIX_USER,
        '--duration',
        '1h',
        '--reason',
        'e2e: give back',
        '--user-ref',
        adminRef,
      ],
      {
        config: host.configWith([
          `ACTIVE_SESSIONS_USER_REFS=${UNIX_USER}=${adminRef}`,
        ]),
      },
    );
    if (!(await sudoWorks()))
      throw new Error('sudo -n true fails after the grant');
    const heldGrant = await listed(held.id, adminRef);
    const givenBack = await asAdmin(`/grants/${heldGrant.id}/give-back`, {
      method: 'POST',
      body: '{}',
    });
    if (givenBack.status !== 'revoking')
      throw new Error(`a grant given back is ${givenBack.status}`);
    await sudoDenied('sudo -n true to be refused after the give-back');
    const back = await removalConfirmed(heldGrant.id);
    if (back.revokeReason !== 'given_back')
      throw new Error(`given back, the grant's reason is ${back.revokeReason}`);
    log(
      `given back by its holder ${adminRef}: sudo refused, removal confirmed`,
    );

    // Orders for grants the grant command did not make, reported under this
    // source by whoever holds its token: refused, and nothing is touched —
    // not even a file by the very name the agent would remove.
    const decoyId = 'sudo-00000000e2ede0c0';
    const decoy = join(SUDOERS_DIR, `${DROP_IN_PREFIX}${decoyId}`);
    writeFileSync(
      decoy,
      '# Written by the sudo e2e test, not by the grant command.\n',
      { mode: 0o440 },
    );
    try {
      const refusedOrders = [
        [decoyId, `not a grant this connector made: ${decoyId}`],
        ['../../sudoers', 'not a sudo grant id: "../../sudoers"'],
      ];
      for (const [externalId, refusal] of refusedOrders) {
        await asConnector('/grants/report', {
          grants: [
            {
              externalId,
              kind: 'device_admin',
              userRef: USER_REF,
              target: RESOURCE,
              targetType: 'device',
              expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
            },
          ],
        });
        const grant = await listed(externalId);
        await revoke(grant);
        const answered = await until(
          `the agent to answer the order for ${externalId}`,
          async () => {
            const now = await getGrant(grant.id);
            return now.cutFailure || now.cutConfirmedAt ? now : undefined;
          },
          10_000,
        );
        if (!answered.cutFailure?.startsWith(refusal))
          throw new Error(
            `the order for ${externalId} was answered ${answered.status}, ${answered.cutFailure ?? 'no failure'}; expected failed: ${refusal}`,
          );
        log(`refused: ${answered.cutFailure}`);
      }
      if (!existsSync(decoy))
        throw new Error('the agent removed a file it did not write');
      // Nothing at the source ends them: the connector says so.
      await asConnector('/grants/end', {
        grants: refusedOrders.map(([externalId]) => ({ externalId })),
      });

      // The feed is at-least-once: a restarted agent without its cursor
      // reads every order again and removes nothing, while a grant holds.
      const holds = await host.granted([
        '--user',
        UNIX_USER,
        '--duration',
        '1h',
        '--reason',
        'e2e: replay',
      ]);
      const answeredIn = text =>
        new Map(
          [
            ...text.matchAll(
              /order (\d+): revoke_grant "(?:[^"\\]|\\.)*" -> (\w+)/g,
            ),
          ].map(match => [match[1], match[2]]),
        );
      const before = answeredIn(host.agentLogText());
      const from = await host.restartAgentFromStart();
      const again = await until(
        'the restarted agent to answer every order again',
        () => {
          const answered = answeredIn(host.agentLogText(from));
          return [...before.keys()].every(id => answered.has(id)) && answered;
        },
      );
      const doneAgain = [...again].filter(([, outcome]) => outcome === 'done');
      if (doneAgain.length)
        throw new Error(
          `orders carried out twice: ${doneAgain.map(([id]) => id)}`,
        );
      if (
        !existsSync(holds.dropIn) ||
        !(await sudoWorks()) ||
        !existsSync(decoy)
      )
        throw new Error('replayed orders removed a rule');
      const outcomes = {};
      for (const outcome of again.values())
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      log(
        `a restarted agent answered all ${before.size} orders again (${JSON.stringify(outcomes)}) and removed nothing`,
      );
      await revoke(await listed(holds.id));
      await sudoDenied('sudo -n true to be refused after the last revoke');
    } finally {
      rmSync(decoy, { force: true });
    }

    // The expiry holds with the portal unreachable: the agent takes the
    // grant away on its own clock, and reports it once it can.
    const short = await host.granted([
      '--user',
      UNIX_USER,
      '--duration',
      MIN_DURATION,
      '--reason',
      'e2e: expiry, portal unreachable',
    ]);
    const shortGrant = await listed(short.id);
    const expirySleeper = await host.sudoSleep();
    const logMark = host.agentLog.length;
    await host.proxy.close();
    await until('the agent to lose the portal', () =>
      host.agentLogText(logMark).includes('cannot be reached'),
    );
    await sudoDenied('sudo -n true to be refused after the expiry', 20_000);
    const expiredDeniedMs = Date.now() - short.expiresAt;
    await until(
      'the agent to remove the expired drop-in',
      () => !existsSync(short.dropIn),
      10_000,
    );
    const expiredRemovedMs = Date.now() - short.expiresAt;
    const sleeperEndedAt = await Promise.race([
      expirySleeper.exited,
      sleep(10_000).then(() => {
        throw new Error('the running sudo sleep was not ended at the expiry');
      }),
    ]);
    const expiredSleepEndedMs = sleeperEndedAt - short.expiresAt;
    // The end, kept until the portal has it.
    await until(
      'the agent to keep the end to report',
      () => host.record(short.id)?.ended?.why === 'expired',
      10_000,
    );
    log(
      `expired with the portal unreachable: sudo refused ${expiredDeniedMs} ms after the expiry; the agent removed the drop-in after ${expiredRemovedMs} ms and ended the running sudo sleep after ${expiredSleepEndedMs} ms, and keeps the end to report`,
    );
    await host.proxy.open();
    await until(
      'the agent to tell the portal',
      () => host.record(short.id) === undefined,
      60_000,
      200,
    );
    const shortNow = await getGrant(shortGrant.id);
    if (shortNow.status === 'active' || shortNow.status === 'revoking')
      throw new Error(`the expired grant is ${shortNow.status} in the portal`);
    log(
      `the portal reachable again: the grant shows ${shortNow.status}, and the agent forgot it`,
    );

    // And with the agent stopped too, sudo itself refuses after the expiry
    // (the rule's NOTAFTER); the agent removes the rule when it is back.
    host.pauseAgent();
    const unattended = await host.granted([
      '--user',
      UNIX_USER,
      '--duration',
      MIN_DURATION,
      '--reason',
      'e2e: expiry, agent stopped',
    ]);
    if (!(await sudoWorks()))
      throw new Error('sudo -n true fails after the grant');
    await sudoDenied('sudo itself to refuse after the expiry', 20_000);
    const notAfterMs = Date.now() - unattended.expiresAt;
    // sudo compares whole seconds: NOTAFTER names the last one before it.
    if (notAfterMs > 1000)
      throw new Error(
        `sudo honoured the rule ${notAfterMs} ms past its expiry`,
      );
    if (!existsSync(unattended.dropIn))
      throw new Error('the drop-in went while the agent was stopped');
    host.resumeAgent();
    await until(
      'the agent, back, to remove the rule',
      () => !existsSync(unattended.dropIn),
      10_000,
    );
    log(
      `with the agent stopped: sudo refused ${notAfterMs} ms after the expiry (NOTAFTER), the rule still in place; the agent removed it once back`,
    );

    return {
      deniedMs,
      confirmedMs,
      p50: denied.p50,
      p95: denied.p95,
      p99: denied.p99,
      expiredDeniedMs,
      expiredRemovedMs,
      expiredSleepEndedMs,
      notAfterDeniedMs: notAfterMs,
    };
  } catch (error) {
    log(`agent: ${host.agentLogText().slice(-3000)}`);
    throw error;
  } finally {
    await host.stop();
  }
}

// Standalone: node e2e/sudo.mjs [api] — against a running portal whose guest
// is an admin, with the dev config's static connector token and a source
// `sudo-e2e` declared for it (e2e/app-config.e2e.yaml); set STEP_UP_PROOF to
// a proof from POST /mfa/verify when step-up is on.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const api = process.argv[2] ?? 'http://localhost:7007/api/sessions';
  const auth = api.replace(/\/sessions$/, '/auth');
  const refresh = await fetch(`${auth}/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  }).then(res => res.json());
  const latencies = await runSudoTest({
    api,
    adminToken: refresh.backstageIdentity.token,
    connectorToken: 'dev-only-simulator-token-0123456789',
    stepUpProof: process.env.STEP_UP_PROOF,
    rounds: Number(process.env.SUDO_ROUNDS ?? 20),
  });
  console.log(JSON.stringify(latencies));
}
