import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useId, useState } from 'react';
import { sessionsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';
import {
  SecondFactorField,
  emptySecondFactor,
  toSecondFactor,
} from '../SecondFactorField/SecondFactorField';

/** Turning two-factor authentication off takes a code or a recovery code. */
export function TurnOffDialog(props: {
  open: boolean;
  onClose: () => void;
  onTurnedOff: () => void;
}) {
  const sessionsApi = useApi(sessionsApiRef);
  const [input, setInput] = useState(emptySecondFactor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const titleId = useId();

  const turnOff = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await sessionsApi.disableMfa(toSecondFactor(input));
      setInput(emptySecondFactor);
      props.onTurnedOff();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={busy ? undefined : props.onClose}
      aria-labelledby={titleId}
      maxWidth="xs"
      fullWidth
    >
      <form onSubmit={turnOff}>
        <DialogTitle id={titleId}>
          Turn off two-factor authentication?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            Critical actions will ask you to set it up again. Confirm with a
            code from your app or a recovery code.
          </DialogContentText>
          <SecondFactorField
            value={input}
            onChange={setInput}
            disabled={busy}
          />
          {error && (
            <Alert severity="error" style={{ marginTop: 16 }}>
              {errorMessage(error)}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="contained"
            color="secondary"
            disabled={busy || !input.value.trim()}
          >
            Turn off
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
