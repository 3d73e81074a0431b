/*
 * A recording of an ssh or rdp session, kept where the connector stored it
 * (a player or object-store URL). Only the reference lives here; who may
 * follow it is the `sessions.recording.view` permission's business.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sessions', table => {
    table
      .text('recording_url')
      .nullable()
      .comment('Where the recording is played or downloaded; null when none');
    table
      .string('recording_kind', 32)
      .nullable()
      .comment('What the recording is, e.g. asciicast, video, guacamole');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sessions', table => {
    table.dropColumn('recording_url');
    table.dropColumn('recording_kind');
  });
};
