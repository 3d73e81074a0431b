import Button, { ButtonProps } from '@material-ui/core/Button';
import Checkbox, { CheckboxProps } from '@material-ui/core/Checkbox';
import { alpha, darken, makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => {
  // The light theme's pink (#f50057) reads 4.2:1 on white, under AA's
  // 4.5:1 for text; a darker shade of it does.
  const secondary =
    theme.palette.type === 'light'
      ? darken(theme.palette.secondary.main, 0.2)
      : theme.palette.secondary.main;
  return {
    // Where Material UI shows keyboard focus with a ripple, an outline.
    focusVisible: {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
    outlinedSecondary: {
      color: secondary,
      borderColor: alpha(secondary, 0.5),
    },
  };
});

/*
 * Rows of a live list mount while people tab through it. Material UI 4's
 * ButtonBase crashes the page ("Cannot read properties of null (reading
 * 'pulsate')") when it takes the keyboard focus before its ripple has
 * mounted, so these controls draw focus as an outline instead of a ripple.
 */

/** A button in a table row: no ripple, an outline on keyboard focus. */
export function RowButton(props: ButtonProps) {
  const classes = useStyles();
  return (
    <Button
      {...props}
      classes={{ outlinedSecondary: classes.outlinedSecondary }}
      disableRipple
      focusVisibleClassName={classes.focusVisible}
    />
  );
}

/** A checkbox in a table row: no ripple, an outline on keyboard focus. */
export function RowCheckbox(props: CheckboxProps) {
  const classes = useStyles();
  return (
    <Checkbox
      {...props}
      disableRipple
      focusVisibleClassName={classes.focusVisible}
    />
  );
}
