/*
 * The tokens issued for each portal sign-in, so that the limited tokens
 * made from them (the `backstage-auth` cookie, the user inside on-behalf-of
 * plugin tokens) are cut with their sign-in: they carry no `sid`, and their
 * signature part is the full token's `uip` claim. A row keeps the SHA-256
 * of that claim, never the claim itself (with the token's public claims it
 * is a working limited token), until the token expires.
 *
 * On MySQL and MariaDB the ids compare exactly (binary collation): the sid
 * joins `sessions.external_id`, which is binary there, and base64url is
 * case-sensitive.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('sign_in_token_proofs', table => {
    table.comment('Tokens issued for portal sign-ins, until they expire');
    table
      .string('sid', 255)
      .notNullable()
      .collate('utf8mb4_bin')
      .comment('The portal sign-in: sessions.external_id of source portal');
    table
      .string('proof', 43)
      .notNullable()
      .collate('utf8mb4_bin')
      .comment("SHA-256 of the token's uip claim, base64url");
    table
      .bigInteger('expires_at')
      .notNullable()
      .comment('Epoch ms; the token and its limited tokens expire then');
    // Reporting a token twice is harmless.
    table.primary(['sid', 'proof']);
    table.index(['expires_at'], 'sign_in_token_proofs_expires_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sign_in_token_proofs');
};
