// `agent.mjs --check [file]`: what the sudo connector sees on this host,
// one line per item, OK or PROBLEM; exits 1 when there is a problem. For a
// sysadmin after installing, and whenever a grant does not behave.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { RETRY_EVERY_MS } from './agentCore.mjs';
import {
  directoryProblem,
  dropInState,
  listRecords,
  sudoHasNotAfter,
  sudoVersion,
  visudo,
} from './grants.mjs';

async function portalAnswer(config) {
  const response = await fetch(
    `${config.url}/connector/commands?source=${encodeURIComponent(config.source)}&after=0&wait=0&limit=1`,
    {
      headers: { Authorization: `Bearer ${config.token}` },
      signal: AbortSignal.timeout(config.timeoutSeconds * 1000),
    },
  );
  return { status: response.status, body: await response.text() };
}

/** Whether /etc/sudoers reads the drop-in directory. */
function includesDir(dir) {
  try {
    const escaped = dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    return new RegExp(`^\\s*[@#]includedir\\s+${escaped}/?\\s*$`, 'm').test(
      readFileSync('/etc/sudoers', 'utf8'),
    );
  } catch {
    return false;
  }
}

export async function runCheck(config) {
  let problems = 0;
  const ok = line => console.log(`OK       ${line}`);
  const problem = line => {
    problems += 1;
    console.log(`PROBLEM  ${line}`);
  };

  if (!config.fileExists) problem(`no configuration file ${config.file}`);
  else if (config.fileProblem)
    problem(
      `${config.fileProblem}: not read (the grant command runs as root what it names; chown root:root, chmod 600, and root's directories)`,
    );
  else if ((statSync(config.file).mode & 0o077) !== 0)
    problem(
      `${config.file} is readable by others: it holds the token (chmod 600)`,
    );
  else ok(`configuration ${config.file} (readable by its owner only)`);
  for (const item of config.problems) problem(item);
  if (process.getuid() !== 0)
    problem('not running as root: the agent and the grant command must');

  if (config.missing.length > 0) {
    problem(`not set: ${config.missing.join(', ')}`);
  } else {
    try {
      const { status, body } = await portalAnswer(config);
      if (status === 200)
        ok(
          `the portal at ${config.url} takes this token for source ${config.source}`,
        );
      else
        problem(
          `the portal at ${config.url} answered ${status} for source ${config.source}: ${body.slice(0, 300)}`,
        );
    } catch (error) {
      problem(
        `the portal at ${config.url} cannot be reached: ${error.cause?.code ?? error.message}`,
      );
    }
  }

  const version = sudoVersion(config.sudoPath);
  if (!version)
    problem(`${config.sudoPath} is not installed (apt-get install sudo)`);
  else if (sudoHasNotAfter(version))
    ok(
      `${version}: rules carry NOTAFTER, sudo itself stops honouring them at the expiry`,
    );
  else
    console.log(
      `NOTE     ${version} has no NOTAFTER (1.9.10 and later): expiries rest on the agent alone`,
    );
  const checked = visudo(config.visudoPath, ['-c']);
  if (checked.ok) ok('visudo -c: sudoers parses');
  else
    problem(
      `visudo -c fails (grants are refused until it passes):\n${checked.output}`,
    );
  if (includesDir(config.sudoersDir))
    ok(`/etc/sudoers includes ${config.sudoersDir}`);
  else
    problem(
      `/etc/sudoers does not include ${config.sudoersDir}: add "@includedir ${config.sudoersDir}"`,
    );
  const dirProblem = directoryProblem(config.sudoersDir);
  if (dirProblem) problem(dirProblem);

  if (!existsSync(config.state)) {
    ok(`no grant made yet (${config.state} appears with the first)`);
  } else {
    const stateProblem = directoryProblem(config.state);
    if (stateProblem) problem(stateProblem);
    const records = listRecords(config.state);
    ok(`${records.length} grant(s) recorded in ${config.state}`);
    for (const record of records) {
      const line = `  ${record.externalId}: ${record.user} until ${record.expiresAt}`;
      if (record.revoked) {
        if (record.revoked.outcome === 'failed')
          problem(
            `${line}, revoked, but ${record.revoked.message} (tried again every ${RETRY_EVERY_MS / 1000} s)`,
          );
        else
          console.log(
            `NOTE     ${line}, revoked (${record.revoked.outcome}), acknowledgement not yet recorded`,
          );
        continue;
      }
      if (record.ended) {
        console.log(
          `NOTE     ${line}, ended (${record.ended.why}), not yet reported`,
        );
        continue;
      }
      if (record.ending) {
        problem(
          `${line}, ${record.ending.why}, but ${record.ending.message} (tried again every ${RETRY_EVERY_MS / 1000} s)`,
        );
        continue;
      }
      if (record.state === 'pending') {
        console.log(`NOTE     ${line}, being granted`);
        continue;
      }
      const dropIn = dropInState(config.sudoersDir, record.externalId);
      if (dropIn === 'ours') ok(`${line}, rule in place`);
      else
        problem(
          `${line}, rule ${dropIn === 'absent' ? 'missing' : 'not the one written'}`,
        );
    }
  }
  console.log(problems ? `${problems} problem(s)` : 'no problems');
  return problems ? 1 : 0;
}
