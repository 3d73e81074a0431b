#!/usr/bin/env node
// Active Sessions grant command for sudo: gives a user sudo on this host
// for a while, for a reason, and tells the portal.
//
//   grant.mjs --user jane --duration 2h --reason "INC-2291: restart nginx"
//             [--granted-by "change CHG-81"] [--user-ref user:default/jane.doe]
//             [--config /etc/active-sessions/sudo.env]
//
// Run as root by whatever grants the privilege: an approval workflow
// (over SSH, from a runbook tool, through a wrapper with fixed arguments),
// or an admin on the host. It reads only the configuration file, and only
// when root's alone; not the environment. What it checks and does:
// grantCommand.mjs. The agent (agent.mjs) removes the rule on a revoke or
// give-back in the portal, and at its expiry.
import { Refusal, USAGE, UsageError, grant } from './grantCommand.mjs';

try {
  process.exitCode = await grant(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`grant.mjs: ${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof Refusal) {
    console.error(`grant.mjs: refused: ${error.message}\nNothing was changed.`);
    process.exitCode = 1;
  } else throw error;
}
