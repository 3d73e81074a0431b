import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ConnectorStatus } from '@active-sessions/plugin-sessions-common';
import { useEffect, useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sessionsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';
import { StackedText } from '../SessionsTable/StackedText';
import { formatInstant } from '../SessionsTable/formatInstant';
import { ConnectorStatusChip } from './ConnectorStatusChip';
import { PLAIN_TABLE_OPTIONS } from '../tableOptions';
import { SortableTable } from '../SortableTable/SortableTable';
import {
  BrowserSortField,
  useBrowserSort,
} from '../SortableTable/useBrowserSort';

/** Connectors poll every ~25 s; look again as often. */
const REFRESH_MS = 15_000;

const instant = (iso: string | null) => (iso ? Date.parse(iso) : null);

/**
 * The backend answers every connector at once, so the browser sorts them:
 * by title, status (online, offline, never connected), when each last read
 * its orders (never before any time) and how many orders wait.
 */
const SORT_FIELDS: Record<
  'title' | 'status' | 'lastPollAt' | 'pendingOrders',
  BrowserSortField<ConnectorStatus>
> = {
  title: { first: 'asc', value: connector => connector.title },
  status: {
    first: 'desc',
    value: connector => {
      if (connector.online) return 2;
      return connector.lastPollAt ? 1 : 0;
    },
  },
  lastPollAt: {
    first: 'desc',
    value: connector => instant(connector.lastPollAt),
  },
  pendingOrders: { first: 'desc', value: connector => connector.pendingOrders },
};

/** A column's field names its sort in SORT_FIELDS (SortableTable). */
const columns: TableColumn<ConnectorStatus>[] = [
  {
    title: 'Connector',
    field: 'title',
    render: connector => (
      <StackedText
        primary={<strong>{connector.title}</strong>}
        secondary={
          connector.configured
            ? connector.id
            : `${connector.id} · not declared: its calls are refused`
        }
      />
    ),
  },
  {
    title: 'Status',
    field: 'status',
    width: '150px',
    render: connector => <ConnectorStatusChip connector={connector} />,
  },
  {
    title: 'Last read its orders',
    field: 'lastPollAt',
    render: connector =>
      connector.lastPollAt ? formatInstant(connector.lastPollAt) : 'Never',
  },
  {
    title: 'Speaks as',
    render: connector =>
      connector.lastSubject ? (
        <StackedText
          primary={connector.lastSubject}
          secondary={
            connector.lastSubjectAt
              ? `last heard ${formatInstant(connector.lastSubjectAt)}`
              : undefined
          }
        />
      ) : (
        'Not heard from'
      ),
  },
  {
    title: 'Orders waiting',
    field: 'pendingOrders',
    render: connector => (
      <StackedText
        primary={String(connector.pendingOrders)}
        secondary={
          connector.oldestPendingAt
            ? `oldest from ${formatInstant(connector.oldestPendingAt)}`
            : undefined
        }
      />
    ),
  },
  {
    title: 'Webhook',
    render: connector => (
      <StackedText
        primary={connector.webhookUrl ?? 'Pull only'}
        secondary={connector.webhookFailure?.message}
      />
    ),
  },
];

/**
 * The connectors that report sessions and grants and carry out cuts: which
 * are online, when each last read its orders, what waits for it.
 */
export function ConnectorsTable(props: { reloadKey: number }) {
  const sessionsApi = useApi(sessionsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => sessionsApi.listConnectors(),
    [sessionsApi, props.reloadKey],
  );
  useEffect(() => {
    const timer = setInterval(retry, REFRESH_MS);
    return () => clearInterval(timer);
  }, [retry]);
  // material-table writes bookkeeping into the row objects; give it copies.
  const copies = useMemo(() => value?.map(item => ({ ...item })), [value]);
  // In the backend's order (by id) until a header is clicked.
  const sorted = useBrowserSort(copies ?? [], SORT_FIELDS);
  const rows = copies && sorted.rows;

  if (error && !rows) {
    return (
      <ResponseErrorPanel
        title={`Could not load the connectors: ${errorMessage(error)}`}
        error={error}
      />
    );
  }
  if (!rows) return <Progress />;
  return (
    <SortableTable<ConnectorStatus, keyof typeof SORT_FIELDS>
      columns={columns}
      data={rows}
      isLoading={loading}
      options={PLAIN_TABLE_OPTIONS}
      spec={sorted.spec}
      sort={sorted.sort}
      onSortChange={sorted.setSort}
      emptyContent={
        <EmptyState
          missing="data"
          title="No connectors yet"
          description="Connectors appear here once declared under sessions.connectors.sources, with the credentials that may speak for them."
        />
      }
    />
  );
}
