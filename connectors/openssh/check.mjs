// `agent.mjs --check [file]`: what the connector sees on this host, one
// line per item, OK or PROBLEM; exits 1 when there is a problem. For a
// sysadmin after installing, and whenever sessions do not show up.
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  auditSessionOf,
  loginOf,
  loginProcesses,
  parseExternalId,
  parseSpool,
  processTable,
} from './loginProcesses.mjs';

const HOOK_NAME = 'active-sessions-pam-hook';

/** The hook's line and pam_loginuid's in a PAM service file, by position. */
function pamStack(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = pattern =>
    lines.findIndex(line => !/^\s*#/.test(line) && pattern.test(line));
  return {
    hook: at(new RegExp(`^\\s*session\\s+\\S+\\s+pam_exec\\.so.*${HOOK_NAME}`)),
    loginuid: at(/^\s*session\s+\S+\s+pam_loginuid\.so/),
  };
}

async function portalAnswer(config) {
  const cursor = 0;
  const response = await fetch(
    `${config.url}/connector/commands?source=${encodeURIComponent(config.source)}&after=${cursor}&wait=0&limit=1`,
    { headers: { Authorization: `Bearer ${config.token}` } },
  );
  return { status: response.status, body: await response.text() };
}

export async function runCheck(config) {
  let problems = 0;
  const ok = line => console.log(`OK       ${line}`);
  const problem = line => {
    problems += 1;
    console.log(`PROBLEM  ${line}`);
  };

  if (!config.fileExists) problem(`no configuration file ${config.file}`);
  else if ((lstatSync(config.file).mode & 0o077) !== 0)
    problem(
      `${config.file} is readable by others: it holds the token (chmod 600)`,
    );
  else ok(`configuration ${config.file} (readable by its owner only)`);

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
        `the portal at ${config.url} cannot be reached: ${error.message}`,
      );
    }
  }

  const pamFile = `/etc/pam.d/${config.pamService}`;
  if (!existsSync(pamFile)) {
    problem(
      `no PAM service file ${pamFile} (ACTIVE_SESSIONS_PAM_SERVICE names another)`,
    );
  } else {
    const { hook, loginuid } = pamStack(pamFile);
    if (hook < 0)
      problem(`${pamFile} has no session line running ${HOOK_NAME}`);
    else ok(`${pamFile} runs ${HOOK_NAME} (line ${hook + 1})`);
    if (loginuid < 0 || (hook >= 0 && loginuid > hook))
      problem(
        `${pamFile} has no pam_loginuid before the hook: a cut ends only the process tree under sshd`,
      );
    else
      ok(
        `${pamFile} gives each login an audit session (pam_loginuid, line ${loginuid + 1})`,
      );
  }
  if (!existsSync('/proc/self/sessionid'))
    problem(
      'this kernel has no audit session ids: a cut ends only the process tree under sshd',
    );

  if (!existsSync(config.spool)) {
    ok(`no login recorded yet (${config.spool} appears with the first)`);
  } else {
    const table = processTable();
    const entries = readdirSync(config.spool);
    ok(`${entries.length} login(s) recorded in ${config.spool}`);
    for (const name of entries) {
      const fields = parseSpool(readFileSync(join(config.spool, name), 'utf8'));
      const parsed = parseExternalId(fields.externalId ?? '');
      const processes = parsed
        ? loginProcesses(table, loginOf(parsed, fields))
        : [];
      const line = `  ${fields.externalId ?? name}: ${fields.user ?? '?'}, ${processes.length} process(es)${fields.auditSession ? `, audit session ${fields.auditSession}` : ', no audit session'}`;
      if (fields.auditSession) ok(line);
      else problem(`${line}: a cut may miss its orphaned processes`);
    }
  }
  if (auditSessionOf(process.pid))
    console.log(
      'NOTE     this check runs inside a login; run the agent as a service (its own audit session is unset)',
    );
  console.log(problems ? `${problems} problem(s)` : 'no problems');
  return problems ? 1 : 0;
}
