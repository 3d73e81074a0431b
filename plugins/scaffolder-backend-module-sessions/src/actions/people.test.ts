import { parsePeople, secondFactor } from './people';

describe('parsePeople', () => {
  it('canonicalises user entity refs and drops repeats, keeping the order', () => {
    expect(
      parsePeople([
        ' user:default/Jane.Doe ',
        'user:default/bob',
        'USER:default/jane.doe',
      ]),
    ).toEqual(['user:default/jane.doe', 'user:default/bob']);
  });

  it('refuses bare names, other kinds and malformed refs, naming each', () => {
    expect(() =>
      parsePeople(['jane.doe', 'user:default/ok', 'component:default/x', '']),
    ).toThrow(
      'Invalid input to sessions:offboard: people[0] "jane.doe" must be a user entity ref such as user:default/jane.doe; people[2] "component:default/x" is a component, not a user; offboarding takes people (kind user); people[3] "" must be a user entity ref such as user:default/jane.doe. Nothing was changed.',
    );
  });

  it('shows at most the start of a long refused value', () => {
    expect(() => parsePeople(['x'.repeat(500)])).toThrow(
      `people[0] "${'x'.repeat(80)}…" must be`,
    );
  });
});

describe('secondFactor', () => {
  it('takes six digits, spaces allowed, as a current code', () => {
    expect(secondFactor('123 456')).toEqual({ code: '123456' });
    expect(secondFactor(' 654321\n')).toEqual({ code: '654321' });
  });

  it('takes anything else as a recovery code', () => {
    expect(secondFactor(' abcd-efgh-1234 ')).toEqual({
      recoveryCode: 'abcd-efgh-1234',
    });
    expect(secondFactor('12345')).toEqual({ recoveryCode: '12345' });
  });
});
