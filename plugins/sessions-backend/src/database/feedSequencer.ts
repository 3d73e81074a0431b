import { Knex } from 'knex';

const SEQUENCES = 'feed_sequences';

/** Tables read as feeds; each has a `seq` column and a row in `feed_sequences`. */
export type FeedTable =
  'connector_commands' | 'session_events' | 'grant_events';

/** Ids per statement, well under every database's parameter limit. */
const IN_LIST = 1000;

/** Rows given a seq per round. */
const ROUND = 5000;

/**
 * Gives committed rows of a feed table their place in commit order (`seq`),
 * so that a reader following `seq > cursor` never skips a row: ids are taken
 * at insert, and a transaction holding a low id can commit after a reader
 * passed a higher one; its rows then get a seq above every cursor handed out.
 *
 * One sequencer works at a time (it holds the feed's row in
 * `feed_sequences` until it commits), and all the seqs of a round become
 * visible together, above every earlier one. Rows still uncommitted are
 * invisible to it and wait for a later round. Safe to call from every
 * replica and every reader; returns how many rows it sequenced.
 */
export async function sequenceFeed(
  db: Knex,
  table: FeedTable,
): Promise<number> {
  // Cheap look first: most calls find nothing and take no lock.
  const waiting = await db(table)
    .whereNull('seq')
    .where('id', '>', db(SEQUENCES).where('name', table).select('floor'))
    .first('id');
  if (!waiting) return 0;
  return db.transaction(async trx => {
    // Taking the row lock first: the rows read below are then read after
    // any other round committed (MySQL's snapshot starts at the first read).
    await trx(SEQUENCES)
      .where('name', table)
      .update({ last: trx.raw('?? + 0', ['last']) });
    const row = await trx(SEQUENCES).where('name', table).first();
    const ids: number[] = (
      await trx(table)
        .whereNull('seq')
        .where('id', '>', Number(row.floor))
        .orderBy('id')
        .limit(ROUND)
        .select('id')
    ).map(item => Number(item.id));
    if (!ids.length) return 0;
    const last = Number(row.last);
    // seq = id + offset: ascending with the ids, above `last`, one
    // arithmetic UPDATE. Gaps are fine; readers only need the order.
    const offset = last + 1 - ids[0];
    // By primary key only: MySQL would wait on an uncommitted row in a range.
    for (let i = 0; i < ids.length; i += IN_LIST) {
      await trx(table)
        .whereIn('id', ids.slice(i, i + IN_LIST))
        .update({ seq: trx.raw('?? + ?', ['id', offset]) });
    }
    await trx(SEQUENCES)
      .where('name', table)
      .update({ last: ids[ids.length - 1] + offset });
    return ids.length;
  });
}

/** Sequences every committed row waiting, round after round. */
export async function sequenceAll(db: Knex, table: FeedTable): Promise<void> {
  while ((await sequenceFeed(db, table)) === ROUND) {
    // More may wait.
  }
}
