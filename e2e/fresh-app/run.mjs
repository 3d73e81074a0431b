#!/usr/bin/env node
/*
 * Installation test: can an adopter install our packed plugins into a
 * Backstage app of their own, following the README literally?
 *
 *   node e2e/fresh-app/run.mjs [--tarballs DIR] [--repo DIR] [--work DIR]
 *                              [--keep-databases] [--reuse]
 *
 * 1. Tarballs: the `.tgz` files in --tarballs, or else built from --repo
 *    (default: the repository this script is in): `tsc`, `backstage-cli
 *    repo build`, then `npm pack` of every workspace that is not private.
 *    Each tarball is checked for what a registry install needs (entry
 *    points and exports inside it, no workspace-only dependency specs).
 * 2. A fresh app outside the repository, from the create-app of our
 *    Backstage release (backstage.json): its default template (new frontend
 *    system, packages/app, and packages/backend) and its --legacy
 *    template's app as packages/app-legacy. create-app runs with
 *    --skip-install; it only checks that a `yarn` answers `-v`, so a shim
 *    that refuses anything else is put on PATH.
 * 3. What an npm user changes in create-app's output (adaptForNpm below),
 *    then the README's install steps (readme-steps.mjs), then one
 *    `npm install`. The tarballs stand in for the registry through root
 *    `overrides`, so the apps' package.json files read as after a registry
 *    install. Backstage's packages are pinned to the release's versions
 *    (release-<version>.json, overlaid with the repository's lockfile):
 *    see versionPins for why. --reuse keeps the installed app of the last
 *    run and redoes what follows npm install, for working on this script.
 * 4. Checks: the app type-checks; both apps build for production; the
 *    backend starts on PostgreSQL (databases under a prefix of their own,
 *    dropped at the end) and the sessions plugin's migrations all ran; in
 *    Chromium, after guest sign-in, each app shows the Active Sessions nav
 *    item, the page and its tabs, and the portal sign-in watcher reports
 *    the tracked sign-in; then the guest's User page (user:default/guest of
 *    create-app's examples) shows our "Access held" card and the guests
 *    group's page "Team access", each with its table, not an error panel,
 *    and offboarding on offer (create-app's allow-all policy). Screenshots:
 *    e2e/output/fresh-app-{nfs,legacy}{,-user,-group}.png.
 *
 * Every wait is for a state (a URL answers, a selector appears), with a
 * deadline. Each phase prints its duration; the exit code is non-zero when
 * anything failed. Logs: e2e/output/fresh-app/.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PUBLISHED_PACKAGES,
  README_PACKAGES,
  applyReadmeSteps,
  stepsMissingFromReadme,
} from './readme-steps.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCRIPT_REPO = resolve(HERE, '..', '..');

/**
 * create-app of each Backstage release we have checked (from the release's
 * manifest, backstage/versions v1/releases/<release>/manifest.json).
 */
const CREATE_APP_FOR_RELEASE = { '1.55.0': '0.9.2' };
const PLAYWRIGHT_CORE = '^1.56.0';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STEP_TIMEOUT = 60_000;

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const opts = { keepDatabases: false, reuse: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return resolve(argv[++i]);
    };
    if (arg === '--tarballs') opts.tarballs = value();
    else if (arg === '--repo') opts.repo = value();
    else if (arg === '--work') opts.work = value();
    else if (arg === '--keep-databases') opts.keepDatabases = true;
    else if (arg === '--reuse') opts.reuse = true;
    else if (arg === '-h' || arg === '--help') usage();
    else usage(`unknown argument ${arg}`);
  }
  opts.repo ??= SCRIPT_REPO;
  opts.work ??= join(tmpdir(), 'active-sessions-fresh-app');
  return opts;
}

