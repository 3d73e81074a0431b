import { TestDatabaseId } from '@backstage/backend-test-utils';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  createTestDatabases,
  migratedStore,
  newGrant,
  newSession,
} from '../__testUtils__/databases';
import {
  grantConditions,
  grantRules,
  sessionConditions,
  sessionRules,
} from '@active-sessions/plugin-sessions-node';
import { KnexManagedMembersStore } from './KnexManagedMembersStore';

jest.setTimeout(60_000);

const MARIA = 'user:default/maria';
const LEADS = 'group:default/leads';
const JANE = 'user:default/jane';
const CAROL = 'user:default/carol';
const BOB = 'user:default/bob';

const toSessionFilter = createConditionTransformer(Object.values(sessionRules));
const toGrantFilter = createConditionTransformer(Object.values(grantRules));

describe('KnexManagedMembersStore and the IS_MANAGED_BY rules in SQL', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const setup = async () => {
      const { knex, store, grants } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const managers = new KnexManagedMembersStore(knex);
      for (const userRef of [MARIA, JANE, CAROL, BOB]) {
        await store.insertSessions(
          [newSession({ userRef }), newSession({ userRef })],
          'connector:bastion',
        );
        await grants.insertGrants(
          [newGrant({ userRef })],
          'connector:priv-broker',
        );
      }
      // Maria manages Jane and Carol; the leads group manages Bob.
      await managers.replaceAll([
        { managerRef: MARIA, memberRef: JANE },
        { managerRef: MARIA, memberRef: CAROL },
        { managerRef: LEADS, memberRef: BOB },
      ]);
      const usersOfSessions = async (
        access: PermissionCriteria<any>,
      ): Promise<string[]> =>
        (
          await store.listSessions({
            access,
            sort: 'startedAt',
            order: 'asc',
            limit: 100,
          })
        )
          .map(session => session.userRef)
          .sort();
      const usersOfGrants = async (
        access: PermissionCriteria<any>,
      ): Promise<string[]> =>
        (
          await grants.listGrants({
            access,
            sort: 'expiresAt',
            order: 'asc',
            limit: 100,
          })
        )
          .map(grant => grant.userRef)
          .sort();
      return { managers, usersOfSessions, usersOfGrants };
    };

    it("lists exactly a manager's people's sessions and grants, none of anyone else's", async () => {
      const { usersOfSessions, usersOfGrants } = await setup();
      const claims = [MARIA];
      expect(
        await usersOfSessions(
          toSessionFilter(sessionConditions.isManagedBy({ claims })),
        ),
      ).toEqual([CAROL, CAROL, JANE, JANE]);
      expect(
        await usersOfGrants(
          toGrantFilter(grantConditions.isGrantManagedBy({ claims })),
        ),
      ).toEqual([CAROL, JANE]);
      // As the example policy combines them: their own, and their people's.
      expect(
        await usersOfSessions(
          toSessionFilter({
            anyOf: [
              sessionConditions.isSessionOwner({ claims }),
              sessionConditions.isManagedBy({ claims }),
            ],
          }),
        ),
      ).toEqual([CAROL, CAROL, JANE, JANE, MARIA, MARIA]);
      // A group among the claims manages through the group.
      expect(
        await usersOfGrants(
          toGrantFilter(
            grantConditions.isGrantManagedBy({
              claims: ['user:default/omar', LEADS.toUpperCase()],
            }),
          ),
        ),
      ).toEqual([BOB]);
      // Managing no one is seeing nothing.
      expect(
        await usersOfSessions(
          toSessionFilter(sessionConditions.isManagedBy({ claims: [JANE] })),
        ),
      ).toEqual([]);
    });

    it('follows the catalog: a replaced mirror changes who is managed, touching only what changed', async () => {
      const { managers, usersOfSessions } = await setup();
      // Carol moved to Bob's team; Dan joined Maria's.
      const change = await managers.replaceAll([
        { managerRef: MARIA, memberRef: JANE },
        { managerRef: MARIA, memberRef: 'user:default/dan' },
        { managerRef: LEADS, memberRef: BOB },
        { managerRef: LEADS, memberRef: CAROL },
      ]);
      expect(change).toEqual({ added: 2, removed: 1 });
      expect(
        await usersOfSessions(
          toSessionFilter(sessionConditions.isManagedBy({ claims: [MARIA] })),
        ),
      ).toEqual([JANE, JANE]);
      expect(
        await managers.managersOf([CAROL, BOB, 'user:default/nobody']),
      ).toEqual(
        new Map([
          [CAROL, [LEADS]],
          [BOB, [LEADS]],
        ]),
      );
      expect(
        await managers.replaceAll([
          { managerRef: MARIA, memberRef: JANE },
          { managerRef: MARIA, memberRef: 'user:default/dan' },
          { managerRef: LEADS, memberRef: BOB },
          { managerRef: LEADS, memberRef: CAROL },
        ]),
      ).toEqual({ added: 0, removed: 0 });
    });

    it('tells whether claims manage anyone but the caller', async () => {
      const { managers } = await setup();
      expect(await managers.managesAnyoneBut([MARIA], MARIA)).toBe(true);
      expect(await managers.managesAnyoneBut([JANE, CAROL], JANE)).toBe(false);
      // Leads manage Bob alone: not anyone else, to Bob.
      expect(await managers.managesAnyoneBut([BOB, LEADS], BOB)).toBe(false);
      expect(await managers.managesAnyoneBut([JANE, LEADS], JANE)).toBe(true);
      // MySQL's collations take accented names for plain ones.
      await managers.replaceAll([
        { managerRef: LEADS, memberRef: 'user:default/josé' },
      ]);
      expect(
        await managers.managesAnyoneBut([LEADS], 'user:default/jose'),
      ).toBe(true);
      expect(
        await managers.managesAnyoneBut([LEADS], 'user:default/josé'),
      ).toBe(false);
      expect(await managers.managesAnyoneBut([], MARIA)).toBe(false);
    });
  });
});
