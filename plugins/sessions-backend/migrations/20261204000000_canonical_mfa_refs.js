/*
 * Second-factor enrolments keyed by the canonical (lower-case) user ref.
 *
 * They were keyed by the token's own spelling, so a person the catalog
 * names `user:default/JaneDoe` had an enrolment no lookup by the canonical
 * ref found. Entity refs are ASCII, so SQL's lower() is the same as the
 * plugin's. Where both spellings were enrolled (two spellings of one
 * person), the older enrolment and its recovery codes are dropped.
 *
 * Down does nothing: the original spelling is not kept.
 */

/** Rows whose ref is not lower-case yet (MySQL compares case-insensitively). */
const notLower = knex =>
  /mysql/.test(String(knex.client.config.client))
    ? 'cast(user_ref as binary) <> cast(lower(user_ref) as binary)'
    : 'user_ref <> lower(user_ref)';

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const mixed = await knex('mfa_enrolments')
    .whereRaw(notLower(knex))
    .select('user_ref', 'created_at');
  for (const row of mixed) {
    const canonical = row.user_ref.toLowerCase();
    const other = await knex('mfa_enrolments')
      .whereRaw('user_ref = ?', [canonical])
      .whereRaw(`not (${notLower(knex)})`)
      .first('created_at');
    if (other && Number(other.created_at) >= Number(row.created_at)) {
      await knex('mfa_recovery_codes').where('user_ref', row.user_ref).delete();
      await knex('mfa_enrolments').where('user_ref', row.user_ref).delete();
      continue;
    }
    if (other) {
      await knex('mfa_recovery_codes')
        .whereRaw('user_ref = ?', [canonical])
        .whereRaw(`not (${notLower(knex)})`)
        .delete();
      await knex('mfa_enrolments').where('user_ref', canonical).delete();
    }
    await knex('mfa_enrolments')
      .where('user_ref', row.user_ref)
      .update({ user_ref: canonical });
  }
  for (const table of ['mfa_recovery_codes', 'mfa_failures']) {
    await knex(table)
      .whereRaw(notLower(knex))
      .update({ user_ref: knex.raw('lower(user_ref)') });
  }
};

/**
 * @param {import('knex').Knex} _knex
 */
exports.down = async function down(_knex) {};
