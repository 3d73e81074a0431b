/*
 * User locks: set when a person is offboarded. While a lock stands,
 * connectors' reports of new sessions or grants for that person are
 * refused, until an admin lifts it. Instants are epoch milliseconds.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('user_locks', table => {
    table.comment('People whose new sessions and grants are refused');
    table.string('user_ref', 255).primary().notNullable();
    table.bigInteger('locked_at').notNullable();
    table.string('locked_by', 255).notNullable();
    table.string('reason', 32).notNullable().comment('offboarding');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('user_locks');
};
