/*
 * Text in any script, emoji included, on MySQL and MariaDB.
 *
 * Tables take the server's default character set, which on many servers is
 * latin1 or utf8 (utf8mb3: three bytes, no emoji); there a resource named
 * "東京" or "🚀 prod" fails its insert ("Incorrect string value"), a 500.
 * This converts the plugin's tables that are not utf8mb4 yet, and sets the
 * database's default, so tables later migrations create are utf8mb4 too.
 * Knex's and the scheduler's tables are left as they are (their text is
 * ASCII names). PostgreSQL and SQLite store any Unicode already.
 *
 * Down does nothing: converting back could lose characters.
 */

const RULES = ['CASCADE', 'RESTRICT', 'NO ACTION', 'SET NULL', 'SET DEFAULT'];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (!/mysql/.test(String(knex.client.config.client))) return;
  const [[{ name: database }]] = await knex.raw('select database() as name');
  const [rows] = await knex.raw(
    `select table_name as name from information_schema.tables
      where table_schema = ? and table_type = 'BASE TABLE'
        and table_collation not like 'utf8mb4%'
        and table_name not like 'knex\\_%'
        and table_name not like 'backstage\\_%'`,
    [database],
  );
  const tables = rows.map(row => row.name);
  if (tables.length === 0) return;

  // A column in a foreign key cannot change its character set, even with
  // the checks off (MariaDB): drop those keys, convert, and add them back.
  const [keys] = await knex.raw(
    `select rc.constraint_name as name, rc.table_name as tableName,
            rc.referenced_table_name as referencedTable,
            rc.update_rule as onUpdate, rc.delete_rule as onDelete,
            group_concat(k.column_name order by k.ordinal_position) as columns,
            group_concat(k.referenced_column_name order by k.ordinal_position)
              as referencedColumns
       from information_schema.referential_constraints rc
       join information_schema.key_column_usage k
         on k.constraint_schema = rc.constraint_schema
        and k.constraint_name = rc.constraint_name
        and k.table_name = rc.table_name
      where rc.constraint_schema = ?
      group by rc.constraint_name, rc.table_name, rc.referenced_table_name,
               rc.update_rule, rc.delete_rule`,
    [database],
  );
  const affected = keys.filter(
    key =>
      tables.includes(key.tableName) || tables.includes(key.referencedTable),
  );
  for (const key of affected) {
    await knex.raw('alter table ?? drop foreign key ??', [
      key.tableName,
      key.name,
    ]);
  }
  for (const table of tables) {
    await knex.raw('alter table ?? convert to character set utf8mb4', [table]);
  }
  for (const key of affected) {
    const columns = key.columns.split(',');
    const referenced = key.referencedColumns.split(',');
    const rule = value => (RULES.includes(value) ? value : 'RESTRICT');
    const list = names => names.map(() => '??').join(', ');
    await knex.raw(
      `alter table ?? add constraint ?? foreign key (${list(columns)})
         references ?? (${list(referenced)})
         on delete ${rule(key.onDelete)} on update ${rule(key.onUpdate)}`,
      [key.tableName, key.name, ...columns, key.referencedTable, ...referenced],
    );
  }
  await knex.raw('alter database ?? character set utf8mb4', [database]);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down() {};
