import { SecondFactorBody } from '@active-sessions/plugin-sessions-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, ReactNode, useEffect, useId, useState } from 'react';
import { errorMessage } from '../errorMessage';
import {
  SecondFactorField,
  emptySecondFactor,
  toSecondFactor,
} from './SecondFactorField';

/**
 * A dialog that asks for a code from the person's app (or a recovery
 * code) and hands it to `onSubmit`; what that throws is shown in it. Step-up,
 * turning two-factor off and the sign-in code screen are all this dialog.
 */
export function SecondFactorDialog(props: {
  open: boolean;
  title: string;
  message: ReactNode;
  submitLabel: string;
  /** `secondary` for an action that lowers protection. */
  submitColor?: 'primary' | 'secondary';
  cancelLabel: string;
  onCancel: () => void;
  /** Escape and a click beside it cancel too; false: only the button. */
  dismissable?: boolean;
  onSubmit: (factor: SecondFactorBody) => Promise<void>;
  /** The field starts empty again whenever this changes. */
  resetKey?: unknown;
}) {
  const { open, onCancel, onSubmit, resetKey, dismissable = true } = props;
  const [input, setInput] = useState(emptySecondFactor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const titleId = useId();

  useEffect(() => {
    setInput(emptySecondFactor);
    setError(undefined);
  }, [resetKey]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(toSecondFactor(input));
      setInput(emptySecondFactor);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={busy || !dismissable ? undefined : onCancel}
      aria-labelledby={titleId}
      maxWidth="xs"
      fullWidth
    >
      <form onSubmit={submit}>
        <DialogTitle id={titleId}>{props.title}</DialogTitle>
        <DialogContent>
          <DialogContentText>{props.message}</DialogContentText>
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
          <Button onClick={onCancel} disabled={busy}>
            {props.cancelLabel}
          </Button>
          <Button
            type="submit"
            variant="contained"
            color={props.submitColor ?? 'primary'}
            disabled={busy || !input.value.trim()}
          >
            {props.submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
