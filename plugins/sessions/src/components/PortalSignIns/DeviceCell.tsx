import { Session } from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import ComputerIcon from '@material-ui/icons/Computer';
import PhoneIcon from '@material-ui/icons/PhoneAndroid';
import TabletIcon from '@material-ui/icons/TabletAndroid';
import { StackedText } from '../SessionsTable/StackedText';

function DeviceIcon(props: { device: string | null }) {
  if (props.device?.endsWith('(mobile)')) return <PhoneIcon />;
  if (props.device?.endsWith('(tablet)')) return <TabletIcon />;
  return <ComputerIcon />;
}

/** A sign-in's browser and system, its address, and whether it is this one. */
export function DeviceCell(props: { signIn: Session; thisDevice: boolean }) {
  const { signIn, thisDevice } = props;
  return (
    <Box display="flex" alignItems="center" gridGap={12}>
      <DeviceIcon device={signIn.device} />
      <StackedText
        primary={
          <>
            {signIn.device ?? 'Unknown browser'}
            {thisDevice && (
              <Chip
                size="small"
                color="primary"
                label="This device"
                style={{ marginLeft: 8 }}
              />
            )}
          </>
        }
        secondary={[signIn.ipAddress ?? 'No IP address', signIn.location]
          .filter(Boolean)
          .join(' · ')}
      />
    </Box>
  );
}
