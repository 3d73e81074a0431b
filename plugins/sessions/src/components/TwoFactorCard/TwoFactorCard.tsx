import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { MfaEnrolment } from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sessionsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';
import { EnrolmentPanel } from './EnrolmentPanel';
import { RecoveryCodesPanel } from './RecoveryCodesPanel';
import { TurnOffDialog } from './TurnOffDialog';
import { stepUpActionLabel } from './stepUpActionLabel';

/**
 * The person's second factor for critical actions: set it up with a QR
 * code, keep the recovery codes, or turn it off.
 */
export function TwoFactorCard() {
  const sessionsApi = useApi(sessionsApiRef);
  const status = useAsyncRetry(() => sessionsApi.getMfaStatus(), [sessionsApi]);
  const [enrolment, setEnrolment] = useState<MfaEnrolment>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<Error>();
  const [turningOff, setTurningOff] = useState(false);

  const start = async () => {
    setStarting(true);
    setStartError(undefined);
    try {
      setEnrolment(await sessionsApi.startMfaEnrolment());
    } catch (e) {
      setStartError(e as Error);
    } finally {
      setStarting(false);
    }
  };

  let body;
  if (status.error) {
    body = (
      <ResponseErrorPanel
        title={`Could not load your two-factor settings: ${errorMessage(status.error)}`}
        error={status.error}
      />
    );
  } else if (!status.value) {
    body = <Progress />;
  } else if (recoveryCodes) {
    body = (
      <RecoveryCodesPanel
        codes={recoveryCodes}
        onDone={() => {
          setRecoveryCodes(undefined);
          status.retry();
        }}
      />
    );
  } else if (enrolment) {
    body = (
      <EnrolmentPanel
        enrolment={enrolment}
        onActivated={codes => {
          setEnrolment(undefined);
          setRecoveryCodes(codes);
        }}
        onCancel={() => setEnrolment(undefined)}
      />
    );
  } else if (!status.value.available) {
    body = (
      <Alert severity="info">
        Two-factor authentication is not configured on this portal: an
        administrator must set sessions.mfa.encryptionKey.
      </Alert>
    );
  } else {
    const { enrolled, recoveryCodesLeft, lockedUntil, stepUp } = status.value;
    body = (
      <Box>
        <Typography variant="body1" paragraph>
          {enrolled
            ? `Two-factor authentication is on. ${recoveryCodesLeft} of 10 recovery codes left.`
            : 'Two-factor authentication is off.'}
        </Typography>
        {stepUp.enabled && (
          <Typography variant="body2" color="textSecondary" paragraph>
            This portal asks for a code from your app before you{' '}
            {stepUp.actions.map(stepUpActionLabel).join(', ')}; a confirmed code
            counts for {Math.round(stepUp.maxAgeSeconds / 60)} minutes.
          </Typography>
        )}
        {lockedUntil && (
          <Alert severity="error" style={{ marginBottom: 16 }}>
            Too many wrong codes: locked until{' '}
            {new Date(lockedUntil).toLocaleTimeString()}.
          </Alert>
        )}
        {enrolled ? (
          <Button variant="outlined" onClick={() => setTurningOff(true)}>
            Turn off
          </Button>
        ) : (
          <Button
            variant="contained"
            color="primary"
            onClick={start}
            disabled={starting}
          >
            Set up two-factor authentication
          </Button>
        )}
        {startError && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            {errorMessage(startError)}
          </Alert>
        )}
      </Box>
    );
  }

  return (
    <InfoCard title="Two-factor authentication">
      {body}
      <TurnOffDialog
        open={turningOff}
        onClose={() => setTurningOff(false)}
        onTurnedOff={() => {
          setTurningOff(false);
          status.retry();
        }}
      />
    </InfoCard>
  );
}
