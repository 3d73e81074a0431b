import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { PropertyFilter } from '@active-sessions/plugin-sessions-node';
import { lowerFunction } from './sqliteUnicodeLower';

/** Rows per statement, under every dialect's bound-parameter limit. */
const CHUNK = 500;

export function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    result.push(items.slice(i, i + CHUNK));
  }
  return result;
}

/**
 * The first `max` characters of `text`, counted as the databases count them
 * (code points), so an emoji is never cut in half.
 */
export function clipText(text: string, max: number): string {
  const characters = [...text];
  return characters.length > max ? characters.slice(0, max).join('') : text;
}

/** Epoch milliseconds (BIGINT, a string on PostgreSQL) to ISO 8601. */
export const toIso = (value: number | string) =>
  new Date(Number(value)).toISOString();
export const toIsoOrNull = (value: number | string | null) =>
  value === null ? null : toIso(value);

export type { PropertyFilter };

/**
 * Where a property lives: a column, or a clause for properties that need
 * more than one (such as a semi-join).
 */
export type FilterColumn =
  string | ((query: Knex.QueryBuilder, values: string[]) => void);

/** Adds permission criteria to a query as a WHERE clause. */
export function whereCriteria<P extends string>(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<PropertyFilter<P>>,
  columns: Record<P, FilterColumn>,
) {
  if ('allOf' in criteria) {
    query.where(all => {
      for (const inner of criteria.allOf) {
        all.andWhere(sub => whereCriteria(sub, inner, columns));
      }
    });
  } else if ('anyOf' in criteria) {
    if (criteria.anyOf.length === 0) {
      query.whereRaw('1 = 0');
      return;
    }
    query.where(any => {
      for (const inner of criteria.anyOf) {
        any.orWhere(sub => whereCriteria(sub, inner, columns));
      }
    });
  } else if ('not' in criteria) {
    query.whereNot(sub => whereCriteria(sub, criteria.not, columns));
  } else if (criteria.values.length === 0) {
    query.whereRaw('1 = 0');
  } else {
    const column = columns[criteria.property];
    if (typeof column === 'string') {
      query.whereIn(column, criteria.values);
    } else {
      column(query, criteria.values);
    }
  }
}

/**
 * `column IN values`, compared exactly on every database. MySQL's default
 * collations ignore case and accents, so there the index narrows the rows
 * and a binary comparison keeps the exact ones, as a rule's `apply` does.
 */
export function whereInExactly(
  query: Knex.QueryBuilder,
  column: string,
  values: string[],
) {
  query.whereIn(column, values);
  if (/mysql/.test(String(query.client.config.client))) {
    query.whereRaw(
      `?? collate utf8mb4_bin in (${values.map(() => '?').join(', ')})`,
      [column, ...values],
    );
  }
}

/** Rows strictly after a keyset position in `(column, id)` order. */
export function whereAfter(
  query: Knex.QueryBuilder,
  column: string,
  order: 'asc' | 'desc',
  after: { value: string | number; id: string },
) {
  const comparator = order === 'asc' ? '>' : '<';
  query.where(keyset =>
    keyset
      .where(column, comparator, after.value)
      .orWhere(tie =>
        tie.where(column, after.value).andWhere('id', comparator, after.id),
      ),
  );
}

/** Case-insensitive substring match over columns; LIKE wildcards are literal. */
export function whereContains(
  query: Knex.QueryBuilder,
  columns: string[],
  text: string,
) {
  const pattern = `%${text
    .toLocaleLowerCase('en-US')
    .replace(/[!%_]/g, '!$&')}%`;
  const lower = lowerFunction(query);
  query.where(any => {
    for (const column of columns) {
      any.orWhereRaw(`${lower}(??) like ? escape '!'`, [column, pattern]);
    }
  });
}

/** In a history row: a column of the changed row it records. */
export const fromRow = (column: string) => ({ fromRow: column });

/** A history column's value: a constant, or a column of the changed row. */
export type HistoryValue = string | number | null | { fromRow: string };

/**
 * Inserts into `target.table` one row per row of `source` tagged `marker`
 * (a history row, an order), with one `INSERT … SELECT`: the rows never
 * travel to Node and back, however many a sweep changes.
 */
export async function insertPerMarkedRow(
  trx: Knex.Transaction,
  source: string,
  marker: string,
  history: { table: string; columns: Record<string, HistoryValue> },
) {
  await insertPerRow(
    trx,
    source,
    query => query.where('transition_id', marker),
    history,
  );
}

