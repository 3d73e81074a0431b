import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// The real sessions backend, which the action calls: an end-to-end test.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import sessionsPlugin from '@active-sessions/plugin-sessions-backend';
import { parse } from 'yaml';
import scaffolderModuleSessions from './index';

jest.setTimeout(60_000);

const ADMIN = 'user:default/admin';
/** Manages Jane only: may offboard her and nobody else. */
const MARIA = 'user:default/maria';
/** Has no offboarding permission at all. */
const SAM = 'user:default/sam';
const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
/** Already removed from the catalog, still holding a session. */
const GONE = 'user:default/gone';

const CONNECTOR = `Bearer ${mockCredentials.service.token()}`;
const SOURCES = ['bastion', 'priv-broker'];
const MFA_KEY = Buffer.alloc(32, 7).toString('base64');

/** The dev catalog's example template, as the catalog would serve it. */
const EXAMPLE_TEMPLATE = parse(
  readFileSync(
    resolve(__dirname, '../../../catalog/templates/offboard.yaml'),
    'utf8',
  ),
);
/** The example, also outputting the step's per-person results. */
const TEMPLATE = {
  ...EXAMPLE_TEMPLATE,
  metadata: { ...EXAMPLE_TEMPLATE.metadata, namespace: 'default' },
  spec: {
    ...EXAMPLE_TEMPLATE.spec,
    output: {
      ...EXAMPLE_TEMPLATE.spec.output,
      mode: '${{ steps.offboard.output.mode }}',
      results: '${{ steps.offboard.output.results }}',
      previews: '${{ steps.offboard.output.previews }}',
    },
  },
};
const TEMPLATE_REF = 'template:default/offboard-people';

const user = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [] },
});

/**
 * Permissions as a policy would decide them: anything outside Active
 * Sessions is allowed (the scaffolder's own); the admin may do anything;
 * Maria may offboard but lock only Jane; anyone else may not offboard.
 */
function testPermissions() {
  const decide = (
    permission: Permission,
    credentials: BackstageCredentials,
  ): PolicyDecision => {
    const principal = credentials.principal as BackstageUserPrincipal;
    if (!permission.name.startsWith('sessions.') || principal.type !== 'user') {
      return { result: AuthorizeResult.ALLOW };
    }
    if (principal.userEntityRef === ADMIN) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (principal.userEntityRef === MARIA) {
      if (permission.name === 'sessions.user.lock') {
        return {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'sessions',
          resourceType: 'sessions-user',
          conditions: {
            rule: 'IS_USER',
            resourceType: 'sessions-user',
            params: { userRefs: [JANE] },
          },
        };
      }
      return permission.name === 'sessions.user.unlock'
        ? { result: AuthorizeResult.DENY }
        : { result: AuthorizeResult.ALLOW };
    }
    return { result: AuthorizeResult.DENY };
  };
  const service: PermissionsService = {
    async authorize(requests, { credentials }) {
      return requests.map(({ permission }) => {
        const decision = decide(permission, credentials);
        if (decision.result === AuthorizeResult.CONDITIONAL) {
          throw new Error('test permissions: conditional authorize');
        }
        return { result: decision.result };
      });
    },
    async authorizeConditional(requests, { credentials }) {
      return requests.map(
        ({ permission }) => decide(permission, credentials) as any,
      );
    },
  };
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => service,
  });
}

/** RFC 6238 (SHA-1, 6 digits, 30 s), as authenticator apps compute it. */
function totpCode(base32Secret: string, atMs: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of base32Secret.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const hmac = createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const offset = hmac[hmac.length - 1] & 0xf;
  const number =
    ((hmac[offset] & 0x7f) << 24) |
    (hmac[offset + 1] << 16) |
    (hmac[offset + 2] << 8) |
    hmac[offset + 3];
  return String(number % 1_000_000).padStart(6, '0');
}

type Reply = { status: number; body: any };

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');

/**
 * A scaffolder backend with this module and the real sessions backend
 * (SQLite), with sessions and grants reported through the connector API.
 */
