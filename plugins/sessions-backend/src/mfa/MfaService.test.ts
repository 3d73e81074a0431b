import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { BackstageUserPrincipal } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { KnexMfaStore } from '../database/KnexMfaStore';
import { migrationsDir } from '../database/migrations';
import { createTestDatabases } from '../__testUtils__/databases';
import { MfaService } from './MfaService';
import { totpCode } from './totp';

jest.setTimeout(60_000);

const JANE: BackstageUserPrincipal = {
  type: 'user',
  userEntityRef: 'user:default/jane',
};
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const STEP = 30_000;
const KEY = Buffer.alloc(32, 9);

function service(
  knex: Knex,
  clock: { now: number },
  maxFailures = 5,
  auditor = mockServices.auditor.mock(),
) {
  return new MfaService({
    store: new KnexMfaStore(knex),
    mfa: {
      encryptionKey: KEY,
      previousEncryptionKeys: [],
      issuer: 'Test Portal',
      lockout: { maxFailures, windowMs: 15 * 60_000, durationMs: 15 * 60_000 },
    },
    stepUp: { enabled: true, maxAgeMs: 5 * 60_000, actions: [] },
    auditor,
    now: () => clock.now,
  });
}

async function enrolled(knex: Knex, clock: { now: number }) {
  const mfa = service(knex, clock);
  const { secret, otpauthUri } = await mfa.startEnrolment(JANE);
  const { recoveryCodes } = await mfa.activate(
    JANE,
    await totpCode(secret, clock.now),
  );
  return { mfa, secret, otpauthUri, recoveryCodes };
}

