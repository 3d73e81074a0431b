import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import { tokenProof } from '@active-sessions/plugin-sessions-node';
import { KnexRetentionStore } from './KnexRetentionStore';
import { KnexSignOutStore } from './KnexSignOutStore';
import { KnexUserLockStore } from './KnexUserLockStore';

jest.setTimeout(60_000);

const JANE = 'user:default/jane';
const BOB = 'user:default/bob';
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 23, 12, 0);

describe('KnexSignOutStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('lists portal sign-ins ended within the token lifetime, and every offboarded person', async () => {
      const { knex, store } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const signOuts = new KnexSignOutStore(knex);
      const locks = new KnexUserLockStore(knex);
      const signIn = (externalId: string, startedAt: number) =>
        newSession({
          source: 'portal',
          externalId,
          resourceType: 'portal',
          startedAt,
        });
      await store.insertSessions(
        [
          signIn('old', NOW - 3 * HOUR),
          signIn('recent', NOW - 2 * HOUR),
          signIn('open', NOW - HOUR),
          signIn('confirmed', NOW - HOUR),
          // An SSH session with the same external id is no sign-in.
          newSession({ externalId: 'recent-ssh', startedAt: NOW - HOUR }),
        ],
        'connector:portal',
      );
      const end = (externalIds: string[], at: number, source = 'portal') =>
        store.endSessions(
          { source, externalIds },
          { reason: 'user', endedBy: JANE, at, orderConnector: true },
        );
      await end(['old'], NOW - 2 * HOUR);
      await end(['recent'], NOW - 10_000);
      await end(['recent-ssh'], NOW - 10_000, 'bastion');
      // Confirmed by the connector: disconnected, still refused.
      await store.endSessions(
        { source: 'portal', externalIds: ['confirmed'] },
        {
          reason: 'connector',
          endedBy: JANE,
          at: NOW - 5000,
          orderConnector: false,
        },
      );
      await locks.lock(BOB, 'user:default/admin', NOW - 60_000);
      // Unlocked again: the lock's time stays the cutoff.
      await locks.lock(JANE, 'user:default/admin', NOW - 30_000);
      await locks.unlock(JANE);

      const list = await signOuts.readSignOuts(NOW - HOUR, NOW);
      expect(list.endedSignIns.sort()).toEqual(['confirmed', 'recent']);
      expect(list.endedTokenProofs).toEqual([]);
      expect(Object.fromEntries(list.notBefore)).toEqual({
        [BOB]: Infinity,
        [JANE]: NOW - 30_000,
      });
      // Cutoffs older than the token lifetime concern no live token.
      expect(
        (await signOuts.readSignOuts(NOW, NOW)).notBefore.get(JANE),
      ).toBeUndefined();
    });

    it('lists the live tokens of ended sign-ins, exactly as recorded, and forgets tokens once they expire', async () => {
      const { knex, store } = await migratedStore(
        databases,
        databaseId as TestDatabaseId,
      );
      const signOuts = new KnexSignOutStore(knex);
      await store.insertSessions(
        ['phone', 'laptop', 'Phone'].map(externalId =>
          newSession({
            source: 'portal',
            externalId,
            resourceType: 'portal',
            startedAt: NOW - HOUR,
          }),
        ),
        'connector:portal',
      );
      // A connector's session with the phone's id is no sign-in.
      await store.insertSessions(
        [newSession({ externalId: 'phone', startedAt: NOW - HOUR })],
        'connector:bastion',
      );
      const record = (sid: string, proof: string, expiresAt: number) =>
        signOuts.recordTokenProof({ sid, proof, expiresAt });
      const live = tokenProof('phone-live');
      const expired = tokenProof('phone-expired');
      // Base64url is case-sensitive: these are two tokens.
      const upper = 'A'.repeat(43);
      const lower = 'a'.repeat(43);
      await record('phone', live, NOW + HOUR);
      // Reported twice: harmless.
      await record('phone', live, NOW + HOUR);
      await record('phone', expired, NOW - 1000);
      await record('phone', upper, NOW + HOUR);
      await record('phone', lower, NOW + HOUR);
      await record('laptop', tokenProof('laptop'), NOW + HOUR);
      // Another sign-in whose id differs only in case.
      await record('Phone', tokenProof('other-phone'), NOW + HOUR);

      const read = () => signOuts.readSignOuts(NOW - HOUR, NOW);
      expect((await read()).endedTokenProofs).toEqual([]);

      await store.endSessions(
        { source: 'portal', externalIds: ['phone'] },
        {
          reason: 'user',
          endedBy: JANE,
          at: NOW - 5000,
          orderConnector: true,
        },
      );
      expect((await read()).endedTokenProofs.sort()).toEqual(
        [live, upper, lower].sort(),
      );

      // Retention forgets expired tokens, and only those.
      const retention = new KnexRetentionStore(knex);
      expect(await retention.deleteExpiredTokenProofs(NOW, 1)).toBe(1);
      const left = await knex('sign_in_token_proofs').pluck('proof');
      expect(left.sort()).toEqual(
        [
          live,
          upper,
          lower,
          tokenProof('laptop'),
          tokenProof('other-phone'),
        ].sort(),
      );
      // Once they expire, they are neither listed nor kept.
      const later = NOW + HOUR;
      expect(
        (await signOuts.readSignOuts(NOW - HOUR, later)).endedTokenProofs,
      ).toEqual([]);
      expect(await retention.deleteExpiredTokenProofs(later, 2)).toBe(5);
      expect(await knex('sign_in_token_proofs').pluck('proof')).toEqual([]);
    });
  });
});
