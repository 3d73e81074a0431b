// End-to-end test of the OpenSSH connector (connectors/openssh) against a
// running backend: a real sshd on a loopback port with its own config and
// PAM service running the hook, the agent following the order feed, and a
// real SSH client logged in with a key. An admin ends the session through
// the user API; the client's connection must close and the session must
// show the connector's confirmation. Repeated to measure press-to-cut and
// press-to-confirm latency. Then orders the agent must refuse: sessions
// reported under its source that name a process that is not its sshd (a
// `sleep`) are acknowledged failed and the process lives on; and the whole
// order feed read again by a restarted agent cuts nothing.
//
// Needs root (a PAM service file, a test user, sshd) and Debian's
// openssh-server; scripts/setup.sh installs it.
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { opensshReadmeProblems } from './opensshReadme.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const HOOK = join(root, 'connectors', 'openssh', 'active-sessions-pam-hook');
const AGENT = join(root, 'connectors', 'openssh', 'agent.mjs');
const SSH_PORT = 2227;
const UNIX_USER = 'asess-e2e';
const USER_REF = `user:default/${UNIX_USER}`;
const SOURCE = 'openssh-e2e';
/** The PAM service name is sshd's program name: a link gives it its own. */
const PAM_SERVICE = 'sshd-active-sessions-e2e';

const log = message => console.log(`[openssh] ${message}`);

/** Start time of a live process in clock ticks, as the PAM hook reads it. */
function startTicksOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

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

const portOpen = port =>
  new Promise(resolve => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

function percentile(sorted, p) {
  const index = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, index)];
}

