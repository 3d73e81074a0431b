import { InputError } from '@backstage/errors';

/** A position in a sorted list: the sort value and id of the last row seen. */
export interface KeysetPosition {
  value: string | number;
  id: string;
}

interface SortSpec {
  sort: string;
  order: 'asc' | 'desc';
}

/** An opaque cursor that continues a list after the row at `position`. */
export function encodeCursor(spec: SortSpec, position: KeysetPosition): string {
  const body = [spec.sort, spec.order, position.value, position.id];
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/**
 * Reads a cursor back; it must come from a list with the same sort and
 * order, and carry a sort value of the expected kind.
 */
export function decodeCursor(
  cursor: string,
  spec: SortSpec,
  valueKind: 'number' | 'string',
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
    (valueKind === 'string'
      ? typeof body[2] !== 'string'
      : !Number.isFinite(body[2]))
  ) {
    throw new InputError('cursor is malformed');
  }
  if (body[0] !== spec.sort || body[1] !== spec.order) {
    throw new InputError(
      'cursor belongs to a different sort or order than this request',
    );
  }
  return { value: body[2], id: body[3] };
}

/** Turns `limit + 1` fetched rows into a page and its next cursor. */
export function toPage<T extends { id: string }>(
  rows: T[],
  limit: number,
  spec: SortSpec,
  sortValue: (row: T) => string | number,
): { items: T[]; nextCursor?: string } {
  const items = rows.slice(0, limit);
  if (rows.length <= limit) return { items };
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: encodeCursor(spec, { value: sortValue(last), id: last.id }),
  };
}
