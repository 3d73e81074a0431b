import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { sessionsApiRef } from '../../api';
import { limitsText } from './limitsText';

/** The concurrent session limit that applies, when the portal sets one. */
export function SessionLimitsNote() {
  const sessionsApi = useApi(sessionsApiRef);
  const { value } = useAsync(() => sessionsApi.getSettings(), [sessionsApi]);
  const text = value && limitsText(value.limits);
  if (!text) return null;
  return (
    <Typography variant="body2" color="textSecondary" style={{ marginTop: 12 }}>
      {text}
    </Typography>
  );
}
