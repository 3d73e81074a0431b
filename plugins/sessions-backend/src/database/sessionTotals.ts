import { Knex } from 'knex';

const SESSIONS = 'sessions';
const TOTALS = 'session_totals';
const DELTAS = 'session_total_deltas';

/** The statuses counted in the totals: everything but history. */
export const TRACKED_STATUSES = ['active', 'idle', 'terminating'];

/**
 * Appends, in the caller's transaction, the net change the sessions tagged
 * `marker` make to the totals: they left `from` and entered `to` (either
 * may be null, as for a new session). An append, so concurrent
 * transactions never wait on each other or deadlock over the totals.
 */
export async function recordTotalsChange(
  trx: Knex.Transaction,
  marker: string,
  from: string | null,
  to: string | null,
) {
  if (from === to) return;
  const text = trx.client.config.client === 'pg' ? '?::text' : '?';
  for (const [status, sign] of [
    [from, '-'],
    [to, ''],
  ] as const) {
    if (!status || !TRACKED_STATUSES.includes(status)) continue;
    await trx
      .into(
        trx.raw('?? (??, ??, ??)', [
          DELTAS,
          'status',
          'open_count',
          'started_at_sum',
        ]),
      )
      .insert(
        trx(SESSIONS)
          .where('transition_id', marker)
          .select(
            trx.raw(text, [status]),
            trx.raw(`${sign}count(*)`),
            trx.raw(`${sign}coalesce(sum(??), 0)`, ['started_at']),
          )
          // An aggregate always yields a row; record none for no change.
          .havingRaw('count(*) > 0'),
      );
  }
}

/** Totals by status right now: the folded totals plus pending deltas. */
export async function readTotals(
  db: Knex,
): Promise<Map<string, { count: number; startedAtSum: number }>> {
  const rows: Array<{ status: string; count: any; started: any }> = await db
    .from(
      db(TOTALS)
        .select('status', 'open_count', 'started_at_sum')
        .unionAll(db(DELTAS).select('status', 'open_count', 'started_at_sum'))
        .as('totals'),
    )
    .groupBy('status')
    .select('status')
    .sum({ count: 'open_count' })
    .sum({ started: 'started_at_sum' });
  return new Map(
    rows.map(row => [
      row.status,
      { count: Number(row.count), startedAtSum: Number(row.started) },
    ]),
  );
}

/** Deltas folded per transaction. */
const FOLD_BATCH = 1000;

/**
 * Folds the deltas appended so far into the totals. Exactly the deltas it
 * read are added and deleted: one that commits meanwhile, even with a lower
 * id (ids are taken at insert, not at commit), stays for the next fold.
 * Folds serialize on the totals' rows, so two at once cannot add a delta
 * twice. Returns how many deltas it folded.
 */
export async function foldTotals(db: Knex): Promise<number> {
  let folded = 0;
  for (;;) {
    const count = await foldBatch(db);
    folded += count;
    if (count < FOLD_BATCH) return folded;
  }
}

async function foldBatch(db: Knex): Promise<number> {
  return db.transaction(async (trx): Promise<number> => {
    // Lock the totals before reading deltas: a second fold waits here and
    // then reads what the first left (MySQL's snapshot starts at the read).
    await trx(TOTALS).update({ open_count: trx.raw('?? + 0', ['open_count']) });
    const ids: number[] = (
      await trx(DELTAS).orderBy('id').limit(FOLD_BATCH).select('id')
    ).map(row => Number(row.id));
    if (!ids.length) return 0;
    // Summed in SQL: started_at sums pass 2^53 and must stay exact.
    const pending = (column: string) =>
      trx.raw(
        `coalesce((select sum(??) from ?? where ?? = ??.?? and ?? in (${ids
          .map(() => '?')
          .join(',')})), 0)`,
        [
          column,
          DELTAS,
          `${DELTAS}.status`,
          TOTALS,
          'status',
          `${DELTAS}.id`,
          ...ids,
        ],
      );
    await trx(TOTALS).update({
      open_count: trx.raw('?? + ?', ['open_count', pending('open_count')]),
      started_at_sum: trx.raw('?? + ?', [
        'started_at_sum',
        pending('started_at_sum'),
      ]),
    });
    await trx(DELTAS).whereIn('id', ids).delete();
    return ids.length;
  });
}
