import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import fc from 'fast-check';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
import { ActiveSessionsTestPolicy } from '../__testUtils__/testPolicy';
import { CONNECTOR, as } from '../__testUtils__/credentials';
import { sessionsPlugin } from '../plugin';
import { servedRoutes } from '../__testUtils__/servedRoutes';
import { testConfigFactory } from '../__testUtils__/connectorSources';

/*
 * Every route, driven with generated bad input on every database: the answer
 * is a 4xx, never a 5xx, and the plugin's tables are exactly as before.
 * FUZZ_RUNS and FUZZ_SEED override the run count and the (fixed) seed; a
 * failure prints the seed and the shrunk request.
 */

jest.setTimeout(300_000);

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);

const ADMIN = 'user:default/admin';
const JANE = 'user:default/jane';
/** The auth plugin's credentials: only it records portal sign-in tokens. */
const PORTAL = `Bearer ${mockCredentials.service.token({
  onBehalfOf: mockCredentials.service('plugin:auth'),
  targetPluginId: 'sessions',
})}`;
/** The subject of `mockCredentials.service()`, which CONNECTOR carries. */
const UUID = '00000000-0000-4000-8000-00000000abcd';

type Method = 'get' | 'post' | 'put' | 'delete';
interface Call {
  method: Method;
  path: string;
  query?: string;
  /** Sent as is, with `Content-Type: application/json`. */
  body?: string;
  auth: string;
}

// ---- bad values ----------------------------------------------------------

/**
 * Besides NUL (below), characters no field accepts: other controls (tab and
 * line breaks are allowed in free text), lone surrogates.
 */
const FORBIDDEN = [
  '\u0001',
  '\u0007',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u000e',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u009f',
  '\ud800',
  '\udfff',
];
/** NUL most often: PostgreSQL refuses it in any text, which made 500s. */
const forbidden = fc.oneof(
  { weight: 3, arbitrary: fc.constant('\u0000') },
  { weight: 2, arbitrary: fc.constantFrom(...FORBIDDEN) },
);
/** Printable, any script; `x` on both sides keeps the bad character inside (not trimmed, not paired). */
const word = fc
  .string({ unit: 'grapheme', maxLength: 8 })
  .map(text => `x${text}x`);
const withControl = fc
  .tuple(word, forbidden, word)
  .map(([before, bad, after]) => `${before}${bad}${after}`);
const tooLong = (max: number) =>
  fc
    .tuple(
      fc.integer({ min: max + 1, max: max + 400 }),
      fc.constantFrom('x', 'é', '東', '🚀'),
    )
    .map(([length, char]) => char.repeat(length));
// No NaN or Infinity: JSON sends them as null, which optional fields take.
const notAString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string(), { maxKeys: 2 }),
);
const badText = (max: number) =>
  fc.oneof(withControl, tooLong(max), notAString);
const badRequiredText = (max: number) =>
  fc.oneof(badText(max), fc.constantFrom('', null));
const badRefText = fc.oneof(
  fc
    .integer({ min: 256 - 'user:default/'.length, max: 600 })
    .map(length => `user:default/${'a'.repeat(length)}`),
  withControl.map(name => `user:default/${name}`),
  fc.constantFrom('jane', 'user:jane', 'user:default/', ''),
);
const badRef = fc.oneof(badRefText, notAString);
const badUuidText = fc.oneof(
  withControl,
  tooLong(36),
  fc.constantFrom('not-a-uuid', `${UUID}\u0000`, `${UUID.toUpperCase()}x`),
);
const badUuid = fc.oneof(badUuidText, notAString);
const badInstant = fc.oneof(
  fc.constantFrom(
    '0001-01-01T00:00:00Z',
    '1999-12-31T23:59:59Z',
    '9999-12-31T23:59:59Z',
    '2026-02-30T00:00:00Z',
    '2026-01-01',
    '2026-01-01T00:00:00',
    'yesterday',
    '',
  ),
  fc
    .date({
      min: new Date('0001-01-01'),
      max: new Date('1999-12-31'),
      noInvalidDate: true,
    })
    .map(date => date.toISOString()),
  fc
    .date({
      min: new Date('2200-01-01'),
      max: new Date('9999-12-31'),
      noInvalidDate: true,
    })
    .map(date => date.toISOString()),
  withControl,
  notAString,
);
/** The same, as query-string text. */
const badInstantText = badInstant.filter(
  (value): value is string => typeof value === 'string',
);
/** Numbers a positive-id field refuses, as JSON values. */
const badId = fc.oneof(
  fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1e300, -1e300, 2 ** 53, 2 ** 60, '1', null, true),
);
/** The same, as query-string text. */
const badIntText = (extra: string[] = []) =>
  fc.oneof(
    fc.constantFrom(
      '1.5',
      '1e300',
      '-1',
      'abc',
      '9007199254740993',
      'NaN',
      'Infinity',
      '1,2',
      ...extra,
    ),
    withControl,
  );
const notAnObject = fc.oneof(
  fc.constantFrom('[]', '"text"', '42', 'null', 'true', '{"source":', '{]'),
  fc.array(fc.integer(), { maxLength: 3 }).map(list => JSON.stringify(list)),
);
const unknownKey = fc.constantFrom(
  'colour',
  '__proto__',
  'constructor',
  'isAdmin',
);

/** An opaque cursor as the server writes them, with any content. */
const encodeCursor = (body: unknown[]) =>
  Buffer.from(JSON.stringify(body)).toString('base64url');
