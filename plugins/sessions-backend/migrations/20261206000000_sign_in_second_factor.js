/*
 * A second factor at portal sign-in (`sessions.signIn.secondFactor`).
 *
 * `sessions.code_due_at`: a portal sign-in waiting for its person's
 * authenticator code, until that instant (epoch ms); the sweep ends it
 * then. `sessions.device_proof`: the browser a portal sign-in came from,
 * as the SHA-256 of a secret in that browser's cookie (never the secret).
 * `trusted_devices`: browsers that passed the code, per person, until when
 * they need no code again (`newDevice`). `sign_in_token_proofs.awaiting_code`:
 * a token issued while its sign-in waited; its limited tokens carry no
 * claim saying so, so every plugin refuses them by this record.
 *
 * On MySQL and MariaDB proofs and refs compare exactly (binary collation):
 * base64url is case-sensitive, and `josé` is not `jose`.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sessions', table => {
    table
      .bigInteger('code_due_at')
      .nullable()
      .comment('Epoch ms: a portal sign-in waits for its code until then');
    table
      .string('device_proof', 43)
      .nullable()
      .collate('utf8mb4_bin')
      .comment("SHA-256 of the browser's device cookie, base64url");
    // The sweep finds the overdue ones; almost every row has none.
    table.index(['code_due_at'], 'sessions_code_due_idx');
  });
  await knex.schema.alterTable('sign_in_token_proofs', table => {
    table
      .boolean('awaiting_code')
      .notNullable()
      .defaultTo(false)
      .comment('Issued while its sign-in waited for its code');
  });
  await knex.schema.createTable('trusted_devices', table => {
    table.comment('Browsers that passed the second factor at sign-in');
    // Canonical (lower-case) refs, compared exactly.
    table.string('user_ref', 255).notNullable().collate('utf8mb4_bin');
    table
      .string('device_proof', 43)
      .notNullable()
      .collate('utf8mb4_bin')
      .comment("SHA-256 of the browser's device cookie, base64url");
    table
      .bigInteger('trusted_until')
      .notNullable()
      .comment('Epoch ms; a sign-in from it needs no code until then');
    table.primary(['user_ref', 'device_proof']);
    table.index(['trusted_until'], 'trusted_devices_until_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('trusted_devices');
  await knex.schema.alterTable('sign_in_token_proofs', table => {
    table.dropColumn('awaiting_code');
  });
  await knex.schema.alterTable('sessions', table => {
    table.dropIndex(['code_due_at'], 'sessions_code_due_idx');
    table.dropColumn('device_proof');
    table.dropColumn('code_due_at');
  });
};
