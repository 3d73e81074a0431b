import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { ListSessionsRequest, Session } from '@internal/plugin-sessions-common';
import { useMemo, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { useSessionList } from '../../hooks/useSessionList';
import { EndSessionDialog } from '../EndSessionDialog/EndSessionDialog';
import { errorMessage } from '../errorMessage';
import { LoadMoreFooter } from '../LoadMoreFooter/LoadMoreFooter';
import { SessionFilterValues, SessionFilters } from './SessionFilters';
import { sessionColumns } from './sessionColumns';
import { SessionListView } from './sessionListViews';

/** How long typing pauses before the search goes to the backend. */
const SEARCH_DEBOUNCE_MS = 300;
const PAGE_SIZE = 25;

/**
 * A searchable, keyset-paged table of the person's sessions for one view
 * (open sessions or history), with the End action on open ones.
 */
export function SessionsTable(props: {
  view: SessionListView;
  /** Changes whenever the page asks every list to load again. */
  reloadKey: number;
  /** Called after this table ended a session, so the page can refresh. */
  onSessionsChanged: () => void;
}) {
  const { view, reloadKey, onSessionsChanged } = props;
  const [filters, setFilters] = useState<SessionFilterValues>({
    searchText: '',
  });
  const [searchQuery, setSearchQuery] = useState('');
  useDebounce(
    () => setSearchQuery(filters.searchText.trim()),
    SEARCH_DEBOUNCE_MS,
    [filters.searchText],
  );

  const request = useMemo<ListSessionsRequest>(
    () => ({
      ...view.request,
      q: searchQuery || undefined,
      type: filters.type ? [filters.type] : undefined,
      flagged: filters.flagged || undefined,
      limit: PAGE_SIZE,
    }),
    [view.request, searchQuery, filters.type, filters.flagged],
  );
  const list = useSessionList(request, reloadKey);

  const [sessionToEnd, setSessionToEnd] = useState<Session>();
  const columns = useMemo(
    () => sessionColumns({ mode: view.mode, onEnd: setSessionToEnd }),
    [view.mode],
  );
  // material-table writes bookkeeping into the row objects; give it copies.
  const rows = useMemo(
    () => list.sessions.map(session => ({ ...session })),
    [list.sessions],
  );

  const filtered = Boolean(request.q || request.type);

  let body;
  if (list.error) {
    body = (
      <ResponseErrorPanel
        title={`Could not load your sessions: ${errorMessage(list.error)}`}
        error={list.error}
      />
    );
  } else if (!list.loaded) {
    body = <Progress />;
  } else {
    body = (
      <Table<Session>
        columns={columns}
        data={rows}
        isLoading={list.loading}
        options={{
          toolbar: false,
          paging: false,
          search: false,
          sorting: false,
          draggable: false,
          padding: 'dense',
        }}
        emptyContent={
          filtered ? (
            <EmptyState
              missing="data"
              title="No sessions match"
              description="Try another search or resource type."
            />
          ) : (
            <EmptyState
              missing="data"
              title={view.emptyTitle}
              description={view.emptyDescription}
            />
          )
        }
      />
    );
  }

  return (
    <>
      <SessionFilters value={filters} onChange={setFilters} />
      {body}
      <LoadMoreFooter noun="sessions" list={list} />
      <EndSessionDialog
        session={sessionToEnd}
        onClose={() => setSessionToEnd(undefined)}
        onEnded={() => {
          setSessionToEnd(undefined);
          onSessionsChanged();
        }}
      />
    </>
  );
}
