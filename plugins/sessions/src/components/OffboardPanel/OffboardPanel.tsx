import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  OffboardPreview,
  OffboardResult,
} from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useId, useMemo, useState } from 'react';
import { sessionsApiRef } from '../../api';
import { useConfirmedAction } from '../../hooks/useConfirmedAction';
import { ConfirmEndDialog } from '../ConfirmEndDialog/ConfirmEndDialog';
import { errorMessage } from '../errorMessage';
import { LockedPeopleCard } from './LockedPeopleCard';
import { OffboardPreviewList } from './OffboardPreviewList';
import { OffboardResultList } from './OffboardResultList';
import { PeopleCard } from './PeopleCard';

/** Entity refs typed one per line, or separated by commas or spaces. */
const parseUserRefs = (text: string) => [
  ...new Set(text.split(/[\s,]+/).filter(Boolean)),
];

/**
 * The People view: find people and what they hold, pick leavers, see
 * everything they still hold, then cut it all and lock them against new
 * access in one confirmed step.
 */
export function OffboardPanel(props: { onChanged: () => void }) {
  const sessionsApi = useApi(sessionsApiRef);
  const fieldId = useId();
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<OffboardPreview[]>();
  const [previewError, setPreviewError] = useState<Error>();
  const [results, setResults] = useState<OffboardResult[]>();
  const [confirming, setConfirming] = useState(false);
  const [locksKey, setLocksKey] = useState(0);

  const showPreview = async (event: FormEvent) => {
    event.preventDefault();
    setPreviewError(undefined);
    setResults(undefined);
    try {
      setPreview(await sessionsApi.previewOffboarding(parseUserRefs(text)));
    } catch (e) {
      setPreview(undefined);
      setPreviewError(e as Error);
    }
  };

  const people = useMemo(
    () => preview?.map(item => item.userRef) ?? [],
    [preview],
  );
  const outside = useMemo(
    () =>
      preview?.filter(item => !item.mayOffboard).map(item => item.userRef) ??
      [],
    [preview],
  );
  const offboard = useConfirmedAction(
    confirming ? people : undefined,
    async list => {
      setResults(await sessionsApi.offboard(list));
      setPreview(undefined);
      setConfirming(false);
      setLocksKey(key => key + 1);
      props.onChanged();
    },
  );

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 24 }}>
      <PeopleCard
        reloadKey={locksKey}
        onPick={userRef =>
          setText(previous =>
            parseUserRefs(previous).includes(userRef)
              ? previous
              : [...parseUserRefs(previous), userRef].join('\n'),
          )
        }
      />
      <InfoCard title="Offboard people">
        <Box component="form" onSubmit={showPreview}>
          <TextField
            id={fieldId}
            fullWidth
            multiline
            minRows={2}
            variant="outlined"
            label="People to offboard (entity refs)"
            placeholder="user:default/jane.doe"
            value={text}
            onChange={event => setText(event.target.value)}
          />
          <Box mt={2}>
            <Button
              type="submit"
              variant="outlined"
              disabled={parseUserRefs(text).length === 0}
            >
              Preview
            </Button>
          </Box>
        </Box>
        {previewError && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            {errorMessage(previewError)}
          </Alert>
        )}
        {preview && (
          <Box mt={2}>
            <OffboardPreviewList preview={preview} />
            {outside.length > 0 && (
              <Alert severity="warning" style={{ marginBottom: 16 }}>
                You may not offboard {outside.join(', ')}: they are not among
                the people you manage. Remove them to go on.
              </Alert>
            )}
            <Button
              variant="contained"
              color="secondary"
              disabled={outside.length > 0}
              onClick={() => setConfirming(true)}
            >
              Offboard{' '}
              {people.length === 1 ? '1 person' : `${people.length} people`}
            </Button>
          </Box>
        )}
        {results && <OffboardResultList results={results} />}
      </InfoCard>
      <LockedPeopleCard reloadKey={locksKey} />
      <ConfirmEndDialog
        open={confirming}
        title="Offboard now?"
        description={`Every session of ${(offboard.shown ?? []).join(
          ', ',
        )} ends and every grant is revoked. They are locked: new sessions and grants are refused until an admin lifts the lock.`}
        warning="Any unsaved work in their sessions will be lost."
        confirmLabel="Offboard"
        busy={offboard.busy}
        error={offboard.error}
        onCancel={() => setConfirming(false)}
        onConfirm={offboard.confirm}
      />
    </Box>
  );
}
