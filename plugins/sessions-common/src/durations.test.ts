import { DateTime } from 'luxon';
import { durationBetween, formatDuration } from './durations';

const minutes = (n: number) => n * 60_000;
const hours = (n: number) => minutes(n * 60);
const days = (n: number) => hours(n * 24);

describe('formatDuration', () => {
  it.each([
    [0, '<1m'],
    [59_999, '<1m'],
    [minutes(1), '1m'],
    [minutes(32), '32m'],
    [minutes(32) + 59_000, '32m'],
    [hours(2), '2h'],
    [hours(2) + minutes(30), '2h 30m'],
    [days(2) + hours(4), '2d 4h'],
    [days(2) + hours(4) + minutes(59), '2d 4h'],
    [days(3) + minutes(5), '3d'],
    [days(40), '40d'],
  ])('shows %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('treats nonsense as under a minute', () => {
    expect(formatDuration(-5)).toBe('<1m');
    expect(formatDuration(Number.NaN)).toBe('<1m');
  });
});

describe('durationBetween', () => {
  it('measures a closed interval', () => {
    expect(
      durationBetween('2026-01-01T10:00:00Z', '2026-01-01T12:30:00Z'),
    ).toBe(hours(2) + minutes(30));
  });

  it('measures an open interval up to now', () => {
    const now = DateTime.fromISO('2026-01-01T10:32:00Z');
    expect(durationBetween('2026-01-01T10:00:00Z', null, now)).toBe(
      minutes(32),
    );
  });

  it('never goes negative when clocks disagree', () => {
    const now = DateTime.fromISO('2026-01-01T09:00:00Z');
    expect(durationBetween('2026-01-01T10:00:00Z', undefined, now)).toBe(0);
  });
});
