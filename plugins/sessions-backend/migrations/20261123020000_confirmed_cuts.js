/*
 * Confirmed cuts and the connector registry.
 *
 * A session or grant ended here waits (`terminating` / `revoking`) until its
 * connector acknowledges the order; these columns say by when that is
 * expected, when it came, and what the connector said if it failed.
 * `connectors` remembers when each connector last read its order feed and
 * how far webhook pushes have got.
 */

const CUT_TABLES = ['sessions', 'access_grants'];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const name of CUT_TABLES) {
    await knex.schema.alterTable(name, table => {
      table
        .bigInteger('cut_deadline_at')
        .nullable()
        .comment('Flag the cut as unconfirmed after this instant');
      table.bigInteger('cut_confirmed_at').nullable();
      table.string('cut_failure', 1000).nullable();
    });
  }

  await knex.schema.createTable('connectors', table => {
    table.comment('Connectors seen on the order feed, and webhook progress');
    table.string('id', 64).primary().notNullable();
    table.bigInteger('last_poll_at').nullable();
    table
      .bigInteger('push_cursor')
      .nullable()
      .comment('Orders up to this id were pushed to the webhook');
    table.bigInteger('push_failed_at').nullable();
    table.string('push_failure', 1000).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('connectors');
  for (const name of CUT_TABLES) {
    await knex.schema.alterTable(name, table => {
      table.dropColumn('cut_deadline_at');
      table.dropColumn('cut_confirmed_at');
      table.dropColumn('cut_failure');
    });
  }
};
