import { safeText } from './safeText';

describe('safeText', () => {
  const name = safeText({ min: 1, max: 10 });
  const reason = safeText({ max: 20, multiline: true });

  it.each(['Zürich', '東京', 'deploy 🚀', 'Ελλάδα', 'a b'])(
    'keeps %p as it is',
    text => {
      expect(name.parse(text)).toBe(text);
    },
  );

  it.each([
    ['NUL', 'a\u0000b'],
    ['escape', 'a\u001bb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a tab', 'a\tb'],
    ['a line break', 'a\nb'],
    ['a lone high surrogate', 'a\ud83db'],
    ['a lone low surrogate', 'a\ude80b'],
  ])('refuses %s in one-line text', (_, text) => {
    expect(name.safeParse(text).success).toBe(false);
  });

  it('allows tab and line breaks in free text, but not other controls', () => {
    expect(reason.parse('ticket\t42\r\nsee log')).toBe('ticket\t42\r\nsee log');
    expect(reason.safeParse('ticket\u000042').success).toBe(false);
    expect(reason.safeParse('ticket\u000b42').success).toBe(false);
  });

  it('bounds text to its column, counting characters as the databases do', () => {
    expect(name.safeParse('x'.repeat(10)).success).toBe(true);
    expect(name.safeParse('x'.repeat(11)).success).toBe(false);
    expect(name.safeParse('🚀'.repeat(10)).success).toBe(true);
    expect(name.safeParse('🚀'.repeat(11)).success).toBe(false);
  });

  it('trims, except where asked not to', () => {
    expect(name.parse('  host  ')).toBe('host');
    expect(safeText({ max: 10, trim: false }).parse(' id ')).toBe(' id ');
    expect(name.safeParse('   ').success).toBe(false);
  });
});
