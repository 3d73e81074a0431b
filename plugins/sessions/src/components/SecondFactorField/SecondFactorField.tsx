import { SecondFactorBody } from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import TextField from '@material-ui/core/TextField';
import { useId } from 'react';

/** What the person typed: an app code, or a recovery code instead. */
export interface SecondFactorInput {
  useRecoveryCode: boolean;
  value: string;
}

export const emptySecondFactor: SecondFactorInput = {
  useRecoveryCode: false,
  value: '',
};

export const toSecondFactor = (input: SecondFactorInput): SecondFactorBody =>
  input.useRecoveryCode
    ? { recoveryCode: input.value.trim() }
    : { code: input.value.trim() };

/**
 * The code field of every second-factor check, with a switch to a
 * recovery code for people without their phone.
 */
export function SecondFactorField(props: {
  value: SecondFactorInput;
  onChange: (value: SecondFactorInput) => void;
  disabled?: boolean;
}) {
  const { value, onChange, disabled } = props;
  const id = useId();
  return (
    <Box>
      <TextField
        id={id}
        fullWidth
        variant="outlined"
        margin="dense"
        disabled={disabled}
        label={value.useRecoveryCode ? 'Recovery code' : 'Authenticator code'}
        placeholder={value.useRecoveryCode ? 'XXXX-XXXX-XXXX' : '123456'}
        value={value.value}
        onChange={event => onChange({ ...value, value: event.target.value })}
        inputProps={
          value.useRecoveryCode
            ? { autoComplete: 'off' }
            : {
                inputMode: 'numeric',
                autoComplete: 'one-time-code',
                maxLength: 6,
              }
        }
      />
      <Link
        component="button"
        type="button"
        variant="body2"
        onClick={() =>
          onChange({ useRecoveryCode: !value.useRecoveryCode, value: '' })
        }
      >
        {value.useRecoveryCode
          ? 'Use your authenticator app instead'
          : 'Use a recovery code instead'}
      </Link>
    </Box>
  );
}
