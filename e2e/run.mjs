#!/usr/bin/env node
/*
 * Browser tests of the running portal: starts the backend, the app and the
 * session simulator, signs in as guest in Debian's chromium, then
 *   1. sees a recording linked and an unusual session flagged, ends a
 *      simulated session and sees it move from the active list to history;
 *   2. sets up two-factor authentication (computing the code from the
 *      secret on the page) and ends all sessions through the step-up dialog;
 *   2b. signs in from a new browser, which waits for the authenticator
 *      code (the catalog refuses its token meanwhile), gives it, and signs
 *      in again from that browser without a code (sessions.signIn
 *      secondFactor newDevice);
 *   3. selects two Timed Access grants, revokes them in one go (stepping up
 *      if asked) and sees both become revoking, no longer selectable;
 *   4. sees the simulator's connectors online on the Connectors tab, and
 *      reviews everyone's flagged sessions as an admin;
 *   5. logs in over SSH to a real sshd running the OpenSSH connector, ends
 *      the session as an admin, and sees the connection cut and confirmed,
 *      20 times, printing press-to-cut latency (e2e/openssh.mjs).
 *   6. offboards a simulated leaver from the People tab;
 *   7. sees a session a connector starts appear, and leave when it
 *      ends, without a click (live updates through signals);
 *   8. signs in from a second browser, signs it out from the first with
 *      "Sign out all other devices", and measures how long the catalog
 *      still accepts its token, and the auth plugin its limited token (the
 *      `backstage-auth` cookie's), the exposure windows, before its page
 *      falls back to the sign-in screen;
 *   8c. reports a session as "Not me": it ends and is listed as reported;
 *   8b. leaves a tab untouched (no activity reported) and presses a key
 *      in it (activity reported);
 *   10. signs in through a real OpenID Connect provider (e2e/oidcProvider.mjs,
 *      started before the backend) as Maria: login form and consent in
 *      the provider's popup, listed on Portal sign-ins, a reload refreshes
 *      into the same sign-in, a second browser signed out from the first
 *      returns to the sign-in page, with two-factor on a new browser gives
 *      the code, and the sidebar's Sign out ends the sign-in;
 *   9. restarts the backend under the company policy as an SRE on-call
 *      engineer, who is offered everyone's SSH sessions and no RDP.
 * Every step waits for a state (a row appears, a row leaves), never for a
 * fixed time. A failing step fails its test; the other test still runs.
 *
 * Saves docs/active-sessions.png, docs/device-admin.png,
 * docs/timed-access.png, docs/oidc-sign-in.png and others (shown in the
 * README) and, on failure,
 * e2e/output/failure-<test>.png plus the server logs in e2e/output/.
 */
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { OIDC_ISSUER, OIDC_PORT, startOidcProvider } from './oidcProvider.mjs';
import { runOpenSshTest } from './openssh.mjs';
import { runSudoTest } from './sudo.mjs';
import { freshCode } from './totp.mjs';
import { seriousViolations } from './accessibility.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'e2e', 'output');
mkdirSync(output, { recursive: true });
// Every run's screenshots; `npm run docs:screenshots` copies them to docs/
// for the README, so a test run leaves the working tree as it was.
const shots = join(output, 'screenshots');
mkdirSync(shots, { recursive: true });

const APP = 'http://localhost:3017';
const API = 'http://localhost:7017/api/sessions';
const PINNED_RESOURCE = 'bastion-prod-1'; // the simulator never ends this one itself
// The guest's timed access the simulator grants for hours and never ends itself.
const PINNED_GRANTS = ['prod-db-readonly', 'aws-billing'];
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

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Stops every process group we started; kills what ignores SIGTERM. */
async function stopAll() {
  const exited = children.map(
    child =>
      new Promise(resolve => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', resolve);
      }),
  );
  children.forEach(child => signalGroup(child, 'SIGTERM'));
  const grace = new Promise(resolve => setTimeout(resolve, 10_000).unref());
  await Promise.race([Promise.all(exited), grace]);
  // Watchers restart their child on file changes; make sure none is left.
  children.forEach(child => signalGroup(child, 'SIGKILL'));
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

/** Waits until a child's log (e2e/output/<name>.log) contains `text`. */
async function waitForLog(name, text, what, timeoutMs = 60_000) {
  const file = join(output, `${name}.log`);
  const deadline = Date.now() + timeoutMs;
  while (!(existsSync(file) && readFileSync(file, 'utf8').includes(text))) {
    if (Date.now() > deadline)
      throw new Error(`${what}: no "${text}" in ${file}`);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

let browser;
let page;
/** The OpenID Connect provider the portal's `oidc` sign-in uses. */
let oidc;
/** The portal backend; the policy test restarts it. */
let backendProcess;

/** The rows on screen and the simulator's last lines, for a failed test. */
async function printPageState() {
  const rows = await page
    .getByRole('row')
    .allInnerTexts()
    .catch(() => []);
  console.error(`[e2e] the page at ${page.url()} showed ${rows.length} rows:`);
  for (const row of rows) {
    console.error(`[e2e]   | ${row.replace(/\s+/g, ' ').trim()}`);
  }
  const simulatorLog = join(output, 'simulator.log');
  if (existsSync(simulatorLog)) {
    const lines = readFileSync(simulatorLog, 'utf8').trim().split('\n');
    console.error('[e2e] the simulator said last:');
    for (const line of lines.slice(-10)) console.error(`[e2e]   > ${line}`);
  }
}

/** A still picture: transitions finished, the pointer off the controls. */
/** What axe found, by where; the accessibility test fails on any. */
const accessibilityProblems = [];
async function checkAccessibility(p, what, include) {
  for (const line of await seriousViolations(p, include)) {
    accessibilityProblems.push(`${what}: ${line}`);
  }
}

async function screenshot(path) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path, animations: 'disabled' });
}

/** Opens the page; signs in as guest unless the portal remembers it. */
async function openSessionsPage() {
  await page.goto(`${APP}/sessions`);
  const enter = page.getByRole('button', { name: 'Enter' });
  const sessionsTab = page.getByRole('tab', { name: 'Sessions', exact: true });
  await enter.or(sessionsTab).first().waitFor();
  if (await enter.isVisible()) await enter.click();
  await sessionsTab.waitFor();
  console.log('[e2e] signed in as guest');
}

/**
 * Test 1: end a simulated session; it shows terminating until the simulated
 * connector acknowledges the order, then the confirmed cut, and is in
 * history.
 */
async function endSessionTest() {
  await openSessionsPage();
  const pinnedRow = page.getByRole('row').filter({ hasText: PINNED_RESOURCE });
  await pinnedRow.waitFor();
  console.log(`[e2e] simulated session on ${PINNED_RESOURCE} is listed`);
  // The simulator's RDP gateway records; the guest may watch their own.
  // (It may have started the guest more sessions there since: any will do.)
  const recording = page
    .getByRole('row')
    .filter({ hasText: 'win-jump-01' })
    .getByRole('link', { name: 'Recording' })
    .first();
  const href = await recording.getAttribute('href');
  if (!href?.startsWith('https://recordings.example.com/rdp-gateway/')) {
    throw new Error(`the recording links to ${href}`);
  }
  // Seeded from a device the guest does not use: flagged, with the banner.
  await page
    .getByRole('row')
    .filter({ hasText: 'db-replica-2' })
    .getByText('New device')
    .first()
    .waitFor();
  await page.getByText('Unusual sessions').waitFor();
  console.log('[e2e] the RDP recording is linked, the unusual session flagged');
  const endAll = page.getByRole('button', {
    name: 'End All Sessions',
    exact: true,
  });
  await page.waitForFunction(
    button => button && !button.disabled,
    await endAll.elementHandle(),
  );
  await screenshot(join(shots, 'active-sessions.png'));

  await page
    .getByRole('button', { name: `End session on ${PINNED_RESOURCE}` })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('unsaved work').waitFor();
  await dialog.getByRole('button', { name: 'End session' }).click();
  await pinnedRow.getByText(/^Cut confirmed /).waitFor();
  console.log('[e2e] ended: its connector confirmed the cut');
  await screenshot(join(shots, 'cut-confirmed.png'));

  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('row').filter({ hasText: PINNED_RESOURCE }).waitFor();
  console.log('[e2e] it is in history');
  await screenshot(join(output, 'history.png'));
}

/** The guest's TOTP secret, once the two-factor test enrolled it. */
let guestSecret;

