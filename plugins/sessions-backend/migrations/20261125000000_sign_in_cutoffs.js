/*
 * A per-user "not before" for portal tokens: tokens issued before it are
 * refused by every plugin, also after an unlock. Written when a person is
 * offboarded; tokens that carry no sign-in id (limited tokens, providers
 * that do not track sign-ins) can only be cut this way.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('sign_in_cutoffs', table => {
    table.comment('Portal tokens issued before not_before are refused');
    table.string('user_ref', 255).primary().comment('User entity ref');
    table
      .bigInteger('not_before')
      .notNullable()
      .comment('Epoch ms; tokens issued earlier are refused');
    table.index(['not_before'], 'sign_in_cutoffs_not_before_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sign_in_cutoffs');
};
