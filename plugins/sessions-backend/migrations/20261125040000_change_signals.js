/*
 * How far the live-update publisher has read the event tables. Replicas
 * claim the next range with a compare-and-set on this row, so each change
 * is signalled once however many replicas run. Starts at the events that
 * exist now: history is not replayed.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('change_signal_cursor', table => {
    table.comment('Last session and grant events signalled to pages');
    table.string('name', 32).primary();
    table.bigInteger('session_event_id').notNullable();
    table.bigInteger('grant_event_id').notNullable();
  });
  const last = async tableName =>
    Number((await knex(tableName).max('id as id').first())?.id ?? 0);
  await knex('change_signal_cursor').insert({
    name: 'pages',
    session_event_id: await last('session_events'),
    grant_event_id: await last('grant_events'),
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('change_signal_cursor');
};
