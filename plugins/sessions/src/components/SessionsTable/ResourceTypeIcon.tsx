import { ResourceType } from '@active-sessions/plugin-sessions-common';
import { SvgIconProps } from '@material-ui/core/SvgIcon';
import AccountCircleIcon from '@material-ui/icons/AccountCircle';
import CodeIcon from '@material-ui/icons/Code';
import DesktopWindowsIcon from '@material-ui/icons/DesktopWindows';
import LanguageIcon from '@material-ui/icons/Language';
import { ComponentType } from 'react';

// ssh is a terminal, rdp a remote desktop, web a site, portal a sign-in.
const ICONS: Record<ResourceType, ComponentType<SvgIconProps>> = {
  ssh: CodeIcon,
  rdp: DesktopWindowsIcon,
  web: LanguageIcon,
  portal: AccountCircleIcon,
};

/** The icon for a kind of resource; decorative, the type is also written. */
export function ResourceTypeIcon(props: {
  type: ResourceType;
  fontSize?: SvgIconProps['fontSize'];
}) {
  const Icon = ICONS[props.type] ?? LanguageIcon;
  return (
    <Icon
      fontSize={props.fontSize}
      aria-hidden
      data-resource-type={props.type}
    />
  );
}
