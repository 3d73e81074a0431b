import { TestDatabaseId } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { KnexSignInChallengeStore } from '../database/KnexSignInChallengeStore';
import { KnexSessionStore } from '../database/KnexSessionStore';
import { KnexRetentionStore } from '../database/KnexRetentionStore';
import {
  createTestDatabases,
  migratedStore,
  newSession,
} from '../__testUtils__/databases';
import { SignInSecondFactorService } from './SignInSecondFactorService';

jest.setTimeout(60_000);

const JANE = 'user:default/jane';
const MINUTE = 60_000;
const DEVICE = 'd'.repeat(43);
const OTHER_DEVICE = 'e'.repeat(43);

const janeCredentials = (userEntityRef = JANE) =>
  ({ principal: { type: 'user', userEntityRef } }) as any;

describe('SignInSecondFactorService', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let store: KnexSessionStore;
    let challenges: KnexSignInChallengeStore;
    let retention: KnexRetentionStore;
    let now: number;
    let enrolled: boolean;
    let codeIsGood: boolean;
    let audited: Array<{ outcome: string }>;

    const service = (secondFactor: 'never' | 'newDevice' | 'always') =>
      new SignInSecondFactorService({
        store: challenges,
        mfa: {
          isEnrolled: async () => enrolled,
          verifySignIn: async () => {
            if (!codeIsGood)
              throw new InputError('body.code: not a valid code');
          },
        },
        settings: {
          secondFactor,
          rememberDeviceMs: 30 * 24 * 60 * MINUTE,
          codeTimeoutMs: 5 * MINUTE,
        },
        auditor: {
          createEvent: async (options: any) => {
            audited.push(options.meta);
            return { success: async () => {}, fail: async () => {} };
          },
        } as any,
        now: () => now,
      });

    /** A new portal sign-in of Jane's, by its sid. */
    async function signIn(sid: string) {
      await store.insertSessions(
        [
          newSession({
            source: 'portal',
            externalId: sid,
            resourceType: 'portal',
            userRef: JANE,
            startedAt: now,
            lastActivityAt: now,
          }),
        ],
        'test',
      );
      return sid;
    }

    beforeEach(async () => {
      const db = await migratedStore(databases, databaseId as TestDatabaseId);
      store = db.store;
      challenges = new KnexSignInChallengeStore(db.knex);
      retention = new KnexRetentionStore(db.knex);
      now = Date.UTC(2026, 11, 1, 9, 0);
      enrolled = true;
      codeIsGood = true;
      audited = [];
    });

    it('asks a new sign-in of someone with two-factor on for the code, once', async () => {
      const sid = await signIn('sid-a');
      const first = await service('always').state({
        sid,
        deviceProof: DEVICE,
        decide: true,
      });
      expect(first).toEqual({
        signIn: 'open',
        awaitingCode: true,
        codeDueAt: new Date(now + 5 * MINUTE).toISOString(),
      });
      // A refresh reads it; deciding again does not move the deadline.
      now += MINUTE;
      expect(await service('always').state({ sid, decide: false })).toEqual(
        first,
      );
      expect(await service('always').state({ sid, decide: true })).toEqual(
        first,
      );
      expect(audited).toEqual([{ userRef: JANE, sid, outcome: 'challenged' }]);
    });

    it('asks nothing when it is off, of people without two-factor, or on a refresh', async () => {
      expect(
        await service('never').state({ sid: await signIn('s1'), decide: true }),
      ).toEqual({ signIn: 'open', awaitingCode: false });
      expect(
        await service('always').state({
          sid: await signIn('s2'),
          decide: false,
        }),
      ).toEqual({ signIn: 'open', awaitingCode: false });
      enrolled = false;
      expect(
        await service('always').state({
          sid: await signIn('s3'),
          decide: true,
        }),
      ).toEqual({ signIn: 'open', awaitingCode: false });
      expect(
        await service('always').state({ sid: 'no-such-sign-in', decide: true }),
      ).toEqual({ signIn: 'unknown', awaitingCode: false });
    });

    it('lets a good code through, remembers that browser for newDevice only, and never another', async () => {
      const sid = await signIn('sid-b');
      // The browser held OTHER_DEVICE and was given DEVICE to pass with.
      await service('newDevice').state({
        sid,
        deviceProof: OTHER_DEVICE,
        nextDeviceProof: DEVICE,
        decide: true,
      });
      await service('newDevice').verify(janeCredentials(), sid, {
        code: '123456',
      });
      expect(await service('newDevice').state({ sid, decide: false })).toEqual({
        signIn: 'open',
        awaitingCode: false,
      });
      // Passing twice changes nothing.
      await service('newDevice').verify(janeCredentials(), sid, {
        code: '123456',
      });
      expect(audited.map(event => event.outcome)).toEqual([
        'challenged',
        'passed',
      ]);

      // The same browser again: no code. Another browser: the code.
      const again = await signIn('sid-c');
      expect(
        await service('newDevice').state({
          sid: again,
          deviceProof: DEVICE,
          decide: true,
        }),
      ).toEqual({ signIn: 'open', awaitingCode: false });
      // Another browser, or the secret it held before it was given one
      // (someone may have planted it): the code.
      const other = await signIn('sid-d');
      expect(
        await service('newDevice').state({
          sid: other,
          deviceProof: OTHER_DEVICE,
          decide: true,
        }),
      ).toMatchObject({ awaitingCode: true });
      // 'always' asks the remembered browser too.
      const always = await signIn('sid-e');
      expect(
        await service('always').state({
          sid: always,
          deviceProof: DEVICE,
          decide: true,
        }),
      ).toMatchObject({ awaitingCode: true });
      // Remembered for 30 days, not 31; then retention forgets it.
      now += 31 * 24 * 60 * MINUTE;
      expect(await retention.deleteExpiredTrustedDevices(now, 10)).toBe(1);
      const later = await signIn('sid-f');
      expect(
        await service('newDevice').state({
          sid: later,
          deviceProof: DEVICE,
          decide: true,
        }),
      ).toMatchObject({ awaitingCode: true });
    });

    it('refuses a wrong code, a late one, and anyone but the sign-in’s person', async () => {
      const sid = await signIn('sid-g');
      await service('always').state({ sid, deviceProof: DEVICE, decide: true });

      codeIsGood = false;
      await expect(
        service('always').verify(janeCredentials(), sid, { code: '000000' }),
      ).rejects.toThrow('not a valid code');
      expect(audited.at(-1)).toEqual({
        userRef: JANE,
        sid,
        outcome: 'refused',
      });
      codeIsGood = true;

      // Jane in another spelling is Jane; Bob is not.
      await expect(
        service('always').verify(janeCredentials('user:default/bob'), sid, {
          code: '123456',
        }),
      ).rejects.toThrow(`body.sid: no sign-in of yours is ${sid}`);

      now += 6 * MINUTE;
      await expect(
        service('always').verify(janeCredentials('user:default/Jane'), sid, {
          code: '123456',
        }),
      ).rejects.toThrow('waited too long for its code');
      expect(
        await service('always').state({ sid, decide: false }),
      ).toMatchObject({ awaitingCode: true });
    });

    it('is ended by the sweep when no code came in time', async () => {
      const sid = await signIn('sid-h');
      await service('always').state({ sid, deviceProof: DEVICE, decide: true });
      const waiting = await signIn('sid-i');
      await service('always').state({
        sid: waiting,
        deviceProof: DEVICE,
        decide: true,
      });
      const sweep = (at: number) =>
        store.sweep({
          at,
          idleBefore: 0,
          warnBefore: 0,
          disconnectBefore: 0,
          startedBefore: 0,
          actor: 'sessions:sweep',
        });
      // Due in five minutes: not yet.
      expect((await sweep(now + 4 * MINUTE)).noCode).toBe(0);
      await service('always').verify(janeCredentials(), waiting, {
        code: '123456',
      });
      const counts = await sweep(now + 6 * MINUTE);
      expect(counts.noCode).toBe(1);
      const [ended] = await store.listSessions({
        source: 'portal',
        externalIds: [sid],
        sort: 'startedAt',
        order: 'desc',
        limit: 1,
      });
      expect(ended).toMatchObject({ endReason: 'second_factor' });
      // Its next token refresh reads it ended, and is refused.
      expect(await service('always').state({ sid, decide: false })).toEqual({
        signIn: 'ended',
        awaitingCode: false,
      });
      const [passed] = await store.listSessions({
        source: 'portal',
        externalIds: [waiting],
        sort: 'startedAt',
        order: 'desc',
        limit: 1,
      });
      expect(passed).toMatchObject({ status: 'active', codeDueAt: null });
      await expect(
        service('always').verify(janeCredentials(), sid, { code: '123456' }),
      ).rejects.toThrow('sign in again');
    });
  });
});
