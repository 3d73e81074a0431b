import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
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

/** Connectors poll every ~25 s; look again as often. */
const REFRESH_MS = 15_000;

const columns: TableColumn<ConnectorStatus>[] = [
  {
    title: 'Connector',
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
    width: '150px',
    render: connector => <ConnectorStatusChip connector={connector} />,
  },
  {
    title: 'Last read its orders',
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
  const rows = useMemo(() => value?.map(item => ({ ...item })), [value]);

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
    <Table<ConnectorStatus>
      columns={columns}
      data={rows}
      isLoading={loading}
      options={PLAIN_TABLE_OPTIONS}
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
