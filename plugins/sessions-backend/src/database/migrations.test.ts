import { TestDatabaseId } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import knexFactory from 'knex';
import { mockServices } from '@backstage/backend-test-utils';
import { migrateLatest, migrationsDir } from './migrations';

jest.setTimeout(60_000);

const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter(name => name.endsWith('.js'))
  .sort();

/** Polls until the condition holds (for up to 10 s). */
async function waitUntil(condition: () => boolean) {
  for (let i = 0; i < 200 && !condition(); i += 1) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  expect(condition()).toBe(true);
}

async function migrateUpOnce(knex: Knex) {
  await knex.migrate.up({ directory: migrationsDir });
}

/** Applies the migrations up to and including `name`. */
async function migrateUpTo(knex: Knex, name: string) {
  while (
    !(await knex.schema.hasTable('knex_migrations')) ||
    !(await knex('knex_migrations').where('name', name).first())
  ) {
    await migrateUpOnce(knex);
  }
}

/** The columns of a sessions index, in order, as the database holds it. */
async function indexColumns(knex: Knex, name: string): Promise<string[]> {
  const client = knex.client.config.client;
  if (client === 'pg') {
    const { rows } = await knex.raw(
      `select a.attname as name from pg_index i
         join pg_class c on c.oid = i.indexrelid
         join lateral unnest(i.indkey) with ordinality as k(attnum, n) on true
         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
       where c.relname = ? order by k.n`,
      [name],
    );
    return rows.map((row: { name: string }) => row.name);
  }
  if (String(client).startsWith('mysql')) {
    const [rows] = await knex.raw(
      `select column_name as name from information_schema.statistics
       where table_schema = database() and table_name = 'sessions'
         and index_name = ? order by seq_in_index`,
      [name],
    );
    return rows.map((row: { name: string }) => row.name);
  }
  const rows = await knex.raw(`pragma index_info(${name})`);
  return rows.map((row: { name: string }) => row.name);
}

async function migrateDownOnce(knex: Knex) {
  await knex.migrate.down({ directory: migrationsDir });
}

