import { GrantRevokeOutcome } from '@active-sessions/plugin-sessions-common';

const LABELS: Record<GrantRevokeOutcome, string> = {
  revoked: 'Revoked',
  // Expired, revoked by someone else or ended at its source meanwhile.
  already_ended: 'Already ended',
  denied: 'Not allowed',
  not_found: 'Not found',
};

/** What happened to one grant of a bulk revoke, in a person's words. */
export function revokeOutcomeLabel(outcome: GrantRevokeOutcome): string {
  return LABELS[outcome] ?? outcome;
}