function badCursor(sort: string, order: string, kind: 'number' | 'string') {
  const goodValue = kind === 'number' ? Date.UTC(2026, 0, 1) : 'host-1';
  const badValue =
    kind === 'number'
      ? fc.oneof(
          fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }),
          fc.constantFrom(1e300, -1e300, 2 ** 53, -(2 ** 60), null, {}),
          fc.string({ maxLength: 5 }),
        )
      : fc.oneof(withControl, tooLong(255), fc.integer(), fc.constant(null));
  return fc.oneof(
    badValue.map(value => encodeCursor([sort, order, value, UUID])),
    badUuid.map(id => encodeCursor([sort, order, goodValue, id])),
    fc.constantFrom(
      encodeCursor([sort, order, goodValue]),
      encodeCursor({ sort, order } as any),
      'not a cursor',
      '!!!!',
    ),
    withControl,
    tooLong(1000),
  );
}

// ---- building requests ----------------------------------------------------

/** Percent-encodes every UTF-8 byte, so any text reaches the server as sent. */
const pct = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map(byte => `%${byte.toString(16).padStart(2, '0')}`)
    .join('');

type QueryEntries = Array<[string, string]>;
type QueryEdit = (entries: QueryEntries) => QueryEntries;

const setParam = (key: string, value: fc.Arbitrary<string>) =>
  value.map<QueryEdit>(text => entries => [
    ...entries.filter(([k]) => k !== key),
    [key, text],
  ]);
/** Query edits every route with a query refuses: unknown keys, a key twice, `key[]`. */
const structuralQueryEdits = (stringKeys: string[]) =>
  [
    fc
      .tuple(fc.constantFrom('colour', 'page', 'offset', 'Q'), word)
      .map<QueryEdit>(([key, value]) => entries => [...entries, [key, value]]),
    stringKeys.length
      ? fc
          .tuple(fc.constantFrom(...stringKeys), word, word)
          .map<QueryEdit>(([key, a, b]) => entries => [
            ...entries.filter(([k]) => k !== key),
            [key, a],
            [key, b],
          ])
      : undefined,
    stringKeys.length
      ? fc
          .tuple(fc.constantFrom(...stringKeys), word)
          .map<QueryEdit>(([key, value]) => entries => [
            ...entries.filter(([k]) => k !== key),
            [`${key}[]`, value],
          ])
      : undefined,
  ].filter((edit): edit is fc.Arbitrary<QueryEdit> => edit !== undefined);

function badQueries(
  base: QueryEntries,
  edits: Array<fc.Arbitrary<QueryEdit>>,
  stringKeys: string[],
): fc.Arbitrary<string> {
  const all = [...edits, ...structuralQueryEdits(stringKeys)];
  return fc.oneof(
    fc.array(fc.oneof(...all), { minLength: 1, maxLength: 3 }).map(list =>
      list
        .reduce((entries, edit) => edit(entries), base)
        .map(([key, value]) => `${pct(key)}=${pct(value)}`)
        .join('&'),
    ),
    // Broken percent-encoding, taken as it comes.
    fc.constantFrom(...stringKeys, 'q').map(key => `${key}=%E0%A4%A&${key}=%`),
  );
}

type Json = Record<string, any>;
type BodyEdit = (body: Json) => void;

/** Sets a field at `path`, when the body still has a place for it. */
const setField = (path: Array<string | number>, value: fc.Arbitrary<unknown>) =>
  value.map<BodyEdit>(bad => body => {
    let target: any = body;
    for (const key of path.slice(0, -1)) {
      target = target?.[key];
    }
    if (target && typeof target === 'object') {
      Object.defineProperty(target, path[path.length - 1], {
        value: bad,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
  });
const dropField = (path: Array<string | number>): fc.Arbitrary<BodyEdit> =>
  fc.constant(body => {
    let target: any = body;
    for (const key of path.slice(0, -1)) target = target?.[key];
    if (target && typeof target === 'object') {
      delete target[path[path.length - 1]];
    }
  });
const addUnknown = (path: Array<string | number> = []) =>
  fc
    .tuple(unknownKey, fc.oneof(fc.string(), fc.integer()))
    .chain(([key, value]) => setField([...path, key], fc.constant(value)));
/** Repeats the first item of a batch, so one id appears twice. */
const duplicateFirst = (list: string): fc.Arbitrary<BodyEdit> =>
  fc.constant(body => {
    if (Array.isArray(body[list]) && body[list].length) {
      body[list].push(structuredClone(body[list][0]));
    }
  });

function badBodies(
  valid: () => Json,
  edits: Array<fc.Arbitrary<BodyEdit>>,
): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .array(fc.oneof(...edits, addUnknown()), { minLength: 1, maxLength: 3 })
        .map(list => {
          const body = valid();
          list.forEach(edit => edit(body));
          return JSON.stringify(body);
        }),
    },
    { weight: 1, arbitrary: notAnObject },
  );
}

// ---- unusual but valid values ---------------------------------------------

/** Characters people's data holds: accents, CJK, emoji, quotes, LIKE wildcards. */
const CHARACTERS = [...'aZ09 -._üßéİ東京Ωж🚀🔥"\'\\%_!'];
/** Text a field of `max` characters takes; sometimes exactly `max` wide characters. */
const validText = (max: number) =>
  fc.oneof(
    fc
      .string({
        unit: fc.constantFrom(...CHARACTERS),
        minLength: 1,
        maxLength: max,
      })
      .filter(text => text.trim().length > 0),
    fc.constantFrom('東', '🚀', 'ü').map(char => char.repeat(max)),
  );
