import {
  ResourceType,
  SessionLimitsInfo,
} from '@active-sessions/plugin-sessions-common';
import { resourceTypeLabel } from '../SessionsTable/resourceTypeLabel';

const sessions = (count: number) =>
  `${count} open ${count === 1 ? 'session' : 'sessions'}`;

/**
 * The limits in a sentence, such as "You may hold at most 5 open sessions
 * (SSH: 1). Past that, a new session is refused."; undefined without any.
 */
export function limitsText(limits: SessionLimitsInfo): string | undefined {
  const perType = Object.entries(limits.perType) as Array<
    [ResourceType, number]
  >;
  if (limits.maxPerUser === null && perType.length === 0) return undefined;
  const kinds = perType
    .map(([type, max]) => `${resourceTypeLabel(type)}: ${max}`)
    .join(', ');
  const most =
    limits.maxPerUser !== null
      ? `at most ${sessions(limits.maxPerUser)}${kinds ? ` (${kinds})` : ''}`
      : `at most this many open sessions of a kind: ${kinds}`;
  const past =
    limits.onExceed === 'deny'
      ? 'a new session is refused'
      : 'a new session ends your oldest one';
  return `You may hold ${most}. Past that, ${past}.`;
}
