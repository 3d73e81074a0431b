import {
  AccessGrant,
  GrantKind,
} from '@active-sessions/plugin-sessions-common';

const PRIVILEGE_WORDS: Record<GrantKind, string> = {
  device_admin: 'admin rights on',
  timed_access: 'access to',
};

/** What holding a grant of this kind means, before its target's name. */
export function privilegeWords(kind: GrantKind): string {
  return PRIVILEGE_WORDS[kind] ?? 'access to';
}

/** `admin rights on laptop-7`, `access to prod-db`. */
export function grantPrivilege(
  grant: Pick<AccessGrant, 'kind' | 'target'>,
): string {
  return `${privilegeWords(grant.kind)} ${grant.target}`;
}

/** `1 grant`, `2 grants`. */
export function grantCount(count: number): string {
  return `${count} ${count === 1 ? 'grant' : 'grants'}`;
}
