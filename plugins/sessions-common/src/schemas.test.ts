import {
  commandAckBatchSchema,
  grantReportBatchSchema,
  listSessionsQuerySchema,
  revokeGrantsBodySchema,
  sessionStartBatchSchema,
  MAX_BATCH_SIZE,
} from './schemas';

function issuesOf(result: { success: boolean; error?: { issues: any[] } }) {
  return result.error?.issues.map(issue => issue.path.join('.')) ?? [];
}

describe('listSessionsQuerySchema', () => {
  it('fills defaults for an empty query', () => {
    expect(listSessionsQuerySchema.parse({})).toEqual({
      sort: 'startedAt',
      order: 'desc',
      limit: 50,
    });
  });

  it('reads comma separated filters', () => {
    const parsed = listSessionsQuerySchema.parse({
      status: 'active, idle',
      type: 'ssh',
      limit: '10',
      user: 'User:Default/Jane.Doe',
    });
    expect(parsed.status).toEqual(['active', 'idle']);
    expect(parsed.type).toEqual(['ssh']);
    expect(parsed.limit).toBe(10);
    expect(parsed.user).toBe('user:default/jane.doe');
  });

  it.each([
    [{ status: 'sleeping' }, 'status'],
    [{ type: 'telnet' }, 'type'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '1000000' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ sort: 'userRef' }, 'sort'],
    [{ user: 'jane' }, 'user'],
    [{ colour: 'blue' }, ''],
  ])('refuses %j naming %s', (query, field) => {
    const result = listSessionsQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(
      issuesOf(result).some(
        path => path === field || path.startsWith(`${field}.`),
      ),
    ).toBe(true);
  });
});

describe('sessionStartBatchSchema', () => {
  const start = {
    externalId: 'pid-42',
    userRef: 'user:default/jane',
    resourceName: 'bastion-1',
    resourceType: 'ssh',
    ipAddress: '10.0.0.7',
  };

  it('accepts a well-formed batch', () => {
    const batch = sessionStartBatchSchema.parse({
      source: 'bastion',
      sessions: [start],
    });
    expect(batch.sessions[0].userRef).toBe('user:default/jane');
  });

  it('names the offending item and field', () => {
    const result = sessionStartBatchSchema.safeParse({
      source: 'bastion',
      sessions: [start, { ...start, ipAddress: 'not-an-ip' }],
    });
    expect(issuesOf(result)).toEqual(['sessions.1.ipAddress']);
  });

  it('refuses an oversize batch', () => {
    const result = sessionStartBatchSchema.safeParse({
      source: 'bastion',
      sessions: Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) => ({
        ...start,
        externalId: `pid-${i}`,
      })),
    });
    expect(issuesOf(result)).toEqual(['sessions']);
  });

  it('refuses a source that is not a connector id', () => {
    const result = sessionStartBatchSchema.safeParse({
      source: 'Bastion One',
      sessions: [start],
    });
    expect(issuesOf(result)).toEqual(['source']);
  });
});

describe('bounds of connector batches', () => {
  const start = {
    externalId: 'pid-42',
    userRef: 'user:default/jane',
    resourceName: 'bastion-1',
    resourceType: 'ssh',
  };
  const batch = (sessions: object[]) =>
    sessionStartBatchSchema.safeParse({ source: 'bastion', sessions });

  it('names the field holding a NUL or an over-long entity ref', () => {
    expect(issuesOf(batch([{ ...start, resourceName: 'db\u00001' }]))).toEqual([
      'sessions.0.resourceName',
    ]);
    expect(
      issuesOf(
        batch([{ ...start, userRef: `user:default/${'a'.repeat(243)}` }]),
      ),
    ).toEqual(['sessions.0.userRef']);
    // 255 characters is the column, and fits.
    expect(
      batch([{ ...start, userRef: `user:default/${'a'.repeat(242)}` }]).success,
    ).toBe(true);
  });

  it('keeps non-Latin names and emoji', () => {
    const parsed = sessionStartBatchSchema.parse({
      source: 'bastion',
      sessions: [
        { ...start, resourceName: 'Zürich 東京 🚀', location: 'Köln' },
      ],
    });
    expect(parsed.sessions[0].resourceName).toBe('Zürich 東京 🚀');
  });

  it('refuses starts before 2000 and names the field', () => {
    expect(
      issuesOf(batch([{ ...start, startedAt: '0001-01-01T00:00:00Z' }])),
    ).toEqual(['sessions.0.startedAt']);
  });

  it('refuses one external id twice, at the repeat', () => {
    expect(
      issuesOf(batch([start, { ...start, resourceName: 'other' }])),
    ).toEqual(['sessions.1.externalId']);
  });
});

describe('grant reports', () => {
  const grant = {
    externalId: 'g-1',
    kind: 'timed_access',
    userRef: 'user:default/jane',
    target: 'prod-db',
    targetType: 'database',
    expiresAt: '2026-06-01T00:00:00Z',
  };
  const report = (item: object) =>
    grantReportBatchSchema.safeParse({ source: 'broker', grants: [item] });

  it('takes a multi-line reason with tabs, not one with other controls', () => {
    expect(
      report({ ...grant, reason: 'INC-42:\tdisk full\nsee log' }).success,
    ).toBe(true);
    expect(issuesOf(report({ ...grant, reason: 'INC-42\u0000' }))).toEqual([
      'grants.0.reason',
    ]);
  });

  it('refuses an expiry in year 9999', () => {
    expect(
      issuesOf(report({ ...grant, expiresAt: '9999-12-31T00:00:00Z' })),
    ).toEqual(['grants.0.expiresAt']);
  });
});

describe('commandAckBatchSchema', () => {
  const ack = (acks: object[]) =>
    commandAckBatchSchema.safeParse({ source: 'bastion', acks });

  it('refuses two acknowledgements of one order', () => {
    expect(
      issuesOf(
        ack([
          { id: 7, outcome: 'done' },
          { id: 7, outcome: 'failed' },
        ]),
      ),
    ).toEqual(['acks.1.id']);
  });

  it('takes a message up to 2,000 characters, with line breaks', () => {
    expect(
      ack([{ id: 7, outcome: 'failed', message: `kill:\n${'e'.repeat(1994)}` }])
        .success,
    ).toBe(true);
    expect(
      issuesOf(ack([{ id: 7, outcome: 'failed', message: 'e'.repeat(2001) }])),
    ).toEqual(['acks.0.message']);
  });
});

describe('list queries', () => {
  it.each([
    [{ q: 'a\u0000b' }, 'q'],
    [{ cursor: 'not a cursor' }, 'cursor'],
    [{ cursor: 'abc%00' }, 'cursor'],
  ])('refuses %j naming %s', (query, field) => {
    expect(issuesOf(listSessionsQuerySchema.safeParse(query))).toEqual([field]);
  });

  it('searches for any script', () => {
    expect(listSessionsQuerySchema.parse({ q: ' 東京 ' }).q).toBe('東京');
  });
});

describe('revokeGrantsBodySchema', () => {
  it('refuses one grant id twice', () => {
    const id = '00000000-0000-4000-8000-000000000001';
    expect(
      issuesOf(revokeGrantsBodySchema.safeParse({ ids: [id, id] })),
    ).toEqual(['ids.1']);
  });
});
