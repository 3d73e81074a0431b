import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { PersonSummary } from '@active-sessions/plugin-sessions-common';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import { useId, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { sessionsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';
import { PersonHoldingsDialog } from './PersonHoldingsDialog';
import { PLAIN_TABLE_OPTIONS } from '../tableOptions';
import { RefreshingBar } from '../RefreshingBar';

const SEARCH_DEBOUNCE_MS = 300;

/**
 * Everyone who holds access you may see, with their open sessions and
 * active grants; open a person to see what they hold, and pick people you
 * may offboard from here.
 */
export function PeopleCard(props: {
  reloadKey: number;
  onPick: (userRef: string) => void;
}) {
  const sessionsApi = useApi(sessionsApiRef);
  const searchId = useId();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [opened, setOpened] = useState<string>();
  useDebounce(() => setQuery(text.trim()), SEARCH_DEBOUNCE_MS, [text]);
  const people = useAsync(
    async () => ({
      query,
      people: await sessionsApi.listPeople(query || undefined),
    }),
    [sessionsApi, query, props.reloadKey],
  );
  // material-table writes bookkeeping into the row objects; give it copies.
  const rows = useMemo(
    () => people.value?.people.map(person => ({ ...person })),
    [people.value],
  );
  // Live updates reload often: only a new search shows the spinner.
  const searching = people.loading && people.value?.query !== query;

  let body;
  if (people.error) {
    body = (
      <ResponseErrorPanel
        title={`Could not load people: ${errorMessage(people.error)}`}
        error={people.error}
      />
    );
  } else if (!rows) {
    body = <Progress />;
  } else {
    body = (
      <RefreshingBar active={searching}>
        <Table<PersonSummary>
          data={rows}
          options={PLAIN_TABLE_OPTIONS}
          columns={[
            { title: 'Person', field: 'userRef' },
            { title: 'Open sessions', field: 'openSessions' },
            { title: 'Active grants', field: 'activeGrants' },
            {
              title: '',
              align: 'right',
              render: person => (
                <>
                  <Button
                    size="small"
                    aria-label={`Open ${person.userRef}`}
                    onClick={() => setOpened(person.userRef)}
                  >
                    Open
                  </Button>{' '}
                  {person.mayOffboard ? (
                    <Button
                      size="small"
                      variant="outlined"
                      aria-label={`Add ${person.userRef} to offboarding`}
                      onClick={() => props.onPick(person.userRef)}
                    >
                      Add
                    </Button>
                  ) : (
                    <Tooltip title="Not among the people you may offboard">
                      <span>
                        <Button size="small" variant="outlined" disabled>
                          Add
                        </Button>
                      </span>
                    </Tooltip>
                  )}
                </>
              ),
            },
          ]}
          emptyContent={<div style={{ padding: 16 }}>Nobody matches.</div>}
        />
      </RefreshingBar>
    );
  }
  return (
    <InfoCard title="People">
      <TextField
        id={searchId}
        fullWidth
        variant="outlined"
        margin="dense"
        label="Search people"
        placeholder="Name or entity ref"
        value={text}
        onChange={event => setText(event.target.value)}
      />
      {body}
      <PersonHoldingsDialog
        userRef={opened}
        onClose={() => setOpened(undefined)}
      />
    </InfoCard>
  );
}
