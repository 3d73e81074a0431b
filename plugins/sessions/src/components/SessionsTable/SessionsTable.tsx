import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  ListSessionsRequest,
  Session,
  SessionSortField,
} from '@active-sessions/plugin-sessions-common';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useDebounce from 'react-use/esm/useDebounce';
import { useCurrentUserRef } from '../../hooks/useCurrentUserRef';
import { useSessionList } from '../../hooks/useSessionList';
import { useThisSignIn } from '../../hooks/useThisSignIn';
import { EndSessionDialog } from '../EndSessionDialog/EndSessionDialog';
import { ReportSessionDialog } from '../ReportSessionDialog/ReportSessionDialog';
import { errorMessage } from '../errorMessage';
import { LoadMoreFooter } from '../LoadMoreFooter/LoadMoreFooter';
import { SortableTable } from '../SortableTable/SortableTable';
import { useSortInAddress } from '../SortableTable/useSortInAddress';
import { PLAIN_TABLE_OPTIONS } from '../tableOptions';
import { SessionFilterValues, SessionFilters } from './SessionFilters';
import { endedRange } from './endedRange';

/** A `YYYY-MM-DD` day from the address, or nothing. */
const dayParam = (value: string | null) =>
  value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
import { sessionColumns } from './sessionColumns';
import { SessionListView } from './sessionListViews';

/** How long typing pauses before the search goes to the backend. */
const SEARCH_DEBOUNCE_MS = 300;
const PAGE_SIZE = 25;

/**
 * A searchable, keyset-paged table of the person's sessions for one view
 * (open sessions or history), sorted by the backend by the column clicked
 * (kept in the address, like the switches), with the End action on open
 * ones and "Not me" on their own.
 */
export function SessionsTable(props: {
  view: SessionListView;
  /** Changes whenever the page asks every list to load again. */
  reloadKey: number;
  /** Called after this table ended a session, so the page can refresh. */
  onSessionsChanged: () => void;
  /** The policy lets the caller read others' sessions: offer them too. */
  seesOthers?: boolean;
}) {
  const { view, reloadKey, onSessionsChanged, seesOthers } = props;
  // The switches live in the address too: the flagged-session notification
  // links to `?flagged=true`, the reported-session one (to security) to
  // `history?reported=true&all=true`, and a copied address opens the same.
  const [searchParams, setSearchParams] = useSearchParams();
  const [filters, setFilters] = useState<SessionFilterValues>(() => ({
    searchText: '',
    flagged: searchParams.get('flagged') === 'true' || undefined,
    reported: searchParams.get('reported') === 'true' || undefined,
    // What the policy lets the caller read: only their own without more.
    everyone: searchParams.get('all') === 'true' || undefined,
    endedFromDay: dayParam(searchParams.get('from')),
    endedUntilDay: dayParam(searchParams.get('to')),
  }));
  useEffect(() => {
    setSearchParams(
      params => {
        const next = new URLSearchParams(params);
        const flags = {
          flagged: filters.flagged,
          reported: filters.reported,
          all: filters.everyone,
        };
        for (const [name, on] of Object.entries(flags)) {
          if (on) next.set(name, 'true');
          else next.delete(name);
        }
        const days = { from: filters.endedFromDay, to: filters.endedUntilDay };
        for (const [name, day] of Object.entries(days)) {
          if (day) next.set(name, day);
          else next.delete(name);
        }
        return next;
      },
      { replace: true },
    );
  }, [
    filters.flagged,
    filters.reported,
    filters.everyone,
    filters.endedFromDay,
    filters.endedUntilDay,
    setSearchParams,
  ]);
  // The backend sorts, so Load more goes on in the same order.
  const [sort, setSort] = useSortInAddress(view.sort);
  const [searchQuery, setSearchQuery] = useState('');
  useDebounce(
    () => setSearchQuery(filters.searchText.trim()),
    SEARCH_DEBOUNCE_MS,
    [filters.searchText],
  );

  const request = useMemo<ListSessionsRequest>(
    () => ({
      ...view.request,
      sort: sort.field,
      order: sort.order,
      q: searchQuery || undefined,
      type: filters.type ? [filters.type] : undefined,
      flagged: filters.flagged || undefined,
      reported: filters.reported || undefined,
      all: filters.everyone || undefined,
      ...(view.mode === 'history'
        ? endedRange({
            from: filters.endedFromDay,
            until: filters.endedUntilDay,
          })
        : {}),
      limit: PAGE_SIZE,
    }),
    [
      view.request,
      view.mode,
      sort,
      searchQuery,
      filters.type,
      filters.flagged,
      filters.reported,
      filters.everyone,
      filters.endedFromDay,
      filters.endedUntilDay,
    ],
  );
  const list = useSessionList(request, reloadKey);

  const [sessionToEnd, setSessionToEnd] = useState<Session>();
  const [sessionToReport, setSessionToReport] = useState<Session>();
  const me = useCurrentUserRef();
  const thisSignIn = useThisSignIn();
  const columns = useMemo(
    () =>
      sessionColumns({
        mode: view.mode,
        showPerson: Boolean(filters.everyone),
        onEnd: setSessionToEnd,
        me,
        thisSignIn,
        onReport: setSessionToReport,
      }),
    [view.mode, filters.everyone, me, thisSignIn],
  );
  // material-table writes bookkeeping into the row objects; give it copies.
  const rows = useMemo(
    () => list.sessions.map(session => ({ ...session })),
    [list.sessions],
  );

  const filtered = Boolean(
    request.q ||
    request.type ||
    request.flagged ||
    request.reported ||
    request.endedFrom ||
    request.endedBefore,
  );

  let body;
  if (list.error) {
    body = (
      <ResponseErrorPanel
        title={`Could not load ${filters.everyone ? 'the' : 'your'} sessions: ${errorMessage(list.error)}`}
        error={list.error}
      />
    );
  } else if (!list.loaded) {
    body = <Progress />;
  } else {
    body = (
      <SortableTable<Session, SessionSortField>
        columns={columns}
        data={rows}
        isLoading={list.loading}
        options={PLAIN_TABLE_OPTIONS}
        spec={view.sort}
        sort={sort}
        onSortChange={setSort}
        emptyContent={
          filtered ? (
            <EmptyState
              missing="data"
              title="No sessions match"
              description="Try another search, resource type or filter."
            />
          ) : (
            <EmptyState
              missing="data"
              title={view.emptyTitle}
              description={
                filters.everyone
                  ? 'Nobody whose sessions you may see has any here.'
                  : view.emptyDescription
              }
            />
          )
        }
      />
    );
  }

  return (
    <>
      <SessionFilters
        value={filters}
        onChange={setFilters}
        seesOthers={seesOthers}
        endedDays={view.mode === 'history'}
      />
      {body}
      <LoadMoreFooter noun="sessions" list={list} />
      <EndSessionDialog
        session={sessionToEnd}
        onClose={() => setSessionToEnd(undefined)}
        onEnded={ended => {
          setSessionToEnd(undefined);
          // Shown terminating at once, so the row stays until its cut is
          // confirmed even when the connector acknowledges before the reload.
          list.replaceItems([ended]);
          onSessionsChanged();
        }}
      />
      <ReportSessionDialog
        session={sessionToReport}
        onClose={() => setSessionToReport(undefined)}
        onReported={reported => {
          setSessionToReport(undefined);
          list.replaceItems([reported]);
          onSessionsChanged();
        }}
      />
    </>
  );
}
