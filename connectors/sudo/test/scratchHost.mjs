// For the tests: a host in a temporary directory — a drop-in directory, a
// state directory, a configuration file of this user's — with a fake
// visudo, fake accounts, a fake portal and fake processes, to run the
// grant command and the agent against.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent } from '../agentCore.mjs';
import { readConfig } from '../agentConfig.mjs';

export const SUDO_VERSION = 'Sudo version 1.9.13p3';

/** This user's own files count as root's would. */
export const readOwnConfig = file =>
  readConfig(file, { ownerUid: process.getuid() });

export function scratchHost(extraLines = []) {
  const root = mkdtempSync(join(tmpdir(), 'active-sessions-sudo-host-'));
  const sudoersDir = join(root, 'sudoers.d');
  mkdirSync(sudoersDir, { mode: 0o755 });
  const state = join(root, 'state');
  const configFile = join(root, 'sudo.env');
  const writeConfig = (file, lines) =>
    writeFileSync(
      file,
      [
        'ACTIVE_SESSIONS_URL=http://portal.invalid/api/sessions',
        'ACTIVE_SESSIONS_TOKEN=t0ken',
        'ACTIVE_SESSIONS_SOURCE=sudo-test',
        'ACTIVE_SESSIONS_RESOURCE=web01',
        `ACTIVE_SESSIONS_SUDOERS_DIR=${sudoersDir}`,
        `ACTIVE_SESSIONS_STATE=${state}`,
        'ACTIVE_SESSIONS_MIN_DURATION=1s',
        'ACTIVE_SESSIONS_TICK_MS=100',
        ...lines,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
  writeConfig(configFile, extraLines);
  const accounts = {
    jane: { name: 'jane', uid: 1001, gid: 1001, shell: '/bin/bash' },
    joe: { name: 'joe', uid: 1002, gid: 1002, shell: '/bin/bash' },
    nobody: { name: 'nobody', uid: 65534, gid: 65534, shell: '/bin/sh' },
    backup: {
      name: 'backup',
      uid: 1500,
      gid: 1500,
      shell: '/usr/sbin/nologin',
    },
  };
  /** visudo: the rule checked alone parses; `-c` lists the drop-ins read. */
  const visudoOutput = {
    slash: '/',
  };
  const visudo = (config, args) => {
    if (args[1] === '-f') return { ok: true, output: `${args[2]}: parsed OK` };
    const lines = ['/etc/sudoers: parsed OK'];
    for (const name of readdirSync(sudoersDir))
      if (!name.startsWith('.'))
        lines.push(`${sudoersDir}${visudoOutput.slash}${name}: parsed OK`);
    return { ok: true, output: lines.join('\n') };
  };
  const printed = [];
  const host = {
    root,
    sudoersDir,
    state,
    configFile,
    accounts,
    visudoOutput,
    printed,
    writeConfig,
    config: () => readOwnConfig(configFile),
    /** The grant command's host, with `portal` the fake portal's api. */
    grantHost: (api, overrides = {}) => ({
      readConfig: readOwnConfig,
      lookUpAccount: name => accounts[name],
      loginDefs: () => 'UID_MIN 1000\nUID_MAX 60000\n',
      getuid: () => 0,
      visudo,
      sudoVersion: () => SUDO_VERSION,
      portal: () => api,
      caller: () => 'tester@host',
      print: line => printed.push(line),
      ...overrides,
    }),
    /** The grant command's arguments for `user` (and more). */
    args: (user = 'jane', ...more) => [
      '--config',
      configFile,
      '--user',
      user,
      '--duration',
      '1h',
      '--reason',
      'test',
      ...more,
    ],
    /** An agent on this host. */
    agent: deps => createAgent(host.config(), deps),
  };
  return host;
}

/**
 * A fake portal: `answers[path](body)` or a default answer per route;
 * every call is kept in `calls`.
 */
export function fakePortal(answers = {}) {
  const calls = [];
  const api = async (path, body) => {
    calls.push({ path, body });
    const route = path.split('?')[0];
    if (answers[route]) return answers[route](body, path);
    if (route === '/connector/grants/report') return { ended: [], refused: [] };
    return {};
  };
  api.calls = calls;
  return api;
}

/**
 * Fake processes of users: `findSudo(user)` lists the live ones of that
 * user; `end` ends all but the stuck ones, and names those.
 */
export function fakeProcesses() {
  const processes = [];
  let nextPid = 1000;
  const ends = [];
  return {
    processes,
    ends,
    start(user, { stuck = false, command = 'sleep' } = {}) {
      const entry = {
        pid: nextPid++,
        startTicks: '1',
        command,
        user,
        stuck,
        alive: true,
      };
      processes.push(entry);
      return entry;
    },
    findSudo: user => processes.filter(p => p.alive && p.user === user.name),
    end: async (survivors, options) => {
      ends.push(options);
      for (const p of survivors()) if (!p.stuck) p.alive = false;
      const left = survivors();
      return left.length === 0
        ? { outcome: 'done' }
        : {
            outcome: 'failed',
            message: `still running after 10 s: ${left.map(p => `${p.pid} (${p.command})`).join(', ')}`,
            survivors: left.map(({ pid, startTicks, command }) => ({
              pid,
              startTicks,
              command,
            })),
          };
    },
  };
}
