import { useApi } from '@backstage/core-plugin-api';
import { sessionsApiRef } from '../../api';
import { SecondFactorDialog } from '../SecondFactorField/SecondFactorDialog';

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
  const due = props.codeDueAt
    ? new Date(props.codeDueAt).toLocaleTimeString()
    : undefined;
  return (
    <SecondFactorDialog
      open
      dismissable={false}
      title="Finish signing in"
      message={`Enter the 6-digit code from your authenticator app.${
        due ? ` Without it, this sign-in ends at ${due}.` : ''
      }`}
      submitLabel="Verify"
      cancelLabel="Sign out"
      onCancel={props.onSignOut}
      onSubmit={async factor => {
        await sessionsApi.submitSignInCode(props.sid, factor);
        props.onPassed();
      }}
    />
  );
}
