/*
 * Connector ids compared exactly on MySQL and MariaDB.
 *
 * Their default collations ignore case and accents, so a connector's
 * sessions "Pid-1" and "pid-1" (or "pid-é" and "pid-e") were one row: the
 * second was never listed, and ending one at its source ended the other in
 * the portal. Sources and external ids are identifiers, not text people
 * search, so they take the binary collation, as they compare on PostgreSQL
 * and SQLite. Names and other display text keep the default collation
 * (searching them ignores case).
 *
 * Down does nothing: rows that now differ only in case would break the
 * unique keys of a case-insensitive collation.
 */

const COLUMNS = {
  sessions: ['source', 'external_id'],
  access_grants: ['source', 'external_id'],
  connector_commands: ['source', 'external_id'],
  connectors: ['id'],
};

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (!/mysql/.test(String(knex.client.config.client))) return;
  const [[{ name: database }]] = await knex.raw('select database() as name');
  for (const [table, columns] of Object.entries(COLUMNS)) {
    const [rows] = await knex.raw(
      `select column_name as name, column_type as type,
              is_nullable as nullable, column_comment as comment
         from information_schema.columns
        where table_schema = ? and table_name = ?`,
      [database, table],
    );
    const changes = columns.map(column => {
      const found = rows.find(row => row.name === column);
      if (!found) throw new Error(`${table}.${column} is missing`);
      return knex.raw(
        `modify ?? ${found.type} character set utf8mb4 collate utf8mb4_bin ${
          found.nullable === 'YES' ? 'null' : 'not null'
        } comment ?`,
        [column, found.comment ?? ''],
      );
    });
    // One statement per table: its indexes are rebuilt once.
    await knex.raw(`alter table ?? ${changes.map(() => '?').join(', ')}`, [
      table,
      ...changes,
    ]);
  }
};

/**
 * @param {import('knex').Knex} _knex
 */
exports.down = async function down(_knex) {};
