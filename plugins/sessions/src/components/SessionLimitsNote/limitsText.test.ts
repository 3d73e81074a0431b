import { limitsText } from './limitsText';

describe('limitsText', () => {
  it('says the limit, the kinds with their own, and what happens past it', () => {
    expect(
      limitsText({ maxPerUser: 5, perType: { ssh: 1 }, onExceed: 'deny' }),
    ).toBe(
      'You may hold at most 5 open sessions (SSH: 1). Past that, a new session is refused.',
    );
    expect(
      limitsText({
        maxPerUser: null,
        perType: { portal: 3 },
        onExceed: 'endOldest',
      }),
    ).toBe(
      'You may hold at most this many open sessions of a kind: Portal sign-in: 3. Past that, a new session ends your oldest one.',
    );
  });

  it('says nothing without limits', () => {
    expect(
      limitsText({ maxPerUser: null, perType: {}, onExceed: 'deny' }),
    ).toBeUndefined();
  });
});
