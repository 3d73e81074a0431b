/*
 * Indexes that let every list page be read in index order, whatever the
 * table size: everyone's sessions by last activity or start (the admin
 * view), one person's by last activity, and history by end. Found by
 * `npm run bench`: without them, a page of everyone's sessions sorted 1M
 * rows (~250 ms) instead of reading 50.
 */

const INDEXES = [
  ['sessions_activity_idx', ['last_activity_at', 'id']],
  ['sessions_started_idx', ['started_at', 'id']],
  ['sessions_user_activity_idx', ['user_ref', 'last_activity_at', 'id']],
  ['sessions_status_ended_idx', ['status', 'ended_at', 'id']],
];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sessions', table => {
    for (const [name, columns] of INDEXES) table.index(columns, name);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sessions', table => {
    for (const [name, columns] of INDEXES) table.dropIndex(columns, name);
  });
};
