import { useApi } from '@backstage/core-plugin-api';
import { sessionsApiRef } from '../../api';
import { SecondFactorDialog } from '../SecondFactorField/SecondFactorDialog';

/** Turning two-factor authentication off takes a code or a recovery code. */
export function TurnOffDialog(props: {
  open: boolean;
  onClose: () => void;
  onTurnedOff: () => void;
}) {
  const sessionsApi = useApi(sessionsApiRef);
  return (
    <SecondFactorDialog
      open={props.open}
      title="Turn off two-factor authentication?"
      message="Critical actions will ask you to set it up again. Confirm with a code from your app or a recovery code."
      submitLabel="Turn off"
      submitColor="secondary"
      cancelLabel="Cancel"
      onCancel={props.onClose}
      onSubmit={async factor => {
        await sessionsApi.disableMfa(factor);
        props.onTurnedOff();
      }}
    />
  );
}