describe('migrations', () => {
  const databases = createTestDatabases();

  it('are listed in order', () => {
    expect(migrationFiles[0]).toBe('20261123000000_sessions.js');
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('20261123000000_sessions goes up and down with data in it', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await migrateUpOnce(knex);

      const startedAt = Date.UTC(2026, 0, 1);
      await knex('sessions').insert({
        id: '00000000-0000-4000-8000-000000000001',
        user_ref: 'user:default/jane',
        resource_name: 'bastion',
        resource_type: 'ssh',
        source: 'bastion',
        external_id: 'pid-1',
        status: 'active',
        started_at: startedAt,
        last_activity_at: startedAt,
      });
      await knex('session_events').insert({
        session_id: '00000000-0000-4000-8000-000000000001',
        event_type: 'started',
        to_status: 'active',
        created_at: startedAt,
      });
      // Epoch milliseconds survive the round trip on every database.
      const [row] = await knex('sessions').select('started_at');
      expect(Number(row.started_at)).toBe(startedAt);
      // The same session from the same source cannot be stored twice.
      const duplicate = await knex('sessions')
        .insert({
          id: '00000000-0000-4000-8000-000000000002',
          user_ref: 'user:default/jane',
          resource_name: 'bastion',
          resource_type: 'ssh',
          source: 'bastion',
          external_id: 'pid-1',
          status: 'active',
          started_at: startedAt,
          last_activity_at: startedAt,
        })
        .then(
          () => 'stored',
          (error: Error) => `refused: ${error.message}`,
        );
      expect(duplicate).toMatch(/^refused: .*(unique|duplicate)/i);
      expect(await knex('sessions').select('id')).toEqual([
        { id: '00000000-0000-4000-8000-000000000001' },
      ]);

      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('sessions')).toBe(false);
      expect(await knex.schema.hasTable('session_events')).toBe(false);

      await migrateUpOnce(knex);
      expect(await knex('sessions').select('id')).toEqual([]);
    });

    it('20261123020000_confirmed_cuts adds cut columns to rows already there, and goes down', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const upTo = async (name: string) => {
        while (
          !(await knex.schema.hasTable('knex_migrations')) ||
          !(await knex('knex_migrations').where('name', name).first())
        ) {
          await migrateUpOnce(knex);
        }
      };
      await upTo('20261123010000_access_grants.js');
      const at = Date.UTC(2026, 0, 1);
      await knex('sessions').insert({
        id: '00000000-0000-4000-8000-000000000003',
        user_ref: 'user:default/jane',
        resource_name: 'bastion',
        resource_type: 'ssh',
        source: 'bastion',
        external_id: 'pid-3',
        status: 'disconnected',
        started_at: at,
        last_activity_at: at,
        ended_at: at,
      });

      await migrateUpOnce(knex);
      // Sessions ended before confirmations existed have none, and no deadline.
      expect(
        await knex('sessions').select(
          'status',
          'cut_deadline_at',
          'cut_confirmed_at',
          'cut_failure',
        ),
      ).toEqual([
        {
          status: 'disconnected',
          cut_deadline_at: null,
          cut_confirmed_at: null,
          cut_failure: null,
        },
      ]);
      await knex('connectors').insert({ id: 'bastion', last_poll_at: at });

      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('connectors')).toBe(false);
      expect(await knex.schema.hasColumn('sessions', 'cut_deadline_at')).toBe(
        false,
      );
      // Going down keeps the sessions.
      expect((await knex('sessions').select('id')).map(row => row.id)).toEqual([
        '00000000-0000-4000-8000-000000000003',
      ]);
    });

    it('20261124000000_managed_members goes up with data in it, and down', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      await knex('managed_members').insert([
        { manager_ref: 'user:default/maria', member_ref: 'user:default/jane' },
        { manager_ref: 'group:default/leads', member_ref: 'user:default/jane' },
      ]);

      while (
        await knex('knex_migrations')
          .where('name', '20261124000000_managed_members.js')
          .first()
      ) {
        await migrateDownOnce(knex);
      }
      expect(await knex.schema.hasTable('managed_members')).toBe(false);
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex('managed_members').select()).toEqual([]);
    });

    it('20261124020000_session_totals counts the live sessions already there, and goes down', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      while (
        !(await knex.schema.hasTable('knex_migrations')) ||
        !(await knex('knex_migrations')
          .where('name', '20261124010000_session_list_indexes.js')
          .first())
      ) {
        await migrateUpOnce(knex);
      }
      const at = Date.UTC(2026, 0, 1);
      await knex('sessions').insert(
        ['active', 'active', 'idle', 'disconnected'].map((status, i) => ({
          id: `00000000-0000-4000-8000-00000000010${i}`,
          user_ref: 'user:default/jane',
          resource_name: 'bastion',
          resource_type: 'ssh',
          source: 'bastion',
          external_id: `pid-1${i}`,
          status,
          started_at: at + i,
          last_activity_at: at,
        })),
      );
      await migrateUpOnce(knex);
      const totals = await knex('session_totals')
        .orderBy('status')
        .select('status', 'open_count', 'started_at_sum');
      expect(
        totals.map(row => [
          row.status,
          Number(row.open_count),
          Number(row.started_at_sum),
        ]),
      ).toEqual([
        ['active', 2, 2 * at + 1],
        ['idle', 1, at + 2],
        ['terminating', 0, 0],
      ]);
      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('session_totals')).toBe(false);
      expect(await knex('sessions').select('id')).toHaveLength(4);
    });

    it('20261202000000_utf8mb4_text stores any script and emoji, also where tables were made as utf8 (3-byte)', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const mysql = /mysql/.test(String(knex.client.config.client));
      if (mysql) {
        // Many servers default to utf8 (utf8mb3); the plugin's tables then are too.
        const [[{ name }]] = await knex.raw('select database() as name');
        await knex.raw('alter database ?? character set utf8mb3', [name]);
      }
      const mine = '20261202000000_utf8mb4_text.js';
      for (;;) {
        const [, pending] = await knex.migrate.list({
          directory: migrationsDir,
        });
        if (pending[0].file === mine) break;
        await migrateUpOnce(knex);
      }
      const at = Date.UTC(2026, 0, 1);
      const session = (id: string, resourceName: string) => ({
        id,
        user_ref: 'user:default/jane',
        resource_name: resourceName,
        resource_type: 'ssh',
        source: 'bastion',
        external_id: id,
        status: 'active',
        started_at: at,
        last_activity_at: at,
      });
      const before = '00000000-0000-4000-8000-000000000031';
      const after = '00000000-0000-4000-8000-000000000032';
      await knex('sessions').insert(session(before, 'Zürich 東京'));
      await knex('session_events').insert({
        session_id: before,
        event_type: 'started',
        to_status: 'active',
        created_at: at,
      });
      const emoji = await knex('sessions')
        .insert(session(after, 'deploy 🚀'))
        .then(
          () => 'stored',
          (error: Error) => error.message,
        );
      // Before it, such a MySQL table refuses an emoji (a 500 for the connector).
      expect(emoji).toMatch(mysql ? /Incorrect string value/ : /^stored$/);
      await knex('sessions').where('id', after).delete();

      await migrateUpOnce(knex);
      await knex('sessions').insert(session(after, 'deploy 🚀'));
      await knex('access_grants').insert({
        id: '00000000-0000-4000-9000-000000000031',
        kind: 'timed_access',
        user_ref: 'user:default/jane',
        target: '本番 DB 🗄️',
        target_type: 'database',
        reason: 'INC-42 🔥\nKöln',
        source: 'broker',
        external_id: 'g-31',
        status: 'active',
        starts_at: at,
        expires_at: at + 3_600_000,
      });
      expect(
        await knex('sessions').orderBy('id').select('resource_name'),
      ).toEqual([
        { resource_name: 'Zürich 東京' },
        { resource_name: 'deploy 🚀' },
      ]);
      expect(await knex('access_grants').select('target', 'reason')).toEqual([
        { target: '本番 DB 🗄️', reason: 'INC-42 🔥\nKöln' },
      ]);

      // The history still goes with its session: on MySQL the foreign key
      // was dropped for the conversion, and is back.
      await knex('sessions').where('id', before).delete();
      expect(await knex('session_events').select('id')).toEqual([]);

      // Down leaves the tables as they are: nothing is lost.
      await migrateDownOnce(knex);
      expect(
        (await knex('sessions').where('id', after).first()).resource_name,
      ).toBe('deploy 🚀');
    });

    it('every later migration goes down and up again with a flagged, recorded session in it', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const at = Date.UTC(2026, 0, 1);
      await knex('sessions').insert({
        id: '00000000-0000-4000-8000-000000000021',
        user_ref: 'user:default/jane',
        resource_name: 'win-jump-01',
        resource_type: 'rdp',
        source: 'rdp-gateway',
        external_id: 'rdp-21',
        status: 'active',
        started_at: at,
        last_activity_at: at,
        flags: 'new_device,new_country',
        flag_detail: 'new device: Pixel 8; new country: France',
        recording_url: 'https://recordings.example.com/rdp-21.mp4',
        recording_kind: 'video',
      });

      // Down to the first migration: each step keeps the session.
      for (let step = migrationFiles.length - 1; step > 0; step -= 1) {
        await migrateDownOnce(knex);
        expect(
          (await knex('sessions').select('id')).map(row => row.id),
        ).toEqual(['00000000-0000-4000-8000-000000000021']);
      }
      expect(await knex.schema.hasColumn('sessions', 'flags')).toBe(false);
      expect(await knex.schema.hasColumn('sessions', 'recording_url')).toBe(
        false,
      );

      // And up again: the columns come back empty on the row already there.
      await knex.migrate.latest({ directory: migrationsDir });
      expect(
        await knex('sessions').select(
          'flags',
          'recording_url',
          'recording_kind',
        ),
      ).toEqual([{ flags: null, recording_url: null, recording_kind: null }]);
    });
    it('20261207000000_session_reports keeps a report with any text, goes down and up again', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await migrateUpTo(knex, '20261207000000_session_reports.js');
      const at = Date.UTC(2026, 11, 7, 9, 30);
      const row = (id: string, reported: boolean) => ({
        id,
        user_ref: 'user:default/jane',
        resource_name: 'db-prod-1',
        resource_type: 'ssh',
        source: 'bastion',
        external_id: id.slice(-4),
        status: 'disconnected',
        started_at: at,
        last_activity_at: at,
        reported_at: reported ? at : null,
        report_note: reported ? 'Not me 🚫\nI was on leave (東京)' : null,
      });
      await knex('sessions').insert([
        row('00000000-0000-4000-8000-000000000031', true),
        row('00000000-0000-4000-8000-000000000032', false),
      ]);
      const reported = await knex('sessions')
        .whereNotNull('reported_at')
        .select('id', 'reported_at', 'report_note');
      expect(
        reported.map(r => [r.id, Number(r.reported_at), r.report_note]),
      ).toEqual([
        [
          '00000000-0000-4000-8000-000000000031',
          at,
          'Not me 🚫\nI was on leave (東京)',
        ],
      ]);

      await migrateDownOnce(knex);
      expect(await knex.schema.hasColumn('sessions', 'reported_at')).toBe(
        false,
      );
      expect(await knex.schema.hasColumn('sessions', 'report_note')).toBe(
        false,
      );
      expect(Number((await knex('sessions').count({ n: '*' }))[0].n)).toBe(2);

      await migrateUpOnce(knex);
      expect(
        await knex('sessions')
          .orderBy('id')
          .select('reported_at', 'report_note'),
      ).toEqual([
        { reported_at: null, report_note: null },
        { reported_at: null, report_note: null },
      ]);
    });

    it('20261210000000_status_keyset_indexes orders each status by its sort column and id, and goes down and up again', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      expect(migrationFiles.at(-1)).toBe(
        '20261210000000_status_keyset_indexes.js',
      );
      expect(await indexColumns(knex, 'sessions_status_activity_idx')).toEqual([
        'status',
        'last_activity_at',
        'id',
      ]);
      expect(await indexColumns(knex, 'sessions_status_started_idx')).toEqual([
        'status',
        'started_at',
        'id',
      ]);

      await migrateDownOnce(knex);
      expect(await indexColumns(knex, 'sessions_status_activity_idx')).toEqual([
        'status',
        'last_activity_at',
      ]);
      expect(await indexColumns(knex, 'sessions_status_started_idx')).toEqual([
        'status',
        'started_at',
      ]);
      await migrateUpOnce(knex);
      expect(await indexColumns(knex, 'sessions_status_started_idx')).toEqual([
        'status',
        'started_at',
        'id',
      ]);
    });

    it('20261209000000_idle_warnings_due keeps what the sweep owes, per person, and goes down and up again', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await migrateUpTo(knex, '20261209000000_idle_warnings_due.js');
      const owed = (sessionId: string, userRef: string) => ({
        session_id: sessionId,
        user_ref: userRef,
        warned_at: Date.UTC(2026, 11, 9),
      });
      await knex('idle_warnings_due').insert([
        owed('00000000-0000-4000-8000-000000000001', 'user:default/jörg'),
        owed('00000000-0000-4000-8000-000000000002', 'user:default/jörg'),
      ]);
      expect(
        (
          await knex('idle_warnings_due')
            .where('user_ref', 'user:default/jörg')
            .orderBy('id')
            .select()
        ).map(row => [row.session_id, Number(row.warned_at)]),
      ).toEqual([
        ['00000000-0000-4000-8000-000000000001', Date.UTC(2026, 11, 9)],
        ['00000000-0000-4000-8000-000000000002', Date.UTC(2026, 11, 9)],
      ]);

      await knex.migrate.down({
        directory: migrationsDir,
        name: '20261209000000_idle_warnings_due.js',
      });
      expect(await knex.schema.hasTable('idle_warnings_due')).toBe(false);
      await migrateUpOnce(knex);
      expect(await knex('idle_warnings_due').select()).toEqual([]);
    });

    it('20261208000000_personal_timeouts keeps one choice per person, goes down and up again', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      while (
        !(await knex.schema.hasTable('knex_migrations')) ||
        !(await knex('knex_migrations')
          .where('name', '20261208000000_personal_timeouts.js')
          .first())
      ) {
        await migrateUpOnce(knex);
      }
      const choice = (idle: number) => ({
        user_ref: 'user:default/jane',
        idle_after_ms: idle,
        disconnect_after_ms: 8 * 3_600_000,
        updated_at: Date.UTC(2026, 11, 8),
      });
      await knex('personal_timeouts').insert(choice(600_000));
      await expect(
        knex('personal_timeouts').insert(choice(900_000)),
      ).rejects.toThrow();
      expect(
        (await knex('personal_timeouts').select()).map(row => [
          row.user_ref,
          Number(row.idle_after_ms),
          Number(row.disconnect_after_ms),
        ]),
      ).toEqual([['user:default/jane', 600_000, 8 * 3_600_000]]);

      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('personal_timeouts')).toBe(false);
      await migrateUpOnce(knex);
      expect(await knex('personal_timeouts').select()).toEqual([]);
    });

    it('20261204000000_canonical_mfa_refs re-keys enrolments made under a capitalised ref', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      while (
        !(await knex.schema.hasTable('knex_migrations')) ||
        !(await knex('knex_migrations')
          .where('name', '20261203000000_exact_connector_ids.js')
          .first())
      ) {
        await migrateUpOnce(knex);
      }
      const enrolment = (userRef: string, createdAt: number) => ({
        user_ref: userRef,
        secret_ciphertext: `secret of ${userRef}`,
        status: 'active',
        created_at: createdAt,
      });
      await knex('mfa_enrolments').insert([
        enrolment('user:default/JaneDoe', 1),
        enrolment('user:default/ann', 1),
      ]);
      await knex('mfa_recovery_codes').insert([
        { user_ref: 'user:default/JaneDoe', code_hash: 'h1' },
        { user_ref: 'user:default/JaneDoe', code_hash: 'h2' },
        { user_ref: 'user:default/ann', code_hash: 'h3' },
      ]);
      await knex('mfa_failures').insert({
        user_ref: 'user:default/JaneDoe',
        at: 5,
      });

      await migrateUpOnce(knex);
      const enrolments = await knex('mfa_enrolments')
        .orderBy('user_ref')
        .select('user_ref', 'secret_ciphertext');
      expect(enrolments).toEqual([
        {
          user_ref: 'user:default/ann',
          secret_ciphertext: 'secret of user:default/ann',
        },
        {
          user_ref: 'user:default/janedoe',
          secret_ciphertext: 'secret of user:default/JaneDoe',
        },
      ]);
      const codes = await knex('mfa_recovery_codes')
        .orderBy('code_hash')
        .select('user_ref', 'code_hash');
      expect(codes.map(row => row.user_ref)).toEqual([
        'user:default/janedoe',
        'user:default/janedoe',
        'user:default/ann',
      ]);
      expect(await knex('mfa_failures').select('user_ref')).toEqual([
        { user_ref: 'user:default/janedoe' },
      ]);
    });

    it('replicas starting together on an empty database both come up', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      // A second pool, as a second replica has (SQLite in memory has one
      // database per connection, so there it shares the first).
      const other =
        databaseId === 'SQLITE_3' ? knex : knexFactory(knex.client.config);
      try {
        await Promise.all([
          migrateLatest(knex),
          migrateLatest(other),
          migrateLatest(knex),
        ]);
        const applied = await knex('knex_migrations').select('name');
        expect(applied.map(row => row.name).sort()).toEqual(migrationFiles);
      } finally {
        if (other !== knex) await other.destroy();
      }
    });

    it('a replica waits while another one holds the migration lock, then migrates', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await migrateLatest(knex);
      await migrateDownOnce(knex);
      // Another replica is migrating.
      await knex('knex_migrations_lock').update({ is_locked: 1 });
      const logger = mockServices.logger.mock();
      const migrating = migrateLatest(knex, { logger });
      await waitUntil(() => logger.info.mock.calls.length > 0);
      expect(logger.info).toHaveBeenCalledWith(
        'Waiting for another replica to finish the sessions migrations',
      );
      await knex('knex_migrations_lock').update({ is_locked: 0 });
      await migrating;
      const applied = await knex('knex_migrations').select('name');
      expect(applied.map(row => row.name).sort()).toEqual(migrationFiles);
    });

    it('a second lock row left by replicas racing on an empty database does not lock the migrations for good', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await migrateLatest(knex);
      await migrateDownOnce(knex);
      // Both racers inserted knex's lock row: knex can never lock again.
      await knex('knex_migrations_lock').insert({ is_locked: 0 });
      await migrateLatest(knex, { lockWaitMs: 10_000 });
      const applied = await knex('knex_migrations').select('name');
      expect(applied.map(row => row.name).sort()).toEqual(migrationFiles);
      expect(await knex('knex_migrations_lock').select('is_locked')).toEqual([
        { is_locked: 0 },
      ]);
    });

    it('a lock left by a killed migration fails the start with how to release it', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await migrateLatest(knex);
      await migrateDownOnce(knex);
      await knex('knex_migrations_lock').update({ is_locked: 1 });
      await expect(migrateLatest(knex, { lockWaitMs: 1_000 })).rejects.toThrow(
        /stayed locked for 1 s.*UPDATE knex_migrations_lock SET is_locked = 0/,
      );
      // Nothing was migrated past the lock.
      const applied = await knex('knex_migrations').select('name');
      expect(applied).toHaveLength(migrationFiles.length - 1);
    });
  });
});
