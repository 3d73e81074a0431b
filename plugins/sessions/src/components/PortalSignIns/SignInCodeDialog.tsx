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

/**
 * The code screen of a sign-in that waits for the person's authenticator
 * code: over everything else, which refuses this sign-in's token until the
 * code is given. It cannot be dismissed; signing out is the other way.
 */
export function SignInCodeDialog(props: {
  sid: string;
  codeDueAt?: string;
  /** The code was accepted: sign in again for tokens without the wait. */
  onPassed: () => void;
  onSignOut: () => void;
}) {
  const sessionsApi = useApi(sessionsApiRef);
  const [input, setInput] = useState(emptySecondFactor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const titleId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await sessionsApi.submitSignInCode(props.sid, toSecondFactor(input));
      props.onPassed();
    } catch (e) {
      setError(e as Error);
      setBusy(false);
    }
  };

  const due = props.codeDueAt
    ? new Date(props.codeDueAt).toLocaleTimeString()
    : undefined;
  return (
    <Dialog open aria-labelledby={titleId} maxWidth="xs" fullWidth>
      <form onSubmit={submit}>
        <DialogTitle id={titleId}>Finish signing in</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Enter the 6-digit code from your authenticator app.
            {due && ` Without it, this sign-in ends at ${due}.`}
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
          <Button onClick={props.onSignOut} disabled={busy}>
            Sign out
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