describe('MfaService', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    beforeEach(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      await knex.migrate.latest({ directory: migrationsDir });
    });

    it('enrols with a QR URI and a first code, storing the secret only encrypted', async () => {
      const clock = { now: T0 };
      const mfa = service(knex, clock);
      const { secret, otpauthUri } = await mfa.startEnrolment(JANE);
      expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Test%20Portal:/);
      expect(otpauthUri).toContain(`secret=${secret}`);
      // Pending until a first valid code.
      expect((await mfa.status(JANE)).enrolled).toBe(false);
      await expect(mfa.activate(JANE, '000000')).rejects.toThrow(
        'body.code: not a valid code',
      );

      const { recoveryCodes } = await mfa.activate(
        JANE,
        await totpCode(secret, T0),
      );

      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      expect(await mfa.status(JANE)).toMatchObject({
        enrolled: true,
        recoveryCodesLeft: 10,
      });
      const [row] = await knex('mfa_enrolments').select();
      expect(JSON.stringify(row)).not.toContain(secret);
      const hashes = await knex('mfa_recovery_codes').select('code_hash');
      for (const code of recoveryCodes) {
        expect(JSON.stringify(hashes)).not.toContain(code);
      }
    });

    it('hands out a proof for a code, and never accepts the same code twice', async () => {
      const clock = { now: T0 };
      const { mfa, secret } = await enrolled(knex, clock);
      clock.now = T0 + STEP;
      const code = await totpCode(secret, clock.now);

      const { proof, expiresAt } = await mfa.verify(JANE, { code });

      expect(Date.parse(expiresAt)).toBe(clock.now + 5 * 60_000);
      expect(await mfa.hasFreshProof(JANE.userEntityRef, proof)).toBe(true);
      expect(await mfa.hasFreshProof('user:default/bob', proof)).toBe(false);
      clock.now += 5 * 60_000;
      expect(await mfa.hasFreshProof(JANE.userEntityRef, proof)).toBe(false);
      clock.now = T0 + STEP + 1000;
      await expect(mfa.verify(JANE, { code })).rejects.toThrow(
        'body.code: not a valid code',
      );
      // The activation code's step is spent too.
      await expect(
        mfa.verify(JANE, { code: await totpCode(secret, T0) }),
      ).rejects.toThrow('not a valid code');
    });

    it('takes each recovery code once', async () => {
      const clock = { now: T0 };
      const { mfa, recoveryCodes } = await enrolled(knex, clock);
      const typed = recoveryCodes[3].toLowerCase();

      await mfa.verify(JANE, { recoveryCode: typed });
      await expect(
        mfa.verify(JANE, { recoveryCode: recoveryCodes[3] }),
      ).rejects.toThrow('not a valid code');
      expect((await mfa.status(JANE)).recoveryCodesLeft).toBe(9);
    });

    it('disables only with a valid code', async () => {
      const clock = { now: T0 };
      const { mfa, secret } = await enrolled(knex, clock);
      await expect(mfa.disable(JANE, { code: '123456' })).rejects.toThrow(
        'not a valid code',
      );
      expect((await mfa.status(JANE)).enrolled).toBe(true);
      clock.now = T0 + STEP;
      await mfa.disable(JANE, { code: await totpCode(secret, clock.now) });
      expect((await mfa.status(JANE)).enrolled).toBe(false);
      expect(await knex('mfa_recovery_codes').select()).toEqual([]);
    });
    it.each([
      ['codes', { code: '000000' }],
      ['recovery codes', { recoveryCode: 'aaaaa-bbbbb' }],
    ])(
      'counts 50 parallel wrong %s one by one and checks no more than five',
      async (_, factor) => {
        const clock = { now: T0 };
        const { secret } = await enrolled(knex, clock);
        clock.now += STEP;
        const auditor = mockServices.auditor.mock();
        const mfa = service(knex, clock, 5, auditor);
        const outcomes = await Promise.all(
          Array.from({ length: 50 }, () =>
            mfa.verify(JANE, factor).then(
              () => 'accepted',
              (error: Error) => error.message.replace(/after .*/, 'after …'),
            ),
          ),
        );
        const tally = new Map<string, number>();
        for (const outcome of outcomes) {
          tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
        }
        expect(Object.fromEntries(tally)).toEqual({
          'body.code: not a valid code': 4,
          'Too many wrong codes; try again after …': 46,
        });
        // Only the five reserved attempts were looked at (and audited).
        const checked = auditor.createEvent.mock.calls.filter(
          ([event]) => event.eventId === 'mfa-step-up',
        );
        expect(checked).toHaveLength(5);
        // Locked, even for the right code.
        await expect(
          mfa.verify(JANE, { code: await totpCode(secret, clock.now) }),
        ).rejects.toThrow(/Too many wrong codes/);
      },
    );

    it('voids proofs when two-factor is turned off or enrolled again', async () => {
      const clock = { now: T0 };
      const { mfa, secret } = await enrolled(knex, clock);
      clock.now += STEP;
      const { proof } = await mfa.verify(JANE, {
        code: await totpCode(secret, clock.now),
      });
      expect(await mfa.hasFreshProof(JANE.userEntityRef, proof)).toBe(true);

      clock.now += STEP;
      await mfa.disable(JANE, { code: await totpCode(secret, clock.now) });
      expect(await mfa.hasFreshProof(JANE.userEntityRef, proof)).toBe(false);

      clock.now += STEP;
      const again = await mfa.startEnrolment(JANE);
      await mfa.activate(JANE, await totpCode(again.secret, clock.now));
      expect(await mfa.hasFreshProof(JANE.userEntityRef, proof)).toBe(false);
    });
  });

  it('locks after five failures in the window, across two replicas on PostgreSQL', async () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    const id = (
      ids.includes('POSTGRES_15') ? 'POSTGRES_15' : ids[0]
    ) as TestDatabaseId;
    const knex = await databases.init(id);
    await knex.migrate.latest({ directory: migrationsDir });
    const clock = { now: T0 };
    const { secret } = await enrolled(knex, clock);
    // Two backend replicas, each with its own store on the same database.
    const first = service(knex, clock);
    const second = service(knex, clock);

    for (const replica of [first, second, first, second]) {
      clock.now += 1000;
      await expect(replica.verify(JANE, { code: '000000' })).rejects.toThrow(
        'not a valid code',
      );
    }
    clock.now += 1000;
    await expect(first.verify(JANE, { code: '000000' })).rejects.toThrow(
      /Too many wrong codes/,
    );

    // Locked everywhere, even for the right code.
    clock.now += STEP;
    await expect(
      second.verify(JANE, { code: await totpCode(secret, clock.now) }),
    ).rejects.toThrow(/Too many wrong codes/);
    expect((await second.status(JANE)).lockedUntil).not.toBeNull();

    // After the lock, the right code works again.
    clock.now += 15 * 60_000;
    await expect(
      second.verify(JANE, { code: await totpCode(secret, clock.now) }),
    ).resolves.toHaveProperty('proof');
  });
});
