import { Knex } from 'knex';
import { ManagedMember, ManagedMembersStore } from './ManagedMembersStore';
import { chunks, insertChunked } from './sqlHelpers';

const TABLE = 'managed_members';

const key = (pair: ManagedMember) => `${pair.managerRef}\n${pair.memberRef}`;

/**
 * Narrows a query to rows whose user (in `userColumn`) is managed by one of
 * `managerRefs`: a semi-join on the mirrored table, so a permission rule on
 * managers stays one SQL statement.
 */
export function whereManagedBy(
  query: Knex.QueryBuilder,
  userColumn: string,
  managerRefs: string[],
) {
  query.whereIn(userColumn, members =>
    members
      .select('member_ref')
      .from(TABLE)
      .whereIn('manager_ref', managerRefs),
  );
}

/** The {@link ManagedMembersStore} on any database knex speaks to. */
export class KnexManagedMembersStore implements ManagedMembersStore {
  constructor(private readonly db: Knex) {}

  async replaceAll(
    pairs: ManagedMember[],
  ): Promise<{ added: number; removed: number }> {
    const wanted = new Map(pairs.map(pair => [key(pair), pair]));
    return this.db.transaction(async trx => {
      const stored: ManagedMember[] = (
        await trx(TABLE).select('manager_ref', 'member_ref')
      ).map(row => ({
        managerRef: row.manager_ref,
        memberRef: row.member_ref,
      }));
      const storedKeys = new Set(stored.map(key));
      const removed = stored.filter(pair => !wanted.has(key(pair)));
      const added = [...wanted.values()].filter(
        pair => !storedKeys.has(key(pair)),
      );
      for (const chunk of chunks(removed)) {
        await trx(TABLE)
          .where(any => {
            for (const pair of chunk) {
              any.orWhere({
                manager_ref: pair.managerRef,
                member_ref: pair.memberRef,
              });
            }
          })
          .delete();
      }
      await insertChunked(
        trx,
        TABLE,
        added.map(pair => ({
          manager_ref: pair.managerRef,
          member_ref: pair.memberRef,
        })),
      );
      return { added: added.length, removed: removed.length };
    });
  }

  async managersOf(memberRefs: string[]): Promise<Map<string, string[]>> {
    const managers = new Map<string, string[]>();
    for (const chunk of chunks([...new Set(memberRefs)])) {
      const rows = await this.db(TABLE)
        .whereIn('member_ref', chunk)
        .orderBy('manager_ref')
        .select('manager_ref', 'member_ref');
      for (const row of rows) {
        const list = managers.get(row.member_ref) ?? [];
        list.push(row.manager_ref);
        managers.set(row.member_ref, list);
      }
    }
    return managers;
  }

  async managesAnyoneBut(
    managerRefs: string[],
    callerRef: string,
  ): Promise<boolean> {
    for (const chunk of chunks([...new Set(managerRefs)])) {
      const query = this.db(TABLE).whereIn('manager_ref', chunk);
      if (/mysql/.test(String(this.db.client.config.client))) {
        // Its collations ignore accents: `maría` is someone else all the same.
        query.whereRaw('?? collate utf8mb4_bin <> ?', [
          'member_ref',
          callerRef,
        ]);
      } else {
        query.whereNot('member_ref', callerRef);
      }
      if (await query.first('member_ref')) return true;
    }
    return false;
  }
}
