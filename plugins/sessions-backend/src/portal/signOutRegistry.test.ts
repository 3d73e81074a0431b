import { tokenProof } from '@active-sessions/plugin-sessions-node';
import { SignOutRegistry } from './signOutRegistry';

const segment = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (typ: string, claims: object, signature = 'sig') =>
  [segment({ typ, alg: 'ES256' }), segment(claims), signature].join('.');
/** The `uip` of the phone's ended sign-in's token: 64 bytes, as ES256 signs. */
const PHONE_UIP = Buffer.alloc(64, 1).toString('base64url');

const JANE = 'user:default/jane';
const NOW = Date.UTC(2026, 10, 23, 12, 0);
const iat = (ms: number) => Math.floor(ms / 1000);

describe('SignOutRegistry', () => {
  const registry = (whenUnavailable: 'allow' | 'deny' = 'allow') => {
    let now = NOW;
    const r = new SignOutRegistry({
      staleAfterMs: 10_000,
      whenUnavailable,
      now: () => now,
    });
    r.update({
      endedSignIns: ['phone'],
      endedTokenProofs: [tokenProof(PHONE_UIP)],
      notBefore: new Map([
        [JANE, NOW - 60_000],
        ['user:default/bob', Infinity],
      ]),
    });
    return { r, later: (ms: number) => (now += ms) };
  };

  it('refuses a user token whose sign-in was ended, and lets the others through', () => {
    const { r } = registry();
    const user = (sid: string) =>
      token('vnd.backstage.user', { sub: JANE, sid, iat: iat(NOW) });
    expect(() => r.check(user('phone'))).toThrow(/ended from Active Sessions/);
    expect(() => r.check(user('laptop'))).not.toThrow();
  });

  it('refuses a limited token made from a token of an ended sign-in, and lets the others through', () => {
    const { r } = registry();
    // A limited token's signature part is its full token's uip.
    const limited = (signature: string) =>
      token(
        'vnd.backstage.limited-user',
        { sub: JANE, iat: iat(NOW) },
        signature,
      );
    expect(() => r.check(limited(PHONE_UIP))).toThrow(
      /ended from Active Sessions/,
    );
    const laptopUip = Buffer.alloc(64, 2).toString('base64url');
    expect(() => r.check(limited(laptopUip))).not.toThrow();
  });

  it('refuses the tokens of an offboarded user whose catalog name has capitals, also without a sign-in id', () => {
    const { r } = registry();
    const mixed = (typ: string) =>
      token(typ, { sub: 'user:default/Bob', iat: iat(NOW) });
    expect(() => r.check(mixed('vnd.backstage.user'))).toThrow(
      /cutoff|sign in again/,
    );
    expect(() => r.check(mixed('vnd.backstage.limited-user'))).toThrow(
      /sign in again/,
    );
    const janeDoe = token('vnd.backstage.user', {
      sub: 'user:default/JANE',
      iat: iat(NOW - 120_000),
    });
    expect(() => r.check(janeDoe)).toThrow(/sign in again/);
  });

  it("refuses tokens issued before their user's cutoff, also limited ones without a sign-in id", () => {
    const { r } = registry();
    const limited = (issuedAt: number, sub = JANE) =>
      token('vnd.backstage.limited-user', { sub, iat: iat(issuedAt) });
    expect(() => r.check(limited(NOW - 120_000))).toThrow(/issued before/);
    expect(() => r.check(limited(NOW))).not.toThrow();
    // Locked: however fresh the token.
    expect(() => r.check(limited(NOW, 'user:default/bob'))).toThrow();
  });

  it('leaves service tokens and anything it cannot read to the verifiers', () => {
    const { r } = registry();
    expect(() =>
      r.check(
        token('vnd.backstage.plugin', { sub: 'plugin:catalog', sid: 'phone' }),
      ),
    ).not.toThrow();
    expect(() => r.check('not-a-jwt')).not.toThrow();
  });

  it('fails open or closed, as configured, once the list is out of date', () => {
    const fresh = token('vnd.backstage.user', {
      sub: JANE,
      sid: 'laptop',
      iat: iat(NOW),
    });
    const open = registry('allow');
    const closed = registry('deny');
    expect(() => closed.r.check(fresh)).not.toThrow();
    open.later(11_000);
    closed.later(11_000);
    expect(open.r.isCurrent()).toBe(false);
    expect(() => open.r.check(fresh)).not.toThrow();
    expect(() => closed.r.check(fresh)).toThrow(/cannot tell/);
    // Refreshed again: back to normal.
    closed.r.update({
      endedSignIns: [],
      endedTokenProofs: [],
      notBefore: new Map(),
    });
    expect(() => closed.r.check(fresh)).not.toThrow();
  });
});
