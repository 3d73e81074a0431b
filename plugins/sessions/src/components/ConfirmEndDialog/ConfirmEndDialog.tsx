import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useId } from 'react';
import { errorMessage } from '../errorMessage';

/**
 * The confirmation every "end" action goes through: what will end, the
 * data-loss warning, and a failure shown in place so the person can retry or
 * cancel.
 */
export function ConfirmEndDialog(props: {
  open: boolean;
  title: string;
  /** What exactly will end. */
  description: ReactNode;
  /** More about what will end, below the description, such as a list. */
  details?: ReactNode;
  warning: string;
  confirmLabel: string;
  busy: boolean;
  /** The action cannot go ahead yet, such as while what it cuts loads. */
  confirmDisabled?: boolean;
  error?: Error;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const titleId = useId();
  const descriptionId = useId();
  return (
    <Dialog
      open={props.open}
      onClose={props.busy ? undefined : props.onCancel}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={titleId}>{props.title}</DialogTitle>
      <DialogContent>
        <DialogContentText id={descriptionId}>
          {props.description}
        </DialogContentText>
        {props.details}
        <Alert severity="warning">{props.warning}</Alert>
        {props.error && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            {errorMessage(props.error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </Button>
        <Button
          variant="contained"
          color="secondary"
          onClick={props.onConfirm}
          disabled={props.busy || props.confirmDisabled}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
