/*
 * Sessions their person reported as not theirs ("Not me"): when, and what
 * they wrote for the security team. The first report is kept. The index
 * serves "reported only" for security, across everyone's sessions.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sessions', table => {
    table
      .bigInteger('reported_at')
      .nullable()
      .comment('Epoch ms: its person reported it as not theirs; null: never');
    table.text('report_note').nullable().comment('What they wrote then');
    table.index(['reported_at'], 'sessions_reported_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sessions', table => {
    table.dropIndex(['reported_at'], 'sessions_reported_idx');
    table.dropColumn('report_note');
    table.dropColumn('reported_at');
  });
};
