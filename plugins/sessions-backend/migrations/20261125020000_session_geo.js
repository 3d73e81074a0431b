/*
 * Where a session came from, as looked up once at ingest: the country and,
 * with a city-level database, coordinates. The `location` text stays what
 * people read; these columns are for rules such as "new country".
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sessions', table => {
    table
      .string('country_code', 2)
      .nullable()
      .comment('ISO 3166-1 alpha-2 of the address, when known');
    table.double('latitude').nullable();
    table.double('longitude').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sessions', table => {
    table.dropColumn('country_code');
    table.dropColumn('latitude');
    table.dropColumn('longitude');
  });
};
