import { Theme, darken } from '@material-ui/core/styles';

/**
 * A status colour (`theme.palette.status.*`) dark enough to read as text:
 * Backstage's light theme's green and amber are for borders and icons and
 * reach 2.2–2.6:1 on white, under WCAG AA's 4.5:1 for text.
 */
export function statusTextColor(theme: Theme, color: string): string {
  return theme.palette.type === 'light' ? darken(color, 0.45) : color;
}