async function startPortal(sessions: object = {}) {
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleSessions,
      sessionsPlugin,
      testPermissions(),
      catalogServiceMock.factory({
        entities: [
          TEMPLATE,
          ...[ADMIN, MARIA, SAM, JANE, BOB].map(ref => user(ref.split('/')[1])),
        ],
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          sessions: {
            ...sessions,
            connectors: {
              sources: Object.fromEntries(
                SOURCES.map(id => [
                  id,
                  { subjects: ['external:test-service'] },
                ]),
              ),
            },
          },
        },
      }),
    ],
  });
  const base = `http://localhost:${backend.server.port()}`;

  /** Calls the portal as a person (entity ref) or as the connector. */
  const call = async (
    method: string,
    path: string,
    caller: string,
    body?: object,
  ): Promise<Reply> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        Authorization:
          caller === 'connector'
            ? CONNECTOR
            : `Bearer ${mockCredentials.user.token(caller)}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  const report = async (path: string, body: object) =>
    expect((await call('POST', path, 'connector', body)).status).toBe(200);
  await report('/api/sessions/connector/sessions/start', {
    source: 'bastion',
    sessions: [
      ['j1', JANE, 'db-1'],
      ['j2', JANE, 'db-1'],
      ['j3', JANE, 'web-1'],
      ['b1', BOB, 'db-1'],
      ['g1', GONE, 'web-1'],
    ].map(([externalId, userRef, resourceName]) => ({
      externalId,
      userRef,
      resourceName,
      resourceType: 'ssh',
    })),
  });
  await report('/api/sessions/connector/grants/report', {
    source: 'priv-broker',
    grants: [
      ['jg1', JANE, 'device_admin'],
      ['jg2', JANE, 'timed_access'],
      ['bg1', BOB, 'device_admin'],
    ].map(([externalId, userRef, kind]) => ({
      externalId,
      kind,
      userRef,
      target: `target-${externalId}`,
      targetType: 'device',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    })),
  });

  /** Open sessions and active grants of a person, and the locks. */
  const holdings = async (userRef: string) => {
    const q = encodeURIComponent(userRef);
    const [open, grants, locks] = await Promise.all([
      call('GET', `/api/sessions/sessions?status=active,idle&user=${q}`, ADMIN),
      call('GET', `/api/sessions/grants?status=active&user=${q}`, ADMIN),
      call('GET', '/api/sessions/locks', ADMIN),
    ]);
    return {
      sessions: open.body.items.length as number,
      grants: grants.body.items.length as number,
      locked: locks.body.items.some((lock: any) => lock.userRef === userRef),
    };
  };

  /** Runs the template as a task, polling until it is done. */
  const runTask = async (
    caller: string,
    values: object,
    secrets?: Record<string, string>,
  ) => {
    const created = await call('POST', '/api/scaffolder/v2/tasks', caller, {
      templateRef: TEMPLATE_REF,
      values,
      ...(secrets ? { secrets } : {}),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const deadline = Date.now() + 30_000;
    let task = await call('GET', `/api/scaffolder/v2/tasks/${id}`, caller);
    while (!['completed', 'failed', 'cancelled'].includes(task.body.status)) {
      if (Date.now() > deadline) {
        throw new Error(`task ${id} still ${task.body.status}`);
      }
      await new Promise(resolveTick => setImmediate(resolveTick));
      task = await call('GET', `/api/scaffolder/v2/tasks/${id}`, caller);
    }
    const events: any[] = (
      await call('GET', `/api/scaffolder/v2/tasks/${id}/events`, caller)
    ).body;
    const completion = events.find(event => event.type === 'completion');
    return {
      status: task.body.status as string,
      spec: task.body.spec,
      events,
      output: completion?.body.output,
      error: completion?.body.error?.message as string | undefined,
      /** The step's log lines, without colours and level. */
      log: events
        .filter(event => event.type === 'log')
        .map(event =>
          (event.body.message as string)
            .replace(ANSI_COLOUR, '')
            .replace(/^info: /, ''),
        ),
    };
  };

  /** Enrols a person in two-factor; returns their TOTP secret and codes. */
  const enrol = async (userRef: string) => {
    const { secret } = (await call('POST', '/api/sessions/mfa/enrol', userRef))
      .body;
    const activated = await call(
      'POST',
      '/api/sessions/mfa/activate',
      userRef,
      {
        code: totpCode(secret, Date.now()),
      },
    );
    expect(activated.status).toBe(200);
    return {
      secret: secret as string,
      recoveryCodes: activated.body.recoveryCodes as string[],
    };
  };

  return { call, holdings, runTask, enrol };
}

describe('sessions:offboard through the scaffolder backend', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;

  beforeEach(async () => {
    portal = await startPortal();
  });

  it('is registered with the scaffolder, with its input and output schema', async () => {
    const actions = await portal.call(
      'GET',
      '/api/scaffolder/v2/actions',
      ADMIN,
    );
    const action = actions.body.find((a: any) => a.id === 'sessions:offboard');
    expect(action.schema.input.required).toEqual(['people']);
    expect(Object.keys(action.schema.input.properties)).toEqual([
      'people',
      'mode',
      'stepUpCode',
    ]);
    expect(Object.keys(action.schema.output.properties)).toEqual([
      'mode',
      'summary',
      'previews',
      'results',
    ]);
  });

  it('previews in a dry run of the template, and changes nothing', async () => {
    const res = await portal.call('POST', '/api/scaffolder/v2/dry-run', ADMIN, {
      template: TEMPLATE,
      values: { people: [JANE, BOB], mode: 'offboard', stepUpCode: '******' },
      secrets: { stepUpCode: '123456' },
      directoryContents: [],
    });
    expect(res.status).toBe(200);
    expect(res.body.output.mode).toBe('preview');
    expect(res.body.output.previews).toEqual([
      {
        userRef: JANE,
        locked: false,
        mayOffboard: true,
        sessions: [
          { resourceName: 'db-1', resourceType: 'ssh', count: 2 },
          { resourceName: 'web-1', resourceType: 'ssh', count: 1 },
        ],
        grants: [
          { kind: 'device_admin', count: 1 },
          { kind: 'timed_access', count: 1 },
        ],
      },
      {
        userRef: BOB,
        locked: false,
        mayOffboard: true,
        sessions: [{ resourceName: 'db-1', resourceType: 'ssh', count: 1 }],
        grants: [{ kind: 'device_admin', count: 1 }],
      },
    ]);
    expect(res.body.output.text[0].content).toBe(
      [
        'Preview, nothing was changed. Offboarding 2 people would cut:',
        `- ${JANE}: 3 open sessions (db-1 ×2, web-1 ×1); 2 active grants (Device Admin ×1, Timed Access ×1)`,
        `- ${BOB}: 1 open session (db-1 ×1); 1 active grant (Device Admin ×1)`,
      ].join('\n'),
    );
    const log = JSON.stringify(res.body.log);
    expect(log).toContain(
      `Dry run: previewing the offboarding of ${JANE}, ${BOB} as ${ADMIN}`,
    );
    expect(log).not.toContain('123456');
    expect(await portal.holdings(JANE)).toEqual({
      sessions: 3,
      grants: 2,
      locked: false,
    });
    expect(await portal.holdings(BOB)).toEqual({
      sessions: 1,
      grants: 1,
      locked: false,
    });
  });

  it('previews in preview mode, and changes nothing', async () => {
    const task = await portal.runTask(ADMIN, {
      people: [BOB],
      mode: 'preview',
    });
    expect(task.status).toBe('completed');
    expect(task.output.mode).toBe('preview');
    expect(task.output.results).toBeUndefined();
    expect(task.output.text[0].content).toContain(
      `- ${BOB}: 1 open session (db-1 ×1); 1 active grant (Device Admin ×1)`,
    );
    expect(await portal.holdings(BOB)).toEqual({
      sessions: 1,
      grants: 1,
      locked: false,
    });
  });

  it('offboards people as the person running the template, and outputs what was cut per person', async () => {
    const task = await portal.runTask(ADMIN, {
      // The same person twice, in another case: once.
      people: [JANE, GONE, 'User:default/JANE'],
      mode: 'offboard',
    });
    expect(task.status).toBe('completed');
    expect(task.output.mode).toBe('offboard');
    const [jane, gone] = task.output.results;
    expect(task.output.results).toHaveLength(2);
    expect(jane).toEqual({
      userRef: JANE,
      locked: true,
      endedSessions: expect.arrayContaining([
        { id: expect.any(String), resourceName: 'db-1' },
        { id: expect.any(String), resourceName: 'web-1' },
      ]),
      revokedGrants: expect.arrayContaining([
        { id: expect.any(String), target: 'target-jg1', kind: 'device_admin' },
        { id: expect.any(String), target: 'target-jg2', kind: 'timed_access' },
      ]),
      notAllowed: { sessions: 0, grants: 0 },
    });
    expect(jane.endedSessions).toHaveLength(3);
    expect(jane.revokedGrants).toHaveLength(2);
    expect(gone).toMatchObject({
      userRef: GONE,
      locked: true,
      endedSessions: [{ resourceName: 'web-1' }],
      revokedGrants: [],
    });
    expect(task.output.text[0].content).toBe(
      [
        'Offboarded 2 people:',
        `- ${JANE}: locked; 3 sessions ended; 2 grants revoked`,
        `- ${GONE}: locked; 1 session ended; 0 grants revoked`,
      ].join('\n'),
    );
    expect(task.log).toEqual(
      expect.arrayContaining([
        `Offboarding ${JANE}, ${GONE} as ${ADMIN}`,
        expect.stringMatching(
          new RegExp(
            `^Offboarded ${JANE}: locked; 3 sessions ended; 2 grants revoked; sessions [0-9a-f-]+, `,
          ),
        ),
      ]),
    );
    expect(await portal.holdings(JANE)).toEqual({
      sessions: 0,
      grants: 0,
      locked: true,
    });
    expect(await portal.holdings(GONE)).toMatchObject({ locked: true });
    // Bob was not named: untouched.
    expect(await portal.holdings(BOB)).toEqual({
      sessions: 1,
      grants: 1,
      locked: false,
    });
    // The lock holds: the connector's next report for Jane is refused.
    const again = await portal.call(
      'POST',
      '/api/sessions/connector/sessions/start',
      'connector',
      {
        source: 'bastion',
        sessions: [
          {
            externalId: 'j4',
            userRef: JANE,
            resourceName: 'db-1',
            resourceType: 'ssh',
          },
        ],
      },
    );
    expect(again.body.refused).toEqual(['j4']);
  });

  it("refuses as a whole when one person is outside the runner's scope, with the API's message", async () => {
    const refused = await portal.runTask(MARIA, {
      people: [JANE, BOB],
      mode: 'offboard',
    });
    expect(refused.status).toBe('failed');
    expect(refused.error).toBe(
      `Active Sessions refused ${MARIA}: You are not allowed to offboard ${BOB}. Nothing was changed.`,
    );
    expect(await portal.holdings(JANE)).toEqual({
      sessions: 3,
      grants: 2,
      locked: false,
    });
    expect(await portal.holdings(BOB)).toMatchObject({ locked: false });

    // Her own people she may offboard.
    const allowed = await portal.runTask(MARIA, {
      people: [JANE],
      mode: 'offboard',
    });
    expect(allowed.status).toBe('completed');
    expect(await portal.holdings(JANE)).toEqual({
      sessions: 0,
      grants: 0,
      locked: true,
    });
  });

  it('refuses someone without the offboarding permission, in a dry run too', async () => {
    const task = await portal.runTask(SAM, {
      people: [JANE],
      mode: 'offboard',
    });
    expect(task.status).toBe('failed');
    expect(task.error).toBe(
      `Active Sessions refused ${SAM}: You are not allowed to offboard people. Nothing was changed.`,
    );
    const dryRun = await portal.call(
      'POST',
      '/api/scaffolder/v2/dry-run',
      SAM,
      {
        template: TEMPLATE,
        values: { people: [JANE], mode: 'offboard' },
        directoryContents: [],
      },
    );
    expect(dryRun.status).toBe(403);
    expect(dryRun.body.error.message).toContain(
      'You are not allowed to offboard people',
    );
    expect(await portal.holdings(JANE)).toMatchObject({
      sessions: 3,
      locked: false,
    });
  });

  it('refuses unknown people, naming them, and offboards nobody', async () => {
    const task = await portal.runTask(ADMIN, {
      people: [JANE, 'user:default/nobody', 'user:default/no.one'],
      mode: 'offboard',
    });
    expect(task.status).toBe('failed');
    expect(task.error).toBe(
      'Unknown people: user:default/nobody, user:default/no.one: not in the catalog, and Active Sessions has no session, grant or lock of theirs. Check the entity refs. Nothing was changed.',
    );
    expect(await portal.holdings(JANE)).toEqual({
      sessions: 3,
      grants: 2,
      locked: false,
    });
  });

  it('refuses what is not a user entity ref, naming each entry', async () => {
    const task = await portal.runTask(ADMIN, {
      people: [JANE, 'jane', 'group:default/security', 'user:default/a b'],
      mode: 'offboard',
    });
    expect(task.status).toBe('failed');
    expect(task.error).toBe(
      'Invalid input to sessions:offboard: people[1] "jane" must be a user entity ref such as user:default/jane.doe; people[2] "group:default/security" is a group, not a user; offboarding takes people (kind user); people[3] "user:default/a b" must be a user entity ref such as user:default/jane.doe. Nothing was changed.',
    );
    // No one at all: the action's own input schema refuses it.
    const empty = await portal.call(
      'POST',
      '/api/scaffolder/v2/dry-run',
      ADMIN,
      {
        template: {
          ...TEMPLATE,
          spec: {
            ...TEMPLATE.spec,
            parameters: [],
            steps: [
              {
                id: 'offboard',
                action: 'sessions:offboard',
                input: { people: [] },
              },
            ],
          },
        },
        values: {},
        directoryContents: [],
      },
    );
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe(
      'Invalid input passed to action sessions:offboard, instance.people does not meet minimum length of 1',
    );
    expect(await portal.holdings(JANE)).toMatchObject({
      sessions: 3,
      locked: false,
    });
  });
});

describe('sessions:offboard with step-up on', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;

  beforeEach(async () => {
    portal = await startPortal({
      mfa: { encryptionKey: MFA_KEY },
      stepUp: { enabled: true },
    });
  });

  const offboardJane = { people: [JANE], mode: 'offboard', stepUpCode: '' };

  it('tells the template author to add a secret code field when none was given', async () => {
    await portal.enrol(ADMIN);
    const task = await portal.runTask(ADMIN, offboardJane);
    expect(task.status).toBe('failed');
    expect(task.error).toBe(
      `Active Sessions asks ${ADMIN} for a fresh two-factor code to offboard people (Confirm with your authenticator code to offboard a person), and this step got none. Template authors: add a secret field for the code to the template's parameters (ui:field: Secret) and pass it to this step as stepUpCode: \${{ secrets.<field name> }}. Nothing was changed.`,
    );
    expect(await portal.holdings(JANE)).toMatchObject({
      sessions: 3,
      locked: false,
    });
  });

  it('asks a runner without two-factor to set it up first', async () => {
    const task = await portal.runTask(ADMIN, offboardJane, {
      stepUpCode: '123456',
    });
    expect(task.status).toBe('failed');
    expect(task.error).toBe(
      `Active Sessions: Set up two-factor authentication to offboard a person. ${ADMIN} has not set up two-factor authentication; set it up on the Active Sessions page (Two-factor tab), then run the template again with a current code. Nothing was changed.`,
    );
    expect(await portal.holdings(JANE)).toMatchObject({ locked: false });
  });

  it('refuses a wrong code, without showing it', async () => {
    const { secret } = await portal.enrol(ADMIN);
    const now = Date.now();
    const valid = [-30_000, 0, 30_000].map(d => totpCode(secret, now + d));
    let wrong = valid[1];
    while (valid.includes(wrong)) {
      wrong = String((Number(wrong) + 1) % 1_000_000).padStart(6, '0');
    }
    const task = await portal.runTask(ADMIN, offboardJane, {
      stepUpCode: wrong,
    });
    expect(task.status).toBe('failed');
    expect(task.error).toBe(
      `Active Sessions did not accept the two-factor code of ${ADMIN} (body.code: not a valid code): give a current code from the authenticator app, or an unused recovery code. Nothing was changed.`,
    );
    expect(JSON.stringify(task.events)).not.toContain(wrong);
    expect(await portal.holdings(JANE)).toMatchObject({
      sessions: 3,
      locked: false,
    });
  });

  it('offboards with a current code or a recovery code from a secret field, never logging or outputting it', async () => {
    const { secret, recoveryCodes } = await portal.enrol(ADMIN);
    // The code of the next time step: activating spent the current one.
    const code = totpCode(secret, Date.now() + 30_000);
    const task = await portal.runTask(
      ADMIN,
      { ...offboardJane, stepUpCode: '******' },
      { stepUpCode: code },
    );
    expect(task.status).toBe('completed');
    expect(task.output.results).toMatchObject([
      { userRef: JANE, locked: true },
    ]);
    expect(task.output.results[0].endedSessions).toHaveLength(3);
    expect(task.log).toContain(
      `Active Sessions asks for a step-up: checking the two-factor code of ${ADMIN}`,
    );
    expect(JSON.stringify(task.events)).not.toContain(code);
    expect(JSON.stringify(task.spec)).not.toContain(code);
    expect(await portal.holdings(JANE)).toEqual({
      sessions: 0,
      grants: 0,
      locked: true,
    });

    const withRecoveryCode = await portal.runTask(
      ADMIN,
      { people: [BOB], mode: 'offboard', stepUpCode: '******' },
      { stepUpCode: recoveryCodes[0] },
    );
    expect(withRecoveryCode.status).toBe('completed');
    expect(JSON.stringify(withRecoveryCode.events)).not.toContain(
      recoveryCodes[0],
    );
    expect(await portal.holdings(BOB)).toEqual({
      sessions: 0,
      grants: 0,
      locked: true,
    });
  });
});
