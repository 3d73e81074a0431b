import { mockCredentials } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  sessionReadPermission,
  sessionTerminatePermission,
} from '@active-sessions/plugin-sessions-common';
import { ResourceAccess } from './ResourceAccess';
import { sessionRules } from '@active-sessions/plugin-sessions-node';

// The rules only matter for conditional answers; these tests allow all.
const RULES = Object.values(sessionRules) as any;
const JANE = mockCredentials.user('user:default/jane');
const BOB = mockCredentials.user('user:default/bob');

/** A permission service that allows everything and counts the questions. */
function countingPermissions(fail = false) {
  const asked: string[] = [];
  const permissions = {
    authorizeConditional: async (requests: any[], { credentials }: any) => {
      asked.push(
        `${credentials.principal.userEntityRef} ${requests[0].permission.name}`,
      );
      if (fail) throw new Error('permission backend down');
      return [{ result: AuthorizeResult.ALLOW }];
    },
  } as unknown as PermissionsService;
  return { permissions, asked };
}

describe('ResourceAccess', () => {
  afterEach(() => jest.restoreAllMocks());

  it("reuses a caller's decision within the cache time, per caller and permission", async () => {
    const { permissions, asked } = countingPermissions();
    const access = new ResourceAccess(permissions, RULES, 5_000);
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);

    for (let i = 0; i < 3; i += 1) {
      await access.decide(sessionReadPermission, JANE);
    }
    await access.decide(sessionTerminatePermission, JANE);
    await access.decide(sessionReadPermission, BOB);
    expect(asked).toEqual([
      'user:default/jane sessions.session.read',
      'user:default/jane sessions.session.terminate',
      'user:default/bob sessions.session.read',
    ]);

    now += 5_001;
    await access.decide(sessionReadPermission, JANE);
    expect(asked).toHaveLength(4);
  });

  it('asks every time with no cache time, and never remembers a failure', async () => {
    const uncached = countingPermissions();
    const access = new ResourceAccess(uncached.permissions, RULES);
    await access.decide(sessionReadPermission, JANE);
    await access.decide(sessionReadPermission, JANE);
    expect(uncached.asked).toHaveLength(2);

    const failing = countingPermissions(true);
    const cached = new ResourceAccess(failing.permissions, RULES, 5_000);
    await expect(cached.decide(sessionReadPermission, JANE)).rejects.toThrow(
      'permission backend down',
    );
    await expect(cached.decide(sessionReadPermission, JANE)).rejects.toThrow();
    expect(failing.asked).toHaveLength(2);
  });
});
