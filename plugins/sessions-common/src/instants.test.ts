import { instantSchema } from './instants';

describe('instantSchema', () => {
  it.each([
    '2026-01-01T09:00:00Z',
    '2026-01-01T09:00:00.123+02:00',
    '2000-01-01T00:00:00Z',
    '2099-12-31T23:59:59Z',
  ])('accepts %s', value => {
    expect(instantSchema.parse(value)).toBe(value);
  });

  it.each([
    ['year 1', '0001-01-01T00:00:00Z'],
    ['before 2000', '1999-12-31T23:59:59Z'],
    ['year 9999', '9999-12-31T23:59:59Z'],
    ['2100', '2100-01-01T00:00:00Z'],
    ['an impossible day', '2026-02-30T00:00:00Z'],
    ['no offset', '2026-01-01T09:00:00'],
    ['a date alone', '2026-01-01'],
    ['NUL', '2026-01-01T09:00:00Z\u0000'],
  ])('refuses %s', (_, value) => {
    expect(instantSchema.safeParse(value).success).toBe(false);
  });
});
