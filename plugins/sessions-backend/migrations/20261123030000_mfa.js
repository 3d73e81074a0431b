/*
 * The plugin's own second factor (TOTP) for step-up before critical actions.
 *
 * Secrets are stored encrypted (AES-256-GCM, key from config); recovery
 * codes as slow hashes. The last accepted time step and the failures live
 * here, not in a process, so replay protection and lockout hold across
 * backend replicas. Instants are epoch milliseconds.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('mfa_enrolments', table => {
    table.comment('One TOTP enrolment per user');
    table.string('user_ref', 255).primary().notNullable();
    table.text('secret_ciphertext').notNullable();
    table.string('status', 16).notNullable().comment('pending | active');
    table.bigInteger('created_at').notNullable();
    table.bigInteger('activated_at').nullable();
    table
      .bigInteger('last_time_step')
      .nullable()
      .comment('A code of this time step or earlier is never accepted again');
    table.bigInteger('locked_until').nullable();
  });

  await knex.schema.createTable('mfa_recovery_codes', table => {
    table.comment('One-time recovery codes, as scrypt hashes');
    table.bigIncrements('id').primary();
    table.string('user_ref', 255).notNullable();
    table.string('code_hash', 255).notNullable();
    table.bigInteger('used_at').nullable();
    table.index(['user_ref'], 'mfa_recovery_codes_user_idx');
  });

  await knex.schema.createTable('mfa_failures', table => {
    table.comment('Failed verifications, counted for lockout');
    table.bigIncrements('id').primary();
    table.string('user_ref', 255).notNullable();
    table.bigInteger('at').notNullable();
    table.index(['user_ref', 'at'], 'mfa_failures_user_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mfa_failures');
  await knex.schema.dropTable('mfa_recovery_codes');
  await knex.schema.dropTable('mfa_enrolments');
};
