/*
 * What the OpenSSH connector's README tells a sysadmin, checked against the
 * connector itself: the install lines copy every file the agent loads, the
 * settings table names every variable the hook and the agent read, and the
 * PAM line is the one this test installs (pam_exec, quiet, the hook, the
 * configuration file), after pam_loginuid.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The local modules `file` loads, and theirs. */
function localModules(dir, file, found = new Set()) {
  const text = readFileSync(join(dir, file), 'utf8');
  for (const [, name] of text.matchAll(/['"]\.\/([\w.-]+\.mjs)['"]/g)) {
    if (!found.has(name)) {
      found.add(name);
      localModules(dir, name, found);
    }
  }
  return found;
}

/** The README's problems, as sentences; none when it matches the connector. */
export function opensshReadmeProblems(connectorDir) {
  const readme = readFileSync(join(connectorDir, 'README.md'), 'utf8');
  const problems = [];

  const installed = new Set(
    [
      ...readme.matchAll(
        /^install -m \d+ (.+) \/usr\/local\/lib\/active-sessions\/$/gm,
      ),
    ].flatMap(([, files]) => files.split(/\s+/)),
  );
  const needed = new Set([
    'active-sessions-pam-hook',
    'agent.mjs',
    ...localModules(connectorDir, 'agent.mjs'),
  ]);
  for (const file of needed) {
    if (!installed.has(file))
      problems.push(`the install lines do not copy ${file}`);
  }

  const variables = new Set();
  for (const file of readdirSync(connectorDir)) {
    // Its tests are not installed and set nothing.
    if (file === 'README.md' || file === 'test') continue;
    const text = readFileSync(join(connectorDir, file), 'utf8');
    for (const [name] of text.matchAll(/ACTIVE_SESSIONS_[A-Z][A-Z_]*[A-Z]/g)) {
      variables.add(name);
    }
  }
  for (const name of variables) {
    if (!new RegExp(`^\\| \`${name}\` `, 'm').test(readme)) {
      problems.push(`the settings table does not list ${name}`);
    }
  }

  const pamLine =
    /^session \w+ pam_exec\.so quiet \/usr\/local\/lib\/active-sessions\/active-sessions-pam-hook \/etc\/active-sessions\/openssh\.env$/m;
  if (!pamLine.test(readme)) problems.push('the PAM line is not the hook’s');
  if (!readme.includes('session required pam_loginuid.so')) {
    problems.push('the README does not ask for pam_loginuid before the hook');
  }
  return problems;
}
