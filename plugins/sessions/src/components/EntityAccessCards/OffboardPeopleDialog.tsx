import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { OffboardResult } from '@active-sessions/plugin-sessions-common';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { sessionsApiRef } from '../../api';
import { useConfirmedAction } from '../../hooks/useConfirmedAction';
import { ConfirmEndDialog } from '../ConfirmEndDialog/ConfirmEndDialog';
import { OffboardPreviewList } from '../OffboardPanel/OffboardPreviewList';
import { errorMessage } from '../errorMessage';

/**
 * Offboarding from a catalog page: shows what it would cut for each person
 * (as far as the viewer may see), then locks them and cuts it all in one
 * confirmed step. Open while `userRefs` is set.
 */
export function OffboardPeopleDialog(props: {
  userRefs?: string[];
  onClose: () => void;
  onOffboarded: (results: OffboardResult[]) => void;
}) {
  const { userRefs, onClose, onOffboarded } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const preview = useAsync(
    async () =>
      userRefs ? sessionsApi.previewOffboarding(userRefs) : undefined,
    [sessionsApi, userRefs],
  );
  const outside =
    preview.value?.filter(p => !p.mayOffboard).map(p => p.userRef) ?? [];
  const offboard = useConfirmedAction(userRefs, async people => {
    onOffboarded(await sessionsApi.offboard(people));
  });

  let details;
  if (preview.error) {
    details = (
      <Alert severity="error" style={{ marginBottom: 16 }}>
        Could not load what they hold: {errorMessage(preview.error)}
      </Alert>
    );
  } else if (!preview.value) {
    details = <Progress />;
  } else {
    details = (
      <>
        <OffboardPreviewList preview={preview.value} />
        {outside.length > 0 && (
          <Alert severity="warning" style={{ marginBottom: 16 }}>
            You may not offboard {outside.join(', ')}: they are not among the
            people you manage.
          </Alert>
        )}
      </>
    );
  }

  const people = offboard.shown ?? [];
  return (
    <ConfirmEndDialog
      open={Boolean(userRefs)}
      title={
        people.length === 1
          ? 'Offboard this person?'
          : `Offboard ${people.length} people?`
      }
      description="Every session they hold ends and every grant is revoked. They are locked: new sessions and grants are refused until an admin lifts the lock."
      details={details}
      warning="Any unsaved work in their sessions will be lost."
      confirmLabel="Offboard"
      busy={offboard.busy}
      confirmDisabled={!preview.value || outside.length > 0}
      error={offboard.error}
      onCancel={onClose}
      onConfirm={offboard.confirm}
    />
  );
}
