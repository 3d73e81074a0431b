import {
  AccessGrant,
  GrantRevokeOutcome,
} from '@active-sessions/plugin-sessions-common';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { entityRefName } from './entityRefName';
import { grantCount } from './grantPrivilege';
import { revokeOutcomeLabel } from './revokeOutcomeLabel';

/** One id of a bulk revoke, with the grant as it was listed when asked. */
export interface RevokeOutcome {
  id: string;
  outcome: GrantRevokeOutcome;
  grant?: AccessGrant;
}

/** Ending anyway counts as done; anything else needs the person's eye. */
const isDone = (outcome: GrantRevokeOutcome) =>
  outcome === 'revoked' || outcome === 'already_ended';

/** `laptop-7 held by jane.doe`; the bare id if the grant was not listed. */
const describe = ({ id, grant }: RevokeOutcome) =>
  grant ? `${grant.target} held by ${entityRefName(grant.userRef)}` : id;

/**
 * What a bulk revoke did to each grant. Shown beside the list rather than in
 * a dialog: the revoked rows leave the list at once, and this says which did
 * not and why.
 */
export function RevokeOutcomesPanel(props: {
  outcomes: RevokeOutcome[];
  onDismiss: () => void;
}) {
  const { outcomes, onDismiss } = props;
  const revoked = outcomes.filter(item => item.outcome === 'revoked').length;
  return (
    <Alert
      severity={
        outcomes.every(item => isDone(item.outcome)) ? 'success' : 'warning'
      }
      onClose={onDismiss}
      style={{ marginBottom: 16 }}
    >
      <AlertTitle>
        {revoked} of {grantCount(outcomes.length)} revoked
      </AlertTitle>
      <Typography component="ul" variant="body2" style={{ margin: 0 }}>
        {outcomes.map(item => (
          <li key={item.id}>
            {`${describe(item)}: ${revokeOutcomeLabel(item.outcome)}`}
          </li>
        ))}
      </Typography>
    </Alert>
  );
}
