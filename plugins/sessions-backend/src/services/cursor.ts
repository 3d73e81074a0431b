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

/** Sort values that are text come from 255-character columns. */
const MAX_TEXT_SORT_VALUE = 255;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a sort value can be what this list wrote: a whole number within
 * the safe range for the epoch-millisecond (BIGINT) columns, text that fits
 * the column otherwise. Anything else is a forged cursor, which PostgreSQL
 * would refuse with a 500 ("invalid input syntax for type bigint", NUL in
 * text). Other control characters pass: rows stored before text fields
 * refused them may hold them, and their next page must still load.
 */
function isSortValue(value: unknown, kind: 'number' | 'string') {
  return kind === 'number'
    ? Number.isSafeInteger(value)
    : typeof value === 'string' &&
        [...value].length <= MAX_TEXT_SORT_VALUE &&
        !value.includes('\u0000');
}

/**
 * Reads a cursor back; it must come from a list with the same sort and
 * order, and carry a sort value of the expected kind and a row id.
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
    throw new InputError('Invalid request, query.cursor: is malformed');
  }
  if (!Array.isArray(body) || body.length !== 4) {
    throw new InputError('Invalid request, query.cursor: is malformed');
  }
  if (body[0] !== spec.sort || body[1] !== spec.order) {
    throw new InputError(
      'Invalid request, query.cursor: belongs to a different sort or order than this request',
    );
  }
  if (!isSortValue(body[2], valueKind)) {
    throw new InputError(
      `Invalid request, query.cursor: is malformed (its ${spec.sort} is not ${
        valueKind === 'number' ? 'a whole number' : 'text this list holds'
      })`,
    );
  }
  if (typeof body[3] !== 'string' || !UUID.test(body[3])) {
    throw new InputError(
      'Invalid request, query.cursor: is malformed (its row id is not an id)',
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
