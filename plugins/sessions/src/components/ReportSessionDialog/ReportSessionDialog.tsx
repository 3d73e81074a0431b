import {
  alertApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import {
  MAX_REPORT_NOTE_LENGTH,
  Session,
} from '@active-sessions/plugin-sessions-common';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useId, useState } from 'react';
import { sessionsApiRef } from '../../api';
import { findThisSignIn } from '../../hooks/findThisSignIn';
import { errorMessage } from '../errorMessage';
import { formatInstant } from '../SessionsTable/formatInstant';
import { resourceTypeLabel } from '../SessionsTable/resourceTypeLabel';

const isOpen = (session: Session) =>
  session.status === 'active' || session.status === 'idle';

/**
 * "Not me": reports one of the person's own sessions to security with
 * what they see, ending it if it is open, and on request every other
 * session of theirs (but this browser's sign-in, as End All). Open while
 * `session` is set.
 */
export function ReportSessionDialog(props: {
  session?: Session;
  onClose: () => void;
  onReported: (session: Session) => void;
}) {
  const { session, onClose, onReported } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const identityApi = useApi(identityApiRef);
  const alertApi = useApi(alertApiRef);
  const titleId = useId();
  const noteId = useId();
  const [shown, setShown] = useState(session);
  const [note, setNote] = useState('');
  const [endOthers, setEndOthers] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  // A fresh form per session; the text stays while the dialog closes.
  useEffect(() => {
    if (session) {
      setShown(session);
      setNote('');
      setEndOthers(false);
      setError(undefined);
    }
  }, [session]);

  const blank = note.trim() === '';
  const submit = async () => {
    if (!session || blank) return;
    setBusy(true);
    setError(undefined);
    try {
      const keep = endOthers
        ? await findThisSignIn(identityApi, sessionsApi)
        : undefined;
      const reported = await sessionsApi.reportSession(session.id, {
        note,
        endOthers,
        exceptId: keep?.id,
      });
      alertApi.post({
        message: `Reported your session on ${session.resourceName}${
          isOpen(session) ? ' and ended it' : ''
        }.`,
        severity: 'success',
        display: 'transient',
      });
      onReported(reported);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={Boolean(session)}
      onClose={busy ? undefined : onClose}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={titleId}>Report this session</DialogTitle>
      <DialogContent>
        {shown && (
          <DialogContentText>
            Your {resourceTypeLabel(shown.resourceType)} session on{' '}
            <strong>{shown.resourceName}</strong>
            {shown.device ? ` from ${shown.device}` : ''}
            {shown.ipAddress ? ` (${shown.ipAddress})` : ''}, started{' '}
            {formatInstant(shown.startedAt)}.{' '}
            {isOpen(shown)
              ? 'It will be ended and your security team told.'
              : 'It is over; your security team will be told.'}
          </DialogContentText>
        )}
        <TextField
          id={noteId}
          label="What do you see?"
          placeholder="I did not start this session; I was not at my desk then."
          required
          multiline
          minRows={3}
          fullWidth
          variant="outlined"
          value={note}
          onChange={event => setNote(event.target.value)}
          inputProps={{ maxLength: MAX_REPORT_NOTE_LENGTH }}
          helperText={`For the security team; ${note.length}/${MAX_REPORT_NOTE_LENGTH}`}
          disabled={busy}
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={endOthers}
              onChange={event => setEndOthers(event.target.checked)}
              disabled={busy}
            />
          }
          label="Also end all my other sessions"
        />
        {error && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            {errorMessage(error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          variant="contained"
          color="secondary"
          onClick={submit}
          disabled={busy || blank}
        >
          {shown && isOpen(shown) ? 'Report and end' : 'Report'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