/** Free text: tabs and line breaks too. */
const validFreeText = (max: number) =>
  fc
    .string({
      unit: fc.constantFrom(...CHARACTERS, '\t', '\n', '\r\n'),
      minLength: 1,
      maxLength: Math.min(max, 300),
    })
    .map(text => [...text].slice(0, max).join(''))
    .filter(text => text.trim().length > 0);
const refName = fc.string({
  unit: fc.constantFrom(...'abcxyz019-_.'),
  minLength: 1,
  maxLength: 240,
});
let unique = 0;

// ---- the routes -----------------------------------------------------------

interface Seeded {
  sessionId: string;
  grantId: string;
  orderId: number;
}

interface RouteSpec {
  route: string;
  calls: fc.Arbitrary<Call>;
  /** Routes that take no input may answer 2xx to junk; never 5xx. */
  lenient?: boolean;
}

const SESSION_SORTS = [
  ['startedAt', 'number'],
  ['lastActivityAt', 'number'],
  ['resourceName', 'string'],
] as const;
const GRANT_SORTS = [
  ['expiresAt', 'number'],
  ['startsAt', 'number'],
  ['target', 'string'],
] as const;

function cursorEdit(
  sorts: ReadonlyArray<readonly [string, 'number' | 'string']>,
) {
  return fc
    .tuple(fc.constantFrom(...sorts), fc.constantFrom('asc', 'desc'))
    .chain(([[sort, kind], order]) =>
      badCursor(sort, order, kind).map<QueryEdit>(cursor => entries => [
        ...entries.filter(([k]) => !['sort', 'order', 'cursor'].includes(k)),
        ['sort', sort],
        ['order', order],
        ['cursor', cursor],
      ]),
    );
}

const badBool = fc.constantFrom('yes', '1', 'TRUE', '', 'true,false');
const badSearch = fc.oneof(withControl, tooLong(200));