/** Types a fresh code into the step-up dialog and confirms it. */
async function stepUp(dialog) {
  await dialog
    .getByLabel('Authenticator code')
    .fill(await freshCode(guestSecret));
  await dialog.getByRole('button', { name: 'Verify' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/**
 * Test 2: set up two-factor authentication from the QR page, computing the
 * code from the secret shown, then end all sessions through the step-up
 * dialog.
 */
async function twoFactorTest() {
  await openSessionsPage();
  await page.getByRole('tab', { name: 'Two-factor' }).click();
  await page
    .getByRole('button', { name: 'Set up two-factor authentication' })
    .click();
  await page
    .getByRole('img', { name: 'QR code for your authenticator app' })
    .waitFor();
  guestSecret = (await page.getByLabel('Secret key').textContent()).trim();
  await screenshot(join(shots, 'two-factor.png'));
  await page.getByLabel('Code from the app').fill(await freshCode(guestSecret));
  await page.getByRole('button', { name: 'Activate' }).click();
  await page.getByRole('list', { name: 'Recovery codes' }).waitFor();
  console.log("[e2e] enrolled with a code computed from the page's secret");
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await page.getByText('Two-factor authentication is on.').waitFor();

  await page.getByRole('tab', { name: 'Sessions', exact: true }).click();
  const endAll = page.getByRole('button', {
    name: 'End All Sessions',
    exact: true,
  });
  await page.waitForFunction(
    button => button && !button.disabled,
    await endAll.elementHandle(),
  );
  await endAll.click();
  await page
    .getByRole('dialog', { name: 'End all sessions?' })
    .getByRole('button', { name: /^End \d+ sessions?$/ })
    .click();
  const dialog = page.getByRole('dialog', { name: "Confirm it's you" });
  await dialog.waitFor();
  console.log('[e2e] End All asked for a code');
  await screenshot(join(shots, 'step-up.png'));
  await checkAccessibility(page, "dialog Confirm it's you", '[role=dialog]');
  await stepUp(dialog);
  await page.getByText(/^Ended \d+ sessions?\.$/).waitFor();
  console.log('[e2e] all sessions ended after the step-up');
}

/**
 * Signs `p` in as guest and, when the sign-in waits for the authenticator
 * code (a browser the portal has not seen pass it), gives the code on the
 * code screen. Says whether it asked. Decided by the first heartbeat's
 * answer, not by what happens to be on screen first.
 */
async function signInAsGuest(p) {
  const heartbeat = () =>
    p.waitForResponse(
      response =>
        response.url().endsWith('/api/sessions/portal/heartbeat') &&
        response.request().method() === 'POST',
    );
  const enter = p.getByRole('button', { name: 'Enter' });
  const sessionsTab = p.getByRole('tab', { name: 'Sessions', exact: true });
  const firstBeat = heartbeat();
  await enter.click();
  const { state } = await (await firstBeat).json();
  if (state !== 'awaiting-code') {
    await sessionsTab.waitFor();
    return false;
  }
  const codeScreen = p.getByRole('dialog', { name: 'Finish signing in' });
  await codeScreen.waitFor();
  await codeScreen
    .getByLabel('Authenticator code')
    .fill(await freshCode(guestSecret));
  // The page starts again, signed in without the wait.
  const passed = p.waitForEvent('load');
  await codeScreen.getByRole('button', { name: 'Verify' }).click();
  await passed;
  await enter.or(sessionsTab).first().waitFor();
  if (await enter.isVisible()) await enter.click();
  await sessionsTab.waitFor();
  return true;
}

/**
 * Test 2b: with two-factor on, a browser the portal has not seen asks for
 * the code before anything else: its sign-in is listed as waiting for the
 * code, the catalog refuses its token, and a good code lets it in; signing
 * in again from that browser asks no more (newDevice).
 */
async function signInCodeTest() {
  const laptopContext = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  try {
    const laptop = await laptopContext.newPage();
    laptop.setDefaultTimeout(STEP_TIMEOUT);
    let token;
    laptop.on('response', async response => {
      if (response.url().endsWith('/api/auth/guest/refresh') && response.ok()) {
        token = (await response.json()).backstageIdentity.token;
      }
    });
    const catalog = `${API.replace(/\/sessions$/, '/catalog')}/entities?limit=1`;
    const catalogStatus = async () =>
      (await fetch(catalog, { headers: { Authorization: `Bearer ${token}` } }))
        .status;

    await laptop.goto(`${APP}/sessions`);
    const firstBeat = laptop.waitForResponse(response =>
      response.url().endsWith('/api/sessions/portal/heartbeat'),
    );
    await laptop.getByRole('button', { name: 'Enter' }).click();
    if ((await (await firstBeat).json()).state !== 'awaiting-code') {
      throw new Error('a new browser signed in without the code');
    }
    const codeScreen = laptop.getByRole('dialog', {
      name: 'Finish signing in',
    });
    await codeScreen.waitFor();
    await laptop.mouse.move(0, 0);
    await laptop.screenshot({
      path: join(shots, 'sign-in-code.png'),
      animations: 'disabled',
    });
    if ((await catalogStatus()) !== 401) {
      throw new Error(
        'the catalog took the token of a sign-in waiting for its code',
      );
    }
    console.log(
      '[e2e] a new browser waits for the code; the catalog refuses its token',
    );

    // The first browser lists it as waiting.
    await openSessionsPage();
    await page.getByRole('tab', { name: 'Portal sign-ins' }).click();
    await page.getByText('Waiting for code').first().waitFor();
    console.log('[e2e] the first browser lists it as waiting for its code');

    const wrong = laptop.waitForResponse(response =>
      response.url().endsWith('/api/sessions/portal/second-factor'),
    );
    await codeScreen.getByLabel('Authenticator code').fill('000000');
    await codeScreen.getByRole('button', { name: 'Verify' }).click();
    if ((await wrong).status() !== 400) {
      throw new Error('a wrong code was not refused');
    }
    await codeScreen.getByRole('alert').waitFor();

    await codeScreen
      .getByLabel('Authenticator code')
      .fill(await freshCode(guestSecret));
    const passed = laptop.waitForEvent('load');
    await codeScreen.getByRole('button', { name: 'Verify' }).click();
    await passed;
    const enter = laptop.getByRole('button', { name: 'Enter' });
    const sessionsTab = laptop.getByRole('tab', {
      name: 'Sessions',
      exact: true,
    });
    await enter.or(sessionsTab).first().waitFor();
    if (await enter.isVisible()) await enter.click();
    await sessionsTab.waitFor();
    if ((await catalogStatus()) !== 200) {
      throw new Error('the catalog refused the token after the code');
    }
    console.log('[e2e] a good code let it in; the catalog takes its new token');

    // Signed out (the provider's logout ends the sign-in, the browser
    // keeps its device cookie) and in again: remembered, no code.
    const logout = await laptopContext.request.post(
      `${API.replace(/\/sessions$/, '/auth')}/guest/logout`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    );
    if (!logout.ok()) throw new Error(`logout answered ${logout.status()}`);
    const nextBeat = laptop.waitForResponse(response =>
      response.url().endsWith('/api/sessions/portal/heartbeat'),
    );
    await laptop.reload();
    await enter.or(sessionsTab).first().waitFor();
    if (await enter.isVisible()) await enter.click();
    const again = await (await nextBeat).json();
    if (again.state !== 'open') {
      throw new Error(
        `signing in again from a browser that passed: ${again.state}`,
      );
    }
    await sessionsTab.waitFor();
    console.log('[e2e] signing in again from that browser asks no code');
  } finally {
    await laptopContext.close();
  }
}

/** Test 3: revoke two Timed Access grants at once, stepping up if asked. */
async function revokeGrantsTest() {
  await openSessionsPage();
  const anyGrant = page.getByRole('checkbox', { name: /^Select grant on / });

  await page.getByRole('tab', { name: 'Device Admin' }).click();
  await anyGrant.first().waitFor();
  console.log('[e2e] device admin grants are listed');
  await screenshot(join(shots, 'device-admin.png'));

  await page.getByRole('tab', { name: 'Timed Access' }).click();
  const checkboxes = PINNED_GRANTS.map(target =>
    page.getByRole('checkbox', { name: `Select grant on ${target}` }),
  );
  for (const checkbox of checkboxes) await checkbox.waitFor();
  console.log(`[e2e] timed access on ${PINNED_GRANTS.join(', ')} is listed`);
  for (const checkbox of checkboxes) await checkbox.check();
  await page.getByText(`${PINNED_GRANTS.length} selected`).waitFor();
  await screenshot(join(shots, 'timed-access.png'));

  await page.getByRole('button', { name: 'Actions', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Revoke selected' }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: `Revoke ${PINNED_GRANTS.length} grants` })
    .click();
  // A fresh page has no step-up proof yet: revoking several asks for one.
  const stepUpDialog = page.getByRole('dialog', { name: "Confirm it's you" });
  const outcomes = page.getByText(
    `${PINNED_GRANTS.length} of ${PINNED_GRANTS.length} grants revoked`,
  );
  await stepUpDialog.or(outcomes).first().waitFor();
  if (await stepUpDialog.isVisible()) {
    console.log('[e2e] revoking several asked for a code');
    await stepUp(stepUpDialog);
  }
  // The outcomes box names the targets again: wait on the rows' checkboxes.
  for (const checkbox of checkboxes) {
    await checkbox.waitFor({ state: 'detached' });
  }
  console.log('[e2e] revoked: neither can be selected any more');
  await page
    .getByText(
      `${PINNED_GRANTS.length} of ${PINNED_GRANTS.length} grants revoked`,
    )
    .waitFor();
  console.log('[e2e] the outcomes say both were revoked');
  await screenshot(join(output, 'grants-revoked.png'));
}

/** Test 4: an admin sees the simulator's connectors online. */
async function connectorsTest() {
  await openSessionsPage();
  await page.getByRole('tab', { name: 'Connectors' }).click();
  const bastion = page.getByRole('row').filter({ hasText: 'SSH bastion' });
  await bastion.getByText('Online').waitFor();
  console.log('[e2e] the SSH bastion connector is online');
  await screenshot(join(shots, 'connectors.png'));

  // An admin reviews everyone's flagged sessions; the guest's unusual one
  // (ended by the two-factor test) is in history, with whose it was.
  await page.getByRole('tab', { name: 'History' }).click();
  await page
    .getByLabel('Whose sessions')
    .selectOption({ label: 'Everyone I may see' });
  await page.getByLabel('Flagged only').check();
  // The simulator flags some of everyone's later sessions too, some on the
  // same host: look for the guest's.
  const flagged = page
    .getByRole('row')
    .filter({ hasText: 'db-replica-2' })
    .filter({ has: page.getByTitle('user:development/guest') })
    .first();
  await flagged.getByText('New device').waitFor();
  console.log("[e2e] everyone's flagged sessions are listed with their owner");
  await screenshot(join(shots, 'flagged-everyone.png'));
}

/**
 * Test 6: an admin finds the simulated leaver on the People tab, previews
 * what they hold, offboards them through the step-up dialog and sees the
 * lock.
 */
async function offboardTest() {
  const leaver = 'user:default/alex.leaver';
  await openSessionsPage();
  await page.getByRole('tab', { name: 'People' }).click();
  await page.getByLabel('Search people').fill('leaver');
  await page.getByRole('row').filter({ hasText: leaver }).waitFor();
  await page
    .getByRole('button', { name: `Add ${leaver} to offboarding` })
    .click();
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('list', { name: 'What offboarding cuts' });
  await preview.getByText(/^2 sessions .* · 1 grant /).waitFor();
  console.log("[e2e] the preview lists the leaver's 2 sessions and 1 grant");
  await screenshot(join(shots, 'people.png'));
  await page.getByRole('button', { name: 'Offboard 1 person' }).click();
  await page
    .getByRole('dialog', { name: 'Offboard now?' })
    .getByRole('button', { name: 'Offboard', exact: true })
    .click();
  const stepUpDialog = page.getByRole('dialog', { name: "Confirm it's you" });
  const result = page.getByLabel(`Offboarded ${leaver}`);
  await stepUpDialog.or(result).first().waitFor();
  if (await stepUpDialog.isVisible()) await stepUp(stepUpDialog);
  await result.getByText(/ended 2 sessions .* revoked 1 grants/).waitFor();
  await page
    .getByRole('list', { name: 'Locked people' })
    .getByText(leaver)
    .waitFor();
  console.log('[e2e] offboarded: everything cut and the leaver locked');
}

/**
 * The catalog pages: Jane's User page shows what she holds (sessions and a
 * grant reported here, so the rows are known), and ending one there works;
 * the Payments group's page lists Sam with what he holds, and offboarding
 * him from it cuts it all. (He stays locked: the simulator's reports for
 * him are refused one by one, and no later test needs him.)
 */
async function catalogTest() {
  const stamp = Date.now();
  const janeSession = `catalog-jane-${stamp}`;
  const samSession = `catalog-sam-${stamp}`;
  const janeGrant = `catalog-grant-${stamp}`;
  await asConnector('sessions/start', {
    source: 'ssh-bastion',
    sessions: [
      [janeSession, 'user:default/jane.doe'],
      [samSession, 'user:default/sam.lee'],
    ].map(([externalId, userRef]) => ({
      externalId,
      userRef,
      resourceName: externalId,
      resourceType: 'ssh',
      device: 'ThinkPad X1',
      ipAddress: '10.20.30.40',
    })),
  });
  await asConnector('grants/report', {
    source: 'priv-broker',
    grants: [
      {
        externalId: janeGrant,
        kind: 'device_admin',
        userRef: 'user:default/jane.doe',
        target: `lnx-catalog-${stamp}`,
        targetType: 'device',
        grantedBy: 'user:default/maria.manager',
        reason: 'Driver update',
        startsAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    ],
  });

  await openSessionsPage();
  await page.goto(`${APP}/catalog/default/user/jane.doe`);
  await page.getByText('Access held', { exact: true }).waitFor();
  const janeRow = page.getByRole('row').filter({ hasText: janeSession });
  await janeRow.waitFor();
  await page
    .getByRole('row')
    .filter({ hasText: `lnx-catalog-${stamp}` })
    .waitFor();
  await janeRow
    .getByRole('button', { name: `End session on ${janeSession}` })
    .waitFor();
  console.log("[e2e] Jane's User page lists her session and grant, with End");
  await screenshot(join(shots, 'catalog-user-card.png'));

  await janeRow
    .getByRole('button', { name: `End session on ${janeSession}` })
    .click();
  const dialog = page.getByRole('dialog', { name: 'End this session?' });
  await dialog.getByText("jane.doe's SSH session").waitFor();
  await dialog.getByRole('button', { name: 'End session' }).click();
  const stepUpDialog = page.getByRole('dialog', { name: "Confirm it's you" });
  // Ending someone else's session may ask for a code first.
  const ended = page.getByText(`Ended jane.doe's session on ${janeSession}.`);
  await stepUpDialog.or(ended).first().waitFor();
  if (await stepUpDialog.isVisible()) await stepUp(stepUpDialog);
  await ended.waitFor();
  // Once the simulated connector confirms the cut, it is no longer held.
  await janeRow.waitFor({ state: 'detached' });
  console.log("[e2e] ended one of Jane's sessions from her User page");

  await page.goto(`${APP}/catalog/default/group/payments`);
  await page.getByText('Team access', { exact: true }).waitFor();
  const sam = 'user:default/sam.lee';
  // The member is linked by their catalog display name.
  const samRow = page.getByRole('row').filter({ hasText: 'Sam Lee' });
  await samRow.getByText(new RegExp(`${samSession} × 1`)).waitFor();
  await samRow.getByLabel(`Select ${sam}`).check();
  await screenshot(join(shots, 'catalog-group-card.png'));
  await page.getByRole('button', { name: 'Offboard selected (1)' }).click();
  const confirm = page.getByRole('dialog', { name: 'Offboard this person?' });
  await confirm
    .getByRole('list', { name: 'What offboarding cuts' })
    .getByText(sam)
    .waitFor();
  await confirm.getByRole('button', { name: 'Offboard', exact: true }).click();
  const result = page.getByLabel(`Offboarded ${sam}`);
  await stepUpDialog.or(result).first().waitFor();
  if (await stepUpDialog.isVisible()) await stepUp(stepUpDialog);
  await result
    .getByText(new RegExp(`ended \\d+ sessions \\(.*${samSession}`))
    .waitFor();
  await samRow.getByText('Locked').waitFor();
  console.log('[e2e] offboarded Sam from the Payments group page');
}

/**
 * The example offboarding template (catalog/templates/offboard.yaml) run
 * from the portal's Create page in preview mode: the sessions:offboard step
 * says what offboarding Jane would cut, and nothing is cut.
 */
async function templateTest() {
  const stamp = Date.now();
  const held = `template-jane-${stamp}`;
  await asConnector('sessions/start', {
    source: 'ssh-bastion',
    sessions: [
      {
        externalId: held,
        userRef: 'user:default/jane.doe',
        resourceName: held,
        resourceType: 'ssh',
      },
    ],
  });
  await openSessionsPage();
  await page.goto(`${APP}/create`);
  const card = page.getByRole('article').filter({ hasText: 'Offboard people' });
  await card.getByRole('button', { name: 'Choose' }).click();
  const people = page.getByRole('textbox', { name: /^People/ });
  await people.fill('jane');
  await page.getByRole('option', { name: /Jane Doe/ }).click();
  await page
    .getByRole('radio', { name: 'Preview what would be cut (changes nothing)' })
    .check();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  const summary = page.getByText(
    new RegExp(`user:default/jane\\.doe: \\d+ open sessions? \\(.*${held} ×1`),
  );
  // The output card says it; the task log says it too.
  await summary.first().waitFor();
  console.log('[e2e] the offboarding template previews what Jane holds');
  await screenshot(join(shots, 'offboard-template.png'));
  const session = await fetch(
    `${API}/sessions?user=user:default/jane.doe&q=${held}`,
    { headers: { Authorization: `Bearer ${await guestToken()}` } },
  ).then(res => res.json());
  if (session.items?.[0]?.status !== 'active') {
    throw new Error(`the preview changed ${held}: ${JSON.stringify(session)}`);
  }
}

/** Test 5: the OpenSSH connector cuts a real SSH session on End. */
/**
 * A guest token as a script gets one: a sign-in of its own, which (a new
 * browser, two-factor on) waits for the code; the script gives it and
 * signs in again with that sign-in's cookies for a token without the wait.
 */
async function guestToken() {
  const refresh = API.replace(/\/sessions$/, '/auth/guest/refresh');
  const first = await fetch(refresh, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const cookies = first.headers
    .getSetCookie()
    .map(cookie => cookie.split(';')[0])
    .join('; ');
  const { token } = (await first.json()).backstageIdentity;
  const claims = JSON.parse(
    Buffer.from(token.split('.')[1], 'base64url').toString(),
  );
  if (!claims.awaiting_code) return token;
  const passed = await fetch(`${API}/portal/second-factor`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      sid: claims.sid,
      code: await freshCode(guestSecret),
    }),
  });
  if (!passed.ok) throw new Error(`sign-in code: ${await passed.text()}`);
  const again = await fetch(refresh, {
    headers: { 'X-Requested-With': 'XMLHttpRequest', Cookie: cookies },
  });
  return (await again.json()).backstageIdentity.token;
}

async function openSshTest() {
  const adminToken = await guestToken();
  // Ending someone else's session asks for a step-up: get a proof as the
  // page would, with a code.
  const verified = await fetch(`${API}/mfa/verify`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${adminToken}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ code: await freshCode(guestSecret) }),
  });
  if (!verified.ok) throw new Error(`step-up: ${await verified.text()}`);
  const { proof } = await verified.json();
  const latencies = await runOpenSshTest({
    api: API,
    // The e2e portal's guest is an admin (app-config.yaml).
    adminToken,
    stepUpProof: proof,
    connectorToken: 'dev-only-simulator-token-0123456789',
    rounds: 20,
  });
  writeFileSync(
    join(output, 'openssh-latency.json'),
    JSON.stringify(latencies, null, 2),
  );
}

/**
 * Test 5b: the sudo connector gives a test user sudo with its grant command
 * and takes it away on Revoke, 20 times, printing press-to-denied latency;
 * then give-back, refusals and the expiry with the portal unreachable
 * (e2e/sudo.mjs).
 */
async function sudoTest() {
  const adminToken = await guestToken();
  const asGuest = async (path, body) => {
    const response = await fetch(`${API}${path}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${adminToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${await response.text()}`);
    return response.json();
  };
  // Run alone (E2E_ONLY=sudo), the guest has no second factor yet: set one
  // up as the Two-factor tab does, once the page has signed in (a sign-in
  // started after it would wait for the code).
  if (!guestSecret) {
    await openSessionsPage();
    const { secret } = await asGuest('/mfa/enrol', {});
    await asGuest('/mfa/activate', { code: await freshCode(secret) });
    guestSecret = secret;
  }
  // Revoking someone else's grant asks for a step-up: a proof as the page
  // would get one, and a new one before it is stale (5 minutes).
  let proof;
  let provedAt = 0;
  const stepUpProof = async () => {
    if (Date.now() - provedAt > 240_000) {
      const code = await freshCode(guestSecret);
      ({ proof } = await asGuest('/mfa/verify', { code }));
      provedAt = Date.now();
    }
    return proof;
  };
  // Revoke pressed on the page: everyone's Device Admin grants, the test
  // user's row, its confirmation, and the step-up the page asks for.
  const pressRevoke = async grant => {
    await openSessionsPage();
    await page.getByRole('tab', { name: 'Device Admin' }).click();
    await page.getByLabel('Whose grants').selectOption('everyone');
    await page
      .getByRole('button', {
        name: `Revoke grant on ${grant.target} for asess-sudo-e2e`,
      })
      .click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this grant?' });
    await confirm.getByRole('button', { name: 'Revoke grant' }).click();
    const stepUpDialog = page.getByRole('dialog', { name: "Confirm it's you" });
    await stepUpDialog
      .or(page.getByText("Revoked asess-sudo-e2e's"))
      .first()
      .waitFor();
    if (await stepUpDialog.isVisible()) await stepUp(stepUpDialog);
    // It closes once the revoke is answered; an error stays in it.
    await confirm.waitFor({ state: 'detached' });
    console.log('[e2e] sudo: Revoke pressed on the Device Admin tab');
  };
  const latencies = await runSudoTest({
    pressRevoke,
    api: API,
    // The e2e portal's guest is an admin (app-config.yaml).
    adminToken,
    stepUpProof,
    connectorToken: 'dev-only-simulator-token-0123456789',
    rounds: 20,
  });
  writeFileSync(
    join(output, 'sudo-latency.json'),
    JSON.stringify(latencies, null, 2),
  );
}

/**
 * Test 8: a connector starts a session for the guest while the page is
 * open; the row appears without a click (signals), and is gone from the
 * open list once the connector reports it ended.
 */
async function liveUpdatesTest() {
  await openSessionsPage();
  const resourceName = `live-update-${Date.now()}`;
  const report = (path, body) =>
    fetch(`${API}/connector/sessions/${path}`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer dev-only-simulator-token-0123456789',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ source: 'ssh-bastion', ...body }),
    }).then(res => {
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
    });
  const started = Date.now();
  await report('start', {
    sessions: [
      {
        externalId: resourceName,
        userRef: 'user:development/guest',
        resourceName,
        resourceType: 'ssh',
        ipAddress: '81.2.69.160',
      },
    ],
  });
  const row = page.getByRole('row').filter({ hasText: resourceName });
  await row.waitFor();
  console.log(
    `[e2e] a session a connector started appeared without a click after ${Date.now() - started} ms`,
  );
  // Located at ingest from its address.
  await row.getByText('United Kingdom').waitFor();
  await report('end', { sessions: [{ externalId: resourceName }] });
  await row.waitFor({ state: 'detached' });
  console.log('[e2e] ended at its source, it left the open list by itself');
}

