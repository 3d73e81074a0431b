import { InputError } from '@backstage/errors';
import {
  ListSessionsQuery,
  Session,
  SessionSortField,
} from '@internal/plugin-sessions-common';

/** A position in a sorted list: the sort value and id of the last row seen. */
export interface KeysetPosition {
  value: string | number;
  id: string;
}

type CursorBody = [SessionSortField, 'asc' | 'desc', string | number, string];

function sortValue(session: Session, sort: SessionSortField): string | number {
  switch (sort) {
    case 'resourceName':
      return session.resourceName;
    case 'endedAt':
      return Date.parse(session.endedAt ?? '');
    case 'lastActivityAt':
      return Date.parse(session.lastActivityAt);
    default:
      return Date.parse(session.startedAt);
  }
}

/** An opaque cursor that continues the list after `last`. */
export function encodeCursor(
  query: Pick<ListSessionsQuery, 'sort' | 'order'>,
  last: Session,
): string {
  const body: CursorBody = [
    query.sort,
    query.order,
    sortValue(last, query.sort),
    last.id,
  ];
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Reads a cursor back; it must come from a list with the same sort. */
export function decodeCursor(
  cursor: string,
  query: Pick<ListSessionsQuery, 'sort' | 'order'>,
): KeysetPosition {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('cursor is malformed');
  }
  if (
    !Array.isArray(body) ||
    body.length !== 4 ||
    typeof body[3] !== 'string' ||
    (query.sort === 'resourceName'
      ? typeof body[2] !== 'string'
      : !Number.isFinite(body[2]))
  ) {
    throw new InputError('cursor is malformed');
  }
  if (body[0] !== query.sort || body[1] !== query.order) {
    throw new InputError(
      'cursor belongs to a different sort or order than this request',
    );
  }
  return { value: body[2], id: body[3] };
}
