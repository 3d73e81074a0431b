import { OffboardPreview } from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { grantKindLabel } from '../GrantsTable/grantKindLabel';

const plural = (count: number, noun: string) =>
  `${count} ${noun}${count === 1 ? '' : 's'}`;

/** Per person: their open sessions by resource and active grants by kind. */
export function OffboardPreviewList(props: { preview: OffboardPreview[] }) {
  return (
    <Box component="ul" aria-label="What offboarding cuts" pl={0} mb={2}>
      {props.preview.map(person => {
        const sessions = person.sessions.reduce((n, s) => n + s.count, 0);
        const grants = person.grants.reduce((n, g) => n + g.count, 0);
        return (
          <Box
            component="li"
            key={person.userRef}
            mb={1}
            style={{ listStyle: 'none' }}
          >
            <Typography variant="subtitle1">
              <strong>{person.userRef}</strong>
              {person.locked && ' · already locked'}
              {!person.mayOffboard && ' · not yours to offboard'}
            </Typography>
            <Typography variant="body2">
              {plural(sessions, 'session')}
              {person.sessions.length > 0 &&
                ` (${person.sessions
                  .map(s => `${s.resourceName} × ${s.count}`)
                  .join(', ')})`}
              {' · '}
              {plural(grants, 'grant')}
              {person.grants.length > 0 &&
                ` (${person.grants
                  .map(g => `${grantKindLabel(g.kind)} × ${g.count}`)
                  .join(', ')})`}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
}