function usage(error) {
  const text =
    'usage: node e2e/fresh-app/run.mjs [--tarballs DIR] [--repo DIR] [--work DIR] [--keep-databases] [--reuse]';
  if (error) {
    console.error(`${error}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

// Backstage (and create-app) support Node 22 and 24 only: run on Node 24
// from the npm registry when this Node is another (scripts/use-node.sh).
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (![22, 24].includes(nodeMajor)) {
  const useNode = join(SCRIPT_REPO, 'scripts', 'use-node.sh');
  if (process.env.FRESH_APP_REEXEC || !existsSync(useNode)) {
    console.error(
      `[fresh-app] Node ${process.version}: Backstage needs 22 or 24`,
    );
    process.exit(2);
  }
  console.log(`[fresh-app] Node ${process.version}; switching to Node 24`);
  const child = spawn(
    'bash',
    [
      '-c',
      'source "$0" 24 && exec node "$@"',
      useNode,
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', env: { ...process.env, FRESH_APP_REEXEC: '1' } },
  );
  // A signal to this process reaches the run, which cleans up.
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => child.kill(signal));
  child.on('exit', code => process.exit(code ?? 130));
  await new Promise(() => {});
}

const opts = parseArgs(process.argv.slice(2));
const OUTPUT = join(SCRIPT_REPO, 'e2e', 'output');
const LOGS = join(OUTPUT, 'fresh-app');
const WORK = opts.work;
const APP = join(WORK, 'app');
const TOOLS = join(tmpdir(), 'active-sessions-fresh-app-tools');
rmSync(LOGS, { recursive: true, force: true });
for (const file of existsSync(OUTPUT) ? readdirSync(OUTPUT) : []) {
  if (/^fresh-app-.*\.png$/.test(file)) rmSync(join(OUTPUT, file));
}
mkdirSync(LOGS, { recursive: true });

// ---------------------------------------------------------------- reporting

const timings = [];
const failures = [];
const runStart = Date.now();
const secs = ms => `${(ms / 1000).toFixed(1)}s`;
const log = line => console.log(`[fresh-app] ${line}`);

/** Runs one phase; prints and records its duration; rethrows failures. */
async function phase(name, fn) {
  log(`▶ ${name}`);
  const start = Date.now();
  try {
    const result = await fn();
    timings.push([name, Date.now() - start, 'ok']);
    log(`✔ ${name} (${secs(Date.now() - start)})`);
    return result;
  } catch (error) {
    timings.push([name, Date.now() - start, 'FAILED']);
    log(`✘ ${name} (${secs(Date.now() - start)})`);
    throw error;
  }
}

/** A check: one line, PASS or FAIL; a failure fails the run. */
function check(name, ok, detail = '') {
  const line = `${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`;
  console.log(`[fresh-app] ${line}`);
  if (!ok) failures.push(line);
  return ok;
}

/** Like check, but a failure stops the phase it is in. */
function must(name, ok, detail) {
  if (!check(name, ok, detail)) {
    throw Object.assign(new Error(`${name}: ${detail}`), { reported: true });
  }
}

// ---------------------------------------------------------------- processes

const children = new Set();

function tail(file, lines = 40) {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .join('\n');
}

function spawnLogged(name, command, args, options = {}) {
  const logFile = join(LOGS, `${name}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  out.write(
    `$ (cd ${options.cwd ?? process.cwd()} && ${command} ${args.join(' ')})\n`,
  );
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, FORCE_COLOR: '0', ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  child.logFile = logFile;
  child.closed = new Promise(done =>
    child.on('close', (code, signal) => {
      out.end();
      done({ code, signal });
    }),
  );
  children.add(child);
  child.closed.then(() => children.delete(child));
  return child;
}

/** Runs a command to completion (its own process group, logged). */
async function run(name, command, args, options = {}) {
  const child = spawnLogged(name, command, args, options);
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup(child, 'SIGKILL');
  }, timeoutMs);
  const { code, signal } = await child.closed;
  clearTimeout(timer);
  if (code !== 0) {
    throw new Error(
      `${name}: \`${command} ${args.join(' ')}\` ${timedOut ? `took longer than ${secs(timeoutMs)}` : signal ? `was stopped (${signal})` : `exited ${code}`}; last lines of ${child.logFile}:\n${tail(child.logFile)}`,
    );
  }
  return child.logFile;
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopAll() {
  const all = [...children];
  all.forEach(child => signalGroup(child, 'SIGTERM'));
  const grace = new Promise(done => setTimeout(done, 10_000).unref());
  await Promise.race([Promise.all(all.map(child => child.closed)), grace]);
  all.forEach(child => signalGroup(child, 'SIGKILL'));
}

async function freePort() {
  return new Promise((done, fail) => {
    const server = createNetServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Waits until `url` answers 2xx, failing early if `child` exits. */
async function waitForUrl(url, what, { child, timeoutMs = 240_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    if (child && child.exitCode !== null) {
      throw new Error(
        `${what} exited (${child.exitCode}) before ${url} answered; last lines of ${child.logFile}:\n${tail(child.logFile)}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return res;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: ${url} did not answer within ${secs(timeoutMs)} (last: ${last})${child ? `; last lines of ${child.logFile}:\n${tail(child.logFile)}` : ''}`,
      );
    }
    await new Promise(done => setTimeout(done, 500));
  }
}

/** Waits until a running child's log matches `pattern`. */
async function waitForLog(child, read, pattern, what, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(read())) {
    if (child.exitCode !== null)
      throw new Error(
        `${what}: the process exited (${child.exitCode}); last lines of ${child.logFile}:\n${tail(child.logFile)}`,
      );
    if (Date.now() > deadline)
      throw new Error(
        `${what}: no ${pattern} in ${child.logFile} within ${secs(timeoutMs)}`,
      );
    await new Promise(done => setTimeout(done, 250));
  }
}

// ---------------------------------------------------------------- files

const readJson = file => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, value) =>
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/** Workspace folders of the repository, from its root package.json. */
function workspaceDirs(repo) {
  const dirs = [];
  for (const pattern of readJson(join(repo, 'package.json')).workspaces ?? []) {
    if (!pattern.endsWith('/*'))
      throw new Error(`workspace pattern ${pattern} not understood`);
    const parent = join(repo, pattern.slice(0, -2));
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent).sort()) {
      if (existsSync(join(parent, entry, 'package.json')))
        dirs.push(join(parent, entry));
    }
  }
  return dirs;
}

/** @backstage/* versions in the repository's lockfile (one version each). */
function lockedBackstageVersions(repo) {
  const lockFile = join(repo, 'package-lock.json');
  if (!existsSync(lockFile)) return {};
  const versions = {};
  for (const [path, entry] of Object.entries(
    readJson(lockFile).packages ?? {},
  )) {
    const at = path.lastIndexOf('node_modules/');
    if (at < 0 || entry.link) continue;
    const name = path.slice(at + 'node_modules/'.length);
    if (!name.startsWith('@backstage/')) continue;
    (versions[name] ??= new Set()).add(entry.version);
  }
  return Object.fromEntries(
    Object.entries(versions)
      .filter(([, set]) => set.size === 1)
      .map(([name, set]) => [name, [...set][0]]),
  );
}

/**
 * The Backstage versions the fresh app installs: the release's (its
 * manifest, release-<version>.json), where the repository's lockfile has
 * another version of a package that one (so the app runs what our tests
 * run, and npm's cache has it). create-app writes caret ranges of the
 * release's versions, but a plain install today takes newer versions, and
 * then the template does not start (plugin-signals-backend 0.3.21 needs
 * httpRouter.addWebSocketHandler, which backend-defaults ^0.18.0 lacks;
 * frontend-defaults 0.5.8 moves to frontend-plugin-api 1.0 while the app
 * asks for ^0.18.1). Returns the pins and what our tarballs ask beyond
 * the release.
 */
function versionPins(release, repo, tarballs, semver) {
  const manifest = readJson(join(HERE, `release-${release}.json`)).packages;
  const locked = lockedBackstageVersions(repo);
  const pins = { ...manifest };
  for (const [name, version] of Object.entries(locked))
    if (name in pins) pins[name] = version;
  const beyondRelease = [];
  for (const t of Object.values(tarballs)) {
    for (const kind of ['dependencies', 'peerDependencies']) {
      for (const [dep, range] of Object.entries(t.pkg[kind] ?? {})) {
        if (manifest[dep] && !semver.satisfies(manifest[dep], range)) {
          beyondRelease.push(
            `${t.pkg.name} ${kind} ${dep}@${range} (release ${release}: ${manifest[dep]}${pins[dep] !== manifest[dep] ? `; repository lockfile: ${pins[dep]}` : ''})`,
          );
        }
        if (pins[dep] && !semver.satisfies(pins[dep], range)) delete pins[dep];
      }
    }
  }
  return { pins, beyondRelease };
}

// ---------------------------------------------------------------- tools

/** create-app, playwright-core and semver, outside the app and the repo. */
function tools(createAppVersion) {
  return phase('tools (create-app, playwright-core)', async () => {
    mkdirSync(TOOLS, { recursive: true });
    const wanted = {
      private: true,
      dependencies: {
        '@backstage/create-app': createAppVersion,
        'playwright-core': PLAYWRIGHT_CORE,
        semver: '^7.7.0',
      },
    };
    const manifest = join(TOOLS, 'package.json');
    const installed = join(
      TOOLS,
      'node_modules',
      '@backstage',
      'create-app',
      'package.json',
    );
    if (
      !existsSync(installed) ||
      readJson(installed).version !== createAppVersion ||
      !existsSync(manifest) ||
      readFileSync(manifest, 'utf8') !== `${JSON.stringify(wanted, null, 2)}\n`
    ) {
      writeJson(manifest, wanted);
      await run(
        'tools-install',
        'npm',
        ['install', '--no-audit', '--no-fund'],
        { cwd: TOOLS },
      );
    }
    const require = createRequire(join(TOOLS, 'package.json'));
    return {
      createAppBin: join(
        TOOLS,
        'node_modules',
        '@backstage',
        'create-app',
        'bin',
        'backstage-create-app',
      ),
      playwright: require('playwright-core'),
      semver: require('semver'),
    };
  });
}

// ---------------------------------------------------------------- tarballs

async function buildTarballs(repo, dest) {
  mkdirSync(dest, { recursive: true });
  if (!existsSync(join(repo, 'node_modules', '.bin', 'backstage-cli'))) {
    await phase(`npm install in ${repo}`, () =>
      run('repo-install', 'npm', ['install', '--no-audit', '--no-fund'], {
        cwd: repo,
      }),
    );
  }
  await phase('tsc (declarations for the package builds)', () => {
    // No declarations of files that are gone.
    rmSync(join(repo, 'dist-types'), { recursive: true, force: true });
    return run('repo-tsc', 'npx', ['tsc'], { cwd: repo });
  });
  await phase('backstage-cli repo build', () =>
    run('repo-build', 'npx', ['backstage-cli', 'repo', 'build'], { cwd: repo }),
  );
  await phase('npm pack of the publishable workspaces', async () => {
    for (const dir of workspaceDirs(repo)) {
      const pkg = readJson(join(dir, 'package.json'));
      if (pkg.private) continue;
      await run('repo-pack', 'npm', ['pack', '--pack-destination', dest], {
        cwd: dir,
      });
      log(`  packed ${pkg.name}@${pkg.version}`);
    }
  });
}

/** Reads each tarball's package.json and file list. */
function readTarballs(dir) {
  const tarballs = {};
  for (const file of readdirSync(dir).filter(name => name.endsWith('.tgz'))) {
    const path = join(dir, file);
    const pkg = JSON.parse(
      execFileSync('tar', ['-xzOf', path, 'package/package.json'], {
        encoding: 'utf8',
      }),
    );
    const files = new Set(
      execFileSync('tar', ['-tzf', path], { encoding: 'utf8', maxBuffer: 1e8 })
        .split('\n')
        .filter(Boolean)
        .map(entry => entry.replace(/^package\//, '')),
    );
    if (tarballs[pkg.name])
      throw new Error(`two tarballs of ${pkg.name} in ${dir}`);
    tarballs[pkg.name] = { path, file, pkg, files };
  }
  return tarballs;
}

/** What a registry install of each tarball needs; returns the problems. */
function tarballProblems(tarballs, semver) {
  const problems = [];
  const exists = (t, target) => t.files.has(target.replace(/^\.\//, ''));
  for (const [name, t] of Object.entries(tarballs)) {
    const say = text => problems.push(`${name} (${t.file}): ${text}`);
    const { pkg } = t;
    if (pkg.private) say('"private": true');
    for (const field of ['main', 'module', 'types', 'browser']) {
      if (typeof pkg[field] === 'string' && !exists(t, pkg[field])) {
        say(
          `"${field}": "${pkg[field]}" is not in the tarball (was package.json's publishConfig applied? npm pack needs "prepack": "backstage-cli package prepack")`,
        );
      }
    }
    if (!pkg.main && !pkg.exports) say('no "main" and no "exports"');
    const walk = (value, where) => {
      if (typeof value === 'string') {
        if (!exists(t, value))
          say(`exports ${where} → "${value}" is not in the tarball`);
      } else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          // "backstage": "@backstage/FrontendPlugin" marks the entry point
          // for feature discovery; it is not a path.
          if (key !== 'backstage') walk(inner, where ? `${where} ${key}` : key);
        }
      }
    };
    walk(pkg.exports, '');
    for (const [entry, targets] of Object.entries(
      pkg.typesVersions?.['*'] ?? {},
    )) {
      for (const target of targets)
        if (!exists(t, target))
          say(`typesVersions "${entry}" → "${target}" is not in the tarball`);
    }
    if (
      pkg.configSchema &&
      typeof pkg.configSchema === 'string' &&
      !exists(t, pkg.configSchema)
    ) {
      say(`configSchema "${pkg.configSchema}" is not in the tarball`);
    }
    for (const kind of [
      'dependencies',
      'peerDependencies',
      'optionalDependencies',
    ]) {
      for (const [dep, spec] of Object.entries(pkg[kind] ?? {})) {
        if (/^(workspace|file|link|portal|patch):/.test(spec))
          say(`${kind} ${dep}: "${spec}" cannot be installed from a registry`);
        if (dep.startsWith('@active-sessions/')) {
          const target = tarballs[dep];
          if (!target) say(`depends on ${dep}, which has no tarball`);
          else if (!semver.satisfies(target.pkg.version, spec))
            say(
              `depends on ${dep}@${spec}, the tarball is ${target.pkg.version}`,
            );
        }
      }
    }
  }
  for (const name of PUBLISHED_PACKAGES) {
    if (!tarballs[name]) problems.push(`${name}: no tarball`);
  }
  const backend = tarballs['@active-sessions/plugin-sessions-backend'];
  if (
    backend &&
    ![...backend.files].some(file => file.startsWith('migrations/'))
  ) {
    problems.push(
      '@active-sessions/plugin-sessions-backend: no migrations/ in the tarball',
    );
  }
  return problems;
}

// ---------------------------------------------------------------- the app

async function createApp(createAppBin, name, target, extraArgs = []) {
  // create-app insists that `yarn -v` answers, even with --skip-install; it
  // never runs yarn then. The shim answers -v and refuses anything else.
  const shimDir = join(WORK, 'yarn-shim');
  mkdirSync(shimDir, { recursive: true });
  writeFileSync(
    join(shimDir, 'yarn'),
    '#!/bin/sh\nif [ "$1" = "-v" ] || [ "$1" = "--version" ]; then echo 4.13.0; exit 0; fi\necho "fresh-app yarn shim: refusing yarn $*" >&2\nexit 1\n',
    { mode: 0o755 },
  );
  await run(
    `create-app-${name}`,
    'node',
    [createAppBin, '--skip-install', '--path', target, ...extraArgs],
    {
      cwd: WORK,
      env: {
        BACKSTAGE_APP_NAME: 'fresh-app',
        PATH: `${shimDir}:${process.env.PATH}`,
        // create-app commits its output; give git an identity if there is none.
        GIT_AUTHOR_NAME: 'fresh-app',
        GIT_AUTHOR_EMAIL: 'fresh-app@localhost',
        GIT_COMMITTER_NAME: 'fresh-app',
        GIT_COMMITTER_EMAIL: 'fresh-app@localhost',
      },
    },
  );
}

/**
 * What an npm user changes in create-app's output (Yarn is its only
 * package manager). Returns the list, for the report.
 */
function adaptForNpm(tarballs, pins) {
  const changes = [];
  const rootFile = join(APP, 'package.json');
  const root = readJson(rootFile);
  root.overrides = {
    // @backstage/cli's Yarn module pulls @yarnpkg/core 4.9.2, whose
    // Yarn-only `patch:` dependency on got makes npm exit 1 silently.
    '@yarnpkg/core': '4.9.1',
    // Material UI 4 declares React 16/17 peers; npm refuses what Yarn warns.
    '@material-ui/core': { react: '$react', 'react-dom': '$react-dom' },
    '@material-ui/lab': { react: '$react', 'react-dom': '$react-dom' },
    '@material-ui/icons': { react: '$react', 'react-dom': '$react-dom' },
    // create-app's Yarn "resolutions" (npm ignores them).
    ...Object.fromEntries(Object.entries(root.resolutions ?? {})),
    // better-sqlite3 12 has no prebuilt binary for Node 24 here and
    // aborts there when a statement is garbage-collected.
    'better-sqlite3': '^13.2.0',
  };
  changes.push(
    "root overrides: @yarnpkg/core 4.9.1, @material-ui/* react peers, create-app's resolutions, better-sqlite3 ^13.2.0",
  );
  // "$react" in overrides needs react as a direct root dependency; it also
  // keeps one React hoisted.
  root.devDependencies = {
    ...root.devDependencies,
    react: '^18.3.1',
    'react-dom': '^18.3.1',
  };
  changes.push(
    'root devDependencies: react, react-dom ^18.3.1 (for the $react overrides)',
  );

  let pinned = 0;
  for (const [name, version] of Object.entries(pins)) {
    root.overrides[name] = version;
    // npm refuses an override of a root dependency unless both say the same.
    if (root.devDependencies[name]) root.devDependencies[name] = version;
    pinned++;
  }
  if (pinned)
    changes.push(
      `root overrides: ${pinned} Backstage packages pinned to release versions (release manifest + the repository's lockfile)`,
    );

  // The tarballs stand in for the registry: every name resolves to its
  // tarball wherever it is asked for, and the workspaces' package.json
  // files read "^<version>" as after `npm install <name>`.
  for (const [name, t] of Object.entries(tarballs))
    root.overrides[name] = `file:${join(WORK, 'tarballs', t.file)}`;
  writeJson(rootFile, root);

  const backendFile = join(APP, 'packages', 'backend', 'package.json');
  const backend = readJson(backendFile);
  if (backend.dependencies.app?.startsWith('link:')) {
    backend.dependencies.app = '*';
    changes.push(
      'packages/backend: "app": "link:../app" (Yarn only) → "*" (the workspace)',
    );
  }
  writeJson(backendFile, backend);

  const legacyFile = join(APP, 'packages', 'app-legacy', 'package.json');
  const legacy = readJson(legacyFile);
  legacy.name = 'app-legacy';
  writeJson(legacyFile, legacy);

  // create-app's packages/app asks for @testing-library/dom ^9 beside
  // @backstage/frontend-test-utils, whose peer is ^10: npm's ERESOLVE.
  for (const workspace of ['app', 'app-legacy']) {
    const file = join(APP, 'packages', workspace, 'package.json');
    const pkg = readJson(file);
    const dev = pkg.devDependencies ?? {};
    if (
      dev['@testing-library/dom'] &&
      !dev['@testing-library/dom'].startsWith('^10')
    ) {
      changes.push(
        `packages/${workspace}: @testing-library/dom ${dev['@testing-library/dom']} → ^10.4.0, @testing-library/react ${dev['@testing-library/react']} → ^16.3.0 (frontend-test-utils' peer)`,
      );
      dev['@testing-library/dom'] = '^10.4.0';
      if (dev['@testing-library/react'])
        dev['@testing-library/react'] = '^16.3.0';
    }
    writeJson(file, pkg);
  }
  return changes;
}

/** `npm install <name>` of the README, in each workspace's package.json. */
function addReadmeDependencies(tarballs) {
  for (const [workspace, names] of Object.entries(README_PACKAGES)) {
    const file = join(APP, workspace, 'package.json');
    const pkg = readJson(file);
    for (const name of names) {
      if (!tarballs[name])
        throw new Error(`no tarball of ${name}, which the README installs`);
      pkg.dependencies[name] = `^${tarballs[name].pkg.version}`;
    }
    pkg.dependencies = Object.fromEntries(
      Object.entries(pkg.dependencies).sort(([a], [b]) => a.localeCompare(b)),
    );
    writeJson(file, pkg);
  }
}

/** Copies of the named packages in node_modules trees below `dir`. */
function nestedCopies(dir, names) {
  const found = [];
  const visit = (nodeModules, depth) => {
    if (depth > 6 || !existsSync(nodeModules)) return;
    for (const entry of readdirSync(nodeModules)) {
      if (entry.startsWith('.')) continue;
      const scoped = entry.startsWith('@');
      const pkgs = scoped
        ? readdirSync(join(nodeModules, entry)).map(
            inner => `${entry}/${inner}`,
          )
        : [entry];
      for (const name of pkgs) {
        const path = join(nodeModules, name);
        if (names.includes(name)) found.push(path);
        visit(join(path, 'node_modules'), depth + 1);
      }
    }
  };
  visit(join(dir, 'node_modules'), 0);
  return found;
}

// ---------------------------------------------------------------- serving

/** Serves a built app: files from `dist`, index.html for every route. */
function serveStatic(dist, port) {
  const types = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.json': 'application/json',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.ico': 'image/x-icon',
    '.woff2': 'font/woff2',
    '.woff': 'font/woff',
    '.ttf': 'font/ttf',
  };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = resolve(dist, `.${path}`);
    if (
      !file.startsWith(dist) ||
      !existsSync(file) ||
      statSync(file).isDirectory()
    )
      file = join(dist, 'index.html');
    res.setHeader(
      'content-type',
      types[extname(file)] ?? 'application/octet-stream',
    );
    createReadStream(file).pipe(res);
  });
  return new Promise(done =>
    server.listen(port, '127.0.0.1', () => done(server)),
  );
}

