#!/usr/bin/env node
// Active Sessions agent for sudo grants.
//
// Follows this host's order feed in the portal (long-poll). On a revoke or
// give-back of a grant that the grant command (grant.mjs) made here, it
// removes that grant's sudoers drop-in, ends the user's running sudo — the
// sudo processes and the commands they run — and acknowledges. On its own
// clock, whether or not the portal is reachable, it removes the drop-ins
// of grants that expired (and ends their sudo), and tells the portal once
// it can. It never acts on an order's word alone: it touches only a grant
// its own grant command recorded in the root-only state directory, and
// only the drop-in of exactly that id whose first line names it. What it
// does, step by step: agentCore.mjs.
//
// Node.js 18 or later, no packages. Configuration: the environment file
// (first argument, default /etc/active-sessions/sudo.env), root's alone,
// with the environment over it. `agent.mjs --check [file]` checks the
// installation.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createAgent } from './agentCore.mjs';
import { DEFAULT_CONFIG_FILE, readConfig } from './agentConfig.mjs';
import {
  DROP_IN_PREFIX,
  directoryProblem,
  ensureStateDir,
  sudoHasNotAfter,
  sudoVersion,
} from './grants.mjs';
import { portalClient } from './portal.mjs';

const checking = process.argv[2] === '--check';
const config = readConfig(
  process.argv[checking ? 3 : 2] ?? DEFAULT_CONFIG_FILE,
  { environment: process.env },
);
if (checking) {
  const { runCheck } = await import('./check.mjs');
  process.exit(await runCheck(config));
}
if (config.fileProblem)
  throw new Error(
    `${config.fileProblem}: the configuration must be root's alone (chown root:root, chmod 600)`,
  );
if (config.missing.length > 0)
  throw new Error(`${config.missing.join(', ')} not set in ${config.file}`);
if (config.problems.length > 0) throw new Error(config.problems.join('; '));
if (process.getuid() !== 0)
  throw new Error('run the agent as root: it removes sudoers rules');
const dirProblem = directoryProblem(config.sudoersDir);
if (dirProblem) throw new Error(dirProblem);
ensureStateDir(config.state);

const CURSOR = join(config.state, 'cursor');
const log = message => console.log(`[active-sessions-sudo] ${message}`);

const agent = createAgent(config, {
  api: portalClient(config),
  log,
  readCursor() {
    try {
      return Number(readFileSync(CURSOR, 'utf8').trim()) || 0;
    } catch {
      return 0;
    }
  },
  saveCursor(cursor) {
    mkdirSync(dirname(CURSOR), { recursive: true });
    writeFileSync(CURSOR, String(cursor), { mode: 0o600 });
  },
});

const version = sudoVersion(config.sudoPath);
log(
  `portal ${config.url}, source ${config.source}, rules ${join(config.sudoersDir, `${DROP_IN_PREFIX}sudo-*`)}, state ${config.state}`,
);
if (!version) log(`WARNING: ${config.sudoPath} is not installed`);
else if (!sudoHasNotAfter(version))
  log(
    `WARNING: ${version} has no NOTAFTER: expiries rest on this agent alone (sudo 1.9.10 and later enforce them too)`,
  );
await agent.run();