/** {@link insertPerMarkedRow} for the rows of `source` that `where` picks. */
export async function insertPerRow(
  trx: Knex.Transaction,
  source: string,
  where: (query: Knex.QueryBuilder) => void,
  history: { table: string; columns: Record<string, HistoryValue> },
) {
  // PostgreSQL cannot type a bare parameter in a SELECT list.
  const text = trx.client.config.client === 'pg' ? '?::text' : '?';
  const names = Object.keys(history.columns);
  const values = Object.values(history.columns).map(value => {
    if (value !== null && typeof value === 'object') {
      return trx.ref(`${source}.${value.fromRow}`);
    }
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new Error(`bad number ${value}`);
      return trx.raw(String(value));
    }
    return trx.raw(text, [value]);
  });
  await trx
    .into(
      trx.raw(`?? (${names.map(() => '??').join(', ')})`, [
        history.table,
        ...names,
      ]),
    )
    .insert(trx(source).modify(where).select(values));
}

/**
 * One conditional UPDATE that tags the rows it changes with a fresh marker,
 * then one history row per changed row. A row another transaction already
 * moved no longer matches `where`, so it is neither changed nor recorded
 * twice. Returns the changed rows as they are now.
 */
export async function transitionRows<Row>(
  trx: Knex.Transaction,
  options: TransitionOptions,
): Promise<Row[]> {
  const { marker, count } = await transitionMarked(trx, options);
  if (count === 0) return [];
  return trx(options.table).where('transition_id', marker).select();
}

export interface TransitionOptions {
  table: string;
  where: (query: Knex.QueryBuilder) => void;
  patch: Record<string, unknown>;
  history?: { table: string; columns: Record<string, HistoryValue> };
  /** More to write in the transaction about the changed rows, by marker. */
  afterChange?: (trx: Knex.Transaction, marker: string) => Promise<void>;
}

/**
 * {@link transitionRows} without reading the rows back: the marker they
 * carry and how many there are, for callers that change many at once.
 */
export async function transitionMarked(
  trx: Knex.Transaction,
  options: TransitionOptions,
): Promise<{ marker: string; count: number }> {
  const marker = randomUUID();
  const count = await trx(options.table)
    .modify(options.where)
    .update({ ...options.patch, transition_id: marker });
  if (count > 0 && options.history) {
    await insertPerMarkedRow(trx, options.table, marker, options.history);
  }
  if (count > 0) await options.afterChange?.(trx, marker);
  return { marker, count };
}

export async function insertChunked(
  trx: Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
) {
  for (const chunk of chunks(rows)) {
    await trx(table).insert(chunk);
  }
}

/**
 * Inserts the rows whose `(source, external_id)` is not stored yet, all
 * tagged with one marker so the new ones can be read back on every dialect
 * (MySQL has no RETURNING), and appends one history row per new row.
 */
export async function insertNewBySourceAndExternalId<
  Row extends { external_id: string },
>(
  trx: Knex.Transaction,
  options: {
    table: string;
    rows: Record<string, unknown>[];
    history: { table: string; row: (inserted: Row) => Record<string, unknown> };
    /** More to write in the transaction about the new rows, by marker. */
    afterInsert?: (trx: Knex.Transaction, marker: string) => Promise<void>;
  },
): Promise<Row[]> {
  const marker = randomUUID();
  for (const chunk of chunks(options.rows)) {
    await trx(options.table)
      .insert(chunk.map(row => ({ ...row, transition_id: marker })))
      .onConflict(['source', 'external_id'])
      .ignore();
  }
  const inserted: Row[] = await trx(options.table)
    .where('transition_id', marker)
    .select();
  await insertChunked(
    trx,
    options.history.table,
    inserted.map(options.history.row),
  );
  if (inserted.length > 0) await options.afterInsert?.(trx, marker);
  return inserted;
}

/** The status of each of a source's rows named by external id. */
export async function statusByExternalId<Status extends string>(
  db: Knex,
  table: string,
  source: string,
  externalIds: string[],
): Promise<Map<string, Status>> {
  const found = new Map<string, Status>();
  for (const chunk of chunks(externalIds)) {
    const rows = await db(table)
      .where('source', source)
      .whereIn('external_id', chunk)
      .select('external_id', 'status');
    for (const row of rows) found.set(row.external_id, row.status);
  }
  return found;
}

/**
 * Rows per user among those `where` selects, for the first `limit` users
 * by entity ref whose ref contains `text`.
 */
export async function countPerUser(
  query: Knex.QueryBuilder,
  where: (builder: Knex.QueryBuilder) => void,
  text: string | undefined,
  limit: number,
): Promise<Array<{ userRef: string; count: number }>> {
  const rows: Array<{ user_ref: string; count: any }> = await query
    .modify(builder => {
      where(builder);
      if (text) whereContains(builder, ['user_ref'], text);
    })
    .groupBy('user_ref')
    .orderBy('user_ref')
    .limit(limit)
    .select('user_ref')
    .count({ count: '*' });
  return rows.map(row => ({ userRef: row.user_ref, count: Number(row.count) }));
}
