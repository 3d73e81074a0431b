import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useEffect, useId, useState } from 'react';
import { sessionsApiRef, stepUpApiRef } from '../../api';
import { useStepUpRequest } from '../../hooks/useStepUpRequest';
import { errorMessage } from '../errorMessage';
import {
  SecondFactorField,
  emptySecondFactor,
  toSecondFactor,
} from '../SecondFactorField/SecondFactorField';

/**
 * Opens by itself when an action needs a fresh second-factor check: the
 * person types their code, and the action that asked goes ahead.
 */
export function StepUpDialog() {
  const request = useStepUpRequest();
  const broker = useApi(stepUpApiRef);
  const sessionsApi = useApi(sessionsApiRef);
  const [input, setInput] = useState(emptySecondFactor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const titleId = useId();

  // Every new request starts with an empty field.
  useEffect(() => {
    setInput(emptySecondFactor);
    setError(undefined);
  }, [request]);

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      broker.complete(await sessionsApi.verifyStepUp(toSecondFactor(input)));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={Boolean(request)}
      onClose={busy ? undefined : () => broker.cancel()}
      aria-labelledby={titleId}
      maxWidth="xs"
      fullWidth
    >
      <form onSubmit={verify}>
        <DialogTitle id={titleId}>Confirm it's you</DialogTitle>
        <DialogContent>
          <DialogContentText>{request?.message}</DialogContentText>
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
          <Button onClick={() => broker.cancel()} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={busy || !input.value.trim()}
          >
            Verify
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
