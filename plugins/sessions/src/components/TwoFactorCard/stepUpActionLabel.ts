/** How the card names each action that asks for a step-up. */
const LABELS: Record<string, string> = {
  'end-all-sessions': 'end all your sessions',
  'bulk-revoke': 'revoke several grants at once',
  'act-for-others': "end or revoke someone else's access",
  offboard: 'offboard a person',
  'disable-mfa': 'turn two-factor authentication off',
};

export const stepUpActionLabel = (action: string) => LABELS[action] ?? action;
