/*
 * Sessions flagged for review at ingest: a device or country the person has
 * not used lately, or travel faster than a plane between two sessions. The
 * reasons are a comma-separated list; the index serves "flagged only".
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sessions', table => {
    table
      .string('flags', 255)
      .nullable()
      .comment('Comma-separated anomaly reasons; null when none');
    table.text('flag_detail').nullable().comment('Why, in words');
    table.index(['flags', 'started_at'], 'sessions_flagged_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sessions', table => {
    table.dropIndex(['flags', 'started_at'], 'sessions_flagged_idx');
    table.dropColumn('flags');
    table.dropColumn('flag_detail');
  });
};
