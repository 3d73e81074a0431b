import { useApi } from '@backstage/core-plugin-api';
import { MfaEnrolment } from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import QRCode from 'qrcode';
import { FormEvent, useEffect, useId, useState } from 'react';
import { sessionsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';

/**
 * The second step of enrolment: scan the QR code (or type the key) into an
 * authenticator app, then prove it works with a first code.
 */
export function EnrolmentPanel(props: {
  enrolment: MfaEnrolment;
  onActivated: (recoveryCodes: string[]) => void;
  onCancel: () => void;
}) {
  const { enrolment, onActivated, onCancel } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const [qr, setQr] = useState<string>();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const codeId = useId();

  useEffect(() => {
    let current = true;
    QRCode.toDataURL(enrolment.otpauthUri, { margin: 1, width: 200 }).then(
      url => current && setQr(url),
      () => current && setQr(undefined),
    );
    return () => {
      current = false;
    };
  }, [enrolment.otpauthUri]);

  const activate = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { recoveryCodes } = await sessionsApi.activateMfa(code.trim());
      onActivated(recoveryCodes);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="form" onSubmit={activate}>
      <Typography variant="body1" paragraph>
        Scan this QR code with your authenticator app (Google Authenticator,
        1Password, Authy, …), then enter the 6-digit code it shows.
      </Typography>
      <Box display="flex" alignItems="center" style={{ gap: 24 }}>
        {qr && (
          <img
            src={qr}
            width={200}
            height={200}
            alt="QR code for your authenticator app"
          />
        )}
        <Box>
          <Typography variant="caption" color="textSecondary">
            Or enter this key by hand
          </Typography>
          <Typography
            variant="body1"
            aria-label="Secret key"
            style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
          >
            {enrolment.secret}
          </Typography>
        </Box>
      </Box>
      <Box display="flex" alignItems="center" mt={2} style={{ gap: 8 }}>
        <TextField
          id={codeId}
          variant="outlined"
          margin="dense"
          label="Code from the app"
          value={code}
          disabled={busy}
          onChange={event => setCode(event.target.value)}
          inputProps={{
            inputMode: 'numeric',
            autoComplete: 'one-time-code',
            maxLength: 6,
          }}
        />
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={busy || !code.trim()}
        >
          Activate
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </Box>
      {error && (
        <Alert severity="error" style={{ marginTop: 16 }}>
          {errorMessage(error)}
        </Alert>
      )}
    </Box>
  );
}
