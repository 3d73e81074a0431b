/*
 * One row per user whose new sessions are checked against a concurrent
 * session limit: starts for the same user lock it (SELECT … FOR UPDATE), so
 * two connectors starting sessions at once cannot both see room for one
 * more. Rows are created on first use and never change.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('session_limit_locks', table => {
    table.comment('Serialises limit checks of one user');
    table.string('user_ref', 255).primary().comment('User entity ref');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('session_limit_locks');
};
