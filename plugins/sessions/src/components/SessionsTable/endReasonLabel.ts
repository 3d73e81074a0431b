import { EndReason } from '@active-sessions/plugin-sessions-common';

const LABELS: Record<EndReason, string> = {
  user: 'Ended by you',
  admin: 'Ended by an admin',
  idle_timeout: 'Idle timeout',
  max_lifetime: 'Max lifetime',
  policy: 'Ended by policy',
  connector: 'Closed at source',
  offboarding: 'Offboarding',
  second_factor: 'No code at sign-in',
  reported: 'Reported as not me',
};

/** Why a session ended, in the words a person reading the history expects. */
export function endReasonLabel(reason: EndReason | null): string {
  return reason ? (LABELS[reason] ?? reason) : 'Ended';
}