/**
 * Test 8b: idle comes from real input. An open tab nobody touches reports
 * no activity (its sign-in's last activity stays put, so it idles like any
 * session); a key press in it does.
 */
async function idleInputTest() {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  try {
    const tab = await context.newPage();
    tab.setDefaultTimeout(STEP_TIMEOUT);
    let token;
    tab.on('response', async response => {
      if (response.url().endsWith('/api/auth/guest/refresh') && response.ok()) {
        token = (await response.json()).backstageIdentity.token;
      }
    });
    await tab.goto(`${APP}/sessions`);
    await signInAsGuest(tab);
    const nextBeat = () =>
      tab
        .waitForRequest(request =>
          request.url().endsWith('/api/sessions/portal/heartbeat'),
        )
        .then(request => request.postDataJSON());
    const lastActivity = async sid => {
      const res = await fetch(`${API}/sessions?type=portal&limit=200`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const mine = (await res.json()).items.find(s => s.externalId === sid);
      return mine.lastActivityAt;
    };
    // The one in flight may carry the sign-in's clicks; from here on
    // nobody touches the tab.
    await nextBeat();
    const quiet = await nextBeat();
    if (quiet.active !== false) {
      throw new Error('an untouched tab reported activity');
    }
    const before = await lastActivity(quiet.sid);
    const stillQuiet = await nextBeat();
    if (
      stillQuiet.active !== false ||
      (await lastActivity(quiet.sid)) !== before
    ) {
      throw new Error("an untouched tab moved its sign-in's last activity");
    }
    console.log('[e2e] an untouched tab reports no activity');
    const touched = nextBeat();
    await tab.keyboard.press('Shift');
    if ((await touched).active !== true) {
      throw new Error('a key press was not reported as activity');
    }
    const reported = tab.waitForResponse(response =>
      response.url().endsWith('/api/sessions/portal/heartbeat'),
    );
    await reported;
    if (!((await lastActivity(quiet.sid)) > before)) {
      throw new Error("a key press did not move the sign-in's last activity");
    }
    console.log("[e2e] a key press in it moves its sign-in's last activity");
  } finally {
    await context.close();
  }
}

/**
 * Accessibility: no serious or critical axe violation (WCAG 2.1 A/AA) on
 * any tab or on the dialogs a person opens (end one, end all, step-up,
 * revoke, offboard, turning two-factor off).
 */
async function accessibilityTest() {
  await openSessionsPage();
  // With what the tests that open the step-up dialog found there.
  const problems = accessibilityProblems;
  const check = (what, include) => checkAccessibility(page, what, include);
  const tabs = page.getByRole('tab');
  const names = (await tabs.allInnerTexts()).map(name => name.trim());
  for (const name of names) {
    await page.getByRole('tab', { name, exact: true }).click();
    await page.getByRole('tabpanel').waitFor();
    // Loaded: something to read and no progress bar left.
    await page.waitForFunction(() => {
      const panel = document.querySelector('[role=tabpanel]');
      return (
        panel &&
        panel.innerText.trim().length > 0 &&
        !panel.querySelector('[role=progressbar]')
      );
    });
    // The page, not the app around it (Backstage's own toasts and nav).
    await check(`tab ${name}`, 'main');
  }
  const dialog = page.getByRole('dialog');
  const checkDialog = async (what, cancel = 'Cancel') => {
    await dialog.waitFor();
    await check(what, '[role=dialog]');
    await dialog.getByRole('button', { name: cancel, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  };

  await page.getByRole('tab', { name: 'Sessions', exact: true }).click();
  await page
    .getByRole('button', { name: /^End session on / })
    .first()
    .click();
  await checkDialog('dialog End this session?');
  await page
    .getByRole('button', { name: 'End All Sessions', exact: true })
    .click();
  await checkDialog('dialog End all sessions?');

  await page.getByRole('tab', { name: 'Timed Access' }).click();
  const checkbox = page.getByRole('checkbox', { name: /^Select grant on / });
  await checkbox.first().check();
  await page.getByRole('button', { name: 'Actions', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Revoke selected' }).click();
  await checkDialog('dialog Revoke grants?');

  await page.getByRole('tab', { name: 'Two-factor' }).click();
  await page.getByRole('button', { name: 'Turn off' }).click();
  await checkDialog('dialog Turn off two-factor authentication?');

  await page.getByRole('tab', { name: 'People' }).click();
  // Anyone in the simulator's company who holds something now (the leaver
  // was offboarded by an earlier test, and a person holding nothing is not
  // listed); the dialog is cancelled.
  await page
    .getByRole('button', { name: /^Add user:default\/.* to offboarding$/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('button', { name: /^Offboard 1 person$/ }).click();
  await checkDialog('dialog Offboard now?');

  if (problems.length) {
    throw new Error(
      `serious or critical accessibility violations:\n${problems.join('\n')}`,
    );
  }
  console.log(
    `[e2e] accessibility: ${names.length} tabs and 7 dialogs without serious or critical violations`,
  );
}

/** A connector route called with the dev config's simulator token. */
async function asConnector(path, body) {
  const res = await fetch(`${API}/connector/${path}`, {
    method: 'POST',
    headers: {
      Authorization: 'Bearer dev-only-simulator-token-0123456789',
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the keyboard focus: it can
 * be reached without a mouse. Fails when it never gets the focus.
 */
async function tabTo(target, { back = false, max = 200 } = {}) {
  await target.waitFor();
  for (let presses = 0; presses < max; presses += 1) {
    if (await target.evaluate(element => element === document.activeElement)) {
      return;
    }
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${max} presses of Tab never reached ${target}`);
}

/** Moves along the tab list with the arrow keys and opens `name` with Enter. */
async function openTabByKeyboard(name) {
  const selected = page.locator('[role=tab][aria-selected=true]');
  await tabTo(selected, { back: true });
  const target = page.getByRole('tab', { name, exact: true });
  const names = (await page.getByRole('tab').allInnerTexts()).map(text =>
    text.trim(),
  );
  const from = names.indexOf((await selected.innerText()).trim());
  const to = names.indexOf(name);
  for (let step = 0; step < Math.abs(to - from); step += 1) {
    await page.keyboard.press(to > from ? 'ArrowRight' : 'ArrowLeft');
  }
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    element => element.getAttribute('aria-selected') === 'true',
    await target.elementHandle(),
  );
}

/** Types a fresh code into the step-up dialog and confirms with Enter. */
async function stepUpByKeyboard(dialog) {
  await tabTo(dialog.getByLabel('Authenticator code'));
  await page.keyboard.type(await freshCode(guestSecret));
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
}

/**
 * Every flow the other tests do with the mouse, once with the keyboard
 * alone: tabs (arrow keys), sorting a column, ending a session, reporting
 * one, revoking a grant with the step-up code, choosing an idle timeout,
 * offboarding someone, turning two-factor off and setting it up again, and
 * ending all sessions. Each control is reached with Tab and used with
 * Enter, Space or typing; the mouse is never used. (Signing in is set-up.)
 */
async function keyboardTest() {
  await openSessionsPage();
  const keys = page.keyboard;
  const stamp = Date.now();
  const toEnd = `kbd-end-${stamp}`;
  const toReport = `kbd-report-${stamp}`;
  const grantTarget = `kbd-grant-${stamp}`;
  await asConnector('sessions/start', {
    source: 'ssh-bastion',
    sessions: [toEnd, toReport].map(name => ({
      externalId: name,
      userRef: 'user:development/guest',
      resourceName: name,
      resourceType: 'ssh',
    })),
  });
  await asConnector('grants/report', {
    source: 'access-requests',
    grants: [
      {
        externalId: grantTarget,
        kind: 'timed_access',
        userRef: 'user:development/guest',
        target: grantTarget,
        targetType: 'database',
        expiresAt: new Date(stamp + 3_600_000).toISOString(),
      },
    ],
  });

  // History, sorted oldest end first.
  await openTabByKeyboard('History');
  await page.waitForURL(/\/sessions\/history/);
  const sorted = page.waitForResponse(
    response =>
      response.url().includes('sort=endedAt') &&
      response.url().includes('order=asc'),
  );
  await tabTo(page.getByRole('button', { name: /^Ended/ }));
  await keys.press('Enter');
  await sorted;
  await page.waitForURL(/order=asc/);
  console.log(
    '[e2e] keyboard: History opened with the arrow keys, sorted by Ended with Enter',
  );

  // End one session: its End button, then the dialog's.
  await openTabByKeyboard('Sessions');
  // Each search waits for its answer: tabbing on while rows still arrive
  // is a race, not a test.
  const searchAnswered = text =>
    page.waitForResponse(response =>
      response.url().includes(`q=${encodeURIComponent(text)}`),
    );
  await tabTo(page.getByLabel('Search sessions'));
  let searched = searchAnswered('kbd-');
  await keys.type('kbd-');
  await searched;
  const endRow = page.getByRole('row').filter({ hasText: toEnd });
  await tabTo(endRow.getByRole('button', { name: `End session on ${toEnd}` }));
  await keys.press('Enter');
  const endDialog = page.getByRole('dialog', { name: 'End this session?' });
  await tabTo(endDialog.getByRole('button', { name: 'End session' }));
  await keys.press('Enter');
  await endDialog.waitFor({ state: 'detached' });
  await endRow
    .getByText(/^(Terminating|Cut confirmed)/)
    .first()
    .waitFor();
  console.log('[e2e] keyboard: a session ended');

  // Report another as not mine, with a note typed in.
  const reportRow = page.getByRole('row').filter({ hasText: toReport });
  await tabTo(
    reportRow.getByRole('button', {
      name: `Not me: report session on ${toReport}`,
    }),
  );
  await keys.press('Enter');
  const reportDialog = page.getByRole('dialog', {
    name: 'Report this session',
  });
  await tabTo(reportDialog.getByLabel('What do you see?'));
  await keys.type('Not mine: reported by keyboard');
  const reported = page.waitForResponse(response =>
    /\/api\/sessions\/sessions\/[^/]+\/report$/.test(response.url()),
  );
  await tabTo(reportDialog.getByRole('button', { name: 'Report and end' }));
  await keys.press('Enter');
  if (!(await reported).ok()) throw new Error('the report was refused');
  await reportDialog.waitFor({ state: 'detached' });
  console.log('[e2e] keyboard: a session reported as not mine');

  // Revoke a grant: Space selects it, the Actions menu with the arrows.
  await openTabByKeyboard('Timed Access');
  await tabTo(page.getByLabel('Search grants'));
  searched = searchAnswered(grantTarget);
  await keys.type(grantTarget);
  await searched;
  const checkbox = page.getByRole('checkbox', {
    name: `Select grant on ${grantTarget}`,
  });
  await tabTo(checkbox);
  await keys.press('Space');
  await page.getByText('1 selected').waitFor();
  await tabTo(page.getByRole('button', { name: 'Actions', exact: true }));
  await keys.press('Enter');
  const revokeItem = page.getByRole('menuitem', { name: 'Revoke selected' });
  await revokeItem.waitFor();
  for (let presses = 0; ; presses += 1) {
    if (await revokeItem.evaluate(item => item === document.activeElement)) {
      break;
    }
    if (presses === 10) throw new Error('the arrow keys never reached Revoke');
    await keys.press('ArrowDown');
  }

  await keys.press('Enter');
  const revokeDialog = page.getByRole('dialog', { name: 'Revoke 1 grant?' });
  await tabTo(revokeDialog.getByRole('button', { name: 'Revoke 1 grant' }));
  await keys.press('Enter');
  const stepUpDialog = page.getByRole('dialog', { name: "Confirm it's you" });
  await stepUpDialog
    .or(page.getByText('1 of 1 grants revoked'))
    .first()
    .waitFor();
  if (await stepUpDialog.isVisible()) await stepUpByKeyboard(stepUpDialog);
  await checkbox.waitFor({ state: 'detached' });
  console.log('[e2e] keyboard: a grant revoked');

  // Choose an idle timeout, then go back to the portal's.
  await openTabByKeyboard('Idle timeout');
  const form = page.getByRole('form', { name: 'Your idle timeout' });
  await tabTo(form.getByLabel('Idle after (minutes)'));
  await keys.press('ControlOrMeta+A');
  await keys.type('4');
  await tabTo(form.getByLabel('Disconnect after (minutes)'));
  await keys.press('ControlOrMeta+A');
  await keys.type('45');
  await tabTo(form.getByRole('button', { name: 'Save' }));
  await keys.press('Enter');
  await page
    .getByText('Saved: your quiet sessions are disconnected after 45m.')
    .waitFor();
  await tabTo(page.getByRole('button', { name: "Use the portal's times" }));
  await keys.press('Enter');
  await page.getByText("Back to the portal's times.").waitFor();
  console.log('[e2e] keyboard: an idle timeout chosen and reset');

  // Offboard someone: search, add, preview, offboard, the step-up code.
  const leaver = 'user:default/priya.k';
  await openTabByKeyboard('People');
  await tabTo(page.getByLabel('Search people'));
  searched = searchAnswered('priya');
  await keys.type('priya');
  await searched;
  await tabTo(
    page.getByRole('button', { name: `Add ${leaver} to offboarding` }),
  );
  await keys.press('Enter');
  await tabTo(page.getByRole('button', { name: 'Preview' }));
  await keys.press('Enter');
  await tabTo(page.getByRole('button', { name: 'Offboard 1 person' }));
  await keys.press('Enter');
  const offboardDialog = page.getByRole('dialog', { name: 'Offboard now?' });
  await tabTo(
    offboardDialog.getByRole('button', { name: 'Offboard', exact: true }),
  );
  await keys.press('Enter');
  const result = page.getByLabel(`Offboarded ${leaver}`);
  await stepUpDialog.or(result).first().waitFor();
  if (await stepUpDialog.isVisible()) await stepUpByKeyboard(stepUpDialog);
  await result.waitFor();
  console.log('[e2e] keyboard: someone offboarded');

  // Two-factor off and on again, as someone with a new phone does.
  await openTabByKeyboard('Two-factor');
  await tabTo(page.getByRole('button', { name: 'Turn off' }));
  await keys.press('Enter');
  const turnOff = page.getByRole('dialog', {
    name: 'Turn off two-factor authentication?',
  });
  await tabTo(turnOff.getByLabel('Authenticator code'));
  await keys.type(await freshCode(guestSecret));
  await keys.press('Enter');
  await turnOff.waitFor({ state: 'detached' });
  await tabTo(
    page.getByRole('button', { name: 'Set up two-factor authentication' }),
  );
  await keys.press('Enter');
  // Read off the page, as a person types it into their app.
  guestSecret = (await page.getByLabel('Secret key').textContent()).trim();
  await tabTo(page.getByLabel('Code from the app'));
  await keys.type(await freshCode(guestSecret));
  await tabTo(page.getByRole('button', { name: 'Activate' }));
  await keys.press('Enter');
  await page.getByRole('list', { name: 'Recovery codes' }).waitFor();
  await tabTo(page.getByRole('button', { name: 'I have saved them' }));
  await keys.press('Enter');
  await page.getByText('Two-factor authentication is on.').waitFor();
  console.log('[e2e] keyboard: two-factor turned off and set up again');

  // End all of the guest's sessions.
  await openTabByKeyboard('Sessions');
  const endAll = page.getByRole('button', {
    name: 'End All Sessions',
    exact: true,
  });
  await page.waitForFunction(
    button => button && !button.disabled,
    await endAll.elementHandle(),
  );
  await tabTo(endAll);
  await keys.press('Enter');
  const endAllDialog = page.getByRole('dialog', { name: 'End all sessions?' });
  await tabTo(
    endAllDialog.getByRole('button', { name: /^End \d+ sessions?$/ }),
  );
  await keys.press('Enter');
  const ended = page.getByText(/^Ended \d+ sessions?\.$/);
  await stepUpDialog.or(ended).first().waitFor();
  if (await stepUpDialog.isVisible()) await stepUpByKeyboard(stepUpDialog);
  await ended.waitFor();
  console.log('[e2e] keyboard: all sessions ended');
}

/**
 * One contract: every call the app, the simulator and the OpenSSH agent made
 * during the run agreed with the published OpenAPI spec. The portal checks
 * each request it accepts and each answer it gives
 * (`sessions.checkApiContract`) and logs any disagreement.
 */
async function apiContractTest() {
  const spec = await (
    await fetch(`${API}/openapi.json`, {
      headers: { Authorization: `Bearer ${await guestToken()}` },
    })
  ).json();
  const operations = Object.values(spec.paths).flatMap(Object.keys).length;
  // Every portal of this run (the policy test restarts it: backend-*.log),
  // not the logs an earlier run left.
  const disagreements = readdirSync(output)
    .filter(
      name =>
        /^backend.*\.log$/.test(name) &&
        statSync(join(output, name)).mtimeMs >= started,
    )
    .flatMap(name => readFileSync(join(output, name), 'utf8').split('\n'))
    .filter(line => line.includes('disagrees with the OpenAPI spec'));
  if (disagreements.length) {
    throw new Error(
      `${disagreements.length} calls disagreed with the OpenAPI spec:\n${[
        ...new Set(disagreements),
      ]
        .slice(0, 20)
        .join('\n')}`,
    );
  }
  console.log(
    `[e2e] api-contract: every call of the run agreed with the spec (${operations} operations at ${API}/openapi.json)`,
  );
}

/**
 * Your own idle timeout: the guest chooses an hour on the Idle timeout tab;
 * the sweep then leaves their session that is quiet past the portal's ten
 * minutes (idle, not ended) while it ends someone else's, and the choice
 * is still there after a reload. The portal's times come back on request.
 */
async function idleTimeoutTest() {
  await openSessionsPage();
  await page.getByRole('tab', { name: 'Idle timeout' }).click();
  const form = page.getByRole('form', { name: 'Your idle timeout' });
  await form.waitFor();
  await form.getByLabel('Idle after (minutes)').fill('3');
  await form.getByLabel('Disconnect after (minutes)').fill('60');
  const saved = page.waitForResponse(
    response =>
      response.url().endsWith('/api/sessions/settings/timeouts') &&
      response.request().method() === 'PUT',
  );
  await form.getByRole('button', { name: 'Save' }).click();
  if (!(await saved).ok()) throw new Error('saving the idle timeout failed');
  await page
    .getByText('Saved: your quiet sessions are disconnected after 1h.')
    .waitFor();
  await screenshot(join(shots, 'idle-timeout.png'));
  console.log('[e2e] idle timeout: an hour chosen');

  // Two sessions quiet for twelve minutes: past the portal's ten.
  const stamp = Date.now();
  const quietSince = new Date(stamp - 12 * 60_000).toISOString();
  const mine = `quiet-mine-${stamp}`;
  const theirs = `quiet-theirs-${stamp}`;
  await asConnector('sessions/start', {
    source: 'ssh-bastion',
    sessions: [
      [mine, 'user:development/guest'],
      [theirs, 'user:default/jane.doe'],
    ].map(([externalId, userRef]) => ({
      externalId,
      userRef,
      resourceName: externalId,
      resourceType: 'ssh',
      startedAt: quietSince,
      lastActivityAt: quietSince,
    })),
  });
  const token = await guestToken();
  const statusOf = async name => {
    const res = await fetch(
      `${API}/sessions?all=true&q=${encodeURIComponent(name)}&limit=5`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    const found = (await res.json()).items.find(s => s.resourceName === name);
    return found?.status;
  };
  // The next sweep ends theirs; the same sweep only idles the guest's.
  const sweepDeadline = Date.now() + STEP_TIMEOUT;
  while (!['terminating', 'disconnected'].includes(await statusOf(theirs))) {
    if (Date.now() > sweepDeadline) {
      throw new Error("the sweep did not end the other person's session");
    }
    await page.waitForResponse(
      response => response.url().includes('/api/sessions/'),
      { timeout: STEP_TIMEOUT },
    );
  }
  if ((await statusOf(mine)) !== 'idle') {
    throw new Error(`the guest's quiet session is ${await statusOf(mine)}`);
  }
  console.log(
    "[e2e] idle timeout: the sweep kept the guest's, ended another's",
  );

  await page.reload();
  await page.getByRole('tab', { name: 'Idle timeout' }).click();
  await page
    .getByText(/disconnected after 1h\. These are your own times\./)
    .waitFor();
  await page.getByRole('button', { name: "Use the portal's times" }).click();
  await page.getByText("Back to the portal's times.").waitFor();
  console.log("[e2e] idle timeout: back to the portal's times");
}

/**
 * Test 8c: "Not me". A connector starts a session for the guest; the guest
 * reports it with a note: it ends, and History with "Reported only" lists
 * it as reported.
 */
async function reportTest() {
  await openSessionsPage();
  const resourceName = `not-me-${Date.now()}`;
  await asConnector('sessions/start', {
    source: 'ssh-bastion',
    sessions: [
      {
        externalId: resourceName,
        userRef: 'user:development/guest',
        resourceName,
        resourceType: 'ssh',
        ipAddress: '81.2.69.160',
      },
    ],
  });
  const row = page.getByRole('row').filter({ hasText: resourceName });
  await row.waitFor();
  await row
    .getByRole('button', { name: `Not me: report session on ${resourceName}` })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Report this session' });
  await dialog
    .getByLabel('What do you see?')
    .fill('I was asleep; this is not my session');
  await screenshot(join(shots, 'not-me.png'));
  const answered = page.waitForResponse(response =>
    /\/api\/sessions\/sessions\/[^/]+\/report$/.test(response.url()),
  );
  await dialog.getByRole('button', { name: 'Report and end' }).click();
  const reportedSession = await (await answered).json();
  if (!reportedSession.reportedAt || reportedSession.status === 'active') {
    throw new Error(`the report answered ${JSON.stringify(reportedSession)}`);
  }
  await dialog.waitFor({ state: 'detached' });
  console.log(
    '[e2e] reported as not me: the session is ending, marked reported',
  );
  // Its connector confirms the end (the simulator may not know it).
  await asConnector('sessions/end', {
    source: 'ssh-bastion',
    sessions: [{ externalId: resourceName }],
  });
  await row.getByText(/^Cut confirmed /).waitFor();
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByLabel('Reported only').check();
  await page
    .getByRole('row')
    .filter({ hasText: resourceName })
    .getByText('Reported', { exact: true })
    .waitFor();
  const rows = await page.getByRole('row').allInnerTexts();
  const unreported = rows.slice(1).filter(text => !/Reported/.test(text));
  if (unreported.length !== 0) {
    throw new Error(`Reported only lists sessions not reported: ${unreported}`);
  }
  console.log('[e2e] Reported only: it is listed, and nothing unreported');
}

/** An iPhone's Safari, so the second browser is told apart on the page. */
const PHONE_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const PHONE_DEVICE = 'Mobile Safari 17 on iOS (mobile)';

/**
 * Test 7: two browsers sign in as the guest. The first sees the second on
 * the Portal sign-ins tab and signs out all other devices; the second's
 * token is then refused by another plugin (the catalog) within the refresh
 * interval, so is its limited token (the auth plugin's userinfo), and its
 * page falls back to the sign-in screen, while the first stays signed in.
 * Prints the measured exposure windows.
 */
async function portalSignInsTest() {
  const phoneContext = await browser.newContext({
    userAgent: PHONE_AGENT,
    viewport: { width: 1024, height: 800 },
  });
  try {
    const phone = await phoneContext.newPage();
    phone.setDefaultTimeout(STEP_TIMEOUT);
    // The phone's latest token, as its app holds it.
    let phoneToken;
    phone.on('response', async response => {
      if (response.url().endsWith('/api/auth/guest/refresh') && response.ok()) {
        phoneToken = (await response.json()).backstageIdentity.token;
      }
    });
    await phone.goto(`${APP}/sessions`);
    // A new browser: it gives the code first (the guest has two-factor on).
    await signInAsGuest(phone);
    console.log('[e2e] a second browser (an iPhone) signed in as guest');

    await openSessionsPage();
    await page.getByRole('tab', { name: 'Portal sign-ins' }).click();
    const phoneRow = page.getByRole('row').filter({ hasText: PHONE_DEVICE });
    await phoneRow.waitFor();
    await page.getByRole('row').filter({ hasText: 'This device' }).waitFor();
    console.log('[e2e] the first browser lists the iPhone and marks itself');
    await screenshot(join(shots, 'portal-sign-ins.png'));

    const catalog = `${API.replace(/\/sessions$/, '/catalog')}/entities?limit=1`;
    const catalogStatus = async token =>
      (await fetch(catalog, { headers: { Authorization: `Bearer ${token}` } }))
        .status;
    if ((await catalogStatus(phoneToken)) === 401) {
      throw new Error("the catalog refused the iPhone's token before sign-out");
    }
    // The iPhone's limited token: the backstage-auth cookie any plugin
    // issues for its token. No plugin of this portal serves pages by
    // cookie; the auth plugin's OIDC userinfo route takes limited tokens.
    const cookieRes = await fetch(
      `${API.replace(/\/sessions$/, '/catalog')}/.backstage/auth/v1/cookie`,
      { headers: { Authorization: `Bearer ${phoneToken}` } },
    );
    const phoneLimitedToken = cookieRes.headers
      .getSetCookie()
      .find(cookie => cookie.startsWith('backstage-auth='))
      ?.split(';')[0]
      .slice('backstage-auth='.length);
    if (!phoneLimitedToken) {
      throw new Error(
        `no backstage-auth cookie for the iPhone (${cookieRes.status})`,
      );
    }
    const userInfo = `${API.replace(/\/sessions$/, '/auth')}/v1/userinfo`;
    const limitedStatus = async () =>
      (
        await fetch(userInfo, {
          headers: { Authorization: `Bearer ${phoneLimitedToken}` },
        })
      ).status;
    if ((await limitedStatus()) !== 200) {
      throw new Error(
        "the auth plugin's userinfo refused the iPhone's limited token before sign-out",
      );
    }

    const endAll = page.waitForResponse(
      response => response.url().endsWith('/sessions/end-all') && response.ok(),
    );
    // Awaited below; if a step before fails, its timeout must not crash
    // the run (an unhandled rejection would skip the other tests' report).
    endAll.catch(() => {});
    await page
      .getByRole('button', { name: 'Sign out all other devices' })
      .click();
    await page
      .getByRole('dialog', { name: 'Sign out all other devices?' })
      .getByRole('button', { name: /^Sign out \d+ other devices?$/ })
      .click();
    const stepUpDialog = page.getByRole('dialog', { name: "Confirm it's you" });
    await stepUpDialog
      .or(page.getByText(/^Signed out \d+ other/))
      .first()
      .waitFor();
    if (await stepUpDialog.isVisible()) await stepUp(stepUpDialog);
    await endAll;
    const signedOutAt = Date.now();
    console.log('[e2e] the first browser signed out all other devices');

    // The iPhone's token, and its limited token: refused within the interval.
    let exposureMs;
    let limitedExposureMs;
    while (exposureMs === undefined || limitedExposureMs === undefined) {
      const [full, limited] = await Promise.all([
        exposureMs === undefined ? catalogStatus(phoneToken) : 401,
        limitedExposureMs === undefined ? limitedStatus() : 401,
      ]);
      if (exposureMs === undefined && full === 401) {
        exposureMs = Date.now() - signedOutAt;
      }
      if (limitedExposureMs === undefined && limited === 401) {
        limitedExposureMs = Date.now() - signedOutAt;
      }
      if (Date.now() - signedOutAt > 30_000) {
        throw new Error(
          exposureMs === undefined
            ? "the catalog still accepts the iPhone's token after 30 s"
            : "the auth plugin's userinfo still accepts the iPhone's limited token after 30 s",
        );
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    console.log(
      `[e2e] exposure window: the catalog refused the iPhone's token ${exposureMs} ms after the sign-out`,
    );
    console.log(
      `[e2e] exposure window (limited token): ${limitedExposureMs} ms (the iPhone's backstage-auth cookie token, refused by the auth plugin's userinfo route)`,
    );
    writeFileSync(
      join(output, 'portal-sign-out.json'),
      JSON.stringify({ exposureMs, limitedExposureMs }, null, 2),
    );

    // The iPhone's page learns it and shows the sign-in screen.
    await phone.getByRole('button', { name: 'Enter' }).waitFor();
    console.log(
      `[e2e] the iPhone is back at the sign-in screen ${Date.now() - signedOutAt} ms after the sign-out`,
    );
    // The first browser is still signed in and can use the page.
    await page
      .getByRole('button', { name: 'Sign out all other devices' })
      .waitFor();
    await page.getByRole('tab', { name: 'Sessions', exact: true }).click();
    await page.getByRole('tab', { name: 'Portal sign-ins' }).click();
    await page.getByRole('row').filter({ hasText: 'This device' }).waitFor();
    console.log('[e2e] the first browser stays signed in');
  } finally {
    await phoneContext.close();
  }
}

/** The OIDC provider's login for Maria Manager (maria@example.com). */
const OIDC_LOGIN = 'maria';
const MARIA = 'user:default/maria.manager';
const OIDC_CARD = 'Company sign-in'; // portal.signIn.oidc.title
const AUTH = API.replace(/\/sessions$/, '/auth');

/** The sign-in page's OIDC provider button. */
const oidcButton = p =>
  p
    .getByRole('listitem')
    .filter({ hasText: OIDC_CARD })
    .getByRole('button', { name: 'Sign In' });

/** The next heartbeat of `p`'s watcher: its sign-in and what it was told. */
function nextHeartbeat(p) {
  return p
    .waitForResponse(
      response =>
        response.url().endsWith('/api/sessions/portal/heartbeat') &&
        response.request().method() === 'POST',
    )
    .then(async response => ({
      sid: response.request().postDataJSON().sid,
      state: (await response.json()).state,
    }));
}

/**
 * Signs `p` in through the OIDC provider as the sign-in page does it: its
 * button opens the provider's login form in a popup; any password; the
 * provider's consent when it asks; the popup closes and hands the portal
 * its sign-in. Answers the first heartbeat after it (sid, state).
 */
async function signInWithOidc(p, { loginScreenshot } = {}) {
  const firstBeat = nextHeartbeat(p);
  firstBeat.catch(() => {});
  const popupOpened = p.waitForEvent('popup');
  await oidcButton(p).click();
  const popup = await popupOpened;
  popup.setDefaultTimeout(STEP_TIMEOUT);
  const closed = popup.waitForEvent('close', { timeout: STEP_TIMEOUT });
  closed.catch(() => {});
  const login = popup.getByPlaceholder('Enter any login');
  await login.waitFor();
  if (!popup.url().startsWith(`${OIDC_ISSUER}/interaction/`)) {
    throw new Error(`the sign-in opened ${popup.url()}`);
  }
  await login.fill(OIDC_LOGIN);
  await popup.getByPlaceholder('and password').fill('any password');
  if (loginScreenshot) {
    await popup.screenshot({ path: loginScreenshot, animations: 'disabled' });
  }
  await popup.getByRole('button', { name: 'Sign-in' }).click();
  // A new session at the provider asks to authorize the portal.
  const consent = popup.getByRole('button', { name: 'Continue' });
  const asked = await Promise.race([
    closed.then(() => false),
    consent.waitFor().then(
      () => true,
      () => false,
    ),
  ]);
  if (asked) await consent.click();
  await closed;
  return firstBeat;
}

/** Maria's sign-ins to the portal, as the API lists them to her. */
async function portalSignInsOf(token) {
  const res = await fetch(`${API}/sessions?type=portal&limit=200`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`portal sign-ins: ${res.status}`);
  return (await res.json()).items;
}
const isOpen = signIn => ['active', 'idle'].includes(signIn.status);

/** A token's claims. */
const claimsOf = token =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/**
 * Test 10: sign-in through a real OpenID Connect provider
 * (e2e/oidcProvider.mjs), tracked end to end. A browser signs in as Maria
 * through the provider's login form and consent; its Portal sign-ins tab
 * lists it; a reload refreshes (the provider's refresh token) into the
 * same sign-in; a second browser signs in as Maria and the first signs it
 * out, which sends it back to the sign-in page; with two-factor on, a new
 * browser signing in through the provider gets the code screen and a good
 * code lets it in; the sidebar's Sign out ends its sign-in (and revokes its
 * grant at the provider) and leaves it at the sign-in page.
 */
async function oidcTest() {
  const contexts = [];
  const newBrowser = async (options = {}) => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      ...options,
    });
    contexts.push(context);
    const p = await context.newPage();
    p.setDefaultTimeout(STEP_TIMEOUT);
    await p.goto(`${APP}/sessions`);
    return p;
  };
  try {
    // 1. Sign in through the provider.
    const laptop = await newBrowser();
    await oidcButton(laptop).waitFor();
    await laptop.getByRole('button', { name: 'Enter' }).waitFor();
    await laptop.mouse.move(0, 0);
    await laptop.screenshot({
      path: join(shots, 'oidc-sign-in.png'),
      animations: 'disabled',
    });
    const first = await signInWithOidc(laptop, {
      loginScreenshot: join(output, 'oidc-login-form.png'),
    });
    if (first.state !== 'open') {
      throw new Error(`the OIDC sign-in is ${first.state}`);
    }
    await laptop.getByRole('tab', { name: 'Sessions', exact: true }).waitFor();
    await laptop.getByRole('tab', { name: 'Portal sign-ins' }).click();
    await laptop.getByRole('row').filter({ hasText: 'This device' }).waitFor();
    console.log(
      '[e2e] signed in through the OIDC provider; Portal sign-ins lists this browser',
    );

    // 2. A reload signs in again with the provider's refresh token: the
    // same sign-in, not a new one.
    const refreshed = laptop.waitForResponse(response =>
      response.url().startsWith(`${AUTH}/oidc/refresh`),
    );
    const beatAfterReload = nextHeartbeat(laptop);
    await laptop.reload();
    const refresh = await refreshed;
    if (refresh.status() !== 200) {
      throw new Error(
        `the refresh after a reload answered ${refresh.status()}`,
      );
    }
    const token = (await refresh.json()).backstageIdentity.token;
    const claims = claimsOf(token);
    if (claims.sub !== MARIA || claims.sid !== first.sid) {
      throw new Error(
        `the refreshed token is ${claims.sub}'s, sign-in ${claims.sid}, not ${MARIA}'s ${first.sid}`,
      );
    }
    if ((await beatAfterReload).sid !== first.sid) {
      throw new Error('the reloaded page reports another sign-in');
    }
    await laptop.getByRole('tab', { name: 'Sessions', exact: true }).waitFor();
    const open = (await portalSignInsOf(token)).filter(isOpen);
    if (open.length !== 1 || open[0].externalId !== first.sid) {
      throw new Error(
        `after the reload Maria has ${open.length} open sign-ins: ${open.map(s => s.externalId)}`,
      );
    }
    console.log(
      `[e2e] a reload refreshed (200) into the same sign-in of ${MARIA}; still one open`,
    );

    // 3. A second browser signs in as Maria; the first signs it out.
    const phone = await newBrowser({
      userAgent: PHONE_AGENT,
      viewport: { width: 1024, height: 800 },
    });
    const phoneSignIn = await signInWithOidc(phone);
    await phone.getByRole('tab', { name: 'Sessions', exact: true }).waitFor();
    if (phoneSignIn.sid === first.sid) {
      throw new Error('the second browser resumed the first one’s sign-in');
    }
    await laptop.getByRole('tab', { name: 'Portal sign-ins' }).click();
    const phoneRow = laptop.getByRole('row').filter({ hasText: PHONE_DEVICE });
    await phoneRow.waitFor();
    const phoneLoggedOut = phone.waitForResponse(
      response =>
        response.url().startsWith(`${AUTH}/oidc/logout`) &&
        response.request().method() === 'POST',
    );
    phoneLoggedOut.catch(() => {});
    await laptop
      .getByRole('button', { name: `Sign out ${PHONE_DEVICE}` })
      .click();
    const ended = laptop.waitForResponse(
      response =>
        response.url().endsWith('/end') &&
        response.request().method() === 'POST',
    );
    await laptop
      .getByRole('dialog', { name: 'Sign out this device?' })
      .getByRole('button', { name: 'Sign out', exact: true })
      .click();
    if (!(await ended).ok()) throw new Error('signing out the phone failed');
    const signedOutAt = Date.now();
    await oidcButton(phone).waitFor();
    if ((await phoneLoggedOut).status() !== 200) {
      throw new Error("the phone's provider logout failed");
    }
    console.log(
      `[e2e] signed out from the first browser, the second is at the sign-in page ${Date.now() - signedOutAt} ms later`,
    );

    // 4. Two-factor on for Maria (through the API, with her token): a new
    // browser signing in through the provider gives the code first.
    const call = (path, body) =>
      fetch(`${API}${path}`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(body),
      }).then(async res => {
        if (!res.ok) throw new Error(`${path}: ${await res.text()}`);
        return res.json();
      });
    const { secret } = await call('/mfa/enrol', {});
    await call('/mfa/activate', { code: await freshCode(secret) });
    console.log("[e2e] Maria's two-factor is on");
    const desk = await newBrowser();
    const deskSignIn = await signInWithOidc(desk);
    if (deskSignIn.state !== 'awaiting-code') {
      throw new Error(
        `a new browser signed in through OIDC without the code: ${deskSignIn.state}`,
      );
    }
    const codeScreen = desk.getByRole('dialog', { name: 'Finish signing in' });
    await codeScreen.waitFor();
    await codeScreen
      .getByLabel('Authenticator code')
      .fill(await freshCode(secret));
    // The page starts again: the provider's refresh token signs it in
    // without the wait, as the same sign-in.
    const afterCode = desk.waitForEvent('load');
    const beatAfterCode = nextHeartbeat(desk);
    await codeScreen.getByRole('button', { name: 'Verify' }).click();
    await afterCode;
    const passed = await beatAfterCode;
    if (passed.sid !== deskSignIn.sid || passed.state !== 'open') {
      throw new Error(
        `after the code: sign-in ${passed.sid} (${passed.state}), not ${deskSignIn.sid}`,
      );
    }
    await desk.getByRole('tab', { name: 'Sessions', exact: true }).waitFor();
    console.log('[e2e] a new OIDC browser gave the code and is in');

    // 5. The sidebar's Sign out: the provider's logout ends the sign-in
    // and revokes the provider's grant; the browser is at the sign-in page.
    const revokedBefore = oidc.state.revokedGrants;
    const loggedOut = desk.waitForResponse(
      response =>
        response.url().startsWith(`${AUTH}/oidc/logout`) &&
        response.request().method() === 'POST',
    );
    await desk.getByRole('button', { name: 'Sign out', exact: true }).click();
    if ((await loggedOut).status() !== 200) {
      throw new Error('the OIDC logout failed');
    }
    await oidcButton(desk).waitFor();
    const deskNow = (await portalSignInsOf(token)).find(
      signIn => signIn.externalId === deskSignIn.sid,
    );
    if (!deskNow || isOpen(deskNow)) {
      throw new Error(`after Sign out its sign-in is ${deskNow?.status}`);
    }
    if (oidc.state.revokedGrants <= revokedBefore) {
      throw new Error('the logout did not revoke the grant at the provider');
    }
    const stillOpen = (await portalSignInsOf(token)).filter(isOpen);
    if (stillOpen.map(s => s.externalId).join() !== first.sid) {
      throw new Error(
        `after the sign-outs Maria's open sign-ins are ${stillOpen.map(s => s.externalId)}`,
      );
    }
    console.log(
      `[e2e] Sign out ended that sign-in (${deskNow.status}) and revoked its grant at the provider; only the first browser is signed in`,
    );
  } finally {
    for (const context of contexts) await context.close();
  }
}

/**
 * Test 9: the page follows the permission policy. The backend restarts
 * under the company policy, signed in as Sam of sre-oncall
 * (app-config.oncall.yaml); a connector reports Jane's SSH and RDP
 * sessions; Sam's Sessions tab offers "Everyone I may see" and lists her
 * SSH session and not her RDP one; Device Admin offers nothing of others'.
 * Last, since the restart empties the portal's in-memory database.
 */
async function policyTest() {
  const old = backendProcess;
  const exited = new Promise(resolve => old.once('exit', resolve));
  signalGroup(old, 'SIGTERM');
  await exited;
  backendProcess = run(
    'backend-oncall',
    'npx',
    [
      'backstage-cli',
      'package',
      'start',
      ...configArgs,
      '--config',
      join(root, 'app-config.oncall.yaml'),
    ],
    { cwd: join(root, 'packages', 'backend') },
  );
  await waitForUrl(`${API}/health`, 'the backend under the company policy');
  await waitForLog('backend-oncall', 'Permission policy: company', 'policy');

  const stamp = Date.now();
  const ssh = `policy-ssh-${stamp}`;
  const rdp = `policy-rdp-${stamp}`;
  for (const [source, name, type] of [
    ['ssh-bastion', ssh, 'ssh'],
    ['rdp-gateway', rdp, 'rdp'],
  ]) {
    const res = await fetch(`${API}/connector/sessions/start`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer dev-only-simulator-token-0123456789',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        source,
        sessions: [
          {
            externalId: name,
            userRef: 'user:default/jane.doe',
            resourceName: name,
            resourceType: type,
          },
        ],
      }),
    });
    if (!res.ok) throw new Error(`start ${name}: ${res.status}`);
  }

  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  try {
    const sam = await context.newPage();
    sam.setDefaultTimeout(STEP_TIMEOUT);
    await sam.goto(`${APP}/sessions`);
    await sam.getByRole('button', { name: 'Enter' }).click();
    await sam.getByRole('tab', { name: 'Sessions', exact: true }).waitFor();
    await sam.getByLabel('Whose sessions').selectOption('everyone');
    await sam.getByRole('row').filter({ hasText: ssh }).waitFor();
    // Both came in the same answer: the RDP one is not left to load.
    const rdpRows = await sam.getByRole('row').filter({ hasText: rdp }).count();
    if (rdpRows !== 0)
      throw new Error(`on-call sees Jane's RDP session ${rdp}`);
    console.log(
      "[e2e] on-call (company policy): Everyone I may see lists Jane's SSH session, not her RDP one",
    );
    await sam.mouse.move(0, 0);
    await sam.screenshot({
      path: join(output, 'policy-oncall.png'),
      animations: 'disabled',
    });
    await sam.getByRole('tab', { name: 'Device Admin' }).click();
    await sam.getByRole('tabpanel').getByRole('table').first().waitFor();
    if ((await sam.getByLabel('Whose grants').count()) !== 0) {
      throw new Error("on-call is offered everyone's grants");
    }
    console.log('[e2e] on-call: Device Admin offers only their own grants');
  } finally {
    await context.close();
  }
}

const allTests = [
  ['sessions', endSessionTest],
  ['two-factor', twoFactorTest],
  ['sign-in-code', signInCodeTest],
  ['grants', revokeGrantsTest],
  ['connectors', connectorsTest],
  ['openssh', openSshTest],
  ['sudo', sudoTest],
  ['offboard', offboardTest],
  ['catalog', catalogTest],
  ['template', templateTest],
  ['live-updates', liveUpdatesTest],
  ['idle-input', idleInputTest],
  ['idle-timeout', idleTimeoutTest],
  ['accessibility', accessibilityTest],
  ['keyboard', keyboardTest],
  ['report', reportTest],
  ['portal-sign-ins', portalSignInsTest],
  ['oidc', oidcTest],
  ['policy', policyTest],
];
// E2E_ONLY=openssh,grants runs only those (while working on one); the
// contract check always runs last, over whatever traffic the others made.
const only = process.env.E2E_ONLY?.split(',');
const tests = [
  ...(only ? allTests.filter(([name]) => only.includes(name)) : allTests),
  ['api-contract', apiContractTest],
];
let passed = 0;
let failed = 0;
const started = Date.now();

/** Refuses to run beside another portal: its answers would be taken for ours. */
async function ensurePortsFree() {
  for (const port of [3017, 7017, 2227, OIDC_PORT]) {
    await new Promise((resolve, reject) => {
      const probe = createServer()
        .once('error', () =>
          reject(
            new Error(
              `port ${port} is in use: stop what holds it (a portal left by an earlier run?)`,
            ),
          ),
        )
        .listen(port, () => probe.close(resolve));
    });
  }
}

// A rejection nobody awaited would end the run without stopping the portal.
process.on('unhandledRejection', async error => {
  console.error(`[e2e] FAILED: unexpected ${error?.stack ?? error}`);
  await stopAll();
  process.exit(1);
});

try {
  await ensurePortsFree();
  // Before the backend: its oidc provider reads the discovery document
  // when it starts.
  oidc = await startOidcProvider();
  backendProcess = run(
    'backend',
    'npx',
    ['backstage-cli', 'package', 'start', ...configArgs],
    { cwd: join(root, 'packages', 'backend') },
  );
  run('app', 'npx', ['backstage-cli', 'package', 'start', ...configArgs], {
    cwd: join(root, 'packages', 'app'),
  });
  await waitForUrl(`${API}/health`, 'the backend');
  await waitForUrl(APP, 'the app');
  // Seeded just before the tests, so a slow app build cannot let the sweep
  // end the seeded idle sessions the tests look for.
  run(
    'simulator',
    'node',
    [join(root, 'scripts', 'simulator.mjs'), '--minutes', '10'],
    {
      env: { SESSIONS_API_URL: API, SIMULATOR_TICK_MS: '2000' },
    },
  );
  await waitForLog('simulator', '[simulator] seeded', 'the simulator');
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
  // From a context, not browser.newPage(): axe needs the page's context.
  page = await (
    await browser.newContext({ viewport: { width: 1440, height: 900 } })
  ).newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);

  for (const [name, test] of tests) {
    const testStarted = Date.now();
    try {
      await test();
      passed += 1;
      console.log(
        `[e2e] ${name}: passed in ${Math.round((Date.now() - testStarted) / 1000)} s`,
      );
    } catch (error) {
      failed += 1;
      console.error(`[e2e] ${name}: FAILED: ${error.stack ?? error}`);
      await page
        .screenshot({ path: join(output, `failure-${name}.png`) })
        .catch(() => {});
      // CI keeps only what is printed: say what the page showed.
      await printPageState();
      console.error(`[e2e] logs and screenshot in ${output}`);
    }
  }
} catch (error) {
  // The portal or the browser did not start: no test could run.
  failed = tests.length - passed;
  console.error(`[e2e] FAILED: ${error.stack ?? error}`);
  console.error(`[e2e] logs in ${output}`);
} finally {
  await browser?.close().catch(() => {});
  await stopAll();
  await oidc?.stop();
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
