/*
 * Elevated grants (Device Admin and Timed Access), their history, and the
 * outbox of orders for connectors. Instants are epoch milliseconds, as in
 * the sessions migration.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('access_grants', table => {
    table.comment('Device Admin and Timed Access grants');
    table.string('id', 36).primary().notNullable();
    table
      .string('kind', 32)
      .notNullable()
      .comment('device_admin | timed_access');
    table.string('user_ref', 255).notNullable();
    table.string('target', 255).notNullable().comment('Device or resource');
    table.string('target_type', 64).notNullable();
    table.string('granted_by', 255).nullable();
    table.text('reason').nullable();
    table.string('source', 64).notNullable().comment('Reporting connector');
    table.string('external_id', 255).notNullable().comment('Id at the source');
    table.string('status', 32).notNullable();
    table.bigInteger('starts_at').notNullable();
    table.bigInteger('expires_at').notNullable();
    table.bigInteger('revoked_at').nullable();
    table.string('revoked_by', 255).nullable();
    table.string('revoke_reason', 32).nullable();
    table.string('transition_id', 36).nullable();
    table.unique(['source', 'external_id'], {
      indexName: 'access_grants_source_external_id_uq',
    });
    table.index(['user_ref', 'kind', 'status'], 'access_grants_user_idx');
    table.index(
      ['kind', 'status', 'expires_at', 'id'],
      'access_grants_kind_idx',
    );
    table.index(['status', 'expires_at'], 'access_grants_expiry_idx');
    table.index(['transition_id'], 'access_grants_transition_idx');
  });

  await knex.schema.createTable('grant_events', table => {
    table.comment('Append-only history of grant state changes');
    table.bigIncrements('id').primary();
    table
      .string('grant_id', 36)
      .notNullable()
      .references('id')
      .inTable('access_grants')
      .onDelete('CASCADE');
    table.string('event_type', 32).notNullable();
    table.string('from_status', 32).nullable();
    table.string('to_status', 32).nullable();
    table.string('actor', 255).nullable();
    table.string('reason', 32).nullable();
    table.bigInteger('created_at').notNullable();
    table.index(['grant_id', 'id'], 'grant_events_grant_idx');
  });

  await knex.schema.createTable('connector_commands', table => {
    table.comment(
      'Outbox of orders for connectors; the increasing id is their cursor',
    );
    table.bigIncrements('id').primary();
    table.string('source', 64).notNullable();
    table.string('subject_type', 16).notNullable().comment('session | grant');
    table.string('subject_id', 36).notNullable();
    table.string('external_id', 255).notNullable();
    table
      .string('action', 32)
      .notNullable()
      .comment('end_session | revoke_grant');
    table.string('reason', 32).nullable();
    table.string('requested_by', 255).nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('acknowledged_at').nullable();
    table.string('outcome', 16).nullable();
    table.text('message').nullable();
    table.index(['source', 'id'], 'connector_commands_source_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('connector_commands');
  await knex.schema.dropTable('grant_events');
  await knex.schema.dropTable('access_grants');
};
