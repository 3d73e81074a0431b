import {
  listSessionsQuerySchema,
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
