/*
 * A list of everyone's sessions in several statuses (open: active, idle,
 * terminating) is read as one index range per status, merged: each range
 * must come out in the page's order, the id included as its tie-break.
 * The status indexes ended at the sort column, so PostgreSQL either sorted
 * each status's rows or walked the whole activity index backwards, skipping
 * history until it found 50 open rows (11 s at 10M with stale statistics).
 */

const REPLACED = [
  {
    name: 'sessions_status_activity_idx',
    from: ['status', 'last_activity_at'],
    to: ['status', 'last_activity_at', 'id'],
  },
  {
    name: 'sessions_status_started_idx',
    from: ['status', 'started_at'],
    to: ['status', 'started_at', 'id'],
  },
];

/**
 * @param {import('knex').Knex} knex
 * @param {'from' | 'to'} from
 * @param {'from' | 'to'} to
 */
async function swap(knex, from, to) {
  for (const index of REPLACED) {
    await knex.schema.alterTable('sessions', table => {
      table.dropIndex(index[from], index.name);
    });
    await knex.schema.alterTable('sessions', table => {
      table.index(index[to], index.name);
    });
  }
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await swap(knex, 'from', 'to');
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await swap(knex, 'to', 'from');
};
