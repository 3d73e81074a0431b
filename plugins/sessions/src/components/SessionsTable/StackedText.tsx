import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

/** A table cell's main value with a quieter detail line beneath it. */
export function StackedText(props: {
  primary: ReactNode;
  secondary?: ReactNode;
}) {
  // One block, so a flex parent keeps the two lines stacked.
  return (
    <div>
      <Typography variant="body2" component="div">
        {props.primary}
      </Typography>
      {props.secondary && (
        <Typography variant="caption" color="textSecondary" component="div">
          {props.secondary}
        </Typography>
      )}
    </div>
  );
}