// ---------------------------------------------------------------- database

function pgClient(database) {
  const require = createRequire(
    join(APP, 'packages', 'backend', 'package.json'),
  );
  const { Client } = require('pg');
  return new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database,
  });
}

async function query(database, sql, params) {
  const client = pgClient(database);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function dropDatabases(prefix) {
  const rows = await query(
    'postgres',
    'SELECT datname FROM pg_database WHERE datname LIKE $1',
    [`${prefix}%`],
  );
  for (const { datname } of rows) {
    await query(
      'postgres',
      `DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}" WITH (FORCE)`,
    );
  }
  return rows.map(row => row.datname);
}

// ---------------------------------------------------------------- browser

/**
 * The guest's catalog entities in create-app's examples/org.yaml, with the
 * card of ours each page shows. create-app's permission policy is
 * allow-all (plugin-permission-backend-module-allow-all-policy), so the
 * guest may read everything and offboard anyone: both cards show their
 * tables and offer offboarding. (The guest signs in as
 * user:development/guest, create-app's default, not the catalog's
 * user:default/guest, so that page lists no tracked sign-in.)
 */
const ENTITY_CARDS = [
  {
    shot: 'user',
    path: '/catalog/default/user/guest',
    title: 'Access held',
    refresh: 'Refresh access held',
    check: accessHeldCard,
  },
  {
    shot: 'group',
    path: '/catalog/default/group/guests',
    title: 'Team access',
    refresh: 'Refresh team access',
    check: teamAccessCard,
  },
];
/** How long the catalog may take to ingest create-app's examples. */
const CATALOG_TIMEOUT = 180_000;

/**
 * Signs in as guest (if asked), opens Active Sessions from the nav and
 * clicks through its tabs; the portal sign-in watcher must report the
 * tracked sign-in. Then the guest's User and Group pages and our cards on
 * them. Screenshots: <shots>.png, <shots>-user.png, <shots>-group.png.
 */
async function browserCheck(browser, label, url, shots) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  const pageErrors = [];
  page.on('pageerror', error => pageErrors.push(error.message));
  const heartbeat = page.waitForRequest(
    req => /\/api\/sessions\/portal\/heartbeat/.test(req.url()),
    { timeout: STEP_TIMEOUT * 2 },
  );
  heartbeat.catch(() => {});
  /** Runs one part; a failure is a FAIL line and a screenshot. */
  const part = async (name, shot, fn) => {
    try {
      await fn(shot);
      return true;
    } catch (error) {
      const failed = shot.replace(/\.png$/, '-failure.png');
      await page.screenshot({ path: failed }).catch(() => {});
      const where = `at ${page.url()}; screenshot ${failed}${pageErrors.length ? `; page errors: ${pageErrors.slice(0, 3).join(' | ')}` : ''}`;
      // A failed must() has said what failed; this says where.
      if (error.reported) log(`  (${where})`);
      else
        check(
          `${label}: ${name}`,
          false,
          `${error.message.split('\n')[0]} (${where})`,
        );
      return false;
    }
  };
  try {
    const signedIn = await part(
      'sign-in and the Active Sessions page',
      `${shots}.png`,
      async screenshotFile => {
        await page.goto(url);
        const enter = page.getByRole('button', { name: 'Enter' });
        // create-app's sidebars both end in Settings: once it is there, the
        // whole nav is.
        const settings = page.getByRole('link', {
          name: 'Settings',
          exact: true,
        });
        await enter.or(settings).first().waitFor();
        if (await enter.isVisible()) {
          await enter.click();
          check(`${label}: guest sign-in page shown, signed in`, true);
        }
        await settings.first().waitFor();
        const navItem = page.getByRole('link', { name: 'Active Sessions' });
        const navItems = await navItem.count();
        const nav = (
          await page
            .locator('nav')
            .first()
            .innerText()
            .catch(() => '')
        )
          .replace(/\s+/g, ' ')
          .trim();
        if (
          check(
            `${label}: "Active Sessions" nav item`,
            navItems > 0,
            navItems ? '' : `the nav has: ${nav}`,
          )
        ) {
          await navItem.first().click();
        } else {
          await page.goto(new URL('/sessions', url).href);
        }
        await page.waitForURL(/\/sessions(\?|#|$)/);
        await page
          .getByRole('heading', { name: 'Active Sessions' })
          .first()
          .waitFor();
        check(`${label}: the page at /sessions`, true, page.url());
        const tabs = page.getByRole('tab');
        await tabs.first().waitFor();
        const names = (await tabs.allInnerTexts()).map(text => text.trim());
        for (let i = 0; i < names.length; i++) {
          await tabs.nth(i).click();
          await page.waitForFunction(
            ([index]) =>
              document
                .querySelectorAll('[role=tab]')
                [index]?.getAttribute('aria-selected') === 'true',
            [i],
          );
        }
        await tabs.first().click();
        check(`${label}: tabs`, names.length > 0, names.join(', '));
        const beat = await heartbeat.catch(() => undefined);
        check(
          `${label}: PortalSignInWatcher reports the tracked guest sign-in`,
          Boolean(beat),
          beat
            ? `${beat.method()} ${new URL(beat.url()).pathname}`
            : 'no /api/sessions/portal/heartbeat request',
        );
        await page.mouse.move(0, 0);
        await page.screenshot({ path: screenshotFile, animations: 'disabled' });
        log(`  screenshot ${screenshotFile}`);
      },
    );
    if (!signedIn) return;
    for (const entity of ENTITY_CARDS) {
      await part(
        `"${entity.title}" on ${entity.path}`,
        `${shots}-${entity.shot}.png`,
        async screenshotFile => {
          const card = await openEntityCard(page, label, url, entity);
          await entity.check(card, label);
          // The legacy app scrolls inside its content, not the document:
          // the card in the middle of the viewport, with the page around it.
          await card.evaluate(el => el.scrollIntoView({ block: 'center' }));
          await page.mouse.move(0, 0);
          await page.screenshot({
            path: screenshotFile,
            animations: 'disabled',
          });
          log(`  screenshot ${screenshotFile}`);
        },
      );
    }
  } finally {
    check(
      `${label}: no uncaught errors in the page`,
      pageErrors.length === 0,
      pageErrors.slice(0, 3).join(' | '),
    );
    await context.close();
  }
}

/**
 * Opens an entity's page, again while the catalog has not ingested it yet,
 * and waits for our card on it; returns the card.
 */
async function openEntityCard(page, label, url, { path, title, refresh }) {
  const deadline = Date.now() + CATALOG_TIMEOUT;
  const heading = page.getByText(title, { exact: true });
  const notFound = page.getByText(
    /Entity not found|There is no .* with the requested/,
  );
  for (let attempt = 1; ; attempt++) {
    await page.goto(new URL(path, url).href);
    try {
      await heading.or(notFound).first().waitFor();
    } catch {
      const headings = (await page.getByRole('heading').allInnerTexts())
        .map(text => text.trim())
        .filter(Boolean);
      throw new Error(
        `no "${title}" card on ${path} within ${secs(STEP_TIMEOUT)}; the page's headings: ${headings.join(', ') || 'none'}`,
      );
    }
    if (await heading.count()) break;
    if (Date.now() > deadline)
      throw new Error(
        `${path}: not in the catalog after ${secs(CATALOG_TIMEOUT)} (${attempt} tries)`,
      );
    // The catalog's first ingestion of examples/org.yaml is still under way.
    await page.waitForTimeout(1_000);
  }
  check(`${label}: "${title}" card on ${path}`, true);
  // The card (an InfoCard; production builds have no readable class
  // names): the parent of its header, which has the title and the card's
  // own Refresh button.
  return heading
    .first()
    .locator(
      `xpath=ancestor::*[.//button[@aria-label="${refresh}"]][1]/parent::*`,
    );
}

/**
 * "Access held" on the guest's User page: its two tables, not its error
 * panel, and (allow-all) Offboard.
 */
async function accessHeldCard(card, label) {
  const error = card.getByText('Could not load the access this person holds');
  const sessions = card.getByText(/^Open sessions \(\d+\+?\)$/);
  const grants = card.getByText(/^Active grants \(\d+\+?\)$/);
  await error.or(sessions).first().waitFor();
  const problem = (await error.count())
    ? (await card.innerText()).replace(/\s+/g, ' ').slice(0, 300)
    : '';
  must(
    `${label}: "Access held" lists the guest's access (no error panel)`,
    !problem,
    problem,
  );
  await grants.waitFor();
  const emptySessions = await card.getByText('No open sessions.').count();
  check(
    `${label}: "Access held" tables`,
    true,
    `${await sessions.innerText()}${emptySessions ? ' ("No open sessions.")' : ''}, ${await grants.innerText()}`,
  );
  const offboard = card.getByRole('button', { name: 'Offboard', exact: true });
  const offered = await offboard
    .waitFor({ timeout: 15_000 })
    .then(() => true)
    .catch(() => false);
  check(
    `${label}: "Access held" offers Offboard (create-app's allow-all policy)`,
    offered,
    offered ? '' : 'no Offboard button',
  );
}

/**
 * "Team access" on the guests group's page: the guest as its member with a
 * tick (allow-all lets the guest offboard), not the error panel or the
 * "shown to people who may offboard" note.
 */
async function teamAccessCard(card, label) {
  const error = card.getByText('Could not load what this team holds');
  const refused = card.getByText('shown to people who may offboard them', {
    exact: false,
  });
  const guestRow = card.getByRole('row').filter({
    has: card.page().getByRole('link', { name: 'guest', exact: true }),
  });
  await error.or(refused).or(guestRow).first().waitFor();
  const problem =
    (await error.count()) || (await refused.count())
      ? (await card.innerText()).replace(/\s+/g, ' ').slice(0, 300)
      : '';
  must(
    `${label}: "Team access" lists the guests group's member (no error panel, not refused)`,
    !problem,
    problem,
  );
  const row = (await guestRow.first().innerText()).replace(/\s+/g, ' ').trim();
  check(`${label}: "Team access" row of the guest`, true, row);
  const tick = card.getByLabel('Select user:default/guest');
  const offboard = card.getByRole('button', { name: 'Offboard selected (0)' });
  await offboard.waitFor();
  check(
    `${label}: "Team access" offers offboarding: a tick for the guest, "Offboard selected (0)" disabled until ticked`,
    (await tick.count()) === 1 && (await offboard.isDisabled()),
    `tick: ${await tick.count()}, button disabled: ${await offboard.isDisabled()}`,
  );
}

// ---------------------------------------------------------------- main

const servers = [];
let databasePrefix;

async function cleanup() {
  await Promise.all(
    servers.map(server => new Promise(done => server.close(done))),
  );
  await stopAll();
  if (
    databasePrefix &&
    !opts.keepDatabases &&
    existsSync(join(APP, 'node_modules', 'pg'))
  ) {
    try {
      const dropped = await dropDatabases(databasePrefix);
      if (dropped.length) log(`dropped databases ${dropped.join(', ')}`);
    } catch (error) {
      log(`could not drop the ${databasePrefix}* databases: ${error.message}`);
    }
  }
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await cleanup();
    process.exit(130);
  });
}

