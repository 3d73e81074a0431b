import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import { sessionsApiRef } from '../../api';
import { resourceTypeLabel } from '../SessionsTable/resourceTypeLabel';

/**
 * Open sessions of the person flagged for review at their start, with the
 * one-click way out when it was not them: end all sessions.
 */
export function FlaggedSessionsBanner(props: {
  reloadKey: number;
  onEndAll: () => void;
}) {
  const sessionsApi = useApi(sessionsApiRef);
  const { value } = useAsync(
    () =>
      sessionsApi.listSessions({
        flagged: true,
        status: ['active', 'idle'],
        limit: 20,
      }),
    [sessionsApi, props.reloadKey],
  );
  if (!value?.items.length) return null;
  return (
    <Box mt={2}>
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={props.onEndAll}>
            Not me: end all sessions
          </Button>
        }
      >
        <AlertTitle>Unusual sessions</AlertTitle>
        {value.items.map(session => (
          <div key={session.id}>
            {resourceTypeLabel(session.resourceType)} session on{' '}
            {session.resourceName}: {session.flagDetail}
          </div>
        ))}
      </Alert>
    </Box>
  );
}
