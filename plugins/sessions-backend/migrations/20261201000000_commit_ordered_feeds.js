/*
 * Feeds read in commit order, and who speaks for each connector.
 *
 * Ids are taken at insert, not at commit: on PostgreSQL and MySQL a long
 * transaction can commit an order (or event) with a lower id after a reader
 * has already moved its cursor past a higher one, and the reader would never
 * see it. So readers follow `seq` instead: a number given to rows only once
 * they are committed, by one sequencer at a time (it holds the row of its
 * feed in `feed_sequences`), in the order it finds them. A row committed late
 * gets a later `seq`, never one below a cursor already handed out.
 *
 * Existing orders keep their id as `seq`, so connectors' cursors stay valid.
 * Existing events are history the page publisher already read: only events
 * above `floor` are sequenced.
 */

const FEEDS = [
  { table: 'connector_commands', backfill: true },
  { table: 'session_events', backfill: false },
  { table: 'grant_events', backfill: false },
];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('feed_sequences', table => {
    table.comment('The last seq given to each feed table, and where it began');
    table.string('name', 64).primary();
    table.bigInteger('last').notNullable();
    table
      .bigInteger('floor')
      .notNullable()
      .comment('Rows with an id up to this are history, never sequenced');
  });
  for (const { table: name, backfill } of FEEDS) {
    await knex.schema.alterTable(name, table => {
      table
        .bigInteger('seq')
        .nullable()
        .comment('Commit order for readers; null until sequenced');
      table.index(['seq', 'id'], `${name}_seq_idx`);
    });
    const max = Number((await knex(name).max('id as id').first())?.id ?? 0);
    if (backfill) await knex(name).update({ seq: knex.ref('id') });
    await knex('feed_sequences').insert({
      name,
      last: backfill ? max : 0,
      floor: backfill ? 0 : max,
    });
  }
  await knex.schema.alterTable('connector_commands', table => {
    table.index(['source', 'seq'], 'connector_commands_source_seq_idx');
  });
  await knex.schema.alterTable('change_signal_cursor', table => {
    table.renameColumn('session_event_id', 'session_event_seq');
    table.renameColumn('grant_event_id', 'grant_event_seq');
  });
  await knex('change_signal_cursor').update({
    session_event_seq: 0,
    grant_event_seq: 0,
  });
  await knex.schema.alterTable('connectors', table => {
    table
      .string('last_subject', 255)
      .nullable()
      .comment('The service credential that last spoke for this source');
    table.bigInteger('last_subject_at').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('connectors', table => {
    table.dropColumn('last_subject');
    table.dropColumn('last_subject_at');
  });
  // Back to ids: continue after everything there is now.
  await knex.schema.alterTable('change_signal_cursor', table => {
    table.renameColumn('session_event_seq', 'session_event_id');
    table.renameColumn('grant_event_seq', 'grant_event_id');
  });
  const max = async name =>
    Number((await knex(name).max('id as id').first())?.id ?? 0);
  await knex('change_signal_cursor').update({
    session_event_id: await max('session_events'),
    grant_event_id: await max('grant_events'),
  });
  await knex.schema.alterTable('connector_commands', table => {
    table.dropIndex(['source', 'seq'], 'connector_commands_source_seq_idx');
  });
  for (const { table: name } of FEEDS) {
    await knex.schema.alterTable(name, table => {
      table.dropIndex(['seq', 'id'], `${name}_seq_idx`);
      table.dropColumn('seq');
    });
  }
  await knex.schema.dropTable('feed_sequences');
};