/** Sets up sshd, the hook and the agent; returns how to use and stop them. */
function startSshd(options) {
  if (process.getuid?.() !== 0) throw new Error('needs root');
  if (!existsSync('/usr/sbin/sshd')) {
    throw new Error(
      'openssh-server is not installed (scripts/setup.sh installs it)',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'active-sessions-openssh-'));
  try {
    execFileSync('id', [UNIX_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', UNIX_USER]);
  }
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-f',
    join(dir, 'host_key'),
  ]);
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-f',
    join(dir, 'client_key'),
  ]);
  execFileSync('cp', [
    join(dir, 'client_key.pub'),
    join(dir, 'authorized_keys'),
  ]);
  // sshd reads the keys file as the user logging in.
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'authorized_keys'), 0o644);

  const env = join(dir, 'openssh.env');
  writeFileSync(
    env,
    [
      `ACTIVE_SESSIONS_URL=${options.api}`,
      `ACTIVE_SESSIONS_TOKEN=${options.connectorToken}`,
      `ACTIVE_SESSIONS_SOURCE=${SOURCE}`,
      `ACTIVE_SESSIONS_RESOURCE=e2e-ssh-host`,
      `ACTIVE_SESSIONS_SPOOL=${join(dir, 'spool')}`,
      `ACTIVE_SESSIONS_STATE=${join(dir, 'cursor')}`,
      // Reconcile often, so a missed close shows within the test's wait.
      'ACTIVE_SESSIONS_ACTIVITY_MS=1000',
      // A line per pass, so the test can wait for the agent to have looked.
      'ACTIVE_SESSIONS_VERBOSE=1',
      `ACTIVE_SESSIONS_PAM_SERVICE=${PAM_SERVICE}`,
      '',
    ].join('\n'),
    // It holds the token: root only, as the README says.
    { mode: 0o600 },
  );
  const pamFile = `/etc/pam.d/${PAM_SERVICE}`;
  writeFileSync(
    pamFile,
    [
      '# Written by the Active Sessions end-to-end test; removed after it.',
      '@include common-account',
      // As in Debian's sshd service: a login gets its audit session here.
      'session required pam_loginuid.so',
      `session required pam_exec.so quiet ${HOOK} ${env}`,
      'session required pam_permit.so',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${SSH_PORT}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      `AllowUsers ${UNIX_USER}`,
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const sshdLink = join(dir, PAM_SERVICE);
  symlinkSync('/usr/sbin/sshd', sshdLink);
  execFileSync('mkdir', ['-p', '/run/sshd']);
  const sshd = spawn(sshdLink, ['-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const sshdLog = [];
  sshd.stderr.on('data', chunk => sshdLog.push(String(chunk)));
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

  return {
    dir,
    spool: join(dir, 'spool'),
    /** `agent.mjs --check`: its exit code and what it printed. */
    check() {
      try {
        return {
          status: 0,
          output: execFileSync(process.execPath, [AGENT, '--check', env], {
            encoding: 'utf8',
          }),
        };
      } catch (error) {
        return { status: error.status, output: String(error.stdout) };
      }
    },
    sshdLog,
    agentLog,
    /**
     * Restarts the agent without its cursor, so it reads every order again;
     * returns where the new agent's lines start in agentLog.
     */
    async restartAgentFromStart() {
      // `close`: after its last output, which the caller reads.
      const closed = new Promise(resolve => agent.once('close', resolve));
      agent.kill('SIGTERM');
      await closed;
      rmSync(join(dir, 'cursor'), { force: true });
      const logFrom = agentLog.length;
      startAgent();
      return logFrom;
    },
    /** How many reconciliation passes the agent has logged. */
    reconcilePasses: () =>
      agentLog
        .join('')
        .split('\n')
        .filter(line => line.includes('reconciled:')).length,
    /**
     * An SSH login running `command` (by default one that stays until its
     * connection is cut); `output()` is what it printed so far.
     */
    login(command = 'sleep 600') {
      const client = spawn(
        'ssh',
        [
          '-tt',
          '-i',
          join(dir, 'client_key'),
          '-p',
          String(SSH_PORT),
          '-o',
          'StrictHostKeyChecking=no',
          '-o',
          'UserKnownHostsFile=/dev/null',
          '-o',
          'BatchMode=yes',
          '-o',
          'LogLevel=ERROR',
          `${UNIX_USER}@127.0.0.1`,
          command,
        ],
        { stdio: ['pipe', 'pipe', 'ignore'] },
      );
      let output = '';
      client.stdout.on('data', chunk => (output += chunk));
      const closed = new Promise(resolve =>
        client.once('exit', () => resolve(Date.now())),
      );
      return { client, closed, output: () => output };
    },
    async stop() {
      agent.kill('SIGTERM');
      sshd.kill('SIGTERM');
      rmSync(pamFile, { force: true });
      await sleep(100);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the test `rounds` times against the backend at `api` (…/api/sessions)
 * and returns the latencies; throws on the first failure.
 */
export async function runOpenSshTest(options) {
  const { api, adminToken, connectorToken, stepUpProof, rounds = 10 } = options;
  const asAdmin = async (path, init = {}) => {
    const response = await fetch(`${api}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${adminToken}`,
        'Content-Type': 'application/json',
        // Ending someone else's session may need a step-up proof.
        ...(stepUpProof && { 'x-sessions-step-up': stepUpProof }),
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
  const openSessions = async () =>
    (
      await asAdmin(
        `/sessions?user=${encodeURIComponent(USER_REF)}&status=active,idle`,
      )
    ).items.filter(session => session.source === SOURCE);

  const getSession = id => asAdmin(`/sessions/${id}`);
  const listedSession = () =>
    until(
      'the SSH session to be listed',
      async () => (await openSessions())[0],
    );
  const reportedEnded = id =>
    until('the connector to report the end', async () => {
      const now = await getSession(id);
      return now.status === 'disconnected' ? now : undefined;
    });

  /** When the SSH client saw its connection closed (within 10 s). */
  const connectionCut = closed =>
    Promise.race([
      closed,
      sleep(10_000).then(() => {
        throw new Error('the SSH connection was not cut within 10 s');
      }),
    ]);
  /** The session once its connector confirmed the cut. */
  const cutConfirmed = id =>
    until(
      'the cut to be confirmed',
      async () => {
        const now = await getSession(id);
        return now.status === 'disconnected' && now.cutConfirmedAt
          ? now
          : undefined;
      },
      10_000,
    );

  /** The test user's processes whose command line matches `pattern`. */
  const userProcesses = pattern => {
    try {
      return execFileSync('pgrep', ['-u', UNIX_USER, '-f', pattern], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean);
    } catch (error) {
      if (error.status === 1) return []; // none
      throw error;
    }
  };

  /** `sleep 600` of the test user: a process no order may get killed. */
  const sleepers = [];
  const startSleeper = () => {
    const uid = Number(
      execFileSync('id', ['-u', UNIX_USER], { encoding: 'utf8' }),
    );
    const gid = Number(
      execFileSync('id', ['-g', UNIX_USER], { encoding: 'utf8' }),
    );
    const child = spawn('sleep', ['600'], { uid, gid, stdio: 'ignore' });
    const startTicks = startTicksOf(child.pid);
    const sleeper = {
      child,
      pid: child.pid,
      externalId: `sshd-${child.pid}-${startTicks}`,
      alive: () => startTicksOf(child.pid) === startTicks,
    };
    sleepers.push(sleeper);
    return sleeper;
  };
  /**
   * Reports a session for the sleeper under this connector's source, ends
   * it as the admin, and waits for the agent's answer: a failed cut that
   * starts with `refusal`, and the sleeper still alive.
   */
  const refusedCut = async (sleeper, refusal) => {
    await asConnector('/sessions/start', {
      sessions: [
        {
          externalId: sleeper.externalId,
          userRef: USER_REF,
          resourceName: 'e2e-ssh-host',
          resourceType: 'ssh',
          device: `not an sshd (sleep ${sleeper.pid})`,
        },
      ],
    });
    const session = await until('the sleeper session to be listed', async () =>
      (await openSessions()).find(
        listed => listed.externalId === sleeper.externalId,
      ),
    );
    const ended = await asAdmin(`/sessions/${session.id}/end`, {
      method: 'POST',
      body: '{}',
    });
    if (ended.status !== 'terminating') {
      throw new Error(`ended session is ${ended.status}, not terminating`);
    }
    const answered = await until(
      'the agent to answer the order for the sleeper',
      async () => {
        const now = await getSession(session.id);
        return now.cutFailure || now.cutConfirmedAt ? now : undefined;
      },
      10_000,
    );
    if (!answered.cutFailure?.startsWith(refusal)) {
      throw new Error(
        `the order for sleep ${sleeper.pid} was answered ${answered.status}, ${answered.cutFailure ?? 'no failure'}; expected failed: ${refusal}`,
      );
    }
    if (!sleeper.alive()) {
      throw new Error(`the agent killed sleep ${sleeper.pid}`);
    }
    log(`refused: ${answered.cutFailure}; sleep ${sleeper.pid} lives on`);
  };

  // The README a sysadmin follows says what this test does.
  const readmeProblems = opensshReadmeProblems(dirname(AGENT));
  if (readmeProblems.length > 0) {
    throw new Error(
      `connectors/openssh/README.md: ${readmeProblems.join('; ')}`,
    );
  }
  log(
    'the connector README copies every file, lists every setting, and gives the PAM line',
  );

  const host = startSshd(options);
  try {
    await until('sshd to listen', () => portOpen(SSH_PORT), 15_000);
    log(
      `sshd listens on 127.0.0.1:${SSH_PORT} with PAM service ${PAM_SERVICE}`,
    );

    // Logging out reports the end through the PAM hook's close.
    const loggedOut = host.login();
    const outSession = await listedSession().catch(error => {
      throw new Error(
        `${error.message}\nsshd: ${host.sshdLog.join('').slice(-2000)}`,
      );
    });
    loggedOut.client.stdin.write('\x03');
    loggedOut.client.kill('SIGTERM');
    await loggedOut.closed;
    const afterLogout = await reportedEnded(outSession.id);
    if (afterLogout.endReason !== 'connector') {
      throw new Error(`logout recorded as ${afterLogout.endReason}`);
    }
    log('logging out is reported ended by the connector');

    // A login killed outside the portal — its sshd and every process of
    // the user — without closing its PAM session is found by the agent's
    // reconciliation.
    const crashed = host.login('echo shell-started; sleep 600');
    await until("the crashed login's shell to start", () =>
      crashed.output().includes('shell-started'),
    );
    const crashedSession = await listedSession();
    const [, pid] = /^sshd-(\d+)-/.exec(crashedSession.externalId);
    process.kill(Number(pid), 'SIGKILL');
    execFileSync('pkill', ['-KILL', '-u', UNIX_USER]);
    await crashed.closed;
    await reportedEnded(crashedSession.id);
    log('a login killed outside the portal is reported ended by the agent');

    // Its sshd SIGKILLed after the shell started, a login lives on in its
    // other processes (the user's sshd holding the connection, the shell,
    // a `nohup` job): it stays listed, and End cuts all of it.
    const orphaned = host.login(
      'echo shell-started; nohup sleep 601 >/dev/null 2>&1 & sleep 600',
    );
    await until("the orphaned login's shell to start", () =>
      orphaned.output().includes('shell-started'),
    );
    await until(
      'the nohup job to run',
      () => userProcesses('^sleep 601$').length > 0,
    );
    const orphanedSession = await listedSession();
    // The README's check: token, PAM stack, and this login with its audit session.
    const checked = host.check();
    if (
      checked.status !== 0 ||
      !checked.output.includes(`${orphanedSession.externalId}: ${UNIX_USER}`) ||
      !checked.output.includes('audit session')
    ) {
      throw new Error(`agent.mjs --check:\n${checked.output}`);
    }
    log(
      `agent.mjs --check: ${checked.output.trim().split('\n').length} lines, no problems`,
    );
    const [, monitorPid] = /^sshd-(\d+)-/.exec(orphanedSession.externalId);
    const passesBefore = host.reconcilePasses();
    process.kill(Number(monitorPid), 'SIGKILL');
    await until(
      'the agent to look at the login twice',
      () => host.reconcilePasses() >= passesBefore + 2,
    );
    const afterKill = await getSession(orphanedSession.id);
    if (!['active', 'idle'].includes(afterKill.status)) {
      throw new Error(
        `a login whose sshd was killed was reported ${afterKill.status} while its processes live`,
      );
    }
    const connectionSurvived = orphaned.client.exitCode === null;
    await asAdmin(`/sessions/${orphanedSession.id}/end`, {
      method: 'POST',
      body: '{}',
    });
    await connectionCut(orphaned.closed);
    await cutConfirmed(orphanedSession.id);
    const leftover = userProcesses('^sleep 601$');
    if (leftover.length > 0) {
      throw new Error(`the login's nohup job survived the cut: ${leftover}`);
    }
    log(
      `a login whose sshd was SIGKILLed stays listed (connection ${connectionSurvived ? 'still open' : 'closed'}, nohup job alive); End cut all of it`,
    );
    const cutMs = [];
    const confirmMs = [];
    for (let round = 1; round <= rounds; round++) {
      const { client, closed } = host.login();
      const exited = closed.then(() => true);
      const session = await listedSession();
      if (round === 1) {
        log(
          `listed: ${session.resourceName} from ${session.ipAddress}, ${session.device}, external id ${session.externalId}`,
        );
      }
      if (await Promise.race([exited, sleep(0).then(() => false)])) {
        throw new Error('the SSH client exited before the session was ended');
      }

      const pressedAt = Date.now();
      const ended = await asAdmin(`/sessions/${session.id}/end`, {
        method: 'POST',
        body: '{}',
      });
      if (ended.status !== 'terminating') {
        throw new Error(`ended session is ${ended.status}, not terminating`);
      }
      const clientClosedAt = await connectionCut(closed);
      const confirmed = await cutConfirmed(session.id);
      cutMs.push(clientClosedAt - pressedAt);
      confirmMs.push(Date.parse(confirmed.cutConfirmedAt) - pressedAt);
      if (client.exitCode === null) client.kill();
    }
    const summary = (name, values) => {
      const sorted = [...values].sort((a, b) => a - b);
      return `${name}: p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted[sorted.length - 1]} ms over ${sorted.length} runs`;
    };
    log(summary('press-to-cut (End → SSH connection closed)', cutMs));
    log(summary('press-to-confirm (End → connector acknowledged)', confirmMs));

    // An order naming a process that is not an sshd session this agent
    // reported is refused, whoever reported the session: a sleep unknown to
    // the agent, and one its spool lists (as if the hook had) that is no sshd.
    const unknownSleeper = startSleeper();
    await refusedCut(
      unknownSleeper,
      `not a session this agent reported: ${unknownSleeper.externalId}`,
    );
    const spooledSleeper = startSleeper();
    mkdirSync(host.spool, { recursive: true });
    writeFileSync(
      join(host.spool, String(spooledSleeper.pid)),
      `externalId=${spooledSleeper.externalId}\nuser=${UNIX_USER}\n`,
    );
    await refusedCut(
      spooledSleeper,
      `process ${spooledSleeper.pid} is not sshd`,
    );
    // Nothing at the source ends them: the connector says so.
    await asConnector('/sessions/end', {
      sessions: sleepers.map(sleeper => ({ externalId: sleeper.externalId })),
    });

    // The feed is at-least-once: a restarted agent without its cursor reads
    // every order again and must cut nothing, while a login stays open.
    const stays = host.login();
    const staysSession = await listedSession();
    const carriedOut = text =>
      new Map(
        [...text.matchAll(/order (\d+): \S+ \S+ -> (\S+)/g)].map(match => [
          match[1],
          match[2],
        ]),
      );
    const logFrom = await host.restartAgentFromStart();
    const before = carriedOut(host.agentLog.slice(0, logFrom).join(''));
    const again = await until(
      'the restarted agent to answer every order again',
      () => {
        const answered = carriedOut(host.agentLog.slice(logFrom).join(''));
        return [...before.keys()].every(id => answered.has(id)) && answered;
      },
    );
    const cutAgain = [...again].filter(([, outcome]) => outcome === 'done');
    if (cutAgain.length) {
      throw new Error(
        `orders carried out twice: ${cutAgain.map(([id]) => id)}`,
      );
    }
    const [, staysPid, staysTicks] = /^sshd-(\d+)-(\d+)$/.exec(
      staysSession.externalId,
    );
    if (
      startTicksOf(staysPid) !== staysTicks ||
      stays.client.exitCode !== null
    ) {
      throw new Error('replayed orders cut the open SSH login');
    }
    const killed = sleepers.filter(sleeper => !sleeper.alive());
    if (killed.length) {
      throw new Error(`replayed orders killed sleep ${killed.map(k => k.pid)}`);
    }
    const outcomes = {};
    for (const outcome of again.values()) {
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    log(
      `a restarted agent answered all ${before.size} orders again (${JSON.stringify(outcomes)}) and cut nothing: the open login ${staysSession.externalId} and the sleeps live on`,
    );
    stays.client.stdin.write('\x03');
    stays.client.kill('SIGTERM');
    await stays.closed;
    return { cutMs, confirmMs };
  } catch (error) {
    log(`agent: ${host.agentLog.join('').slice(-2000)}`);
    throw error;
  } finally {
    for (const sleeper of sleepers) sleeper.child.kill('SIGKILL');
    await host.stop();
  }
}

// Standalone: node e2e/openssh.mjs [api] — against a running portal whose
// guest is an admin, with the dev config's static connector token; set
// STEP_UP_PROOF to a proof from POST /mfa/verify when step-up is on.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const api = process.argv[2] ?? 'http://localhost:7007/api/sessions';
  const auth = api.replace(/\/sessions$/, '/auth');
  const refresh = await fetch(`${auth}/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  }).then(res => res.json());
  await runOpenSshTest({
    api,
    adminToken: refresh.backstageIdentity.token,
    connectorToken: 'dev-only-simulator-token-0123456789',
    stepUpProof: process.env.STEP_UP_PROOF,
    rounds: Number(process.env.OPENSSH_ROUNDS ?? 10),
  });
}
