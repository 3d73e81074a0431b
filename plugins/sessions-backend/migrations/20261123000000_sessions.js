/*
 * Sessions and their history.
 *
 * Instants are stored as epoch milliseconds in BIGINT columns: the same type,
 * ordering and arithmetic on SQLite, PostgreSQL and MySQL, so stats and sweeps
 * need no per-dialect date functions.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('sessions', table => {
    table.comment('Live and past sessions of users on resources');
    table.string('id', 36).primary().notNullable();
    table.string('user_ref', 255).notNullable();
    table.string('resource_name', 255).notNullable();
    table.string('resource_type', 32).notNullable();
    table.string('source', 64).notNullable().comment('Reporting connector');
    table.string('external_id', 255).notNullable().comment('Id at the source');
    table.string('device', 255).nullable();
    table.text('user_agent').nullable();
    table.string('ip_address', 64).nullable();
    table.string('location', 255).nullable();
    table.string('status', 32).notNullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('last_activity_at').notNullable();
    table.bigInteger('idle_warned_at').nullable();
    table.bigInteger('ended_at').nullable();
    table.string('end_reason', 32).nullable();
    table.string('ended_by', 255).nullable();
    table
      .string('transition_id', 36)
      .nullable()
      .comment('Marks the rows one conditional UPDATE changed');
    table.unique(['source', 'external_id'], {
      indexName: 'sessions_source_external_id_uq',
    });
    table.index(['user_ref', 'started_at', 'id'], 'sessions_user_started_idx');
    table.index(['user_ref', 'status'], 'sessions_user_status_idx');
    table.index(['status', 'last_activity_at'], 'sessions_status_activity_idx');
    table.index(['status', 'started_at'], 'sessions_status_started_idx');
    table.index(['transition_id'], 'sessions_transition_idx');
  });

  await knex.schema.createTable('session_events', table => {
    table.comment('Append-only history of session state changes');
    table.bigIncrements('id').primary();
    table
      .string('session_id', 36)
      .notNullable()
      .references('id')
      .inTable('sessions')
      .onDelete('CASCADE');
    table.string('event_type', 32).notNullable();
    table.string('from_status', 32).nullable();
    table.string('to_status', 32).nullable();
    table.string('actor', 255).nullable();
    table.string('reason', 32).nullable();
    table.bigInteger('created_at').notNullable();
    table.index(['session_id', 'id'], 'session_events_session_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('session_events');
  await knex.schema.dropTable('sessions');
};