function routeSpecs(seeded: Seeded): RouteSpec[] {
  const get = (path: string, auth: string, query: fc.Arbitrary<string>) =>
    query.map<Call>(q => ({ method: 'get', path, query: q, auth }));
  const post = (path: string, auth: string, body: fc.Arbitrary<string>) =>
    body.map<Call>(b => ({ method: 'post', path, body: b, auth }));
  /** A route without input: junk query or body is refused. */
  const noQuery = (path: string, auth: string) =>
    get(path, auth, badQueries([], [], []));
  const noBody = (path: string, auth: string, method: Method = 'post') =>
    badBodies(() => ({}), []).map<Call>(b => ({ method, path, body: b, auth }));
  /** Junk in the part of a request a route does not read. */
  const junkBeside = (path: string, method: Method, auth: string) =>
    method === 'post'
      ? noBody(path, auth)
      : noQuery(path, auth).map<Call>(call => ({ ...call, method }));
  /** A route with an id in its path: a bad id, or junk beside a good one. */
  const byId = (
    pattern: string,
    good: string,
    bad: fc.Arbitrary<string>,
    method: Method,
    auth: string,
  ) =>
    fc.oneof(
      fc
        .oneof(
          bad.map(id => pct(id)),
          fc.constantFrom('%E0%A4%A', '%'),
        )
        .map<Call>(id => ({
          method,
          path: pattern.replace(/:\w+/, id),
          auth,
          ...(method === 'post' ? { body: '{}' } : {}),
        })),
      junkBeside(
        pattern.replace(/:\w+/, encodeURIComponent(good)),
        method,
        auth,
      ),
    );

  const listSessionEdits = [
    setParam('q', badSearch),
    setParam('limit', badIntText(['0', '201', ''])),
    setParam(
      'status',
      fc.oneof(fc.constantFrom('sleeping', ',', ''), withControl),
    ),
    setParam('type', fc.oneof(fc.constantFrom('telnet', 'SSH'), withControl)),
    setParam('sort', fc.oneof(fc.constantFrom('userRef', 'id'), withControl)),
    setParam('order', fc.constantFrom('up', 'ASC', '')),
    setParam('user', badRefText),
    setParam('all', badBool),
    setParam('flagged', badBool),
    setParam('reported', badBool),
    setParam('endedFrom', badInstantText),
    setParam('endedBefore', badInstantText),
    // A range that ends before it starts.
    fc.constant<QueryEdit>(entries => [
      ...entries.filter(([k]) => !['endedFrom', 'endedBefore'].includes(k)),
      ['endedFrom', '2026-11-24T00:00:00Z'],
      ['endedBefore', '2026-11-23T00:00:00Z'],
    ]),
    cursorEdit(SESSION_SORTS),
  ];
  const startItem = () => ({
    externalId: 'fuzz-new',
    userRef: JANE,
    resourceName: 'db-1',
    resourceType: 'ssh',
    device: 'laptop',
    ipAddress: '192.0.2.1',
    location: 'Zürich, CH',
    startedAt: new Date(Date.now() - 60_000).toISOString(),
    recording: { url: 'https://rec.example.com/1.cast', kind: 'asciicast' },
  });
  const grantItem = () => ({
    externalId: 'fuzz-grant',
    kind: 'timed_access',
    userRef: JANE,
    target: 'prod-db',
    targetType: 'database',
    grantedBy: 'user:default/boss',
    reason: 'incident\t42\nsee ticket',
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const batchEdits = (list: string, source: string) => [
    setField(
      ['source'],
      fc.oneof(badRequiredText(64), fc.constantFrom('Bastion', 'bastion one')),
    ),
    setField([list], fc.oneof(fc.constant([]), notAString)),
    dropField(['source']),
    duplicateFirst(list),
    addUnknown([list, 0]),
    fc.constant<BodyEdit>(body => {
      body[list] = Array.from({ length: 501 }, (_, i) => ({
        ...body[list]?.[0],
        externalId: `${source}-${i}`,
      }));
    }),
  ];
  const externalIdEdits = (list: string) => [
    setField([list, 0, 'externalId'], badRequiredText(255)),
    setField([list, 0, 'at'], badInstant),
    dropField([list, 0, 'externalId']),
  ];

  return [
    // Users: sessions
    {
      route: 'GET /sessions',
      calls: get(
        '/sessions',
        as(JANE),
        badQueries([], listSessionEdits, [
          'q',
          'user',
          'cursor',
          'status',
          'type',
          'sort',
          'order',
        ]),
      ),
    },
    {
      route: 'GET /sessions/stats',
      calls: get(
        '/sessions/stats',
        as(JANE),
        badQueries(
          [],
          [setParam('user', badRefText), setParam('all', badBool)],
          ['user', 'all'],
        ),
      ),
    },
    {
      route: 'POST /sessions/end-all',
      calls: post(
        '/sessions/end-all',
        as(JANE),
        badBodies(
          () => ({}),
          [
            setField(['exceptId'], badUuid),
            setField(['source'], fc.oneof(badText(64), fc.constant('Bastion'))),
          ],
        ),
      ),
    },
    { route: 'GET /settings', calls: noQuery('/settings', as(JANE)) },
    {
      route: 'PUT /settings/timeouts',
      calls: badBodies(
        () => ({ idleAfterMs: 10 * 60_000, disconnectAfterMs: 60 * 60_000 }),
        [
          // Not a whole positive number of ms, or outside the ranges.
          setField(
            ['idleAfterMs'],
            fc.oneof(badId, fc.integer({ min: 1, max: 59_999 })),
          ),
          setField(
            ['disconnectAfterMs'],
            fc.oneof(badId, fc.integer({ min: 4 * 3_600_000 + 1 })),
          ),
          dropField(['idleAfterMs']),
        ],
      ).map<Call>(body => ({
        method: 'put',
        path: '/settings/timeouts',
        body,
        auth: as(JANE),
      })),
    },
    {
      route: 'DELETE /settings/timeouts',
      calls: noBody('/settings/timeouts', as(JANE), 'delete'),
    },
    { route: 'GET /capabilities', calls: noQuery('/capabilities', as(JANE)) },
    { route: 'GET /grants/stats', calls: noQuery('/grants/stats', as(JANE)) },
    {
      route: 'GET /sessions/:id',
      calls: byId(
        '/sessions/:id',
        seeded.sessionId,
        badUuidText,
        'get',
        as(JANE),
      ),
    },
    {
      route: 'POST /sessions/:id/end',
      calls: byId(
        '/sessions/:id/end',
        seeded.sessionId,
        badUuidText,
        'post',
        as(JANE),
      ),
    },
    {
      route: 'POST /sessions/:id/report',
      calls: fc.oneof(
        // A bad id, with a good note.
        fc
          .oneof(
            badUuidText.map(id => pct(id)),
            fc.constantFrom('%E0%A4%A', '%'),
          )
          .map<Call>(id => ({
            method: 'post',
            path: `/sessions/${id}/report`,
            body: JSON.stringify({ note: 'not me' }),
            auth: as(JANE),
          })),
        post(
          `/sessions/${encodeURIComponent(seeded.sessionId)}/report`,
          as(JANE),
          badBodies(
            () => ({ note: 'not me', endOthers: true }),
            [
              setField(['note'], badRequiredText(1000)),
              dropField(['note']),
              setField(
                ['endOthers'],
                fc.oneof(
                  fc.constantFrom('true', 1, 0, 'yes'),
                  fc.array(fc.boolean(), { maxLength: 2 }),
                ),
              ),
              setField(['exceptId'], badUuid),
            ],
          ),
        ),
      ),
    },
    // Users: grants
    {
      route: 'GET /grants',
      calls: get(
        '/grants',
        as(JANE),
        badQueries(
          [],
          [
            setParam('q', badSearch),
            setParam('limit', badIntText(['0', '201', ''])),
            setParam(
              'kind',
              fc.oneof(fc.constantFrom('root', ''), withControl),
            ),
            setParam(
              'status',
              fc.oneof(fc.constantFrom('gone', ''), withControl),
            ),
            setParam('sort', fc.constantFrom('userRef', 'reason')),
            setParam('order', fc.constantFrom('up', '')),
            setParam('user', badRefText),
            setParam('all', badBool),
            cursorEdit(GRANT_SORTS),
          ],
          ['q', 'user', 'cursor', 'kind', 'status', 'sort', 'order'],
        ),
      ),
    },
    {
      route: 'POST /grants/revoke',
      calls: post(
        '/grants/revoke',
        as(JANE),
        badBodies(
          () => ({ ids: [seeded.grantId] }),
          [
            setField(
              ['ids'],
              fc.oneof(
                fc.constant([]),
                notAString,
                fc.array(badUuid, { minLength: 1, maxLength: 3 }),
              ),
            ),
            setField(['ids', 0], badUuid),
            duplicateFirst('ids'),
            dropField(['ids']),
            fc.constant<BodyEdit>(body => {
              body.ids = Array.from({ length: 101 }, () => seeded.grantId);
            }),
          ],
        ),
      ),
    },
    {
      route: 'GET /grants/:id',
      calls: byId('/grants/:id', seeded.grantId, badUuidText, 'get', as(JANE)),
    },
    {
      route: 'POST /grants/:id/revoke',
      calls: byId(
        '/grants/:id/revoke',
        seeded.grantId,
        badUuidText,
        'post',
        as(JANE),
      ),
    },
    {
      route: 'POST /grants/:id/give-back',
      calls: byId(
        '/grants/:id/give-back',
        seeded.grantId,
        badUuidText,
        'post',
        as(JANE),
      ),
    },
    // Users: connectors, MFA, offboarding, portal
    { route: 'GET /connectors', calls: noQuery('/connectors', as(ADMIN)) },
    { route: 'GET /mfa', calls: noQuery('/mfa', as(JANE)) },
    { route: 'POST /mfa/enrol', calls: noBody('/mfa/enrol', as(JANE)) },
    ...['activate', 'verify', 'disable'].map(action => ({
      route: `POST /mfa/${action}`,
      calls: post(
        `/mfa/${action}`,
        as(JANE),
        badBodies(
          () => ({ code: '123456' }),
          [
            setField(
              ['code'],
              fc.oneof(
                fc.constantFrom('12345', '1234567', 'abcdef', ''),
                withControl,
                notAString,
              ),
            ),
            setField(['recoveryCode'], fc.constantFrom('ABC', 'x')),
            dropField(['code']),
          ],
        ),
      ),
    })),
    {
      route: 'GET /people',
      calls: get(
        '/people',
        as(ADMIN),
        badQueries(
          [],
          [
            setParam('q', badSearch),
            setParam('limit', badIntText(['0', '201', ''])),
          ],
          ['q'],
        ),
      ),
    },
    ...['/offboard/preview', '/offboard'].map(path => ({
      route: `POST ${path}`,
      calls: post(
        path,
        as(ADMIN),
        badBodies(
          () => ({ users: [JANE] }),
          [
            setField(['users', 0], badRef),
            setField(['users'], fc.oneof(fc.constant([]), notAString)),
            dropField(['users']),
            fc.constant<BodyEdit>(body => {
              body.users = Array.from(
                { length: 51 },
                (_, i) => `user:default/u${i}`,
              );
            }),
          ],
        ),
      ),
    })),
    { route: 'GET /locks', calls: noQuery('/locks', as(ADMIN)) },
    {
      route: 'DELETE /locks/:userRef',
      calls: byId('/locks/:userRef', JANE, badRefText, 'delete', as(ADMIN)),
    },
    { route: 'GET /portal/status', calls: noQuery('/portal/status', as(JANE)) },
    {
      route: 'POST /portal/heartbeat',
      calls: post(
        '/portal/heartbeat',
        as(JANE),
        badBodies(
          () => ({ sid: 'tab-1', active: true }),
          [
            setField(['sid'], badRequiredText(255)),
            dropField(['sid']),
            setField(
              ['active'],
              fc.oneof(badBool, fc.constantFrom(null, 0, 1)),
            ),
          ],
        ),
      ),
    },
    {
      route: 'POST /portal/second-factor',
      calls: post(
        '/portal/second-factor',
        as(JANE),
        badBodies(
          () => ({ sid: 'tab-1', code: '123456' }),
          [
            setField(['sid'], badRequiredText(255)),
            setField(
              ['code'],
              fc.oneof(
                fc.constantFrom('12345', '1234567', 'abcdef', ''),
                withControl,
                notAString,
              ),
            ),
            setField(['recoveryCode'], fc.constantFrom('ABC', 'x')),
            dropField(['code']),
            dropField(['sid']),
          ],
        ),
      ),
    },
    {
      route: 'GET /health',
      calls: fc.oneof(
        get('/health', '', badQueries([], [], [])),
        get('/health', as(JANE), badQueries([], [], [])),
      ),
      lenient: true,
    },
    // Connectors
    {
      route: 'POST /connector/sessions/start',
      calls: post(
        '/connector/sessions/start',
        CONNECTOR,
        badBodies(
          () => ({ source: 'bastion', sessions: [startItem()] }),
          [
            ...batchEdits('sessions', 'bastion'),
            setField(['sessions', 0, 'externalId'], badRequiredText(255)),
            setField(['sessions', 0, 'userRef'], badRef),
            setField(['sessions', 0, 'resourceName'], badRequiredText(255)),
            setField(
              ['sessions', 0, 'resourceType'],
              fc.oneof(fc.constantFrom('telnet', ''), notAString),
            ),
            setField(['sessions', 0, 'device'], badText(255)),
            setField(['sessions', 0, 'userAgent'], badText(1000)),
            setField(
              ['sessions', 0, 'ipAddress'],
              fc.oneof(
                fc.constantFrom('999.1.1.1', '::g', 'localhost'),
                withControl,
                notAString,
              ),
            ),
            setField(['sessions', 0, 'location'], badText(255)),
            setField(['sessions', 0, 'startedAt'], badInstant),
            setField(['sessions', 0, 'lastActivityAt'], badInstant),
            setField(
              ['sessions', 0, 'recording', 'url'],
              fc.oneof(
                fc.constantFrom(
                  'ftp://rec.example.com/1',
                  'data:text/html,hi',
                  'not a url',
                ),
                withControl.map(text => `https://rec.example.com/${text}`),
                tooLong(2000).map(text => `https://rec.example.com/${text}`),
                notAString,
              ),
            ),
            setField(
              ['sessions', 0, 'recording', 'kind'],
              fc.oneof(badRequiredText(32), fc.constant('Video File')),
            ),
            setField(['sessions', 0, 'recording'], notAString),
            ...['externalId', 'userRef', 'resourceName', 'resourceType'].map(
              field => dropField(['sessions', 0, field]),
            ),
          ],
        ),
      ),
    },
    ...(['activity', 'end'] as const).map(path => ({
      route: `POST /connector/sessions/${path}`,
      calls: post(
        `/connector/sessions/${path}`,
        CONNECTOR,
        badBodies(
          () => ({
            source: 'bastion',
            [path === 'end' ? 'sessions' : 'activity']: [{ externalId: 'j1' }],
          }),
          [
            ...batchEdits(path === 'end' ? 'sessions' : 'activity', 'bastion'),
            ...externalIdEdits(path === 'end' ? 'sessions' : 'activity'),
          ],
        ),
      ),
    })),
    {
      route: 'POST /connector/sessions/recording',
      calls: post(
        '/connector/sessions/recording',
        CONNECTOR,
        badBodies(
          () => ({
            source: 'bastion',
            recordings: [
              {
                externalId: 'j1',
                url: 'https://rec.example.com/j1.cast',
                kind: 'asciicast',
              },
            ],
          }),
          [
            ...batchEdits('recordings', 'bastion'),
            setField(['recordings', 0, 'externalId'], badRequiredText(255)),
            setField(
              ['recordings', 0, 'url'],
              fc.oneof(fc.constant('ftp://x'), withControl, notAString),
            ),
            setField(['recordings', 0, 'kind'], badRequiredText(32)),
            dropField(['recordings', 0, 'url']),
          ],
        ),
      ),
    },
    {
      route: 'POST /connector/grants/report',
      calls: post(
        '/connector/grants/report',
        CONNECTOR,
        badBodies(
          () => ({ source: 'priv-broker', grants: [grantItem()] }),
          [
            ...batchEdits('grants', 'priv-broker'),
            setField(['grants', 0, 'externalId'], badRequiredText(255)),
            setField(
              ['grants', 0, 'kind'],
              fc.oneof(fc.constantFrom('root', ''), notAString),
            ),
            setField(['grants', 0, 'userRef'], badRef),
            setField(['grants', 0, 'target'], badRequiredText(255)),
            setField(
              ['grants', 0, 'targetType'],
              fc.oneof(badRequiredText(64), fc.constant('Data Base')),
            ),
            setField(['grants', 0, 'grantedBy'], badText(255)),
            setField(['grants', 0, 'reason'], badText(1000)),
            setField(['grants', 0, 'startsAt'], badInstant),
            setField(
              ['grants', 0, 'expiresAt'],
              fc.oneof(
                badInstant,
                // A "timed" grant that does not end for years.
                fc
                  .integer({ min: 2, max: 60 })
                  .map(years =>
                    new Date(
                      Date.now() + years * 366 * 86_400_000,
                    ).toISOString(),
                  ),
              ),
            ),
            ...[
              'externalId',
              'kind',
              'userRef',
              'target',
              'targetType',
              'expiresAt',
            ].map(field => dropField(['grants', 0, field])),
          ],
        ),
      ),
    },
    {
      route: 'POST /connector/grants/end',
      calls: post(
        '/connector/grants/end',
        CONNECTOR,
        badBodies(
          () => ({ source: 'priv-broker', grants: [{ externalId: 'g1' }] }),
          [
            ...batchEdits('grants', 'priv-broker'),
            ...externalIdEdits('grants'),
          ],
        ),
      ),
    },
    {
      route: 'POST /connector/portal/second-factor',
      calls: post(
        '/connector/portal/second-factor',
        PORTAL,
        badBodies(
          () => ({ sid: 'tab-1', deviceProof: 'A'.repeat(43), decide: true }),
          [
            setField(['sid'], badRequiredText(255)),
            setField(
              ['deviceProof'],
              fc.oneof(
                badRequiredText(43),
                fc.constantFrom('A'.repeat(86), `${'A'.repeat(42)}=`),
              ),
            ),
            setField(['decide'], fc.oneof(badBool, fc.constant(null))),
            dropField(['decide']),
            dropField(['sid']),
          ],
        ),
      ),
    },
    {
      route: 'POST /connector/portal/tokens',
      calls: post(
        '/connector/portal/tokens',
        PORTAL,
        badBodies(
          () => ({
            sid: 'tab-1',
            proof: 'A'.repeat(43),
            expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          }),
          [
            setField(['sid'], badRequiredText(255)),
            setField(
              ['proof'],
              fc.oneof(
                badRequiredText(43),
                // The uip itself, or a digest with padding or in base64.
                fc.constantFrom(
                  'A'.repeat(86),
                  `${'A'.repeat(42)}=`,
                  `${'+/'.repeat(21)}+`,
                ),
              ),
            ),
            setField(
              ['expiresAt'],
              fc.oneof(
                badInstant,
                // No token lives longer than a day.
                fc
                  .integer({ min: 2, max: 3000 })
                  .map(days =>
                    new Date(Date.now() + days * 86_400_000).toISOString(),
                  ),
              ),
            ),
            ...['sid', 'proof', 'expiresAt'].map(field => dropField([field])),
          ],
        ),
      ),
    },
    {
      route: 'GET /connector/commands',
      calls: get(
        '/connector/commands',
        CONNECTOR,
        badQueries(
          [['source', 'bastion']],
          [
            setParam(
              'source',
              fc.oneof(
                badRequiredText(64).filter(
                  v => typeof v === 'string',
                ) as fc.Arbitrary<string>,
                fc.constant('Bastion'),
              ),
            ),
            fc.constant<QueryEdit>(entries =>
              entries.filter(([k]) => k !== 'source'),
            ),
            setParam('after', badIntText()),
            setParam('wait', badIntText(['26'])),
            setParam('limit', badIntText(['0', '501'])),
          ],
          ['source'],
        ),
      ),
    },
    {
      route: 'POST /connector/commands/ack',
      calls: post(
        '/connector/commands/ack',
        CONNECTOR,
        badBodies(
          () => ({
            source: 'bastion',
            acks: [
              { id: seeded.orderId, outcome: 'failed', message: 'kill failed' },
            ],
          }),
          [
            ...batchEdits('acks', 'bastion'),
            setField(['acks', 0, 'id'], badId),
            setField(
              ['acks', 0, 'outcome'],
              fc.oneof(fc.constantFrom('ok', 'DONE', ''), notAString),
            ),
            setField(['acks', 0, 'message'], badText(2000)),
            dropField(['acks', 0, 'id']),
            dropField(['acks', 0, 'outcome']),
          ],
        ),
      ),
    },
  ];
}

// ---- the database ---------------------------------------------------------

async function tableNames(knex: Knex): Promise<string[]> {
  const client = String(knex.client.config.client);
  if (client === 'pg') {
    const result = await knex.raw(
      'select tablename as name from pg_tables where schemaname = current_schema()',
    );
    return result.rows.map((row: any) => row.name);
  }
  if (client.startsWith('mysql')) {
    const [rows] = await knex.raw(
      'select table_name as name from information_schema.tables where table_schema = database()',
    );
    return rows.map((row: any) => row.name);
  }
  const rows = await knex.raw(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
  );
  return rows.map((row: any) => row.name);
}

/** Every row of every table, in an order-independent form. */
async function snapshot(knex: Knex, tables: string[]) {
  const contents = await Promise.all(
    tables.map(async table => {
      const rows = await knex(table).select();
      return [table, rows.map(row => JSON.stringify(row)).sort()] as const;
    }),
  );
  return Object.fromEntries(contents);
}

/** What the assertion compares: `4xx`, or `below 500` for lenient routes. */
function statusClass(status: number, lenient?: boolean): string {
  if (lenient) return status < 500 ? 'below 500' : String(status);
  return status >= 400 && status < 500 ? '4xx' : String(status);
}

function describeCall(call: Call) {
  const shown = (text?: string) =>
    text && text.length > 300
      ? `${text.slice(0, 300)}… (${text.length} chars)`
      : text;
  return `${call.method.toUpperCase()} ${call.path}${call.query ? `?${shown(call.query)}` : ''}${
    call.body !== undefined ? ` body=${shown(call.body)}` : ''
  }`;
}

// ---- the tests --------------------------------------------------------------

describe('every route', () => {
  const specs = routeSpecs({ sessionId: UUID, grantId: UUID, orderId: 1 });

  it('has a fuzz spec', () => {
    expect(specs.map(spec => spec.route).sort()).toEqual(
      // The spec route takes no input.
      [...new Set(servedRoutes())]
        .filter(route => route !== 'GET /openapi.json')
        .sort(),
    );
  });
});

describe('bad input', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: Parameters<typeof request>[0];
    let knex: Knex;
    let tables: string[];
    let seeded: Seeded;
    let stop: () => Promise<void>;

    const send = (call: Call) => {
      const url = `/api/sessions${call.path}${call.query ? `?${call.query}` : ''}`;
      let req = request(server)[call.method](url);
      if (call.auth) req = req.set('Authorization', call.auth);
      if (call.body !== undefined) {
        req = req.set('Content-Type', 'application/json').send(call.body);
      }
      return req;
    };

    beforeAll(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      const scheduler = mockServices.scheduler.mock();
      const backend = await startTestBackend({
        features: [
          sessionsPlugin,
          mockServices.database.factory({ knex }),
          // No sweeps in the background: only requests change the tables.
          scheduler.factory,
          policyPermissionsFactory(new ActiveSessionsTestPolicy(ADMIN)),
          testConfigFactory({
            mfa: { encryptionKey: Buffer.alloc(32, 7).toString('base64') },
            personalTimeouts: {
              idleAfter: { min: { minutes: 1 }, max: { hours: 1 } },
              disconnectAfter: { min: { minutes: 15 }, max: { hours: 4 } },
            },
          }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      server = backend.server;
      stop = () => backend.stop();

      const ok = async (call: Call) => {
        const res = await send(call);
        if (res.status >= 300) {
          throw new Error(
            `seeding ${describeCall(call)}: ${res.status} ${res.text}`,
          );
        }
        return res.body;
      };
      const start = (
        externalId: string,
        userRef: string,
        resourceName: string,
      ) => ({
        externalId,
        userRef,
        resourceName,
        resourceType: 'ssh',
      });
      await ok({
        method: 'post',
        path: '/connector/sessions/start',
        auth: CONNECTOR,
        body: JSON.stringify({
          source: 'bastion',
          sessions: [
            start('j1', JANE, 'Zürich-東京-🚀'),
            start('j2', JANE, 'db-2'),
            start('a1', ADMIN, 'db-3'),
          ],
        }),
      });
      await ok({
        method: 'post',
        path: '/connector/grants/report',
        auth: CONNECTOR,
        body: JSON.stringify({
          source: 'priv-broker',
          grants: [
            {
              externalId: 'g1',
              kind: 'device_admin',
              userRef: JANE,
              target: 'laptop-jane',
              targetType: 'device',
              expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
            },
          ],
        }),
      });
      // The auth plugin records a portal sign-in's token (and is recorded
      // as the one speaking for the portal).
      await ok({
        method: 'post',
        path: '/connector/portal/tokens',
        auth: PORTAL,
        body: JSON.stringify({
          sid: 'tab-1',
          proof: 'A'.repeat(43),
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      });
      const sessions = (
        await ok({ method: 'get', path: '/sessions', auth: as(JANE) })
      ).items;
      const byExternalId = (id: string) =>
        sessions.find((s: any) => s.externalId === id).id;
      await ok({
        method: 'post',
        path: `/sessions/${byExternalId('j2')}/end`,
        auth: as(JANE),
        body: '{}',
      });
      const feed = await ok({
        method: 'get',
        path: '/connector/commands',
        query: 'source=bastion',
        auth: CONNECTOR,
      });
      const grants = (
        await ok({ method: 'get', path: '/grants', auth: as(JANE) })
      ).items;
      seeded = {
        sessionId: byExternalId('j1'),
        grantId: grants[0].id,
        orderId: feed.commands[0].id,
      };
      tables = await tableNames(knex);
    });

    afterAll(async () => {
      await stop?.();
    });

    // The specs need the seeded ids; their names are fixed.
    const names = routeSpecs({
      sessionId: UUID,
      grantId: UUID,
      orderId: 1,
    }).map(spec => spec.route);

    it.each(names)('%s: a 4xx, and nothing written', async name => {
      const spec = routeSpecs(seeded).find(s => s.route === name)!;
      // A connector that reads its feed shows it is alive (and who it is):
      // done once here, so only the calls under test could write.
      for (const source of ['bastion', 'priv-broker']) {
        await send({
          method: 'get',
          path: '/connector/commands',
          query: `source=${source}`,
          auth: CONNECTOR,
        });
      }
      await fc.assert(
        fc.asyncProperty(spec.calls, async call => {
          const before = await snapshot(knex, tables);
          const res = await send(call);
          const after = await snapshot(knex, tables);
          // The request and the answer are part of what is compared, so a
          // failure shows them.
          expect({
            request: describeCall(call),
            answer: `${res.status} ${res.text.slice(0, 300)}`,
            status: statusClass(res.status, spec.lenient),
            changedTables: tables.filter(
              table =>
                JSON.stringify(before[table]) !== JSON.stringify(after[table]),
            ),
          }).toEqual({
            request: describeCall(call),
            answer: expect.any(String),
            status: spec.lenient ? 'below 500' : '4xx',
            changedTables: [],
          });
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });

    it('keeps unusual but valid text exactly as sent, never answering 5xx', async () => {
      const seen = (userRef: string, path: string) =>
        send({
          method: 'get',
          path,
          query: `user=${encodeURIComponent(userRef)}`,
          auth: as(ADMIN),
        });
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            name: refName,
            externalId: validText(200),
            resourceName: validText(255),
            device: validText(255),
            location: validText(255),
            userAgent: validText(1000),
            target: validText(255),
            reason: validFreeText(1000),
            message: fc.oneof(
              validFreeText(2000),
              fc.integer({ min: 1001, max: 2000 }).map(n => '🚀'.repeat(n)),
            ),
          }),
          async input => {
            unique += 1;
            // Unique per run, and the ref at most 255 characters.
            const userRef = `user:default/r${unique}-${input.name}`.slice(
              0,
              255,
            );
            const externalId = `e${unique}-${input.externalId}`;
            const start = await send({
              method: 'post',
              path: '/connector/sessions/start',
              auth: CONNECTOR,
              body: JSON.stringify({
                source: 'bastion',
                sessions: [
                  {
                    externalId,
                    userRef,
                    resourceName: input.resourceName,
                    resourceType: 'ssh',
                    device: input.device,
                    location: input.location,
                    userAgent: input.userAgent,
                  },
                ],
              }),
            });
            expect(start.status).toBe(200);
            const [session] = (await seen(userRef, '/sessions')).body.items;
            expect(session).toMatchObject({
              externalId,
              resourceName: input.resourceName.trim(),
              device: input.device.trim(),
              location: input.location.trim(),
              userAgent: input.userAgent.trim(),
            });

            const report = await send({
              method: 'post',
              path: '/connector/grants/report',
              auth: CONNECTOR,
              body: JSON.stringify({
                source: 'priv-broker',
                grants: [
                  {
                    externalId,
                    kind: 'timed_access',
                    userRef,
                    target: input.target,
                    targetType: 'database',
                    reason: input.reason,
                    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
                  },
                ],
              }),
            });
            expect(report.status).toBe(200);
            const [grant] = (await seen(userRef, '/grants')).body.items;
            expect(grant).toMatchObject({
              target: input.target.trim(),
              reason: input.reason.trim(),
            });

            // The connector fails to cut it and says why, at any length.
            await send({
              method: 'post',
              path: `/sessions/${session.id}/end`,
              auth: as(ADMIN),
              body: '{}',
            }).expect(200);
            const feed = await send({
              method: 'get',
              path: '/connector/commands',
              query: `source=bastion&after=${seeded.orderId}&limit=500`,
              auth: CONNECTOR,
            });
            const order = feed.body.commands.find(
              (command: any) => command.subjectId === session.id,
            );
            const ack = await send({
              method: 'post',
              path: '/connector/commands/ack',
              auth: CONNECTOR,
              body: JSON.stringify({
                source: 'bastion',
                acks: [
                  { id: order.id, outcome: 'failed', message: input.message },
                ],
              }),
            });
            expect(ack.status).toBe(200);
            const [failed] = (await seen(userRef, '/sessions')).body.items;
            // The session keeps the first 1,000 characters of the message.
            expect(failed.cutFailure).toBe(
              [...input.message].slice(0, 1000).join(''),
            );
          },
        ),
        { numRuns: Math.max(5, Math.round(RUNS / 2)), seed: SEED },
      );
    });
  });
});
