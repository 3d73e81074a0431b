#!/usr/bin/env node
/*
 * Browser test of the running portal: starts the backend, the app and the
 * session simulator, signs in as guest in Debian's chromium, ends a simulated
 * session and sees it move from the active list to history. Every step waits
 * for a state (a row appears, a row leaves), never for a fixed time.
 *
 * Saves docs/active-sessions.png (shown in the README) and, on failure,
 * e2e/output/failure.png plus the server logs in e2e/output/.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'e2e', 'output');
mkdirSync(output, { recursive: true });
mkdirSync(join(root, 'docs'), { recursive: true });

const APP = 'http://localhost:3017';
const API = 'http://localhost:7017/api/sessions';
const PINNED_RESOURCE = 'bastion-prod-1'; // the simulator never ends this one itself
const STEP_TIMEOUT = 60_000;
const configArgs = [
  '--config',
  join(root, 'app-config.yaml'),
  '--config',
  join(root, 'e2e', 'app-config.e2e.yaml'),
];

const children = [];
function run(name, command, args, options = {}) {
  const log = createWriteStream(join(output, `${name}.log`));
  const child = spawn(command, args, {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env, FORCE_COLOR: '0' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  children.push(child);
  return child;
}

function stopAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

async function waitForUrl(url, what, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${what} did not come up at ${url}`);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

let browser;
let page;
let failed = false;
const started = Date.now();
try {
  run('backend', 'npx', ['backstage-cli', 'package', 'start', ...configArgs], {
    cwd: join(root, 'packages', 'backend'),
  });
  run('app', 'npx', ['backstage-cli', 'package', 'start', ...configArgs], {
    cwd: join(root, 'packages', 'app'),
  });
  await waitForUrl(`${API}/health`, 'the backend');
  run(
    'simulator',
    'node',
    [join(root, 'scripts', 'simulator.mjs'), '--minutes', '10'],
    {
      env: { SESSIONS_API_URL: API, SIMULATOR_TICK_MS: '2000' },
    },
  );
  await waitForUrl(APP, 'the app');
  console.log(
    `[e2e] portal up after ${Math.round((Date.now() - started) / 1000)} s`,
  );

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(STEP_TIMEOUT);

  await page.goto(`${APP}/sessions`);
  await page.getByRole('button', { name: 'Enter' }).click();
  console.log('[e2e] signed in as guest');

  const pinnedRow = page.getByRole('row').filter({ hasText: PINNED_RESOURCE });
  await pinnedRow.waitFor();
  console.log(`[e2e] simulated session on ${PINNED_RESOURCE} is listed`);
  const endAll = page.getByRole('button', { name: 'End All Sessions' });
  await page.waitForFunction(
    button => button && !button.disabled,
    await endAll.elementHandle(),
  );
  await page.screenshot({ path: join(root, 'docs', 'active-sessions.png') });

  await page
    .getByRole('button', { name: `End session on ${PINNED_RESOURCE}` })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('unsaved work').waitFor();
  await dialog.getByRole('button', { name: 'End session' }).click();
  await pinnedRow.waitFor({ state: 'detached' });
  console.log('[e2e] ended: it left the active list');

  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('row').filter({ hasText: PINNED_RESOURCE }).waitFor();
  console.log('[e2e] it is in history');
  await page.screenshot({ path: join(output, 'history.png') });
} catch (error) {
  failed = true;
  console.error(`[e2e] FAILED: ${error.stack ?? error}`);
  if (page)
    await page
      .screenshot({ path: join(output, 'failure.png') })
      .catch(() => {});
  console.error(`[e2e] logs and screenshot in ${output}`);
} finally {
  await browser?.close().catch(() => {});
  stopAll();
}
console.log(`e2e: ${failed ? 0 : 1} passed, ${failed ? 1 : 0} failed`);
process.exit(failed ? 1 : 0);
