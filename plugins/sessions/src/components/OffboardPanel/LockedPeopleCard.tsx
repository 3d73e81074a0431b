import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sessionsApiRef } from '../../api';
import { formatInstant } from '../SessionsTable/formatInstant';
import { errorMessage } from '../errorMessage';

/** People offboarding locked, and lifting a lock. */
export function LockedPeopleCard(props: { reloadKey: number }) {
  const sessionsApi = useApi(sessionsApiRef);
  const locks = useAsyncRetry(
    () => sessionsApi.listLocks(),
    [sessionsApi, props.reloadKey],
  );
  const [unlockError, setUnlockError] = useState<Error>();

  const lift = async (userRef: string) => {
    setUnlockError(undefined);
    try {
      await sessionsApi.unlock(userRef);
      locks.retry();
    } catch (e) {
      setUnlockError(e as Error);
    }
  };

  let body;
  if (locks.error) {
    body = (
      <ResponseErrorPanel
        title={`Could not load the locks: ${errorMessage(locks.error)}`}
        error={locks.error}
      />
    );
  } else if (!locks.value) {
    body = <Progress />;
  } else if (locks.value.length === 0) {
    body = <Typography variant="body2">Nobody is locked.</Typography>;
  } else {
    body = (
      <Box component="ul" aria-label="Locked people" pl={0}>
        {locks.value.map(lock => (
          <Box
            component="li"
            key={lock.userRef}
            display="flex"
            alignItems="center"
            justifyContent="space-between"
            py={1}
            style={{ listStyle: 'none' }}
          >
            <Typography variant="body2">
              <strong>{lock.userRef}</strong> · locked by {lock.lockedBy} on{' '}
              {formatInstant(lock.lockedAt)}
            </Typography>
            <Button
              size="small"
              variant="outlined"
              aria-label={`Lift lock on ${lock.userRef}`}
              onClick={() => lift(lock.userRef)}
            >
              Lift lock
            </Button>
          </Box>
        ))}
      </Box>
    );
  }
  return (
    <InfoCard title="Locked people">
      {body}
      {unlockError && (
        <Alert severity="error" style={{ marginTop: 16 }}>
          {errorMessage(unlockError)}
        </Alert>
      )}
    </InfoCard>
  );
}
