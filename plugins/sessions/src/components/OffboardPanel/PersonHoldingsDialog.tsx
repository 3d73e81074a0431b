import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { formatDuration } from '@active-sessions/plugin-sessions-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { DateTime } from 'luxon';
import { useId } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { sessionsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';
import { grantKindLabel } from '../GrantsTable/grantKindLabel';

/** How many of each the dialog lists; the People row has the totals. */
const SHOWN = 50;

const since = (iso: string) =>
  formatDuration(Date.now() - DateTime.fromISO(iso).toMillis());

/**
 * Everything one person holds right now, as far as the caller may see:
 * their open sessions and active grants.
 */
export function PersonHoldingsDialog(props: {
  userRef?: string;
  onClose: () => void;
}) {
  const { userRef } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const titleId = useId();
  const holdings = useAsync(async () => {
    if (!userRef) return undefined;
    const [sessions, grants] = await Promise.all([
      sessionsApi.listSessions({
        user: userRef,
        status: ['active', 'idle'],
        sort: 'lastActivityAt',
        limit: SHOWN,
      }),
      sessionsApi.listGrants({
        user: userRef,
        status: ['active'],
        limit: SHOWN,
      }),
    ]);
    return { sessions: sessions.items, grants: grants.items };
  }, [sessionsApi, userRef]);

  let content;
  if (holdings.error) {
    content = (
      <ResponseErrorPanel
        title={`Could not load what ${userRef} holds: ${errorMessage(
          holdings.error,
        )}`}
        error={holdings.error}
      />
    );
  } else if (!holdings.value) {
    content = <Progress />;
  } else {
    const { sessions, grants } = holdings.value;
    content = (
      <>
        <Typography variant="h6">Open sessions ({sessions.length})</Typography>
        <List dense aria-label={`Open sessions of ${userRef}`}>
          {sessions.map(session => (
            <ListItem key={session.id} divider>
              <ListItemText
                primary={`${session.resourceName} · ${session.resourceType}`}
                secondary={[
                  session.device,
                  session.ipAddress,
                  session.location,
                  `${session.status}, started ${since(session.startedAt)} ago`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              />
            </ListItem>
          ))}
          {sessions.length === 0 && (
            <ListItem>
              <ListItemText primary="No open sessions." />
            </ListItem>
          )}
        </List>
        <Typography variant="h6">Active grants ({grants.length})</Typography>
        <List dense aria-label={`Active grants of ${userRef}`}>
          {grants.map(grant => (
            <ListItem key={grant.id} divider>
              <ListItemText
                primary={`${grantKindLabel(grant.kind)} · ${grant.target}`}
                secondary={`expires ${DateTime.fromISO(
                  grant.expiresAt,
                ).toRelative()}${
                  grant.grantedBy ? ` · granted by ${grant.grantedBy}` : ''
                }`}
              />
            </ListItem>
          ))}
          {grants.length === 0 && (
            <ListItem>
              <ListItemText primary="No active grants." />
            </ListItem>
          )}
        </List>
      </>
    );
  }

  return (
    <Dialog
      open={Boolean(userRef)}
      onClose={props.onClose}
      fullWidth
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>What {userRef} holds</DialogTitle>
      <DialogContent>{content}</DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
