/*
 * The retention task deletes old history in small batches; these indexes let
 * each batch find its rows without scanning: revoked grants by when they were
 * revoked, acknowledged orders by when they were acknowledged.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('access_grants', table => {
    table.index(['status', 'revoked_at'], 'access_grants_revoked_idx');
  });
  await knex.schema.alterTable('connector_commands', table => {
    table.index(['acknowledged_at'], 'connector_commands_acknowledged_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('access_grants', table => {
    table.dropIndex(['status', 'revoked_at'], 'access_grants_revoked_idx');
  });
  await knex.schema.alterTable('connector_commands', table => {
    table.dropIndex(['acknowledged_at'], 'connector_commands_acknowledged_idx');
  });
};
