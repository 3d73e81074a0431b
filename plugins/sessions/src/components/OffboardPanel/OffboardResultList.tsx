import { OffboardResult } from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';

/** What offboarding did, per person and item. */
export function OffboardResultList(props: { results: OffboardResult[] }) {
  return (
    <Box mt={2} display="flex" flexDirection="column" style={{ gap: 8 }}>
      {props.results.map(result => {
        const left = result.notAllowed.sessions + result.notAllowed.grants;
        return (
          <Alert
            key={result.userRef}
            severity={left ? 'warning' : 'success'}
            aria-label={`Offboarded ${result.userRef}`}
          >
            {result.userRef}: locked; ended {result.endedSessions.length}{' '}
            sessions
            {result.endedSessions.length > 0 &&
              ` (${result.endedSessions.map(s => s.resourceName).join(', ')})`}
            ; revoked {result.revokedGrants.length} grants
            {result.revokedGrants.length > 0 &&
              ` (${result.revokedGrants.map(g => g.target).join(', ')})`}
            .
            {left > 0 &&
              ` You may not cut ${result.notAllowed.sessions} sessions and ${result.notAllowed.grants} grants they still hold.`}
          </Alert>
        );
      })}
    </Box>
  );
}
