/*
 * Running totals of live sessions by status, so everyone's stats cost the
 * same at any table size: `session_totals` holds one row per status, and
 * every transaction that changes statuses appends its net change to
 * `session_total_deltas` (appends never wait on each other). A scheduled
 * task folds the deltas into the totals. Stats read totals plus deltas.
 */

const TRACKED = ['active', 'idle', 'terminating'];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('session_totals', table => {
    table.comment('Live sessions by status, as of the last fold of deltas');
    table.string('status', 32).primary().notNullable();
    table.bigInteger('open_count').notNullable();
    table.bigInteger('started_at_sum').notNullable();
  });
  await knex.schema.createTable('session_total_deltas', table => {
    table.comment('Changes to session_totals not folded in yet');
    table.bigIncrements('id').primary();
    table.string('status', 32).notNullable();
    table.bigInteger('open_count').notNullable();
    table.bigInteger('started_at_sum').notNullable();
  });
  const rows = await knex('sessions')
    .whereIn('status', TRACKED)
    .groupBy('status')
    .select('status')
    .count({ count: '*' })
    .sum({ started: 'started_at' });
  const byStatus = new Map(rows.map(row => [row.status, row]));
  await knex('session_totals').insert(
    TRACKED.map(status => ({
      status,
      open_count: Number(byStatus.get(status)?.count ?? 0),
      started_at_sum: Number(byStatus.get(status)?.started ?? 0),
    })),
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('session_total_deltas');
  await knex.schema.dropTable('session_totals');
};
