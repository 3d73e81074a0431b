/*
 * Who manages whom, mirrored from the catalog: one row per (owner of a
 * group, member of that group or of a group below it). Permission rules
 * read it in SQL so a manager's page costs one indexed semi-join, however
 * large the catalog. Rebuilt by a scheduled task; nothing else writes it.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('managed_members', table => {
    table.comment('Owners of catalog groups and the members they manage');
    table
      .string('manager_ref', 255)
      .notNullable()
      .comment('Entity ref of a group owner: a user, or a group of owners');
    table.string('member_ref', 255).notNullable().comment('User entity ref');
    table.primary(['manager_ref', 'member_ref']);
    table.index(['member_ref'], 'managed_members_member_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('managed_members');
};
