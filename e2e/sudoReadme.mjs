/*
 * What the sudo connector's README tells a sysadmin, checked against the
 * connector itself: the install lines copy every file the agent and the
 * grant command load and make the configuration root's alone, the settings
 * table names every variable they read, and the service runs the agent
 * with the configuration file.
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
export function sudoReadmeProblems(connectorDir) {
  const readme = readFileSync(join(connectorDir, 'README.md'), 'utf8');
  const problems = [];

  const installed = new Set(
    [
      ...readme.matchAll(
        /^install (?:-[og] \S+ )*-m \d+ (.+) \/usr\/local\/lib\/active-sessions-sudo\/$/gm,
      ),
    ].flatMap(([, files]) => files.split(/\s+/)),
  );
  const needed = new Set([
    'agent.mjs',
    'grant.mjs',
    ...localModules(connectorDir, 'agent.mjs'),
    ...localModules(connectorDir, 'grant.mjs'),
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

  if (
    !/^ExecStart=\/usr\/bin\/node \/usr\/local\/lib\/active-sessions-sudo\/agent\.mjs \/etc\/active-sessions\/sudo\.env$/m.test(
      readme,
    )
  )
    problems.push('the systemd unit does not run the agent with sudo.env');
  // The grant command refuses a configuration that is not root's alone.
  if (
    !/^chown root:root \/etc\/active-sessions\/sudo\.env$/m.test(readme) ||
    !/^chmod 600 \/etc\/active-sessions\/sudo\.env$/m.test(readme)
  )
    problems.push(
      'the install lines do not make sudo.env root-owned, mode 600',
    );
  if (!readme.includes('@includedir /etc/sudoers.d'))
    problems.push('the README does not ask for @includedir /etc/sudoers.d');
  return problems;
}
