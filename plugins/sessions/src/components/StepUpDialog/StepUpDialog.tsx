import { useApi } from '@backstage/core-plugin-api';
import { sessionsApiRef, stepUpApiRef } from '../../api';
import { useStepUpRequest } from '../../hooks/useStepUpRequest';
import { SecondFactorDialog } from '../SecondFactorField/SecondFactorDialog';

/**
 * Opens by itself when an action needs a fresh second-factor check: the
 * person types their code, and the action that asked goes ahead.
 */
export function StepUpDialog() {
  const request = useStepUpRequest();
  const broker = useApi(stepUpApiRef);
  const sessionsApi = useApi(sessionsApiRef);
  return (
    <SecondFactorDialog
      open={Boolean(request)}
      title="Confirm it's you"
      message={request?.message}
      submitLabel="Verify"
      cancelLabel="Cancel"
      onCancel={() => broker.cancel()}
      onSubmit={async factor =>
        broker.complete(await sessionsApi.verifyStepUp(factor))
      }
      // Every new request starts with an empty field.
      resetKey={request}
    />
  );
}