async function main() {
  const release = readJson(join(opts.repo, 'backstage.json')).version;
  const createAppVersion = CREATE_APP_FOR_RELEASE[release];
  if (!createAppVersion)
    throw new Error(
      `no create-app version known for Backstage ${release}; add it to CREATE_APP_FOR_RELEASE from the release manifest`,
    );
  log(
    `Backstage ${release}: @backstage/create-app ${createAppVersion}; Node ${process.version}; work dir ${WORK}`,
  );

  const missing = stepsMissingFromReadme(
    readFileSync(join(opts.repo, 'README.md'), 'utf8'),
  );
  for (const line of missing) log(`  not in the README: ${line}`);
  must(
    "the install steps are the README's",
    missing.length === 0,
    `${missing.length} lines the README does not say`,
  );

  const { createAppBin, playwright, semver } = await tools(createAppVersion);

  // --reuse (for working on this script): the app and its node_modules
  // from the last run; everything after npm install runs again.
  const reuse = opts.reuse && existsSync(join(APP, 'node_modules'));
  if (opts.reuse && !reuse)
    log('--reuse: no installed app from a last run; starting afresh');
  if (!reuse) {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(join(WORK, 'tarballs'), { recursive: true });
    if (opts.tarballs) {
      cpSync(opts.tarballs, join(WORK, 'tarballs'), {
        recursive: true,
        filter: src => src === opts.tarballs || src.endsWith('.tgz'),
      });
    } else {
      log(`building the tarballs from ${opts.repo}`);
      await buildTarballs(opts.repo, join(WORK, 'tarballs'));
    }
  }
  const tarballs = await phase('tarballs are installable', async () => {
    const found = readTarballs(join(WORK, 'tarballs'));
    for (const [name, t] of Object.entries(found))
      log(`  ${name}@${t.pkg.version} (${t.file}, ${t.files.size} files)`);
    const problems = tarballProblems(found, semver);
    for (const problem of problems) log(`  problem: ${problem}`);
    must(
      'tarballs: entry points, exports and dependencies',
      problems.length === 0,
      `${problems.length} problems`,
    );
    return found;
  });

  if (!reuse) {
    await phase('create-app: default template and the legacy one', async () => {
      await createApp(createAppBin, 'default', APP);
      await createApp(createAppBin, 'legacy', join(WORK, 'legacy-template'), [
        '--legacy',
      ]);
      renameSync(
        join(WORK, 'legacy-template', 'packages', 'app'),
        join(APP, 'packages', 'app-legacy'),
      );
      rmSync(join(WORK, 'legacy-template'), { recursive: true, force: true });
      must(
        'create-app laid out packages/app, packages/app-legacy, packages/backend',
        ['app', 'app-legacy', 'backend'].every(dir =>
          existsSync(join(APP, 'packages', dir, 'package.json')),
        ),
        readdirSync(join(APP, 'packages')).join(', '),
      );
      execFileSync('git', ['add', '-A'], { cwd: APP });
      execFileSync(
        'git',
        [
          '-c',
          'user.name=fresh-app',
          '-c',
          'user.email=fresh-app@localhost',
          'commit',
          '-qm',
          'create-app output (+ the legacy app)',
        ],
        { cwd: APP },
      );
    });

    await phase('npm adaptations and the README steps', async () => {
      const { pins, beyondRelease } = versionPins(
        release,
        opts.repo,
        tarballs,
        semver,
      );
      for (const line of beyondRelease)
        log(
          `  note: our package asks for more than Backstage ${release} has: ${line}`,
        );
      for (const change of adaptForNpm(tarballs, pins)) log(`  npm: ${change}`);
      addReadmeDependencies(tarballs);
      for (const step of applyReadmeSteps(APP)) log(`  README: ${step}`);
      cpSync(
        join(HERE, 'app-config.fresh.yaml'),
        join(APP, 'app-config.fresh.yaml'),
      );
      cpSync(
        join(HERE, 'app-config.legacy.yaml'),
        join(APP, 'app-config.legacy.yaml'),
      );
      writeFileSync(
        join(LOGS, 'changes.diff'),
        execFileSync('git', ['diff'], {
          cwd: APP,
          encoding: 'utf8',
          maxBuffer: 1e8,
        }),
      );
      log(
        `  the whole change to create-app's output: ${join(LOGS, 'changes.diff')}`,
      );
    });

    await phase('npm install', async () => {
      // --prefer-offline: package metadata from npm's cache when it has it
      // (the versions are pinned, so there is little to ask the registry).
      await run(
        'npm-install',
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline'],
        { cwd: APP, timeoutMs: 15 * 60_000 },
      );
      const ours = readFileSync(join(LOGS, 'npm-install.log'), 'utf8')
        .split('\n')
        .filter(
          line =>
            /^npm (warn|error)/.test(line) &&
            line.includes('@active-sessions/'),
        );
      check(
        'npm says nothing of our packages (peer conflicts, deprecations)',
        ours.length === 0,
        ours.slice(0, 10).join('\n'),
      );
      for (const name of new Set(Object.values(README_PACKAGES).flat())) {
        const installed = join(APP, 'node_modules', name, 'package.json');
        must(`installed ${name}`, existsSync(installed), installed);
      }
      const dupes = [];
      for (const name of PUBLISHED_PACKAGES) {
        if (!existsSync(join(APP, 'node_modules', name))) continue;
        dupes.push(
          ...nestedCopies(join(APP, 'node_modules', name), [
            'react',
            'react-dom',
            'react-router-dom',
            '@backstage/core-plugin-api',
            '@backstage/frontend-plugin-api',
            '@backstage/core-components',
            '@backstage/backend-plugin-api',
            '@backstage/plugin-permission-common',
            '@backstage/plugin-auth-node',
            '@backstage/plugin-catalog-node',
          ]),
        );
      }
      check(
        "our packages share the app's React and @backstage/* API packages (no nested copies)",
        dupes.length === 0,
        dupes.map(path => path.slice(APP.length + 1)).join(', '),
      );
    });
  }

  await phase('tsc (the app type-checks with our packages)', async () => {
    try {
      await run('app-tsc', 'npx', ['tsc'], { cwd: APP });
      check('tsc in the fresh app', true);
    } catch (error) {
      check(
        'tsc in the fresh app',
        false,
        error.message.split('\n').slice(-15).join('\n'),
      );
    }
  });

  const backendPort = await freePort();
  let legacyPort = await freePort();
  while (legacyPort === backendPort) legacyPort = await freePort();
  databasePrefix = `fresh_app_${Date.now().toString(36)}_`;
  const env = {
    FRESH_APP_BACKEND_PORT: String(backendPort),
    FRESH_APP_LEGACY_PORT: String(legacyPort),
    FRESH_APP_DATABASE_PREFIX: databasePrefix,
  };
  const config = [
    '--config',
    '../../app-config.yaml',
    '--config',
    '../../app-config.fresh.yaml',
  ];

  await phase('build packages/app (new frontend system) for production', () =>
    run('build-app', 'npx', ['backstage-cli', 'package', 'build', ...config], {
      cwd: join(APP, 'packages', 'app'),
      env,
    }),
  );
  await phase('build packages/app-legacy for production', () =>
    run(
      'build-app-legacy',
      'npx',
      [
        'backstage-cli',
        'package',
        'build',
        ...config,
        '--config',
        '../../app-config.legacy.yaml',
      ],
      { cwd: join(APP, 'packages', 'app-legacy'), env },
    ),
  );

  const base = `http://localhost:${backendPort}`;
  await phase(
    `backend on PostgreSQL (port ${backendPort}, databases ${databasePrefix}*)`,
    async () => {
      const backend = spawnLogged(
        'backend',
        'npx',
        ['backstage-cli', 'package', 'start', ...config],
        { cwd: join(APP, 'packages', 'backend'), env },
      );
      const health = await waitForUrl(
        `http://127.0.0.1:${backendPort}/api/sessions/health`,
        'the backend',
        { child: backend },
      );
      check(
        'GET /api/sessions/health',
        true,
        `${health.status} ${(await health.text()).slice(0, 80)}`,
      );
      const database = `${databasePrefix}sessions`;
      const tables = (
        await query(
          database,
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
        )
      ).map(row => row.table_name);
      const migrations = tables.includes('knex_migrations')
        ? (
            await query(
              database,
              'SELECT name FROM knex_migrations ORDER BY id',
            )
          ).map(row => row.name)
        : [];
      const shipped = [
        ...tarballs['@active-sessions/plugin-sessions-backend'].files,
      ]
        .filter(file => /^migrations\/[^/]+\.js$/.test(file))
        .map(file => basename(file));
      const missing = shipped.filter(name => !migrations.includes(name));
      check(
        `the sessions database ${database} has the plugin's tables`,
        tables.length > 2,
        `${tables.length} tables: ${tables.join(', ')}`,
      );
      check(
        'every migration in the tarball ran',
        shipped.length > 0 && missing.length === 0,
        `${migrations.length} ran of ${shipped.length} shipped${missing.length ? `; missing ${missing.join(', ')}` : ''}`,
      );
      await waitForUrl(
        `http://127.0.0.1:${backendPort}/`,
        'the app served by the backend',
        { child: backend, timeoutMs: 30_000 },
      );
      // Wait for the whole backend, not only our plugin: a plugin that fails
      // to start stops the backend after the others have started.
      const backendLog = () =>
        readFileSync(backend.logFile, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
      await waitForLog(
        backend,
        backendLog,
        /Plugin initialization complete|startup failed|threw an error during startup/,
        'the backend finishing its start',
      );
      const startupFailure = backendLog()
        .split('\n')
        .filter(line =>
          /threw an error during startup|Backend startup failed|startup failed/.test(
            line,
          ),
        );
      check(
        'every backend plugin and module started',
        startupFailure.length === 0,
        startupFailure.map(line => line.slice(0, 400)).join('\n'),
      );
      const warnings = backendLog()
        .split('\n')
        .filter(line =>
          /^\S+ (sessions|auth|catalog) (warn|error) /.test(line),
        );
      if (warnings.length)
        log(
          `  backend warnings and errors of sessions, auth and catalog (${warnings.length}):\n${warnings
            .slice(0, 8)
            .map(line => `    ${line.slice(0, 300)}`)
            .join('\n')}`,
        );
    },
  );

  servers.push(
    await serveStatic(join(APP, 'packages', 'app-legacy', 'dist'), legacyPort),
  );

  await phase('Chromium', async () => {
    const browser = await playwright.chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
      ],
    });
    try {
      for (const [label, url, shots] of [
        ['new frontend system app', `${base}/`, 'fresh-app-nfs'],
        ['legacy app', `http://localhost:${legacyPort}/`, 'fresh-app-legacy'],
      ]) {
        try {
          await browserCheck(browser, label, url, join(OUTPUT, shots));
        } catch (error) {
          check(label, false, error.message);
        }
      }
    } finally {
      await browser.close();
    }
  });
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  if (stopping) await new Promise(() => {}); // the signal handler exits
  if (!error.reported) {
    failures.push(error.message);
    console.error(`[fresh-app] FAIL ${error.message}`);
  }
} finally {
  await cleanup();
  if (failures.length) exitCode = 1;
  console.log('[fresh-app] durations:');
  for (const [name, ms, state] of timings)
    console.log(
      `[fresh-app]   ${secs(ms).padStart(7)}  ${name}${state === 'ok' ? '' : `  (${state})`}`,
    );
  console.log(
    `[fresh-app]   ${secs(Date.now() - runStart).padStart(7)}  total`,
  );
  console.log(
    `[fresh-app] ${failures.length ? `FAILED: ${failures.length} failure(s)` : 'all checks passed'}; logs in ${LOGS}; the app in ${APP}`,
  );
  process.exit(exitCode);
}
