import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** One counter in the stats row; a labelled region so it can be found by name. */
export function StatCard(props: {
  label: string;
  value: string;
  description: string;
}) {
  return (
    <Box component="section" aria-label={props.label} height="100%">
      <InfoCard title={props.label}>
        <Typography variant="h3" component="p">
          {props.value}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {props.description}
        </Typography>
      </InfoCard>
    </Box>
  );
}
