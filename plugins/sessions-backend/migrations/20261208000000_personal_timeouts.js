/*
 * The idle and disconnect times people chose for their own sessions
 * (sessions.personalTimeouts). One row per person who chose; the sweep
 * reads it by the sessions' user_ref, so refs are stored canonical
 * (lower case), as sessions store them.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('personal_timeouts', table => {
    table.string('user_ref', 255).primary().comment('User entity ref');
    table
      .bigInteger('idle_after_ms')
      .notNullable()
      .comment('Quiet this long, their sessions are idle');
    table
      .bigInteger('disconnect_after_ms')
      .notNullable()
      .comment('Quiet this long, their sessions are disconnected');
    table.bigInteger('updated_at').notNullable().comment('Epoch ms');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('personal_timeouts');
};
