/*
 * Idle warnings the sweep decided on and that are not sent yet: one row per
 * warned session, written in the sweep's own transaction (INSERT … SELECT),
 * so a backend that stops before sending loses none. The sender reads them
 * per person, sends each person one notification for their sessions, and
 * deletes the rows it sent.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('idle_warnings_due', table => {
    table.bigIncrements('id').primary();
    table.string('session_id', 36).notNullable().comment('The idle session');
    table
      .string('user_ref', 255)
      .notNullable()
      .comment('Whom to warn: the session owner, canonical');
    table
      .bigInteger('warned_at')
      .notNullable()
      .comment("The sweep's time, epoch ms: one notification per person each");
    table.index(['user_ref', 'warned_at'], 'idle_warnings_due_person_idx');
    // The sweep finds its own rows by its time.
    table.index(['warned_at'], 'idle_warnings_due_warned_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('idle_warnings_due');
};
