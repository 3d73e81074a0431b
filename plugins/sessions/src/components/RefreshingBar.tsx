import LinearProgress from '@material-ui/core/LinearProgress';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';

const useStyles = makeStyles({
  frame: { position: 'relative' },
  bar: { position: 'absolute', top: 0, left: 0, right: 0, zIndex: 12 },
});

/**
 * A table that stays readable while it reloads, with a thin named progress
 * bar over its top edge. Backstage's Table, given `isLoading`, swaps the
 * rows for a large unnamed spinner (axe: aria-progressbar-name): a screen
 * reader announces nothing, and every background refresh blanks the list.
 */
export function RefreshingBar(props: { active: boolean; children: ReactNode }) {
  const classes = useStyles();
  return (
    <div className={classes.frame} aria-busy={props.active}>
      {props.active && (
        <LinearProgress
          className={classes.bar}
          aria-label="Refreshing the list"
        />
      )}
      {props.children}
    </div>
  );
}
