import { ConfigReader } from '@backstage/config';
import { readSessionsSettings } from './config';

const read = (sessions: object) =>
  readSessionsSettings(new ConfigReader({ sessions }));

describe('readSessionsSettings', () => {
  it('uses the documented defaults', () => {
    expect(readSessionsSettings(new ConfigReader({}))).toEqual({
      idleAfterMs: 5 * 60_000,
      warnAfterMs: 10 * 60_000,
      disconnectAfterMs: 30 * 60_000,
      maxLifetimeMs: 12 * 3_600_000,
      sweepFrequency: { seconds: 30 },
    });
  });

  it('reads duration objects and strings', () => {
    const settings = read({
      idleAfter: { minutes: 2 },
      warnAfter: '4m',
      disconnectAfter: 'PT10M',
      maxLifetime: { days: 7 },
    });
    expect(settings).toMatchObject({
      idleAfterMs: 2 * 60_000,
      warnAfterMs: 4 * 60_000,
      disconnectAfterMs: 10 * 60_000,
      maxLifetimeMs: 7 * 86_400_000,
    });
  });

  it('refuses timeouts out of order, naming the setting', () => {
    expect(() => read({ idleAfter: { minutes: 20 } })).toThrow(
      'sessions.warnAfter must be at least sessions.idleAfter',
    );
    expect(() =>
      read({ warnAfter: { minutes: 40 }, disconnectAfter: { minutes: 30 } }),
    ).toThrow(
      'sessions.disconnectAfter must be longer than sessions.warnAfter',
    );
  });
});
